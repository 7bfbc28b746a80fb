import type { SourceType } from '@cds/domain';
import { foldVietnamese } from '@cds/domain';
import { facts, households, importBatches, importRows, residents } from '@cds/db';
import { eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import type { Actor } from '../access/actor.ts';
import { may } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { RowOutcome, RowPerson } from './row-evaluation.ts';

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
type Final = { status: 'applied' | 'review' | 'rejected' | 'skipped'; reasons: string[]; residentId: number | null; unitCode: string | null; candidates: number[]; keepCells: boolean };

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
    const usable = records.flatMap((r) => (r.outcome.status === 'usable' ? [{ record: r, person: r.outcome.person }] : []));
    const byHash = await lookupByIds(tx, deps, province, usable.map((u) => u.person));
    const candidatesOf = await lookupCandidates(tx, province, usable.map((u) => u.person).filter((p) => !knownBy(byHash, deps, p)));
    const householdByCode = new Map<string, number>();
    const finals = new Map<number, Final>();
    const appliedIds: number[] = [];

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
      if (outcome.status === 'review') {
        const reasons = [...outcome.reasons, `Đơn vị có thể là: ${outcome.unitCandidates.join(', ')}`];
        finals.set(r.record, { status: 'review', reasons, residentId: null, unitCode: outcome.unitCandidates[0] ?? null, candidates: [], keepCells: true });
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
        known = await createResident(tx, deps, province, person, householdByCode);
        rememberIds(byHash, deps, person, known);
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
        known = await createResident(tx, deps, province, person, householdByCode);
        rememberIds(byHash, deps, person, known);
      } else if (!may.workInUnit(actor, known.unitCode)) {
        finals.set(r.record, { status: 'rejected', reasons: [OUT_OF_SCOPE], residentId: null, unitCode: known.unitCode, candidates: [], keepCells: true });
        continue;
      }
      for (const fact of outcome.facts) {
        await tx.insert(facts).values({
          provinceCode: province,
          residentId: known.id,
          indicator: fact.indicator,
          value: fact.value,
          sourceKind: 'import',
          sourceRef: `Nhập tệp ${batch.fileName} (lần nhập #${batch.batchId}), dòng ${r.record}`,
          statedBy: actor.userId,
          observedOn: today,
        });
      }
      if (batch.source === 'poverty_list' && person.povertyStatus) {
        await tx
          .update(households)
          .set({ povertyStatus: person.povertyStatus, povertyListYear: person.povertyListYear ?? Number(today.slice(0, 4)), updatedAt: new Date() })
          .where(sql`${households.provinceCode} = ${province} AND ${households.id} = ${known.householdId}`);
      }
      appliedIds.push(known.id);
      finals.set(r.record, { status: 'applied', reasons: [], residentId: known.id, unitCode: known.unitCode, candidates: [], keepCells: false });
    }

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
        })
        .where(eq(importBatches.id, batch.batchId));
    }
    await recordAudit(tx, actor, {
      action: 'import',
      recordType: 'resident',
      recordIds: appliedIds,
      unitCodes: rows.flatMap((row) => (row.unitCode ? [row.unitCode] : [])),
      detail: { batchId: batch.batchId, fromRecord: records[0]?.record ?? null, toRecord: last, ...counts },
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

async function lookupByIds(tx: Tx, deps: AppDeps, province: string, people: readonly RowPerson[]): Promise<Map<string, Known>> {
  const citizen = people.flatMap((p) => (p.citizenId ? [deps.vault.hash(p.citizenId)] : []));
  const legacy = people.flatMap((p) => (p.legacyId ? [deps.vault.hash(p.legacyId)] : []));
  const found = new Map<string, Known>();
  if (citizen.length === 0 && legacy.length === 0) return found;
  const { rows } = await tx.execute<{ id: number; unit_code: string; household_id: number; citizen_id_hash: string | null; legacy_id_hash: string | null }>(sql`
    SELECT r.id, r.unit_code, r.household_id, r.citizen_id_hash, r.legacy_id_hash
    FROM residents r
    WHERE r.province_code = ${province}
      AND (r.citizen_id_hash IN (SELECT unnest(${toTextArray(citizen)}::text[])) OR r.legacy_id_hash IN (SELECT unnest(${toTextArray(legacy)}::text[])))`);
  for (const row of rows) {
    const known = { id: row.id, unitCode: row.unit_code, householdId: row.household_id };
    if (row.citizen_id_hash) found.set(`c:${row.citizen_id_hash}`, known);
    if (row.legacy_id_hash) found.set(`l:${row.legacy_id_hash}`, known);
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
    JOIN unnest(${toTextArray(keyed.map((p) => foldVietnamese(p.fullName ?? '')))}::text[], ${`{${keyed.map((p) => p.birthYear).join(',')}}`}::int[]) AS k(name_folded, birth_year)
      ON r.name_folded = k.name_folded AND r.birth_year = k.birth_year
    WHERE r.province_code = ${province} AND r.status = 'living'`);
  for (const row of rows) {
    const key = `${row.name_folded}|${row.birth_year}`;
    const list = result.get(key) ?? [];
    if (!list.some((c) => c.id === row.id)) list.push({ id: row.id, unitCode: row.unit_code, birthDate: row.birth_date });
    result.set(key, list);
  }
  return result;
}

/** A Postgres text[] literal; every element quoted, so commas and quotes in names are safe. */
function toTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

async function createResident(tx: Tx, deps: AppDeps, province: string, person: RowPerson, householdByCode: Map<string, number>): Promise<Known> {
  const unitCode = person.unitCode as string;
  let householdId: number | undefined;
  let newHousehold = false;
  if (person.householdCode) {
    const key = `${unitCode}|${person.householdCode}`;
    householdId = householdByCode.get(key);
    if (householdId === undefined) {
      const [existing] = await tx
        .select({ id: households.id })
        .from(households)
        .where(sql`${households.unitCode} = ${unitCode} AND ${households.householdCode} = ${person.householdCode}`)
        .limit(1);
      householdId = existing?.id;
    }
  }
  if (householdId === undefined) {
    const [created] = await tx
      .insert(households)
      .values({
        provinceCode: province,
        unitCode,
        householdCode: person.householdCode,
        address: person.street ?? 'Chưa rõ địa chỉ',
        povertyStatus: person.povertyStatus ?? 'none',
        povertyListYear: person.povertyStatus && person.povertyStatus !== 'none' ? (person.povertyListYear ?? Number(deps.today().slice(0, 4))) : null,
      })
      .returning({ id: households.id });
    if (!created) throw new Error('household insert returned nothing');
    householdId = created.id;
    newHousehold = true;
  }
  if (person.householdCode) householdByCode.set(`${unitCode}|${person.householdCode}`, householdId);
  const name = person.fullName as string;
  const [row] = await tx
    .insert(residents)
    .values({
      provinceCode: province,
      householdId,
      unitCode,
      fullName: name,
      nameFolded: foldVietnamese(name),
      birthDate: person.birthDate,
      birthYear: person.birthYear as number,
      sex: person.sex,
      citizenIdHash: person.citizenId ? deps.vault.hash(person.citizenId) : null,
      citizenIdEnc: person.citizenId ? deps.vault.encrypt(person.citizenId) : null,
      citizenIdLast4: person.citizenId ? person.citizenId.slice(-4) : null,
      legacyIdHash: person.legacyId ? deps.vault.hash(person.legacyId) : null,
      legacyIdEnc: person.legacyId ? deps.vault.encrypt(person.legacyId) : null,
      phone: person.phone,
      phoneCarrier: person.phoneCarrier,
      relationToHead: person.relationToHead ?? (newHousehold ? 'head' : 'other'),
      residenceType: person.residenceType ?? 'permanent',
    })
    .returning({ id: residents.id });
  if (!row) throw new Error('resident insert returned nothing');
  return { id: row.id, unitCode, householdId };
}
