import { foldVietnamese, generateHouseholds, type SyntheticHousehold } from '@cds/domain';
import type pg from 'pg';
import type { PersonalDataVault } from '../../platform/personal-data-vault.ts';

export interface SeedUnit {
  code: string;
  name: string;
  type: 'phuong' | 'xa' | 'dac_khu';
  population?: number | null;
}

const RURAL_NEIGHBOURHOODS = Array.from({ length: 10 }, (_, i) => `Ấp ${i + 1}`);

export interface SeedOptions {
  people: number;
  seed: number;
  provinceCode: string;
  units: readonly SeedUnit[];
  today: string;
  /** Residents per transaction: large enough to amortise round trips, small enough that the embedded database's queue keeps serving the web server in between. */
  batchSize?: number;
  dryRun?: boolean;
  onProgress?: (residentsDone: number) => void;
}

export interface SeedResult {
  households: number;
  residents: number;
  facts: number;
}

export async function analyzeRegistry(pool: pg.Pool): Promise<void> {
  await pool.query('ANALYZE households, residents, facts, neighbourhoods');
}

/** Column arrays for one batch; unnest() turns them into rows in one statement per table. */
class Batch {
  households = { id: [] as number[], unit: [] as string[], neighbourhood: [] as (number | null)[], address: [] as string[], poverty: [] as string[], povertyYear: [] as (number | null)[] };
  residents = {
    id: [] as number[], household: [] as number[], unit: [] as string[], name: [] as string[], folded: [] as string[], birthDate: [] as string[], birthYear: [] as number[], sex: [] as string[],
    idHash: [] as (string | null)[], idEnc: [] as (string | null)[], idLast4: [] as (string | null)[], phone: [] as (string | null)[], carrier: [] as (string | null)[], relation: [] as string[], residence: [] as string[],
  };
  facts = { resident: [] as number[], indicator: [] as string[], value: [] as string[], observedOn: [] as string[] };
  size = 0;
}

async function reserveIds(client: pg.PoolClient, table: 'households' | 'residents', count: number): Promise<number[]> {
  const { rows } = await client.query<{ id: number }>(
    // OFFSET 0: the sequence is looked up once, not inlined into every nextval() call.
    `SELECT nextval(s.seq) AS id FROM (SELECT pg_get_serial_sequence('${table}', 'id')::regclass AS seq OFFSET 0) s, generate_series(1, $1)`,
    [count],
  );
  return rows.map((r) => r.id);
}

async function ensureNeighbourhoods(pool: pg.Pool, provinceCode: string, unitCode: string, names: Iterable<string>, known: Map<string, number>) {
  // In key order: two batches in flight may add the same new neighbourhoods at once, and two
  // inserts that take the unique key's locks in different orders deadlock (seen in the benchmark).
  const missing = [...names]
    .filter((name) => !known.has(`${unitCode}|${name}`))
    .map((name) => ({ name, folded: foldVietnamese(name) }))
    .sort((a, b) => (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0));
  if (missing.length === 0) return;
  await pool.query(
    `INSERT INTO neighbourhoods (province_code, unit_code, name, name_folded)
     SELECT $1, $2, n, f FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(n, f, i) ORDER BY i
     ON CONFLICT (unit_code, name_folded) WHERE merged_into IS NULL DO NOTHING`,
    [provinceCode, unitCode, missing.map((m) => m.name), missing.map((m) => m.folded)],
  );
  const { rows } = await pool.query<{ id: number; name: string }>(
    'SELECT id, name FROM neighbourhoods WHERE unit_code = $1 AND merged_into IS NULL',
    [unitCode],
  );
  for (const row of rows) known.set(`${unitCode}|${row.name}`, row.id);
}

/**
 * Streams a synthetic population into the registry in batches, one transaction per batch, so
 * memory stays flat for 14 million people and a failure loses at most the batch in flight.
 * Ids are reserved from the tables' own sequences first, so members and facts can name their
 * household and resident without a round trip per row.
 */
