import { foldVietnamese } from '@cds/domain';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import type { RowOutcome, RowPerson } from './row-evaluation.ts';

// What one chunk needs to know from the registry before it decides any row: one set-based query
// per kind of match, whatever the chunk's size.
//
// Each query probes the index once per key: a LATERAL subquery that OFFSET 0 keeps from being
// flattened into a join. As a plain join (or `= ANY(array)`) the planner, which expects each of a
// chunk's 2,000 keys to match a row, prices a scan of the whole table as cheaper, and the
// registry was read end to end for every chunk: 90 ms per chunk at 200,000 residents, growing
// with the table.

export type Tx = Parameters<Parameters<AppDeps['db']['transaction']>[0]>[0];

export interface Known {
  id: number;
  unitCode: string;
  householdId: number;
}

export interface Candidate {
  id: number;
  unitCode: string;
  birthDate: string | null;
}

/**
 * A person's matching keys, computed once per chunk: the HMAC of an ID and the folded name are
 * asked for by every lookup and again when the row is decided and written, and both cost more
 * than the map lookups around them. The sealed (encrypted) IDs of a person who may be created
 * are kept here too, so that the chunk's transaction does not wait on the cipher.
 */
export class PersonKeys {
  private readonly cache = new Map<RowPerson, { citizen: string | null; legacy: string | null; folded: string }>();
  private readonly sealedIds = new Map<RowPerson, { citizen: string | null; legacy: string | null }>();

  constructor(private readonly deps: AppDeps) {}

  /**
   * Computes the keys of a chunk's people ahead, while the previous chunk is being written;
   * `seal`: also their sealed IDs, for a list that creates people (most of whom are new).
   */
  warm(records: readonly { outcome: RowOutcome }[], options: { seal?: boolean } = {}): this {
    for (const r of records) {
      if (r.outcome.status !== 'usable') continue;
      this.of(r.outcome.person);
      if (options.seal) this.sealed(r.outcome.person);
    }
    return this;
  }

  of(person: RowPerson) {
    let keys = this.cache.get(person);
    if (!keys) {
      keys = {
        citizen: person.citizenId ? this.deps.vault.hash(person.citizenId) : null,
        legacy: person.legacyId ? this.deps.vault.hash(person.legacyId) : null,
        folded: person.fullName ? foldVietnamese(person.fullName) : '',
      };
      this.cache.set(person, keys);
    }
    return keys;
  }

  sealed(person: RowPerson) {
    let sealed = this.sealedIds.get(person);
    if (!sealed) {
      const { vault } = this.deps;
      sealed = { citizen: person.citizenId ? vault.encrypt(person.citizenId) : null, legacy: person.legacyId ? vault.encrypt(person.legacyId) : null };
      this.sealedIds.set(person, sealed);
    }
    return sealed;
  }
}

/** Residents already matched by an ID hash, in the chunk and before it: `c:<hash>` or `l:<hash>`. */
export class KnownByIds {
  constructor(
    private readonly keys: PersonKeys,
    private readonly byHash: Map<string, Known>,
  ) {}

  get(person: RowPerson): Known | undefined {
    const { citizen, legacy } = this.keys.of(person);
    return (citizen ? this.byHash.get(`c:${citizen}`) : undefined) ?? (legacy ? this.byHash.get(`l:${legacy}`) : undefined);
  }

  /** A person created in this chunk: a later row with the same ID is them. */
  remember(person: RowPerson, known: Known): void {
    const { citizen, legacy } = this.keys.of(person);
    if (citizen) this.byHash.set(`c:${citizen}`, known);
    if (legacy) this.byHash.set(`l:${legacy}`, known);
  }
}

/**
 * A merged record usually gives its IDs to the record kept, but it keeps an old ID (CMND) when
 * the kept one has a different one: a row carrying it is the kept person, so it answers for them.
 */
