// The dashboard benchmark: for each registry size, seed it, build the indicator ledger, then time
// the city overview and a unit page (p50/p95 over 200 requests each) beside the same figures
// computed with a plain GROUP BY over the registry, and the delay from a new fact to the changed figure.
//   npm run bench:dashboard                          (1, 2 and 4 million residents into PostgreSQL at DATABASE_URL)
//   npm run bench:dashboard -- --sizes 14000000      (the whole city; about an hour on 2 cores)
// Without DATABASE_URL it runs on an embedded PGlite database (default 50,000 residents).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@cds/db/test-database';
import { migrate, openDatabase, units, type DatabaseHandle } from '@cds/db';
import { asc, eq, sql } from 'drizzle-orm';
import { ensureUnits } from '../apps/server/src/demo/reference-data.ts';
import type { Actor } from '../apps/server/src/modules/access/actor.ts';
import { rebuildLedger } from '../apps/server/src/modules/indicators/indicator-ledger.ts';
import { planIndicators } from '../apps/server/src/modules/indicators/plans.service.ts';
import { rankUnits } from '../apps/server/src/modules/indicators/ranking.service.ts';
import { recordResidentFact } from '../apps/server/src/modules/registry/facts.service.ts';
import { seedPopulation } from '../apps/server/src/modules/registry/seed-population.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import type { AppDeps } from '../apps/server/src/platform/deps.ts';
import { PersonalDataVault } from '../apps/server/src/platform/personal-data-vault.ts';

const { values: args } = parseArgs({ options: { sizes: { type: 'string' }, requests: { type: 'string' } } });
const onPostgres = Boolean(process.env.DATABASE_URL);
const sizes = (args.sizes ?? (onPostgres ? '1000000,2000000,4000000' : '50000')).split(',').map((s) => Number(s.replace(/[_]/g, '')));
const requests = Number(args.requests ?? 200);
const TODAY = '2026-11-24';
const PLAN = 'hcmc-2026';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function openBenchDatabase(): Promise<DatabaseHandle> {
  if (onPostgres) return createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-bench-'));
  const handle = await openDatabase({ dataDir, mode: 'owner' });
  await migrate(handle.pool);
  return { ...handle, close: async () => { await handle.close(); rmSync(dataDir, { recursive: true, force: true }); } };
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await run();
  return [performance.now() - started, result];
}

/**
 * The baseline: the plan's resident and household figures for every unit straight from the
 * registry, with the current value of each indicator taken from the facts as the registry pages
 * take it. One statement, as a report writer would write it.
 */
const PLAIN_GROUP_BY = sql`
  WITH current AS (
    SELECT DISTINCT ON (f.resident_id, f.indicator) f.resident_id, f.indicator, f.value
    FROM facts f
    WHERE f.resident_id IS NOT NULL AND NOT f.retracts
      AND NOT EXISTS (SELECT 1 FROM facts c WHERE c.province_code = f.province_code AND c.corrects_fact_id = f.id)
    ORDER BY f.resident_id, f.indicator, f.observed_on DESC, f.id DESC),
  person AS (
    SELECT resident_id,
      bool_or(indicator = 'citizen_id_card' AND value = 'true') AS card,
      bool_or(indicator = 'vneid' AND value IN ('level1', 'level2')) AS vneid,
      bool_or(indicator = 'city_app_installed' AND value = 'true') AS app,
      bool_or(indicator = 'smartphone' AND value = 'true') AS phone,
      bool_or(indicator = 'epayment_account' AND value = 'true') AS epay,
      bool_or(indicator = 'social_insurance_vneid' AND value = 'true') AS insurance,
      bool_or(indicator = 'public_service_account' AND value = 'true') AS portal,
      bool_or(indicator = 'basic_skills_trained' AND value = 'true') AS trained,
      bool_or(indicator = 'digital_literacy_certified' AND value = 'true') AS certified
    FROM current GROUP BY resident_id),
  people AS (
    SELECT r.unit_code, r.household_id, p.*,
      coalesce(r.birth_date, make_date(r.birth_year, 1, 1)) <= DATE '${sql.raw(TODAY)}' - interval '14 years' AS eligible,
      coalesce(r.birth_date, make_date(r.birth_year, 1, 1)) <= DATE '${sql.raw(TODAY)}' - interval '18 years' AS adult
    FROM residents r LEFT JOIN person p ON p.resident_id = r.id
    WHERE r.status = 'living' AND r.merged_into_id IS NULL)
  SELECT unit_code,
    count(*) FILTER (WHERE eligible) AS eligible,
    count(*) FILTER (WHERE eligible AND card) AS card,
    count(*) FILTER (WHERE eligible AND vneid) AS vneid,
    count(*) FILTER (WHERE eligible AND app) AS app,
    count(*) FILTER (WHERE eligible AND phone) AS phone,
    count(*) FILTER (WHERE eligible AND trained) AS trained,
    count(*) FILTER (WHERE eligible AND certified) AS certified,
    count(*) FILTER (WHERE adult) AS adults,
    count(*) FILTER (WHERE adult AND epay) AS epay,
    count(*) FILTER (WHERE adult AND insurance) AS insurance,
    count(*) FILTER (WHERE adult AND portal) AS portal,
    count(DISTINCT household_id) AS households,
    count(DISTINCT household_id) FILTER (WHERE phone) AS households_with_phone
  FROM people GROUP BY unit_code`;

