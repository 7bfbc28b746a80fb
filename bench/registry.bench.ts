// The registry benchmark: seed N residents, then time resident and household search at that size.
//   npm run bench                      (1,000,000 residents into PostgreSQL at DATABASE_URL)
//   npm run bench -- --people 200000   (another size; --keep keeps the database for a look)
// Without DATABASE_URL it runs on an embedded PGlite database (default 100,000 residents).
// Every figure is printed beside a baseline measured in the same run, as a ratio.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@cds/db/test-database';
import { migrate, openDatabase, residents, units, type DatabaseHandle } from '@cds/db';
import { drizzle } from 'drizzle-orm/node-postgres';
import * as schema from '../packages/db/src/schema.ts';
import { foldVietnamese } from '@cds/domain';
import { asc, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { ensureUnits } from '../apps/server/src/demo/reference-data.ts';
import type { Actor } from '../apps/server/src/modules/access/actor.ts';
import { listHouseholds } from '../apps/server/src/modules/registry/households.service.ts';
import { searchResidents } from '../apps/server/src/modules/registry/residents.service.ts';
import { seedPopulation } from '../apps/server/src/modules/registry/seed-population.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { containsPattern } from '../apps/server/src/platform/like-pattern.ts';
import type { AppDeps } from '../apps/server/src/platform/deps.ts';
import { PersonalDataVault } from '../apps/server/src/platform/personal-data-vault.ts';

const { values: args } = parseArgs({ options: { people: { type: 'string' }, keep: { type: 'boolean' }, queries: { type: 'string' } } });
const onPostgres = Boolean(process.env.DATABASE_URL);
const people = Number((args.people ?? (onPostgres ? '1000000' : '100000')).replace(/[_,]/g, ''));
const queriesPerKind = Number(args.queries ?? 200);
const TODAY = '2026-11-24';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function openBenchDatabase(): Promise<DatabaseHandle> {
  if (!onPostgres) {
    // File-backed like a real deployment: PGlite's in-memory file system slows down as tables grow.
    const dataDir = mkdtempSync(join(tmpdir(), 'cds-bench-'));
    const handle = await openDatabase({ dataDir, mode: 'owner' });
    await migrate(handle.pool);
    return { ...handle, close: async () => { await handle.close(); if (!args.keep) rmSync(dataDir, { recursive: true, force: true }); else console.log(`data kept in ${dataDir}`); } };
  }
  if (!args.keep) return createTestDatabase();
  const name = `cds_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  await migrate(pool);
  console.log(`database kept: ${url.toString().replace(/:[^:@/]*@/, ':***@')}`);
  return { kind: 'postgres', pool, attached: false, db: drizzle(pool, { schema }), close: () => pool.end() };
}

const handle = await openBenchDatabase();
const vault = new PersonalDataVault(randomBytes(32));
console.log(`\nRegistry benchmark on ${handle.kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'}: ${fmt(people)} residents\n`);
await ensureUnits(handle.db);
const cityUnits = await handle.db.select().from(units).where(eq(units.provinceCode, '79')).orderBy(asc(units.code));

// Baseline for seeding: the obvious way, one INSERT per household, resident and fact, each household in its own transaction.
const baselinePeople = Number(process.env.BENCH_BASELINE_PEOPLE ?? 3000);
let started = performance.now();
{
  const { generateHouseholds } = await import('@cds/domain');
  let households = 0;
  for (const household of generateHouseholds({ people: baselinePeople, seed: 99, provinceCode: '079', today: TODAY, units: cityUnits.slice(0, 1) })) {
    // Fair to the baseline: fresh statistics once the tables have rows, as the batched path gets.
    if (++households === 50) await handle.pool.query('ANALYZE households, residents, facts');
    const client = await handle.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO households (province_code, unit_code, address, poverty_status, poverty_list_year) VALUES ('79', $1, $2, $3, $4) RETURNING id`,
        [household.unitCode, household.address, household.povertyStatus, household.povertyListYear],
      );
      for (const m of household.members) {
        const r = await client.query<{ id: number }>(
          `INSERT INTO residents (province_code, household_id, unit_code, full_name, name_folded, birth_date, birth_year, sex, citizen_id_hash, citizen_id_enc, citizen_id_last4, phone, phone_carrier, relation_to_head, residence_type)
           VALUES ('79', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
          // The hash is salted with 'b' so the baseline's people never clash with the seeded ones on the unique index.
          [rows[0]?.id, household.unitCode, m.fullName, foldVietnamese(m.fullName), m.birthDate, Number(m.birthDate.slice(0, 4)), m.sex, m.citizenId ? vault.hash(m.citizenId + 'b') : null, m.citizenId ? vault.encrypt(m.citizenId) : null, m.citizenId?.slice(-4) ?? null, m.phone, m.phoneCarrier, m.relationToHead, m.residenceType],
        );
        for (const f of m.facts) {
          await client.query(`INSERT INTO facts (province_code, resident_id, indicator, value, source_kind, observed_on) VALUES ('79', $1, $2, $3, 'seed', $4)`, [r.rows[0]?.id, f.indicator, f.value, f.observedOn]);
        }
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
}
const baselineRate = baselinePeople / ((performance.now() - started) / 1000);
// Searches are drawn from the seeded people only: the baseline's rows are shaped differently (salted hashes).
const firstSeededId = Number((await handle.pool.query<{ n: number }>('SELECT coalesce(max(id), 0) + 1 AS n FROM residents')).rows[0]?.n ?? 1);

started = performance.now();
let lastShown = 0;
const seeded = await seedPopulation(handle.pool, vault, {
  people,
  seed: 2026,
  provinceCode: '79',
  units: cityUnits,
  today: TODAY,
  onProgress: (done) => {
    if (done - lastShown >= people / 20 || done === people) {
      lastShown = done;
      const rate = done / ((performance.now() - started) / 1000);
      process.stderr.write(`\r  seeding ${fmt((done / people) * 100)}%  ${fmt(done)} residents  ${fmt(rate)}/s   `);
    }
  },
});
const seedSeconds = (performance.now() - started) / 1000;
process.stderr.write('\n');
await handle.pool.query('ANALYZE');
const seedRate = seeded.residents / seedSeconds;

console.log('Seeding');
console.log(`  ${fmt(seeded.households)} households, ${fmt(seeded.residents)} residents, ${fmt(seeded.facts)} facts in ${fmt(seedSeconds, 1)} s`);
console.log(`  ${fmt(seedRate)} residents/s (${fmt((seeded.residents + seeded.facts + seeded.households) / seedSeconds)} rows/s)`);
console.log(`  baseline, one INSERT per row: ${fmt(baselineRate)} residents/s → batched is ${fmt(seedRate / baselineRate, 1)}× faster`);
console.log(`  peak RSS of this process: ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);

// Search, through the service (scope, audit write and presenter included), as a city admin and a ward official.
const deps: AppDeps = { db: handle.db, pool: handle.pool, dbKind: handle.kind, vault, config: loadConfig({}), today: () => TODAY };
const base = { username: 'bench', provinceCode: '79', residentId: null, ip: null, userAgent: null };
const biggestUnit = (
  await handle.db.execute<{ unit_code: string }>(sql`SELECT unit_code FROM residents WHERE id >= ${firstSeededId} GROUP BY unit_code ORDER BY count(*) DESC LIMIT 1`)
).rows[0]?.unit_code ?? '';
const admin: Actor = { ...base, userId: 1, role: 'city_admin', unitCodes: [] };
const official: Actor = { ...base, userId: 2, role: 'unit_official', unitCodes: [biggestUnit] };

const sample = await handle.db
  .select({ name: residents.nameFolded, last4: residents.citizenIdLast4, enc: residents.citizenIdEnc, unit: residents.unitCode })
  .from(residents)
  .where(sql`${residents.citizenIdEnc} IS NOT NULL AND ${residents.unitCode} = ${biggestUnit} AND ${residents.id} >= ${firstSeededId}`)
  .orderBy(sql`md5(${residents.id}::text)`)
  .limit(queriesPerKind);

interface Kind {
  label: string;
  actor: Actor;
  query: (row: (typeof sample)[number]) => { q: string; unit?: string };
}
const kinds: Kind[] = [
  { label: 'full name, in a ward (official)', actor: official, query: (r) => ({ q: r.name, unit: r.unit }) },
  { label: 'full name, whole city (admin)', actor: admin, query: (r) => ({ q: r.name }) },
  { label: 'last two words of a name, city', actor: admin, query: (r) => ({ q: r.name.split(' ').slice(-2).join(' ') }) },
  { label: 'last 4 ID digits, in a ward', actor: official, query: (r) => ({ q: r.last4 ?? '0000', unit: r.unit }) },
  { label: 'whole 12-digit citizen ID, city', actor: admin, query: (r) => ({ q: vault.decrypt(r.enc ?? '') }) },
];

async function timeKind(kind: Kind, rows: typeof sample): Promise<{ times: number[]; found: number }> {
  const times: number[] = [];
  let found = 0;
  for (const row of rows) {
    const t = performance.now();
    const result = await searchResidents(deps, kind.actor, { ...kind.query(row), limit: 50 });
    times.push(performance.now() - t);
    // Every query is drawn from a real resident, so each must find at least that one.
    if (result.items.length > 0) found++;
  }
  return { times: times.sort((a, b) => a - b), found };
}

console.log(`\nResident search (${queriesPerKind} queries per kind, 50 per page, ${fmt(seeded.residents)} residents; biggest ward ${biggestUnit})`);
console.log('  kind                                    p50 ms   p95 ms   baseline p50 (no index)   ratio   found');
for (const kind of kinds) {
  const { times, found } = await timeKind(kind, sample);
  // Baseline: the same queries with the planner denied every index, on one session.
  const client = await handle.pool.connect();
  let baseline: number[] = [];
  try {
    await client.query('SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off');
    const baseDeps: AppDeps = { ...deps, db: drizzle(client, { schema }) as unknown as AppDeps['db'] };
    const few = sample.slice(0, Math.max(5, Math.floor(queriesPerKind / 20)));
    for (const row of few) {
      const t = performance.now();
      await searchResidents(baseDeps, kind.actor, { ...kind.query(row), limit: 50 });
      baseline.push(performance.now() - t);
    }
    baseline = baseline.sort((a, b) => a - b);
    await client.query('RESET ALL');
  } finally {
    client.release();
  }
  const p50 = percentile(times, 50);
  console.log(
    `  ${kind.label.padEnd(38)} ${fmt(p50, 1).padStart(7)}  ${fmt(percentile(times, 95), 1).padStart(7)}   ${fmt(percentile(baseline, 50), 1).padStart(10)}               ${fmt(percentile(baseline, 50) / p50, 0).padStart(5)}×   ${found}/${sample.length}`,
  );
}
// Household search, through the service, against the previous way of the same query: the address
// folded at query time (fold_vietnamese on each row) instead of read from the stored key.
const householdSample = (
  await handle.db.execute<{ address: string; unit_code: string }>(
    sql`SELECT address, unit_code FROM households WHERE unit_code = ${biggestUnit} ORDER BY md5(id::text) LIMIT ${queriesPerKind}`,
  )
).rows;
interface HouseholdKind {
  label: string;
  actor: Actor;
  query: (row: (typeof householdSample)[number]) => { q: string; unit?: string };
}
// "12/3 Đường Lê Lợi, Khu phố 4": the house and street, which few households share.
const houseAndStreet = (address: string) => address.split(',')[0] ?? address;
const householdKinds: HouseholdKind[] = [
  { label: 'house and street, in a ward (official)', actor: official, query: (r) => ({ q: houseAndStreet(r.address), unit: r.unit_code }) },
  { label: 'house and street, whole city (admin)', actor: admin, query: (r) => ({ q: houseAndStreet(r.address) }) },
  { label: 'street name alone, whole city (admin)', actor: admin, query: (r) => ({ q: houseAndStreet(r.address).replace(/^\S+ /, '') }) },
  { label: 'a street nobody lives on, city (admin)', actor: admin, query: (r) => ({ q: `${houseAndStreet(r.address)} Bis Z` }) },
];
const householdCount = Number((await handle.pool.query<{ n: string }>('SELECT count(*) AS n FROM households')).rows[0]?.n ?? 0);
console.log(`\nHousehold search (${queriesPerKind} queries per kind, 50 per page, ${fmt(householdCount)} households)`);
console.log('  kind                                    p50 ms   p95 ms   baseline p50 (folded per row)   ratio   found');
for (const kind of householdKinds) {
  const times: number[] = [];
  let found = 0;
  for (const row of householdSample) {
    const t = performance.now();
    const result = await listHouseholds(deps, kind.actor, { ...kind.query(row), limit: 50 });
    times.push(performance.now() - t);
    if (result.items.length > 0) found++;
  }
  times.sort((a, b) => a - b);
  const baseline: number[] = [];
  for (const row of householdSample.slice(0, Math.max(3, Math.floor(queriesPerKind / 40)))) {
    const { q, unit } = kind.query(row);
    const t = performance.now();
    await handle.pool.query(
      `SELECT id FROM households WHERE province_code = '79' AND ($1::text IS NULL OR unit_code = $1)
         AND fold_vietnamese(coalesce(household_code, '') || ' ' || address) LIKE $2 ORDER BY id LIMIT 51`,
      [unit ?? null, containsPattern(foldVietnamese(q))],
    );
    baseline.push(performance.now() - t);
  }
  baseline.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  console.log(
    `  ${kind.label.padEnd(38)} ${fmt(p50, 1).padStart(7)}  ${fmt(percentile(times, 95), 1).padStart(7)}   ${fmt(percentile(baseline, 50), 1).padStart(12)}                 ${fmt(percentile(baseline, 50) / p50, 0).padStart(5)}×   ${found}/${householdSample.length}`,
  );
}

console.log(`\npeak RSS of this process: ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);
await handle.close();
