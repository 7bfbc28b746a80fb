import type { HouseholdInput } from '@cds/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PROVINCE, UNIT_A, type TestContext } from '../../test/test-app.ts';
import { IndicatorChange, rebuildLedger, verifyLedger } from './indicator-ledger.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
  await rebuildLedger(ctx.deps.db, ctx.deps.today());
});
afterAll(async () => ctx?.close());

/**
 * Writes a poor household with an adult and a child, and two facts about the adult on one day
 * (no e-payment account, then one: the later stands), counting it with countCreated() from `inputs(ids)` instead of reading
 * it back. Returns how the kept ledger then differs from a recomputation of the registry.
 */
async function createCounted(inputs: (ids: { household: number; adult: number; child: number }) => HouseholdInput) {
  await ctx.deps.db.transaction(async (tx) => {
    const change = await IndicatorChange.begin(tx, { provinceCode: PROVINCE });
    const { rows: household } = await tx.execute<{ id: number }>(sql`
      INSERT INTO households (province_code, unit_code, address, poverty_status, poverty_list_year)
      VALUES (${PROVINCE}, ${UNIT_A}, '5 Lê Lợi', 'poor', 2026) RETURNING id`);
    const householdId = Number(household[0]!.id);
    const { rows: people } = await tx.execute<{ id: number }>(sql`
      INSERT INTO residents (province_code, household_id, unit_code, full_name, name_folded, birth_date, birth_year, sex, relation_to_head, residence_type)
      VALUES (${PROVINCE}, ${householdId}, ${UNIT_A}, 'Trần Văn Lớn', 'tran van lon', '1980-04-04', 1980, 'male', 'head', 'permanent'),
             (${PROVINCE}, ${householdId}, ${UNIT_A}, 'Trần Thị Nhỏ', 'tran thi nho', '2015-08-08', 2015, 'female', 'child', 'permanent')
      RETURNING id`);
    const adult = Number(people[0]!.id);
    const child = Number(people[1]!.id);
    await tx.execute(sql`
      INSERT INTO facts (province_code, resident_id, indicator, value, source_kind, source_ref, observed_on)
      VALUES (${PROVINCE}, ${adult}, 'epayment_account', 'false', 'import', 'test', '2026-02-01'),
             (${PROVINCE}, ${adult}, 'epayment_account', 'true', 'import', 'test', '2026-02-01')`);
    change.countCreated([inputs({ household: householdId, adult, child })]);
    await change.commit(tx);
  });
  return verifyLedger(ctx.deps.db);
}

const written = (ids: { household: number; adult: number; child: number }, adultFacts: HouseholdInput['members'][number]['facts']): HouseholdInput => ({
  id: ids.household,
  unitCode: UNIT_A,
  neighbourhoodId: null,
  povertyStatus: 'poor',
  povertyListYear: 2026,
  members: [
    { id: ids.adult, unitCode: UNIT_A, neighbourhoodId: null, birthDate: '1980-04-04', birthYear: 1980, status: 'living', leftOn: null, facts: adultFacts },
    { id: ids.child, unitCode: UNIT_A, neighbourhoodId: null, birthDate: '2015-08-08', birthYear: 2015, status: 'living', leftOn: null, facts: [] },
  ],
});

const NO_ACCOUNT = { id: 0, indicator: 'epayment_account', value: 'false', observedOn: '2026-02-01', correctsFactId: null };
const ACCOUNT = { id: 1, indicator: 'epayment_account', value: 'true', observedOn: '2026-02-01', correctsFactId: null };

describe('IndicatorChange.countCreated', () => {
  it('counts a created household, its members and their facts as reading them back would', async () => {
    expect(await createCounted((ids) => written(ids, [NO_ACCOUNT, ACCOUNT]))).toEqual([]);
    const { rows } = await ctx.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM indicator_ledger WHERE unit_code = ${UNIT_A}`);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('is held to what was written: facts numbered in another order than the INSERT’s put the ledger out of step', async () => {
    const differences = await createCounted((ids) => written(ids, [{ ...NO_ACCOUNT, id: 1 }, { ...ACCOUNT, id: 0 }]));
    // The recomputation counts the adult's account (the later fact); the ledger, told otherwise, does not.
    expect(differences.length).toBeGreaterThan(0);
    expect(differences.every((d) => d.key.endsWith('epayment_account') && d.ledger === d.recomputed - 1)).toBe(true);
  });
});