export async function lookupByIds(tx: Tx, keys: PersonKeys, province: string, people: readonly RowPerson[]): Promise<KnownByIds> {
  const citizen = [...new Set(people.flatMap((p) => keys.of(p).citizen ?? []))].sort();
  const legacy = [...new Set(people.flatMap((p) => keys.of(p).legacy ?? []))].sort();
  const found = new Map<string, Known>();
  if (citizen.length > 0 || legacy.length > 0) {
    // Two arms rather than one OR, each probing its own index.
    const { rows } = await tx.execute<{ id: number; unit_code: string; household_id: number; citizen_id_hash: string | null; legacy_id_hash: string | null }>(sql`
      WITH matched AS (
        SELECT r.* FROM unnest(${textArray(citizen)}::text[]) AS h(hash)
        CROSS JOIN LATERAL (SELECT * FROM residents r WHERE r.province_code = ${province} AND r.citizen_id_hash = h.hash OFFSET 0) r
        UNION ALL
        SELECT r.* FROM unnest(${textArray(legacy)}::text[]) AS h(hash)
        CROSS JOIN LATERAL (SELECT * FROM residents r WHERE r.province_code = ${province} AND r.legacy_id_hash = h.hash OFFSET 0) r)
      SELECT COALESCE(k.id, r.id) AS id, COALESCE(k.unit_code, r.unit_code) AS unit_code,
        COALESCE(k.household_id, r.household_id) AS household_id, r.citizen_id_hash, r.legacy_id_hash
      FROM matched r
      LEFT JOIN residents k ON k.province_code = r.province_code AND k.id = r.merged_into_id`);
    for (const row of rows) {
      const known = { id: Number(row.id), unitCode: row.unit_code, householdId: Number(row.household_id) };
      if (row.citizen_id_hash) found.set(`c:${row.citizen_id_hash}`, known);
      if (row.legacy_id_hash) found.set(`l:${row.legacy_id_hash}`, known);
    }
  }
  return new KnownByIds(keys, found);
}

/** Living residents by phone number; a number shared in a family has several. */
export async function lookupByPhones(tx: Tx, province: string, people: readonly RowPerson[]): Promise<Map<string, Known[]>> {
  const phones = [...new Set(people.flatMap((p) => (p.phone ? [p.phone] : [])))];
  const found = new Map<string, Known[]>();
  if (phones.length === 0) return found;
  const { rows } = await tx.execute<{ id: number; unit_code: string; household_id: number; phone: string }>(sql`
    SELECT r.id, r.unit_code, r.household_id, r.phone FROM unnest(${textArray(phones)}::text[]) AS k(phone)
    CROSS JOIN LATERAL (
      SELECT * FROM residents r WHERE r.province_code = ${province} AND r.phone = k.phone AND r.status = 'living' AND r.merged_into_id IS NULL OFFSET 0) r`);
  for (const row of rows) {
    const list = found.get(row.phone) ?? [];
    list.push({ id: Number(row.id), unitCode: row.unit_code, householdId: Number(row.household_id) });
    found.set(row.phone, list);
  }
  return found;
}

/**
 * Look-alikes: living people of the same folded name and birth year, in the row's unit when the
 * row names one (anywhere in the province when it does not), of the same birth date when both
 * have one. The unit is part of the query, not a filter afterwards: a common name born in a
 * common year has thousands of namesakes across a city of millions, and fetching them all for
 * every row made each chunk slower as the registry grew.
 */