const base = { username: 'bench', provinceCode: '79', residentId: null, ip: null, userAgent: null };
const admin: Actor = { ...base, userId: 1, role: 'city_admin', unitCodes: [] };

console.log(`\nDashboard benchmark on ${onPostgres ? 'PostgreSQL' : 'PGlite (embedded)'}: sizes ${sizes.map((s) => fmt(s)).join(', ')}; ${requests} requests per page`);
const summary: string[] = [];
for (const people of sizes) {
  const handle = await openBenchDatabase();
  const vault = new PersonalDataVault(randomBytes(32));
  const deps: AppDeps = { db: handle.db, pool: handle.pool, dbKind: handle.kind, vault, config: loadConfig({}), today: () => TODAY };
  try {
    await ensureUnits(handle.db);
    const cityUnits = await handle.db.select().from(units).where(eq(units.provinceCode, '79')).orderBy(asc(units.code));
    const userId = Number(
      (await handle.db.execute<{ id: number }>(sql`INSERT INTO users (username, password_hash, role, display_name, province_code) VALUES ('bench', 'x', 'city_admin', 'Bench', '79') RETURNING id`)).rows[0]?.id,
    );
    admin.userId = userId;
    console.log(`\n== ${fmt(people)} residents ==`);
    let shown = 0;
    const [seedMs, seeded] = await timed(() =>
      seedPopulation(handle.pool, vault, {
        people,
        seed: 2026,
        provinceCode: '79',
        units: cityUnits,
        today: TODAY,
        onProgress: (done) => {
          if (done - shown >= people / 10 || done === people) {
            shown = done;
            process.stderr.write(`\r  seeding ${fmt((done / people) * 100)}%   `);
          }
        },
      }),
    );
    process.stderr.write('\n');
    await handle.pool.query('ANALYZE');
    console.log(`  seeded ${fmt(seeded.households)} households, ${fmt(seeded.residents)} residents, ${fmt(seeded.facts)} facts in ${fmt(seedMs / 1000, 1)} s`);
    const [rebuildMs] = await timed(() => rebuildLedger(handle.db, TODAY));
    await handle.pool.query('ANALYZE indicator_ledger, indicator_totals');
    const ledgerRows = Number((await handle.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM indicator_ledger`)).rows[0]?.n);
    console.log(`  ledger built from scratch in ${fmt(rebuildMs / 1000, 1)} s (${fmt(seeded.households / (rebuildMs / 1000))} households/s), ${fmt(ledgerRows)} ledger rows`);

    const biggest = (await handle.db.execute<{ unit_code: string }>(sql`SELECT unit_code FROM households GROUP BY unit_code ORDER BY count(*) DESC LIMIT 1`)).rows[0]?.unit_code ?? '';
    const overview: number[] = [];
    const unitPage: number[] = [];
    for (let i = 0; i < requests; i++) {
      overview.push((await timed(() => planIndicators(deps, admin, PLAN, {})))[0]);
      // A unit page: the unit's figures and its neighbourhoods ranked on the first indicator.
      unitPage.push(
        (await timed(async () => {
          await planIndicators(deps, admin, PLAN, { unit: biggest });
          await rankUnits(deps, admin, PLAN, { indicator: 'ho-co-thiet-bi-thong-minh', unit: biggest });
        }))[0],
      );
    }
    overview.sort((a, b) => a - b);
    unitPage.sort((a, b) => a - b);

    const baseline: number[] = [];
    let plain: { unit_code: string; households_with_phone: string; households: string; epay: string; adults: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const [ms, result] = await timed(() => handle.db.execute<(typeof plain)[number]>(PLAIN_GROUP_BY));
      baseline.push(ms);
      plain = result.rows;
    }
    baseline.sort((a, b) => a - b);
    // The two ways must agree, or the speed means nothing.
    const fromLedger = await planIndicators(deps, admin, PLAN, { unit: biggest });
    const plainUnit = plain.find((r) => r.unit_code === biggest);
    const epay = fromLedger.indicators.find((i) => i.id === 'nguoi-lon-tai-khoan-thanh-toan');
    const device = fromLedger.indicators.find((i) => i.id === 'ho-co-thiet-bi-thong-minh');
    const agree = Number(plainUnit?.epay) === epay?.numerator && Number(plainUnit?.adults) === epay?.denominator && Number(plainUnit?.households_with_phone) === device?.numerator;

    // Freshness: a new fact, then the unit page, until the changed figure shows.
    const candidates = (
      await handle.db.execute<{ id: number }>(sql`
        SELECT r.id FROM residents r WHERE r.unit_code = ${biggest} AND r.birth_year < 2000
          AND NOT EXISTS (SELECT 1 FROM facts f WHERE f.province_code = r.province_code AND f.resident_id = r.id AND f.indicator = 'epayment_account')
        LIMIT 50`)
    ).rows.map((r) => Number(r.id));
    const delays: number[] = [];
    for (const residentId of candidates) {
      const before = (await planIndicators(deps, admin, PLAN, { unit: biggest })).indicators.find((i) => i.id === 'nguoi-lon-tai-khoan-thanh-toan')?.numerator ?? 0;
      const started = performance.now();
      await recordResidentFact(deps, admin, residentId, { indicator: 'epayment_account', value: 'true', observedOn: TODAY, sourceKind: 'visit' });
      const after = (await planIndicators(deps, admin, PLAN, { unit: biggest })).indicators.find((i) => i.id === 'nguoi-lon-tai-khoan-thanh-toan')?.numerator ?? 0;
      if (after !== before + 1) throw new Error(`the figure did not change: ${before} → ${after}`);
      delays.push(performance.now() - started);
    }
    delays.sort((a, b) => a - b);

    const b50 = percentile(baseline, 50);
    console.log(`  city overview (${PLAN}, ${fromLedger.indicators.length} indicators): p50 ${fmt(percentile(overview, 50), 1)} ms, p95 ${fmt(percentile(overview, 95), 1)} ms`);
    console.log(`  unit page (${biggest}, with its neighbourhoods): p50 ${fmt(percentile(unitPage, 50), 1)} ms, p95 ${fmt(percentile(unitPage, 95), 1)} ms`);
    console.log(`  baseline, plain GROUP BY over the registry (every unit, median of 3): ${fmt(b50, 0)} ms → the overview is ${fmt(b50 / percentile(overview, 50), 0)}× faster at p50`);
    console.log(`  the two agree on the biggest unit: ${agree ? 'yes' : 'NO'}`);
    console.log(`  new fact → changed figure (write + read, ${delays.length} facts): p50 ${fmt(percentile(delays, 50), 1)} ms, p95 ${fmt(percentile(delays, 95), 1)} ms`);
    summary.push(
      `  ${fmt(people).padStart(11)}  ${fmt(percentile(overview, 50), 1).padStart(8)} ${fmt(percentile(overview, 95), 1).padStart(8)}  ${fmt(percentile(unitPage, 50), 1).padStart(8)} ${fmt(percentile(unitPage, 95), 1).padStart(8)}  ${fmt(b50, 0).padStart(10)}  ${fmt(b50 / percentile(overview, 50), 0).padStart(6)}×  ${fmt(percentile(delays, 50), 1).padStart(7)}  ${fmt(rebuildMs / 1000, 1).padStart(9)}`,
    );
  } finally {
    await handle.close();
  }
}
console.log('\nHow the cost grows (ms)');
console.log('    residents  overview p50/p95   unit page p50/p95  GROUP BY p50   ratio   fact→fig  rebuild s');
for (const line of summary) console.log(line);
console.log(`\npeak RSS of this process: ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);
