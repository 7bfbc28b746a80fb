import type { FieldVisit } from '@cds/contract';
import { factConflicts, facts, householdNeeds, residents, type Db } from '@cds/db';
import { checkIndicatorValue, foldVietnamese, normalisePersonName, normalisePhone, visitValues, type FieldActionName } from '@cds/domain';
import { and, eq, inArray } from 'drizzle-orm';
import { currentFacts } from '../registry/facts.queries.ts';

// What a stored visit leaves in the registry: people found at the door, a fact for every value
// that changes what the registry knows, a conflict wherever a newer fact says otherwise, and the
// household's needs. Runs inside the visit's transaction; nothing here decides who may send it.

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A visit the server will not store, with the reason the volunteer is shown. */
export class VisitRefusal extends Error {
  constructor(
    readonly code: 'CONTENT_MISMATCH' | 'NOT_ASSIGNED' | 'DEVICE_REVOKED' | 'APP_OUTDATED' | 'INVALID_VISIT',
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface VisitTarget {
  provinceCode: string;
  householdId: number;
  unitCode: string;
  /** Created by this visit: it had no figures before. */
  isNew: boolean;
}

export interface VisitCounters {
  membersPresent: number;
  peopleHelped: number;
  actionsDone: number;
  peopleFound: number;
}

export function countVisit(visit: FieldVisit): VisitCounters {
  const helped = [...visit.members, ...visit.newPeople].filter((p) => p.actions.length > 0).length;
  return {
    membersPresent: visit.members.filter((m) => m.present).length,
    peopleHelped: helped,
    actionsDone: [...visit.members, ...visit.newPeople].reduce((sum, p) => sum + p.actions.length, 0),
    peopleFound: visit.newPeople.length,
  };
}

/**
 * Without consent the household's personal data is not recorded (Decree 13/2023/ND-CP): the
 * visit's outcome, counts and needs are stored, what was seen of each person is dropped.
 */
export function withoutPersonalData(visit: FieldVisit): FieldVisit {
  return { ...visit, members: [], newPeople: [], needs: visit.needs.map(({ residentId: _r, ...need }) => need) };
}

/** Checks a visit against the household it names, before anything is written. */
export async function checkVisitAgainstHousehold(tx: Tx, target: VisitTarget, visit: FieldVisit): Promise<void> {
  const ids = [...new Set([...visit.members.map((m) => m.residentId), ...visit.needs.flatMap((n) => (n.residentId ? [n.residentId] : []))])];
  if (ids.length > 0) {
    const found = await tx
      .select({ id: residents.id, householdId: residents.householdId, mergedIntoId: residents.mergedIntoId })
      .from(residents)
      .where(and(eq(residents.provinceCode, target.provinceCode), inArray(residents.id, ids)));
    const ok = new Set(found.filter((r) => r.householdId === target.householdId && r.mergedIntoId === null).map((r) => r.id));
    const stray = ids.filter((id) => !ok.has(id));
    if (stray.length > 0) throw new VisitRefusal('INVALID_VISIT', `Nhân khẩu #${stray.join(', #')} không thuộc ${target.isNew ? 'hộ mới tìm thấy' : `hộ #${target.householdId}`} (hoặc đã được gộp); hãy tải lại danh sách hộ`);
  }
  const people = [...visit.members.map((m, i) => ({ at: `members[${i}]`, observed: m.observed })), ...visit.newPeople.map((p, i) => ({ at: `newPeople[${i}]`, observed: p.observed }))];
  for (const person of people) {
    for (const [indicator, value] of Object.entries(person.observed)) {
      const problem = checkIndicatorValue(indicator, value);
      if (problem) throw new VisitRefusal('INVALID_VISIT', `${person.at}.observed.${indicator}: ${problem}`);
    }
  }
  for (const [i, person] of visit.newPeople.entries()) {
    const phone = person.phone ? normalisePhone(person.phone) : null;
    if (phone && !phone.ok) throw new VisitRefusal('INVALID_VISIT', `newPeople[${i}].phone: ${phone.message}`);
    if (normalisePersonName(person.fullName).length < 2) throw new VisitRefusal('INVALID_VISIT', `newPeople[${i}].fullName: Họ tên quá ngắn`);
  }
}

interface PlannedFact {
  residentId: number;
  indicator: string;
  value: string;
  note: string | null;
  /** The current fact, observed after the visit, that states another value. */
  newerFactId: number | null;
}

export interface AppliedVisit {
  conflicts: number;
  factIds: number[];
}

/**
 * Writes what the visit found. `visitId` is the stored field_visits row; `observedOn` the visit's
 * day in Vietnam. The caller holds an IndicatorChange over the visit's household (a sync, over
 * every household of its batch), so the dashboard's ledger moves with these facts.
 */
export async function applyVisit(
  tx: Tx,
  target: VisitTarget,
  visit: FieldVisit,
  context: { visitId: number; clientVisitId: string; observedOn: string; senderId: number; today: string },
): Promise<AppliedVisit> {
  const memberIds = [...new Set(visit.members.map((m) => m.residentId))];
  const known = await currentFacts(tx as unknown as Db, target.provinceCode, memberIds);
  const planned: PlannedFact[] = [];
  for (const member of visit.members) {
    const current = known.get(member.residentId);
    const knownValues = Object.fromEntries([...(current ?? [])].map(([indicator, fact]) => [indicator, fact.value]));
    for (const [indicator, value] of visitValues(member.observed, member.actions as FieldActionName[], knownValues)) {
      const standing = current?.get(indicator as never);
      if (standing?.value === value) continue;
      planned.push({
        residentId: member.residentId,
        indicator,
        value,
        note: indicator === 'basic_skills_trained' && member.trainingTopic ? member.trainingTopic : null,
        newerFactId: standing && standing.observedOn > context.observedOn ? standing.id : null,
      });
    }
  }

  if (visit.newPeople.length > 0) {
    const created = await tx
      .insert(residents)
      .values(
        visit.newPeople.map((p) => {
          const name = normalisePersonName(p.fullName);
          const phone = p.phone ? normalisePhone(p.phone) : null;
          return {
            provinceCode: target.provinceCode,
            householdId: target.householdId,
            unitCode: target.unitCode,
            fullName: name,
            nameFolded: foldVietnamese(name),
            birthYear: p.birthYear,
            sex: p.sex,
            phone: phone?.ok ? phone.value : null,
            phoneCarrier: phone?.ok ? phone.carrier : null,
            relationToHead: p.relationToHead,
            residenceType: 'permanent' as const,
            foundByVisitId: context.visitId,
          };
        }),
      )
      .returning({ id: residents.id });
    for (const [i, person] of visit.newPeople.entries()) {
      const residentId = created[i]!.id;
      for (const [indicator, value] of visitValues(person.observed, person.actions as FieldActionName[])) {
        planned.push({ residentId, indicator, value, note: null, newerFactId: null });
      }
    }
  }

  let factIds: number[] = [];
  if (planned.length > 0) {
    const inserted = await tx
      .insert(facts)
      .values(
        planned.map((f) => ({
          provinceCode: target.provinceCode,
          residentId: f.residentId,
          indicator: f.indicator,
          value: f.value,
          sourceKind: 'visit' as const,
          sourceRef: `visit:${context.clientVisitId}`,
          statedBy: context.senderId,
          observedOn: context.observedOn,
          note: f.note,
        })),
      )
      .returning({ id: facts.id });
    factIds = inserted.map((r) => r.id);
  }

  // Both facts stay; an official decides which stands.
  const conflicts = planned.flatMap((f, i) => (f.newerFactId === null ? [] : [{ fact: f, factId: factIds[i]! }]));
  if (conflicts.length > 0) {
    await tx.insert(factConflicts).values(
      conflicts.map(({ fact, factId }) => ({
        provinceCode: target.provinceCode,
        residentId: fact.residentId,
        indicator: fact.indicator,
        visitId: context.visitId,
        visitFactId: factId,
        newerFactId: fact.newerFactId!,
        unitCode: target.unitCode,
      })),
    );
  }
  if (visit.needs.length > 0) {
    await tx.insert(householdNeeds).values(
      visit.needs.map((n) => ({
        provinceCode: target.provinceCode,
        householdId: target.householdId,
        residentId: n.residentId ?? null,
        kind: n.kind,
        detail: n.detail ?? null,
        visitId: context.visitId,
        unitCode: target.unitCode,
      })),
    );
  }
  return { conflicts: conflicts.length, factIds };
}
