import type { SourceType } from '@cds/domain';
import { foldVietnamese } from '@cds/domain';
import { households, importBatches, importRows, residents, type ImportRowUndo } from '@cds/db';
import { eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';
import type { RowOrganisation, RowOutcome, RowPerson } from './row-evaluation.ts';

export interface EvaluatedRecord {
  record: number;
  cells: readonly string[];
  outcome: RowOutcome;
  /** A person's decision on a row held for review: this resident, or a new one. */
  decision?: { residentId: number } | { newPerson: true } | undefined;
}

export interface ApplyOptions {
  /** Re-applying rows already recorded (a fix or a decision): replace their outcome, recount the batch. */
  replace?: boolean;
  resolvedBy?: number;
}

interface BatchInfo {
  batchId: number;
  fileName: string;
  source: SourceType;
}

type Tx = Parameters<Parameters<AppDeps['db']['transaction']>[0]>[0];
type Final = {
  status: 'applied' | 'review' | 'rejected' | 'skipped';
  reasons: string[];
  residentId: number | null;
  unitCode: string | null;
  candidates: number[];
  keepCells: boolean;
  /** What the row did beyond facts, for its rollback (import-rollback.service.ts). */
  createdRecord?: boolean;
  createdHouseholdId?: number | null;
  organisationId?: number | null;
  undo?: ImportRowUndo | null;
};

interface Known {
  id: number;
  unitCode: string;
  householdId: number;
}

const OUT_OF_SCOPE = 'Nhân khẩu thuộc đơn vị ngoài phạm vi của tài khoản nhập';

/**
 * Matches and writes one chunk in one transaction, with the batch's progress mark: after a crash
 * either the whole chunk and its mark are there, or neither is.
 * Matching: the citizen ID's keyed hash first (the same ID in two rows is one resident); without
 * an ID match, people of the same folded name and birth year (and unit) are candidates, and the
 * row waits for a person to decide; it is never merged silently.
 */
export async function applyChunk(deps: AppDeps, actor: Actor, batch: BatchInfo, records: readonly EvaluatedRecord[], options: ApplyOptions = {}): Promise<void> {
  const province = actor.provinceCode;
  const today = deps.today();
  await deps.db.transaction(async (tx) => {
    // The batch row is the lock a rollback takes too: a chunk and a rollback of the same batch
    // never interleave, and a chunk that comes after a rollback stops here instead of writing.
    const { rows: locked } = await tx.execute<{ status: string }>(sql`SELECT status FROM import_batches WHERE id = ${batch.batchId} FOR UPDATE`);
    if (locked[0]?.status === 'rolled_back') throw new AppError('IMPORT_ROLLED_BACK');
    const usable = records.flatMap((r) => (r.outcome.status === 'usable' ? [{ record: r, person: r.outcome.person }] : []));
    const byHash = await lookupByIds(tx, deps, province, usable.map((u) => u.person));
    const candidatesOf = await lookupCandidates(tx, province, usable.map((u) => u.person).filter((p) => !knownBy(byHash, deps, p)));
    const byPhone =
      batch.source === 'telecom_2g' ? await lookupByPhones(tx, province, usable.map((u) => u.person).filter((p) => p.phone && !knownBy(byHash, deps, p))) : new Map<string, Known[]>();
    const plan = await NewRecords.prepare(tx, deps, province, batch.source === 'residence_list' ? usable.map((u) => u.person) : []);
    const newFacts: { residentId: number; indicator: string; value: string; record: number; observedOn: string }[] = [];
    const finals = new Map<number, Final>();
    const appliedIds: number[] = [];
    const created = new Map<number, { householdId: number | null }>();
    // Existing households that gain a member, and the households created, for the figures.
    const joinedHouseholds = new Set<number>();
    const newHouseholds: number[] = [];
    const create = (person: RowPerson, record: number): Known => {
      const made = plan.create(person);
      created.set(record, { householdId: made.newHousehold ? made.householdId : null });
      if (made.newHousehold) newHouseholds.push(made.householdId);
      else joinedHouseholds.add(made.householdId);
      return made;
    };
    const organisationRows = records.flatMap((r) => (r.outcome.status === 'organisation' ? [{ record: r, organisation: r.outcome.organisation }] : []));
    if (organisationRows.length > 0) {
      // A matched organisation only gains an address or tax code, which no figure reads; new ones join the count.
      const figures = await IndicatorChange.begin(tx, { provinceCode: province });
      const applied = await applyOrganisations(tx, actor, organisationRows);
      for (const [record, final] of applied) finals.set(record, final);
      await figures.commit(tx, { organisationIds: [...applied.values()].flatMap((f) => (f.createdRecord && f.organisationId ? [f.organisationId] : [])) });
    }
    const povertyChanges: { householdId: number; after: { poverty_status: 'poor' | 'near_poor' | 'none'; poverty_list_year: number } }[] = [];

    for (const r of records) {
      const outcome = r.outcome;
      if (outcome.status === 'skipped') {
        finals.set(r.record, { status: 'skipped', reasons: outcome.reasons, residentId: null, unitCode: null, candidates: [], keepCells: false });
        continue;
      }
      if (outcome.status === 'rejected') {
        finals.set(r.record, { status: 'rejected', reasons: outcome.reasons, residentId: null, unitCode: outcome.unitCode, candidates: [], keepCells: true });
        continue;
      }
      if (outcome.status === 'organisation') continue;
      if (outcome.status === 'review') {
        const reasons = [...outcome.reasons, `Đơn vị có thể là: ${outcome.unitCandidates.join(', ')}`];
        // No unit until a person chooses one: the first candidate would be a guess.
        finals.set(r.record, { status: 'review', reasons, residentId: null, unitCode: null, candidates: [], keepCells: true });
        continue;
      }
      const person = outcome.person;
      let known = knownBy(byHash, deps, person);
      const decision = r.decision;
      if (decision && 'residentId' in decision) {
        const [chosen] = await tx
          .select({ id: residents.id, unitCode: residents.unitCode, householdId: residents.householdId })
          .from(residents)
          .where(sql`${residents.provinceCode} = ${province} AND ${residents.id} = ${decision.residentId}`);
        known = chosen;
      }
      if (!known && decision && 'newPerson' in decision && batch.source === 'residence_list' && person.unitCode && may.workInUnit(actor, person.unitCode)) {
        known = create(person, r.record);
        rememberIds(byHash, deps, person, known);
      }
      if (!known && person.phone && byPhone.has(person.phone)) {
        const holders = byPhone.get(person.phone) ?? [];
        if (holders.length === 1) known = holders[0];
        else {
          finals.set(r.record, {
            status: 'review',
            reasons: [`Số điện thoại này thuộc ${holders.length} nhân khẩu trong sổ; cần cán bộ chọn người dùng máy`],
            residentId: null,
            unitCode: holders[0]?.unitCode ?? null,
            candidates: holders.map((h) => h.id),
            keepCells: true,
          });
          continue;
        }
      }
      if (!known) {
        const candidates = (candidatesOf.get(candidateKey(person)) ?? []).filter(
          (c) => (person.unitCode === null || c.unitCode === person.unitCode) && (!person.birthDate || !c.birthDate || c.birthDate === person.birthDate),
        );
        if (candidates.length > 0) {
          finals.set(r.record, {
            status: 'review',
            reasons: [`Có thể trùng với ${candidates.length} nhân khẩu đã có (cùng họ tên, năm sinh); cần cán bộ xác nhận`],
            residentId: null,
            unitCode: person.unitCode,
            candidates: candidates.map((c) => c.id),
            keepCells: true,
          });
          continue;
        }
        if (batch.source !== 'residence_list') {
          finals.set(r.record, { status: 'rejected', reasons: ['Không tìm thấy nhân khẩu này trong sổ; hãy nhập danh sách cư trú trước'], residentId: null, unitCode: person.unitCode, candidates: [], keepCells: true });
          continue;
        }
        if (!person.unitCode || !may.workInUnit(actor, person.unitCode)) {
          finals.set(r.record, { status: 'rejected', reasons: [OUT_OF_SCOPE], residentId: null, unitCode: person.unitCode, candidates: [], keepCells: true });
          continue;
        }
        known = create(person, r.record);
        rememberIds(byHash, deps, person, known);
      } else if (!may.workInUnit(actor, known.unitCode)) {
        finals.set(r.record, { status: 'rejected', reasons: [OUT_OF_SCOPE], residentId: null, unitCode: known.unitCode, candidates: [], keepCells: true });
        continue;
      }
      for (const fact of outcome.facts) {
        newFacts.push({ residentId: known.id, indicator: fact.indicator, value: fact.value, record: r.record, observedOn: fact.observedOn ?? today });
      }
      let undo: ImportRowUndo | null = null;
      if (batch.source === 'poverty_list' && person.povertyStatus) {
        // The list overwrites the household's classification: the values before are kept on the
        // row, so a rollback can put them back.
        const after = { poverty_status: person.povertyStatus, poverty_list_year: person.povertyListYear ?? Number(today.slice(0, 4)) };
        const [before] = await tx
          .select({ poverty_status: households.povertyStatus, poverty_list_year: households.povertyListYear })
          .from(households)
          .where(sql`${households.provinceCode} = ${province} AND ${households.id} = ${known.householdId}`)
          .for('update');
        // Written after the loop, once the figures have seen every household as it was.
        povertyChanges.push({ householdId: known.householdId, after });
        if (before) undo = { table: 'households', id: known.householdId, before, after };
      }
      appliedIds.push(known.id);
      const made = created.get(r.record);
      finals.set(r.record, {
        status: 'applied',
        reasons: [],
        residentId: known.id,
        unitCode: known.unitCode,
        candidates: [],
        keepCells: false,
        createdRecord: made !== undefined,
        createdHouseholdId: made?.householdId ?? null,
        undo,
      });
    }

    const figures = await IndicatorChange.begin(tx, {
      provinceCode: province,
      residentIds: appliedIds,
      householdIds: [...joinedHouseholds, ...povertyChanges.map((c) => c.householdId)],
    });
    for (const change of povertyChanges) {
      await tx
        .update(households)
        .set({ povertyStatus: change.after.poverty_status, povertyListYear: change.after.poverty_list_year, updatedAt: new Date() })
        .where(sql`${households.provinceCode} = ${province} AND ${households.id} = ${change.householdId}`);
    }
    // The people and households decided above, then their facts: one statement each per chunk.
    await plan.flush(tx);
    if (newFacts.length > 0) {
      await tx.execute(sql`
        INSERT INTO facts (province_code, resident_id, indicator, value, source_kind, source_ref, stated_by, observed_on, import_batch_id)
        SELECT ${province}, t.resident_id, t.indicator, t.value, 'import',
               ${`Nhập tệp ${batch.fileName} (lần nhập #${batch.batchId}), dòng `} || t.record, ${actor.userId}, t.observed_on, ${batch.batchId}::bigint
        FROM unnest(${bigintArray(newFacts.map((f) => f.residentId))}::bigint[], ${textArray(newFacts.map((f) => f.indicator))}::text[],
                    ${textArray(newFacts.map((f) => f.value))}::text[], ${bigintArray(newFacts.map((f) => f.record))}::int[],
                    ${textArray(newFacts.map((f) => f.observedOn))}::date[])
             AS t(resident_id, indicator, value, record, observed_on)`);
    }

    await figures.commit(tx, { householdIds: newHouseholds });

    const counts = { applied: 0, review: 0, rejected: 0, skipped: 0 };
    const rows = records.map((r) => {
      const final = finals.get(r.record) as Final;
      counts[final.status]++;
      return {
        provinceCode: province,
        batchId: batch.batchId,
        record: r.record,
        status: final.status,
        reasons: final.reasons,
        cells: final.keepCells ? [...r.cells] : null,
        residentId: final.residentId,
        unitCode: final.unitCode,
        candidates: final.candidates,
        createdRecord: final.createdRecord ?? false,
        createdHouseholdId: final.createdHouseholdId ?? null,
        organisationId: final.organisationId ?? null,
        undo: final.undo ?? null,
      };
    });
    const last = records.at(-1)?.record ?? 0;
    if (options.replace) {
      for (const row of rows) {
        await tx
          .insert(importRows)
          .values({ ...row, resolvedBy: options.resolvedBy ?? null, resolvedAt: new Date() })
          .onConflictDoUpdate({
            target: [importRows.batchId, importRows.record],
            set: {
              status: row.status,
              reasons: row.reasons,
              cells: row.cells,
              residentId: row.residentId,
              unitCode: row.unitCode,
              candidates: row.candidates,
              createdRecord: row.createdRecord,
              createdHouseholdId: row.createdHouseholdId,
              organisationId: row.organisationId,
              undo: row.undo,
              resolvedBy: options.resolvedBy ?? null,
              resolvedAt: new Date(),
            },
          });
      }
      // Counts follow the rows, whatever they were before the fix.
      await tx.execute(sql`
        UPDATE import_batches b SET
          applied = c.applied, review = c.review, rejected = c.rejected, skipped = c.skipped
        FROM (SELECT count(*) FILTER (WHERE status = 'applied')::int AS applied, count(*) FILTER (WHERE status = 'review')::int AS review,
                     count(*) FILTER (WHERE status = 'rejected')::int AS rejected, count(*) FILTER (WHERE status = 'skipped')::int AS skipped
              FROM import_rows WHERE batch_id = ${batch.batchId}) c
        WHERE b.id = ${batch.batchId}`);
    } else {
      if (rows.length > 0) await tx.insert(importRows).values(rows);
      await tx
        .update(importBatches)
        .set({
          lastRecord: sql`GREATEST(${importBatches.lastRecord}, ${last})`,
          applied: sql`${importBatches.applied} + ${counts.applied}`,
          review: sql`${importBatches.review} + ${counts.review}`,
          rejected: sql`${importBatches.rejected} + ${counts.rejected}`,
          skipped: sql`${importBatches.skipped} + ${counts.skipped}`,
          activeAt: sql`now()`,
        })
        .where(eq(importBatches.id, batch.batchId));
    }
    await recordAudit(tx, actor, {
      action: 'import',
      recordType: 'resident',
      recordIds: appliedIds,
      unitCodes: rows.flatMap((row) => (row.unitCode ? [row.unitCode] : [])),
      detail: {
        batchId: batch.batchId,
        fromRecord: records[0]?.record ?? null,
        toRecord: last,
        ...counts,
        ...(organisationRows.length > 0 ? { organisationIds: rows.flatMap((row) => (row.organisationId ? [row.organisationId] : [])) } : {}),
      },
    });
  });
}

function hashes(deps: AppDeps, person: RowPerson) {
  return {
    citizen: person.citizenId ? deps.vault.hash(person.citizenId) : null,
    legacy: person.legacyId ? deps.vault.hash(person.legacyId) : null,
  };
}

function knownBy(byHash: Map<string, Known>, deps: AppDeps, person: RowPerson): Known | undefined {
  const { citizen, legacy } = hashes(deps, person);
  return (citizen ? byHash.get(`c:${citizen}`) : undefined) ?? (legacy ? byHash.get(`l:${legacy}`) : undefined);
}

function rememberIds(byHash: Map<string, Known>, deps: AppDeps, person: RowPerson, known: Known) {
  const { citizen, legacy } = hashes(deps, person);
  if (citizen) byHash.set(`c:${citizen}`, known);
  if (legacy) byHash.set(`l:${legacy}`, known);
}

/**
 * A merged record usually gives its IDs to the record kept, but it keeps an old ID (CMND) when
 * the kept one has a different one: a row carrying it is the kept person, so it answers for them.
 */
async function lookupByIds(tx: Tx, deps: AppDeps, province: string, people: readonly RowPerson[]): Promise<Map<string, Known>> {
  const citizen = people.flatMap((p) => (p.citizenId ? [deps.vault.hash(p.citizenId)] : []));
  const legacy = people.flatMap((p) => (p.legacyId ? [deps.vault.hash(p.legacyId)] : []));
  const found = new Map<string, Known>();
  if (citizen.length === 0 && legacy.length === 0) return found;
  const { rows } = await tx.execute<{ id: number; unit_code: string; household_id: number; citizen_id_hash: string | null; legacy_id_hash: string | null }>(sql`
    SELECT COALESCE(k.id, r.id) AS id, COALESCE(k.unit_code, r.unit_code) AS unit_code,
      COALESCE(k.household_id, r.household_id) AS household_id, r.citizen_id_hash, r.legacy_id_hash
    FROM residents r
    LEFT JOIN residents k ON k.province_code = r.province_code AND k.id = r.merged_into_id
    WHERE r.province_code = ${province}
      AND (r.citizen_id_hash IN (SELECT unnest(${textArray(citizen)}::text[])) OR r.legacy_id_hash IN (SELECT unnest(${textArray(legacy)}::text[])))`);
  for (const row of rows) {
    const known = { id: row.id, unitCode: row.unit_code, householdId: row.household_id };
    if (row.citizen_id_hash) found.set(`c:${row.citizen_id_hash}`, known);
    if (row.legacy_id_hash) found.set(`l:${row.legacy_id_hash}`, known);
  }
  return found;
}

/** Living residents by phone number; a number shared in a family has several. */
async function lookupByPhones(tx: Tx, province: string, people: readonly RowPerson[]): Promise<Map<string, Known[]>> {
  const phones = [...new Set(people.flatMap((p) => (p.phone ? [p.phone] : [])))];
  const found = new Map<string, Known[]>();
  if (phones.length === 0) return found;
  const { rows } = await tx.execute<{ id: number; unit_code: string; household_id: number; phone: string }>(sql`
    SELECT r.id, r.unit_code, r.household_id, r.phone FROM residents r
    WHERE r.province_code = ${province} AND r.status = 'living' AND r.merged_into_id IS NULL
      AND r.phone IN (SELECT unnest(${textArray(phones)}::text[]))`);
  for (const row of rows) {
    const list = found.get(row.phone) ?? [];
    list.push({ id: row.id, unitCode: row.unit_code, householdId: row.household_id });
    found.set(row.phone, list);
  }
  return found;
}

interface Candidate {
  id: number;
  unitCode: string;
  birthDate: string | null;
}

const candidateKey = (person: RowPerson) => `${person.fullName ? foldVietnamese(person.fullName) : ''}|${person.birthYear ?? ''}`;

async function lookupCandidates(tx: Tx, province: string, people: readonly RowPerson[]): Promise<Map<string, Candidate[]>> {
  const keyed = people.filter((p) => p.fullName && p.birthYear !== null);
  const result = new Map<string, Candidate[]>();
  if (keyed.length === 0) return result;
  const { rows } = await tx.execute<{ id: number; unit_code: string; birth_date: string | null; name_folded: string; birth_year: number }>(sql`
    SELECT r.id, r.unit_code, r.birth_date, r.name_folded, r.birth_year
    FROM residents r
    JOIN unnest(${textArray(keyed.map((p) => foldVietnamese(p.fullName ?? '')))}::text[], ${`{${keyed.map((p) => p.birthYear).join(',')}}`}::int[]) AS k(name_folded, birth_year)
      ON r.name_folded = k.name_folded AND r.birth_year = k.birth_year
    -- A record merged into another is not a person of its own any more: match the one kept.
    WHERE r.province_code = ${province} AND r.status = 'living' AND r.merged_into_id IS NULL`);
  for (const row of rows) {
    const key = `${row.name_folded}|${row.birth_year}`;
    const list = result.get(key) ?? [];
    if (!list.some((c) => c.id === row.id)) list.push({ id: row.id, unitCode: row.unit_code, birthDate: row.birth_date });
    result.set(key, list);
  }
  return result;
}

/** A Postgres text[] literal; every element quoted, so commas and quotes in names are safe; null stays NULL. */
function textArray(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

function bigintArray(values: readonly (number | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
}

/**
 * New households and residents of one chunk. Ids are reserved from the tables' sequences up front
 * (an unused one is only a gap), so rows decided later in the chunk can name a person created
 * earlier in it, and everything is written with one INSERT per table.
 */
class NewRecords {
  private households: { id: number; unitCode: string; code: string | null; address: string; poverty: string; povertyYear: number | null }[] = [];
  private residents: { id: number; householdId: number; person: RowPerson; relation: string }[] = [];
  private readonly householdByCode: Map<string, number>;

  private constructor(
    private readonly deps: AppDeps,
    private readonly province: string,
    private readonly householdIds: number[],
    private readonly residentIds: number[],
    existingHouseholds: Map<string, number>,
  ) {
    this.householdByCode = existingHouseholds;
  }

  static async prepare(tx: Tx, deps: AppDeps, province: string, people: readonly RowPerson[]): Promise<NewRecords> {
    const reserve = async (table: 'households' | 'residents') =>
      people.length === 0
        ? []
        : (await tx.execute<{ id: number }>(sql`SELECT nextval(pg_get_serial_sequence(${table}, 'id')) AS id FROM generate_series(1, ${people.length})`)).rows.map((r) => Number(r.id));
    const coded = people.filter((p) => p.householdCode && p.unitCode);
    const existing = new Map<string, number>();
    if (coded.length > 0) {
      const { rows } = await tx.execute<{ id: number; unit_code: string; household_code: string }>(sql`
        SELECT h.id, h.unit_code, h.household_code FROM households h
        JOIN unnest(${textArray(coded.map((p) => p.unitCode))}::text[], ${textArray(coded.map((p) => p.householdCode))}::text[]) AS k(unit_code, code)
          ON h.unit_code = k.unit_code AND h.household_code = k.code
        WHERE h.province_code = ${province}`);
      for (const row of rows) existing.set(`${row.unit_code}|${row.household_code}`, row.id);
    }
    return new NewRecords(deps, province, await reserve('households'), await reserve('residents'), existing);
  }

  create(person: RowPerson): Known & { newHousehold: boolean } {
    const unitCode = person.unitCode as string;
    const key = person.householdCode ? `${unitCode}|${person.householdCode}` : null;
    let householdId = key ? this.householdByCode.get(key) : undefined;
    const newHousehold = householdId === undefined;
    if (householdId === undefined) {
      householdId = this.householdIds.shift();
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
    const id = this.residentIds.shift();
    if (id === undefined) throw new Error('no resident id reserved');
    this.residents.push({ id, householdId, person, relation: person.relationToHead ?? (newHousehold ? 'head' : 'other') });
    return { id, unitCode, householdId, newHousehold };
  }

  async flush(tx: Tx): Promise<void> {
    const { deps, province } = this;
    if (this.households.length > 0) {
      const h = this.households;
      await tx.execute(sql`
        INSERT INTO households (province_code, id, unit_code, household_code, address, poverty_status, poverty_list_year)
        OVERRIDING SYSTEM VALUE
        SELECT ${province}, * FROM unnest(${bigintArray(h.map((x) => x.id))}::bigint[], ${textArray(h.map((x) => x.unitCode))}::text[],
          ${textArray(h.map((x) => x.code))}::text[], ${textArray(h.map((x) => x.address))}::text[], ${textArray(h.map((x) => x.poverty))}::text[],
          ${bigintArray(h.map((x) => x.povertyYear))}::int[])`);
    }
    if (this.residents.length > 0) {
      const r = this.residents;
      const p = r.map((x) => x.person);
      const hash = (v: string | null) => (v ? deps.vault.hash(v) : null);
      const seal = (v: string | null) => (v ? deps.vault.encrypt(v) : null);
      await tx.execute(sql`
        INSERT INTO residents (province_code, id, household_id, unit_code, full_name, name_folded, birth_date, birth_year, sex,
          citizen_id_hash, citizen_id_enc, citizen_id_last4, legacy_id_hash, legacy_id_enc, phone, phone_carrier, relation_to_head, residence_type)
        OVERRIDING SYSTEM VALUE
        SELECT ${province}, * FROM unnest(${bigintArray(r.map((x) => x.id))}::bigint[], ${bigintArray(r.map((x) => x.householdId))}::bigint[],
          ${textArray(p.map((x) => x.unitCode))}::text[], ${textArray(p.map((x) => x.fullName))}::text[],
          ${textArray(p.map((x) => foldVietnamese(x.fullName ?? '')))}::text[], ${textArray(p.map((x) => x.birthDate))}::date[],
          ${bigintArray(p.map((x) => x.birthYear))}::int[], ${textArray(p.map((x) => x.sex))}::text[],
          ${textArray(p.map((x) => hash(x.citizenId)))}::text[], ${textArray(p.map((x) => seal(x.citizenId)))}::text[],
          ${textArray(p.map((x) => (x.citizenId ? x.citizenId.slice(-4) : null)))}::text[],
          ${textArray(p.map((x) => hash(x.legacyId)))}::text[], ${textArray(p.map((x) => seal(x.legacyId)))}::text[],
          ${textArray(p.map((x) => x.phone))}::text[], ${textArray(p.map((x) => x.phoneCarrier))}::text[],
          ${textArray(r.map((x) => x.relation))}::text[], ${textArray(p.map((x) => x.residenceType ?? 'permanent'))}::text[])`);
    }
    this.households = [];
    this.residents = [];
  }
}

interface KnownOrganisation {
  id: number;
  unitCode: string;
  name: string;
  nameFolded: string;
  taxCode: string | null;
  address: string | null;
}

/**
 * The rows of an organisation list. Matching: the tax code first (it names one taxpayer); a
 * registered body with the same tax code but another name waits for a person, as does a body of
 * the same name in the same unit without a tax code match: a likely match is never merged
 * silently. Unmatched bodies are created in the actor's area; a matched one only gains the
 * address it lacked, recorded on the row so a rollback can take it back.
 */
async function applyOrganisations(
  tx: Tx,
  actor: Actor,
  rows: readonly { record: EvaluatedRecord; organisation: RowOrganisation }[],
): Promise<Map<number, Final>> {
  const province = actor.provinceCode;
  const finals = new Map<number, Final>();
  const taxCodes = [...new Set(rows.flatMap((r) => (r.organisation.taxCode ? [r.organisation.taxCode] : [])))];
  const names = [...new Set(rows.map((r) => foldVietnamese(r.organisation.name)))];
  const { rows: found } = await tx.execute<{ id: number; unit_code: string; name: string; name_folded: string; tax_code: string | null; address: string | null }>(sql`
    SELECT id, unit_code, name, name_folded, tax_code, address FROM organisations
    WHERE province_code = ${province}
      AND (tax_code IN (SELECT unnest(${textArray(taxCodes)}::text[])) OR name_folded IN (SELECT unnest(${textArray(names)}::text[])))`);
  const byTax = new Map<string, KnownOrganisation>();
  const byName = new Map<string, KnownOrganisation[]>();
  const remember = (o: KnownOrganisation) => {
    if (o.taxCode) byTax.set(o.taxCode, o);
    byName.set(o.nameFolded, [...(byName.get(o.nameFolded) ?? []), o]);
  };
  for (const o of found) remember({ id: Number(o.id), unitCode: o.unit_code, name: o.name, nameFolded: o.name_folded, taxCode: o.tax_code, address: o.address });

  const review = (reasons: string[], unitCode: string, candidates: number[]): Final => ({ status: 'review', reasons, residentId: null, unitCode, candidates, keepCells: true });
  const rejected = (reasons: string[], unitCode: string | null): Final => ({ status: 'rejected', reasons, residentId: null, unitCode, candidates: [], keepCells: true });

  for (const { record, organisation: o } of rows) {
    const folded = foldVietnamese(o.name);
    const decision = record.decision;
    let known: KnownOrganisation | undefined;
    if (decision && 'residentId' in decision) {
      // On an organisation row the decision's id names an organisation (the candidates of the row).
      const [chosen] = (
        await tx.execute<{ id: number; unit_code: string; name: string; name_folded: string; tax_code: string | null; address: string | null }>(sql`
          SELECT id, unit_code, name, name_folded, tax_code, address FROM organisations WHERE province_code = ${province} AND id = ${decision.residentId}`)
      ).rows;
      if (chosen) known = { id: Number(chosen.id), unitCode: chosen.unit_code, name: chosen.name, nameFolded: chosen.name_folded, taxCode: chosen.tax_code, address: chosen.address };
    }
    const newBody = decision !== undefined && 'newPerson' in decision;
    if (!known && o.taxCode) {
      const sameTax = byTax.get(o.taxCode);
      if (sameTax && sameTax.nameFolded !== folded && !newBody) {
        finals.set(record.record, review([`Mã số thuế ${o.taxCode} đã có trong sổ với tên "${sameTax.name}"; cần cán bộ xác nhận là cùng tổ chức`], sameTax.unitCode, [sameTax.id]));
        continue;
      }
      if (sameTax && sameTax.nameFolded !== folded) {
        // A person said it is another body, but a tax code names one taxpayer: it cannot be registered twice.
        finals.set(record.record, rejected([`Mã số thuế ${o.taxCode} đã thuộc tổ chức "${sameTax.name}"; không thể đăng ký tổ chức khác cùng mã số thuế`], o.unitCode));
        continue;
      }
      known = sameTax;
    }
    if (!known && !newBody) {
      const sameName = (byName.get(folded) ?? []).filter((c) => c.unitCode === o.unitCode && (!o.taxCode || c.taxCode !== o.taxCode));
      if (sameName.length > 0) {
        finals.set(
          record.record,
          review([`Có thể trùng với ${sameName.length} tổ chức đã có (cùng tên, cùng phường/xã${o.taxCode ? ', khác hoặc chưa có mã số thuế' : ''}); cần cán bộ xác nhận`], o.unitCode, sameName.map((c) => c.id)),
        );
        continue;
      }
    }
    if (known) {
      if (!may.workInUnit(actor, known.unitCode)) {
        finals.set(record.record, rejected([OUT_OF_SCOPE_ORGANISATION], known.unitCode));
        continue;
      }
      // Only what the registry lacks is filled in; a value it holds is never overwritten by a list.
      const fill: { address?: string; tax_code?: string } = {};
      if (!known.address && o.address) fill.address = o.address;
      if (!known.taxCode && o.taxCode && !byTax.has(o.taxCode)) fill.tax_code = o.taxCode;
      let undo: ImportRowUndo | null = null;
      if (fill.address !== undefined || fill.tax_code !== undefined) {
        await tx.execute(sql`
          UPDATE organisations SET address = COALESCE(${fill.address ?? null}, address), tax_code = COALESCE(${fill.tax_code ?? null}, tax_code), updated_at = now()
          WHERE province_code = ${province} AND id = ${known.id}`);
        const before = Object.fromEntries(Object.keys(fill).map((k) => [k, null]));
        undo = { table: 'organisations', id: known.id, before, after: fill };
        if (fill.address) known.address = fill.address;
        if (fill.tax_code) {
          known.taxCode = fill.tax_code;
          byTax.set(fill.tax_code, known);
        }
      }
      finals.set(record.record, { status: 'applied', reasons: [], residentId: null, unitCode: known.unitCode, candidates: [], keepCells: false, organisationId: known.id, undo });
      continue;
    }
    if (!may.workInUnit(actor, o.unitCode)) {
      finals.set(record.record, rejected([OUT_OF_SCOPE_ORGANISATION], o.unitCode));
      continue;
    }
    const { rows: inserted } = await tx.execute<{ id: number }>(sql`
      INSERT INTO organisations (province_code, unit_code, name, name_folded, kind, tax_code, address)
      VALUES (${province}, ${o.unitCode}, ${o.name}, ${folded}, ${o.kind}, ${o.taxCode}, ${o.address}) RETURNING id`);
    const id = Number(inserted[0]?.id);
    // Later rows of the chunk with the same tax code or name find the body just created.
    remember({ id, unitCode: o.unitCode, name: o.name, nameFolded: folded, taxCode: o.taxCode, address: o.address });
    finals.set(record.record, { status: 'applied', reasons: [], residentId: null, unitCode: o.unitCode, candidates: [], keepCells: false, organisationId: id, createdRecord: true });
  }
  return finals;
}

const OUT_OF_SCOPE_ORGANISATION = 'Tổ chức thuộc đơn vị ngoài phạm vi của tài khoản nhập';