export async function seedPopulation(pool: pg.Pool, vault: PersonalDataVault, options: SeedOptions): Promise<SeedResult> {
  const batchSize = options.batchSize ?? 10_000;
  const result: SeedResult = { households: 0, residents: 0, facts: 0 };
  const neighbourhoodIds = new Map<string, number>();
  let pending: SyntheticHousehold[] = [];
  let pendingResidents = 0;

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingResidents = 0;
    if (options.dryRun) {
      for (const household of batch) {
        result.households++;
        result.residents += household.members.length;
        for (const member of household.members) result.facts += member.facts.length;
      }
      options.onProgress?.(result.residents);
      return;
    }
    const byUnit = new Map<string, Set<string>>();
    for (const household of batch) {
      let names = byUnit.get(household.unitCode);
      if (!names) byUnit.set(household.unitCode, (names = new Set()));
      names.add(household.neighbourhood);
    }
    for (const [unitCode, names] of byUnit) await ensureNeighbourhoods(pool, options.provinceCode, unitCode, names, neighbourhoodIds);

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const memberCount = batch.reduce((sum, h) => sum + h.members.length, 0);
      const householdIds = await reserveIds(client, 'households', batch.length);
      const residentIds = await reserveIds(client, 'residents', memberCount);
      const b = new Batch();
      let residentIndex = 0;
      batch.forEach((household, index) => {
        const householdId = householdIds[index] as number;
        const h = b.households;
        h.id.push(householdId);
        h.unit.push(household.unitCode);
        h.neighbourhood.push(neighbourhoodIds.get(`${household.unitCode}|${household.neighbourhood}`) ?? null);
        h.address.push(household.address);
        h.poverty.push(household.povertyStatus);
        h.povertyYear.push(household.povertyListYear);
        for (const member of household.members) {
          const residentId = residentIds[residentIndex++] as number;
          const r = b.residents;
          r.id.push(residentId);
          r.household.push(householdId);
          r.unit.push(household.unitCode);
          r.name.push(member.fullName);
          r.folded.push(foldVietnamese(member.fullName));
          r.birthDate.push(member.birthDate);
          r.birthYear.push(Number(member.birthDate.slice(0, 4)));
          r.sex.push(member.sex);
          r.idHash.push(member.citizenId ? vault.hash(member.citizenId) : null);
          r.idEnc.push(member.citizenId ? vault.encrypt(member.citizenId) : null);
          r.idLast4.push(member.citizenId ? member.citizenId.slice(-4) : null);
          r.phone.push(member.phone);
          r.carrier.push(member.phoneCarrier);
          r.relation.push(member.relationToHead);
          r.residence.push(member.residenceType);
          for (const fact of member.facts) {
            b.facts.resident.push(residentId);
            b.facts.indicator.push(fact.indicator);
            b.facts.value.push(fact.value);
            b.facts.observedOn.push(fact.observedOn);
          }
        }
      });
      // A second seed run may draw a number an earlier run already used; that synthetic person
      // simply goes without an ID rather than failing the batch on the unique index.
      // A join drives the unique index row by row; "= ANY(array)" of thousands of values does not.
      const taken = await client.query<{ h: string }>(
        `SELECT r.citizen_id_hash AS h FROM unnest($2::text[]) AS t(h)
         JOIN residents r ON r.province_code = $1 AND r.citizen_id_hash = t.h`,
        [options.provinceCode, b.residents.idHash.filter((x) => x !== null)],
      );
      if (taken.rows.length > 0) {
        const clash = new Set(taken.rows.map((row) => row.h));
        b.residents.idHash.forEach((hash, i) => {
          if (hash !== null && clash.has(hash)) b.residents.idHash[i] = b.residents.idEnc[i] = b.residents.idLast4[i] = null;
        });
      }
      const h = b.households;
      await client.query(
        `INSERT INTO households (province_code, id, unit_code, neighbourhood_id, address, poverty_status, poverty_list_year)
         OVERRIDING SYSTEM VALUE
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::int[])`,
        [options.provinceCode, h.id, h.unit, h.neighbourhood, h.address, h.poverty, h.povertyYear],
      );
      const r = b.residents;
      await client.query(
        `INSERT INTO residents (province_code, id, household_id, unit_code, full_name, name_folded, birth_date, birth_year, sex,
           citizen_id_hash, citizen_id_enc, citizen_id_last4, phone, phone_carrier, relation_to_head, residence_type)
         OVERRIDING SYSTEM VALUE
         SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::date[], $8::int[], $9::text[],
           $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])`,
        [options.provinceCode, r.id, r.household, r.unit, r.name, r.folded, r.birthDate, r.birthYear, r.sex, r.idHash, r.idEnc, r.idLast4, r.phone, r.carrier, r.relation, r.residence],
      );
      const f = b.facts;
      await client.query(
        `INSERT INTO facts (province_code, resident_id, indicator, value, source_kind, source_ref, observed_on)
         SELECT $1, t.resident_id, t.indicator, t.value, 'seed', 'bộ dân cư mẫu số ' || $6::text, t.observed_on
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::date[]) AS t(resident_id, indicator, value, observed_on)`,
        [options.provinceCode, f.resident, f.indicator, f.value, f.observedOn, String(options.seed)],
      );
      await client.query('COMMIT');
      result.households += batch.length;
      result.residents += memberCount;
      result.facts += f.resident.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    options.onProgress?.(result.residents);
  };

  // Two batches in flight on two connections: while the database writes one, this process
  // generates and encrypts the next, which keeps both of a small server's cores busy.
  const inFlight = new Set<Promise<void>>();
  let launched = 0;
  const launch = async () => {
    while (inFlight.size >= 2) await Promise.race(inFlight);
    // Fresh statistics before batches 1, 2, 3, 5, 9 …: PGlite has no autovacuum, and a plan made
    // while a table was small (foreign-key checks cache theirs for the session) goes on scanning
    // the whole table for every row as it grows; ANALYZE invalidates such plans.
    if (!options.dryRun && (launched & (launched - 1)) === 0) {
      await Promise.all(inFlight);
      await analyzeRegistry(pool);
    }
    launched++;
    const running = flush().finally(() => inFlight.delete(running));
    inFlight.add(running);
  };

  for (const household of generateHouseholds({
    people: options.people,
    seed: options.seed,
    // The generator speaks in citizen-ID prefixes: the province code written with three digits.
    provinceCode: options.provinceCode.padStart(3, '0'),
    today: options.today,
    units: options.units.map((u) => ({
      code: u.code,
      name: u.name,
      population: u.population ?? null,
      // Rural communes are divided into "ấp", wards and the special zone into "khu phố".
      ...(u.type === 'xa' ? { neighbourhoods: RURAL_NEIGHBOURHOODS } : {}),
    })),
  })) {
    pending.push(household);
    pendingResidents += household.members.length;
    if (pendingResidents >= batchSize) await launch();
  }
  await launch();
  await Promise.all(inFlight);
  if (!options.dryRun) await analyzeRegistry(pool);
  return result;
}

