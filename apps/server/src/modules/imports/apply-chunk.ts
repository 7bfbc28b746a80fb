import type { FactInput, SourceType } from '@cds/domain';
import { households, residents, type ImportRowUndo } from '@cds/db';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { sendNow } from '../../platform/send-now.ts';
import type { Actor } from '../access/actor.ts';
import { may } from '../access/policy.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';
import { applyOrganisations } from './apply-organisations.ts';
import { PersonKeys, bigintArray, lookupByIds, lookupByPhones, lookupCandidates, textArray, type Known } from './chunk-lookups.ts';
import { NewRecords } from './new-records.ts';
import type { RowOutcome, RowPerson } from './row-evaluation.ts';
import { prepareOutcomes, type Final } from './row-outcomes.ts';

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
  /** The chunk's matching keys, if the caller computed them ahead (PersonKeys.warm). */
  keys?: PersonKeys;
}

interface BatchInfo {
  batchId: number;
  fileName: string;
  source: SourceType;
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
    const keys = options.keys ?? new PersonKeys(deps);
    const byIds = await lookupByIds(tx, keys, province, usable.map((u) => u.person));
    const unknown = usable.map((u) => u.person).filter((p) => !byIds.get(p));
    const lookAlikes = await lookupCandidates(tx, keys, province, unknown);
    const byPhone = batch.source === 'telecom_2g' ? await lookupByPhones(tx, province, unknown.filter((p) => p.phone)) : new Map<string, Known[]>();
    // Only a person no ID matched can be created (a decision for a new person included).
    const plan = await NewRecords.prepare(tx, deps, keys, province, batch.source === 'residence_list' ? unknown : []);
    const newFacts: { residentId: number; indicator: string; value: string; record: number; observedOn: string }[] = [];
    const finals = new Map<number, Final>();
    const appliedIds: number[] = [];
    const created = new Map<number, { householdId: number | null }>();
    const createdIds = new Set<number>();
    // Existing households that gain a member, for the figures.
    const joinedHouseholds = new Set<number>();
    const create = (person: RowPerson, record: number): Known => {
      const made = plan.create(person);
      created.set(record, { householdId: made.newHousehold ? made.householdId : null });
      createdIds.add(made.id);
      if (!made.newHousehold) joinedHouseholds.add(made.householdId);
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
      let known = byIds.get(person);
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
        byIds.remember(person, known);
        lookAlikes.remember(person, known);
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
        const candidates = lookAlikes.of(person);
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
        byIds.remember(person, known);
        lookAlikes.remember(person, known);
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
      // A person created here counts with their household: a new one through countCreated()
      // below, an existing one they join is declared here.
      residentIds: appliedIds.filter((id) => !createdIds.has(id)),
      householdIds: [...joinedHouseholds, ...povertyChanges.map((c) => c.householdId)],
    });
    for (const change of povertyChanges) {
      await tx
        .update(households)
        .set({ povertyStatus: change.after.poverty_status, povertyListYear: change.after.poverty_list_year, updatedAt: new Date() })
        .where(sql`${households.provinceCode} = ${province} AND ${households.id} = ${change.householdId}`);
    }
    // The people and households decided above, one INSERT per table. The residents' INSERT, the
    // chunk's biggest statement, runs while this process builds the outcome rows and counts the
    // new households for the figures.
    const writes = plan.statements(tx);
    if (writes.households) await writes.households;
    const running = writes.residents ? sendNow(writes.residents) : Promise.resolve();
    let writeOutcomes: () => Promise<void>;
    try {
      writeOutcomes = prepareOutcomes(tx, actor, province, {
        batchId: batch.batchId,
        records,
        finals,
        appliedIds,
        withOrganisations: organisationRows.length > 0,
        replace: options.replace ? { resolvedBy: options.resolvedBy ?? null } : undefined,
      });
      // The facts stated about the people created, numbered as the facts' INSERT below numbers them.
      const factsOf = new Map<number, FactInput[]>();
      newFacts.forEach((f, order) => {
        if (!createdIds.has(f.residentId)) return;
        const list = factsOf.get(f.residentId) ?? [];
        list.push({ id: order, indicator: f.indicator, value: f.value, observedOn: f.observedOn, correctsFactId: null });
        factsOf.set(f.residentId, list);
      });
      figures.countCreated(plan.householdInputs((id) => factsOf.get(id) ?? []));
    } finally {
      await running;
    }
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
    await figures.commit(tx);
    await writeOutcomes();
  });
}
