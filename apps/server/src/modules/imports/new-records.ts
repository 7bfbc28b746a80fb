import type { FactInput, HouseholdInput, ResidentInput } from '@cds/domain';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { bigintArray, textArray, type Known, type PersonKeys, type Tx } from './chunk-lookups.ts';
import type { RowPerson } from './row-evaluation.ts';

/**
 * New households and residents of one chunk. Ids are reserved from the tables' sequences up front
 * (an unused one is only a gap), so rows decided later in the chunk can name a person created
 * earlier in it, and everything is written with one INSERT per table.
 */
export class NewRecords {
  private households: { id: number; unitCode: string; code: string | null; address: string; poverty: HouseholdInput['povertyStatus']; povertyYear: number | null }[] = [];
  private residents: { id: number; householdId: number; person: RowPerson; relation: string }[] = [];
  private nextHousehold = 0;
  private nextResident = 0;

  private constructor(
    private readonly deps: AppDeps,
    private readonly keys: PersonKeys,
    private readonly province: string,
    private readonly householdIds: number[],
    private readonly residentIds: number[],
    private readonly householdByCode: Map<string, number>,
  ) {}

  /** `people`: those the chunk may create (rows not matched by an ID); at most one household each. */
  static async prepare(tx: Tx, deps: AppDeps, keys: PersonKeys, province: string, people: readonly RowPerson[]): Promise<NewRecords> {
    const coded = new Map<string, { unit: string; code: string }>();
    for (const p of people) if (p.householdCode && p.unitCode) coded.set(`${p.unitCode}|${p.householdCode}`, { unit: p.unitCode, code: p.householdCode });
    const existing = new Map<string, number>();
    if (coded.size > 0) {
      const k = [...coded.values()];
      // One probe of households_code_idx per code (see chunk-lookups.ts): as a join, the planner
      // hashed the whole households table for every chunk, 38 ms a chunk at 60,000 households
      // and growing with the table.
      const { rows } = await tx.execute<{ id: number; unit_code: string; household_code: string }>(sql`
        SELECT h.id, h.unit_code, h.household_code
        FROM unnest(${textArray(k.map((x) => x.unit))}::text[], ${textArray(k.map((x) => x.code))}::text[]) AS k(unit_code, code)
        CROSS JOIN LATERAL (
          SELECT h.id, h.unit_code, h.household_code FROM households h
          WHERE h.province_code = ${province} AND h.unit_code = k.unit_code AND h.household_code = k.code OFFSET 0) h`);
      for (const row of rows) existing.set(`${row.unit_code}|${row.household_code}`, Number(row.id));
    }
    // A household for each coded household not found and each person without a code, at most.
    const newHouseholds = people.filter((p) => !(p.householdCode && p.unitCode)).length + [...coded.keys()].filter((key) => !existing.has(key)).length;
    const householdIds: number[] = [];
    const residentIds: number[] = [];
    if (people.length > 0) {
      // Both sequences in one round trip. Each is looked up once: OFFSET 0 keeps the planner from
      // inlining the lookup into every nextval() call, which cost four times the nextval itself.
      const { rows } = await tx.execute<{ h: number | null; r: number }>(sql`
        SELECT CASE WHEN i <= ${newHouseholds}::int THEN nextval(h.seq) END AS h, nextval(r.seq) AS r
        FROM (SELECT pg_get_serial_sequence('households', 'id')::regclass AS seq OFFSET 0) h,
             (SELECT pg_get_serial_sequence('residents', 'id')::regclass AS seq OFFSET 0) r,
             generate_series(1, ${people.length}::int) AS i`);
      for (const row of rows) {
        if (row.h !== null) householdIds.push(Number(row.h));
        residentIds.push(Number(row.r));
      }
    }
    return new NewRecords(deps, keys, province, householdIds, residentIds, existing);
  }

  create(person: RowPerson): Known & { newHousehold: boolean } {
    const unitCode = person.unitCode as string;
    const key = person.householdCode ? `${unitCode}|${person.householdCode}` : null;
    let householdId = key ? this.householdByCode.get(key) : undefined;
    const newHousehold = householdId === undefined;
    if (householdId === undefined) {
      householdId = this.householdIds[this.nextHousehold++];
      if (householdId === undefined) throw new Error('no household id reserved');
      const poor = person.povertyStatus && person.povertyStatus !== 'none';
      this.households.push({
        id: householdId,
        unitCode,
        code: person.householdCode,
        address: person.street ?? 'Chưa rõ địa chỉ',
        poverty: person.povertyStatus ?? 'none',
        povertyYear: poor ? (person.povertyListYear ?? Number(this.deps.today().slice(0, 4))) : null,
      });
      if (key) this.householdByCode.set(key, householdId);
    }
    const id = this.residentIds[this.nextResident++];
    if (id === undefined) throw new Error('no resident id reserved');
    this.residents.push({ id, householdId, person, relation: person.relationToHead ?? (newHousehold ? 'head' : 'other') });
    return { id, unitCode, householdId, newHousehold };
  }

