import { ledgerDeltas, parseLedgerDeltas } from '@cds/domain';
import { units } from '@cds/db';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeHousehold, makeResident, PROVINCE, TODAY, UNIT_A, UNIT_B, type TestContext } from '../../test/test-app.ts';
import { seedPopulation } from '../registry/seed-population.ts';
import type { Actor } from '../access/actor.ts';
import { rebuildLedger, verifyLedger } from './indicator-ledger.ts';
import { rebuildLimits } from './ledger-rebuild.ts';
import { planIndicators } from './plans.service.ts';
import { rankUnits } from './ranking.service.ts';
import { loadContributions } from './subject-inputs.ts';

let ctx: TestContext;

/** The ledger the slow, obvious way: every subject's contributions in one call, summed under string keys. */
async function expectedLedger(): Promise<string[]> {
  const db = ctx.deps.db;
  const households = (await db.execute<{ id: number }>(sql`SELECT id FROM households WHERE province_code = ${PROVINCE} ORDER BY id`)).rows.map((r) => Number(r.id));
  const organisations = (await db.execute<{ id: number }>(sql`SELECT id FROM organisations WHERE province_code = ${PROVINCE} ORDER BY id`)).rows.map((r) => Number(r.id));
  const deltas = ledgerDeltas(await loadContributions(db, PROVINCE, households, organisations), PROVINCE);
  return parseLedgerDeltas(deltas).map((d) => `${d.key} ${d.unitCode} ${d.neighbourhoodId} ${d.day} ${d.delta}`).sort();
}

async function keptLedger(): Promise<string[]> {
  const { rows } = await ctx.deps.db.execute<{ line: string }>(sql`
    SELECT key || ' ' || unit_code || ' ' || neighbourhood_id || ' ' || day::text || ' ' || delta AS line FROM indicator_ledger`);
  return rows.map((r) => r.line).sort();
}

beforeAll(async () => {
  ctx = await createTestApp();
  const cityUnits = await ctx.deps.db.select().from(units).where(eq(units.provinceCode, PROVINCE)).orderBy(asc(units.code));
  await seedPopulation(ctx.deps.pool, ctx.deps.vault, { people: 1_500, seed: 7, provinceCode: PROVINCE, units: cityUnits, today: TODAY });
  // A member's unit is their household's (the schema holds them to it); rows that reach a unit
  // already written come from a unit written early for its size (the small pages below).
  await makeResident(ctx, await makeHousehold(ctx, UNIT_A), { birthDate: '1960-01-01' });
  const family = await makeHousehold(ctx, UNIT_B);
  const member = await makeResident(ctx, family, { birthDate: '1970-02-02' });
  await makeResident(ctx, family, { birthDate: '2010-06-06', relationToHead: 'child' });
  await ctx.deps.db.execute(sql`
    INSERT INTO facts (province_code, resident_id, indicator, value, source_kind, source_ref, observed_on)
    VALUES (${PROVINCE}, ${member.id}, 'epayment_account', 'true', 'visit', 'test', '2026-03-01'),
           (${PROVINCE}, ${member.id}, 'smartphone', 'true', 'visit', 'test', '2025-09-01')`);
  const { rows } = await ctx.deps.db.execute<{ id: number }>(sql`
    INSERT INTO organisations (province_code, unit_code, name, name_folded, kind) VALUES (${PROVINCE}, ${UNIT_A}, 'Hợp tác xã', 'hop tac xa', 'cooperative') RETURNING id`);
  await ctx.deps.db.execute(sql`
    INSERT INTO facts (province_code, organisation_id, indicator, value, source_kind, source_ref, observed_on)
    VALUES (${PROVINCE}, ${rows[0]!.id}, 'vneid', 'level2', 'visit', 'test', '2026-01-05')`);
});

afterAll(async () => {
  await ctx?.close();
});

describe('rebuildLedger', () => {
  it('writes exactly the ledger that summing every subject’s contributions gives', async () => {
    await rebuildLedger(ctx.deps.db, TODAY);
    const expected = await expectedLedger();
    expect(expected.length).toBeGreaterThan(1_000);
    expect(await keptLedger()).toEqual(expected);
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('keeps the ledger’s indexes, built again after the load', async () => {
    const { rows } = await ctx.deps.db.execute<{ name: string }>(sql`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'indicator_ledger' ORDER BY 1`);
    expect(rows.map((r) => r.name)).toEqual(['indicator_ledger_day_idx', 'indicator_ledger_pkey']);
  });

  it('gives the same ledger in small pages, with units written early and rows arriving after their unit was written', async () => {
    const before = await keptLedger();
    const limits = { ...rebuildLimits };
    Object.assign(rebuildLimits, { pageSize: 40, maxOpenRows: 300 });
    try {
      await rebuildLedger(ctx.deps.db, TODAY);
    } finally {
      Object.assign(rebuildLimits, limits);
    }
    expect(await keptLedger()).toEqual(before);
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });
});

describe('rankUnits by neighbourhood', () => {
  it('gives each neighbourhood the figures of its own page, today and on a past day', async () => {
    const admin: Actor = { userId: 1, username: 'admin', role: 'city_admin', provinceCode: PROVINCE, unitCodes: [], residentId: null, ip: null, userAgent: null };
    const { rows } = await ctx.deps.db.execute<{ unit_code: string }>(sql`
      SELECT unit_code FROM households WHERE neighbourhood_id IS NOT NULL GROUP BY unit_code ORDER BY count(*) DESC LIMIT 1`);
    const unit = rows[0]!.unit_code;
    for (const asOf of [TODAY, '2026-02-10']) {
      const ranking = await rankUnits(ctx.deps, admin, 'hcmc-2026', { indicator: 'ho-co-thiet-bi-thong-minh', unit, asOf });
      expect(ranking.rows.length).toBeGreaterThan(1);
      for (const row of ranking.rows) {
        const page = await planIndicators(ctx.deps, admin, 'hcmc-2026', { unit, neighbourhood: Number(row.code), asOf });
        const own = page.indicators.find((i) => i.id === 'ho-co-thiet-bi-thong-minh');
        expect({ numerator: row.numerator, denominator: row.denominator }).toEqual({ numerator: own?.numerator, denominator: own?.denominator });
      }
    }
  });
});
