import type { FactView } from '@cds/contract';
import { checkIndicatorValue, isIndicator } from '@cds/domain';
import { facts } from '@cds/db';
import { and, eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { factHistory, withoutProvenance } from './facts.queries.ts';
import { findResidentInScope } from './residents.service.ts';
import { IndicatorChange } from '../indicators/indicator-ledger.ts';

export async function listResidentFacts(deps: AppDeps, actor: Actor, residentId: number): Promise<FactView[]> {
  const resident = await findResidentInScope(deps, actor, residentId);
  const items = await factHistory(deps.db, resident.provinceCode, residentId);
  await recordAudit(deps.db, actor, { action: 'read', recordType: 'resident', recordIds: [residentId], unitCodes: [resident.unitCode], fields: ['facts'] });
  return may.seeFactProvenance(actor) ? items : items.map(withoutProvenance);
}

export interface FactInput {
  indicator: string;
  value: string;
  observedOn: string;
  sourceKind: 'visit' | 'person';
  sourceRef?: string | null | undefined;
  correctsFactId?: number | null | undefined;
  note?: string | null | undefined;
}

/** Records what someone observed. Never updates a fact: a correction is a new fact naming the one it corrects. */
export async function recordResidentFact(deps: AppDeps, actor: Actor, residentId: number, input: FactInput): Promise<FactView> {
  const resident = await findResidentInScope(deps, actor, residentId);
  requireThat(may.recordFacts(actor));
  if (!isIndicator(input.indicator)) throw invalid('body.indicator', `Chỉ số "${input.indicator}" không tồn tại`);
  const problem = checkIndicatorValue(input.indicator, input.value);
  if (problem) throw invalid('body.value', problem);
  if (input.observedOn > deps.today()) throw invalid('body.observedOn', 'Ngày ghi nhận ở tương lai');
  if (input.correctsFactId != null) {
    const [corrected] = await deps.db
      .select({ indicator: facts.indicator })
      .from(facts)
      .where(
        and(
          eq(facts.provinceCode, resident.provinceCode),
          eq(facts.id, input.correctsFactId),
          // A fact of a record merged into this one shows in its history, so it may be corrected from here.
          sql`(${facts.residentId} = ${residentId} OR ${facts.residentId} IN
            (SELECT m.id FROM residents m WHERE m.province_code = ${resident.provinceCode} AND m.merged_into_id = ${residentId}))`,
        ),
      );
    if (!corrected) throw invalid('body.correctsFactId', 'Không có thông tin này ở nhân khẩu này');
    if (corrected.indicator !== input.indicator) throw invalid('body.correctsFactId', 'Thông tin được sửa phải cùng chỉ số');
  }
  const id = await deps.db.transaction(async (tx) => {
    const figures = await IndicatorChange.begin(tx, { provinceCode: resident.provinceCode, residentIds: [residentId] });
    const [created] = await tx
      .insert(facts)
      .values({
        provinceCode: resident.provinceCode,
        residentId,
        indicator: input.indicator,
        value: input.value,
        sourceKind: input.sourceKind,
        sourceRef: input.sourceRef ?? null,
        statedBy: actor.userId,
        observedOn: input.observedOn,
        correctsFactId: input.correctsFactId ?? null,
        note: input.note ?? null,
      })
      .returning({ id: facts.id });
    if (!created) throw new AppError('INTERNAL');
    await figures.commit(tx);
    await recordAudit(tx, actor, {
      action: 'create',
      recordType: 'resident',
      recordIds: [residentId],
      unitCodes: [resident.unitCode],
      fields: [`facts.${input.indicator}`],
      detail: { factId: created.id, correctsFactId: input.correctsFactId ?? null },
    });
    return created.id;
  });
  const history = await factHistory(deps.db, resident.provinceCode, residentId);
  const fact = history.find((f) => f.id === id);
  if (!fact) throw new AppError('INTERNAL');
  return fact;
}