export async function lookupCandidates(tx: Tx, keys: PersonKeys, province: string, people: readonly RowPerson[]): Promise<LookAlikes> {
  const keyed = people.filter((p) => p.fullName && p.birthYear !== null);
  const inUnit = new Map<string, { name: string; year: number; unit: string }>();
  const anywhere = new Map<string, { name: string; year: number }>();
  for (const p of keyed) {
    const name = keys.of(p).folded;
    const year = p.birthYear as number;
    if (p.unitCode !== null) inUnit.set(`${name}|${year}|${p.unitCode}`, { name, year, unit: p.unitCode });
    else anywhere.set(`${name}|${year}`, { name, year });
  }
  const found = new Map<string, Candidate[]>();
  const add = (key: string, row: { id: number; unit_code: string; birth_date: string | null }) => {
    const list = found.get(key) ?? [];
    const id = Number(row.id);
    if (!list.some((c) => c.id === id)) list.push({ id, unitCode: row.unit_code, birthDate: row.birth_date });
    found.set(key, list);
  };
  if (inUnit.size > 0) {
    // In index order: neighbouring keys share index pages, which are then read once per chunk.
    const k = [...inUnit.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, key]) => key);
    const { rows } = await tx.execute<{ id: number; unit_code: string; birth_date: string | null; name_folded: string; birth_year: number }>(sql`
      SELECT r.id, r.unit_code, r.birth_date::text, r.name_folded, r.birth_year
      FROM unnest(${textArray(k.map((x) => x.name))}::text[], ${bigintArray(k.map((x) => x.year))}::int[], ${textArray(k.map((x) => x.unit))}::text[]) AS k(name_folded, birth_year, unit_code)
      CROSS JOIN LATERAL (
        SELECT * FROM residents r
        WHERE r.province_code = ${province} AND r.name_folded = k.name_folded AND r.birth_year = k.birth_year AND r.unit_code = k.unit_code
          -- A record merged into another is not a person of its own any more: match the one kept.
          AND r.status = 'living' AND r.merged_into_id IS NULL
        OFFSET 0) r`);
    for (const row of rows) add(`${row.name_folded}|${row.birth_year}|${row.unit_code}`, row);
  }
  if (anywhere.size > 0) {
    const k = [...anywhere.values()];
    const { rows } = await tx.execute<{ id: number; unit_code: string; birth_date: string | null; name_folded: string; birth_year: number }>(sql`
      SELECT r.id, r.unit_code, r.birth_date::text, r.name_folded, r.birth_year
      FROM unnest(${textArray(k.map((x) => x.name))}::text[], ${bigintArray(k.map((x) => x.year))}::int[]) AS k(name_folded, birth_year)
      CROSS JOIN LATERAL (
        SELECT * FROM residents r
        WHERE r.province_code = ${province} AND r.name_folded = k.name_folded AND r.birth_year = k.birth_year AND r.status = 'living' AND r.merged_into_id IS NULL
        OFFSET 0) r`);
    for (const row of rows) add(`${row.name_folded}|${row.birth_year}`, row);
  }
  return new LookAlikes(keys, found);
}

/** The look-alikes of a chunk's people: those in the registry, and those the chunk creates. */
export class LookAlikes {
  constructor(
    private readonly keys: PersonKeys,
    private readonly found: Map<string, Candidate[]>,
  ) {}

  of(person: RowPerson): Candidate[] {
    if (!person.fullName || person.birthYear === null) return [];
    const name = this.keys.of(person).folded;
    const list = this.found.get(person.unitCode === null ? `${name}|${person.birthYear}` : `${name}|${person.birthYear}|${person.unitCode}`) ?? [];
    return list.filter((c) => !person.birthDate || !c.birthDate || c.birthDate === person.birthDate);
  }

  /**
   * A person created in this chunk: a later row that resembles them waits for review, as it
   * would if they had been created by an earlier chunk. A row's outcome must not depend on
   * where the chunks happen to end.
   */
  remember(person: RowPerson, known: Known): void {
    if (!person.fullName || person.birthYear === null) return;
    const name = this.keys.of(person).folded;
    const candidate = { id: known.id, unitCode: known.unitCode, birthDate: person.birthDate };
    for (const key of [`${name}|${person.birthYear}|${known.unitCode}`, `${name}|${person.birthYear}`]) {
      const list = this.found.get(key) ?? [];
      list.push(candidate);
      this.found.set(key, list);
    }
  }
}

const NEEDS_QUOTING = /["\\]/u;

/** A Postgres text[] literal; every element quoted, so commas and quotes in names are safe; null stays NULL. */
export function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else out += `"${NEEDS_QUOTING.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : v}"`;
  }
  return `${out}}`;
}

export function bigintArray(values: readonly (number | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
}