  /** The INSERTs of what create() decided, not yet sent (the households' must run first). */
  statements(tx: Tx): { households: PromiseLike<unknown> | null; residents: PromiseLike<unknown> | null } {
    const { province, keys } = this;
    const statements: { households: PromiseLike<unknown> | null; residents: PromiseLike<unknown> | null } = { households: null, residents: null };
    if (this.households.length > 0) {
      const h = this.households;
      statements.households = tx.execute(sql`
        INSERT INTO households (province_code, id, unit_code, household_code, address, poverty_status, poverty_list_year)
        OVERRIDING SYSTEM VALUE
        SELECT ${province}, * FROM unnest(${bigintArray(h.map((x) => x.id))}::bigint[], ${textArray(h.map((x) => x.unitCode))}::text[],
          ${textArray(h.map((x) => x.code))}::text[], ${textArray(h.map((x) => x.address))}::text[], ${textArray(h.map((x) => x.poverty))}::text[],
          ${bigintArray(h.map((x) => x.povertyYear))}::int[])`);
    }
    if (this.residents.length > 0) {
      const r = this.residents;
      const p = r.map((x) => x.person);
      statements.residents = tx.execute(sql`
        INSERT INTO residents (province_code, id, household_id, unit_code, full_name, name_folded, birth_date, birth_year, sex,
          citizen_id_hash, citizen_id_enc, citizen_id_last4, legacy_id_hash, legacy_id_enc, phone, phone_carrier, relation_to_head, residence_type)
        OVERRIDING SYSTEM VALUE
        SELECT ${province}, * FROM unnest(${bigintArray(r.map((x) => x.id))}::bigint[], ${bigintArray(r.map((x) => x.householdId))}::bigint[],
          ${textArray(p.map((x) => x.unitCode))}::text[], ${textArray(p.map((x) => x.fullName))}::text[],
          ${textArray(p.map((x) => keys.of(x).folded))}::text[], ${textArray(p.map((x) => x.birthDate))}::date[],
          ${bigintArray(p.map((x) => x.birthYear))}::int[], ${textArray(p.map((x) => x.sex))}::text[],
          ${textArray(p.map((x) => keys.of(x).citizen))}::text[], ${textArray(p.map((x) => keys.sealed(x).citizen))}::text[],
          ${textArray(p.map((x) => (x.citizenId ? x.citizenId.slice(-4) : null)))}::text[],
          ${textArray(p.map((x) => keys.of(x).legacy))}::text[], ${textArray(p.map((x) => keys.sealed(x).legacy))}::text[],
          ${textArray(p.map((x) => x.phone))}::text[], ${textArray(p.map((x) => x.phoneCarrier))}::text[],
          ${textArray(r.map((x) => x.relation))}::text[], ${textArray(p.map((x) => x.residenceType ?? 'permanent'))}::text[])`);
    }
    return statements;
  }

  /**
   * The households created, with their members and those members' facts, as the statements
   * write them: the figures count them from these (IndicatorChange.countCreated) rather than
   * read them back. `factsOf`: the facts the chunk states about a resident it created.
   */
  householdInputs(factsOf: (residentId: number) => readonly FactInput[]): HouseholdInput[] {
    const created = new Map<number, HouseholdInput & { members: ResidentInput[] }>();
    for (const h of this.households) {
      created.set(h.id, { id: h.id, unitCode: h.unitCode, neighbourhoodId: null, povertyStatus: h.poverty, povertyListYear: h.povertyYear, members: [] });
    }
    for (const r of this.residents) {
      created.get(r.householdId)?.members.push({
        id: r.id,
        unitCode: r.person.unitCode as string,
        neighbourhoodId: null,
        birthDate: r.person.birthDate,
        // A person without a birth year is never created: the INSERT refuses them.
        birthYear: r.person.birthYear as number,
        status: 'living',
        leftOn: null,
        facts: factsOf(r.id),
      });
    }
    return [...created.values()];
  }
}
