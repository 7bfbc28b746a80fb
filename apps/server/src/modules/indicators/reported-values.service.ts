import type { PlanFile, ReportedValueView } from '@cds/contract';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findPlan } from './plans.service.ts';

/*
 * Figures a unit reports itself (dossiers filed online, cashless bill payment…). A unit official
 * saves a draft and submits it; city staff, one level up, approve or return it with a note. An
 * approved figure is what went upward, so it is locked (also by a trigger in the database), and
 * every step is kept with the figure as it stood, as the history.
 */

type Row = {
  id: number;
  plan_id: string;
  indicator_id: string;
  unit_code: string;
  unit_name: string;
  period: string;
  period_end: string;
  numerator: string | null;
  denominator: string | null;
  value: string;
  note: string | null;
  status: ReportedValueView['status'];
  updated_by: string | null;
  updated_at: Date;
};

const num = (v: string | null) => (v === null ? null : Number(v));

function present(row: Row): ReportedValueView {
  return {
    id: Number(row.id),
    planId: row.plan_id,
    indicatorId: row.indicator_id,
    unitCode: row.unit_code,
    unitName: row.unit_name,
    period: row.period,
    periodEnd: row.period_end,
    numerator: num(row.numerator),
    denominator: num(row.denominator),
    value: Number(row.value),
    note: row.note,
    status: row.status,
    updatedBy: row.updated_by,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

const SELECT = sql`SELECT r.id, r.plan_id, r.indicator_id, r.unit_code, u.name AS unit_name, r.period, r.period_end::text, r.numerator, r.denominator,
  r.value, r.note, r.status, us.username AS updated_by, r.updated_at
  FROM reported_values r JOIN units u ON u.code = r.unit_code LEFT JOIN users us ON us.id = r.updated_by`;

/** The first and last day of a period written 2026, 2026-Q3 or 2026-09. */
export function periodBounds(period: string): { start: string; end: string; kind: 'year' | 'quarter' | 'month' } {
  const year = Number(period.slice(0, 4));
  const lastDay = (month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  const quarter = /^\d{4}-Q([1-4])$/.exec(period);
  if (quarter) {
    const q = Number(quarter[1]);
    return { start: `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`, end: lastDay(q * 3), kind: 'quarter' };
  }
  const month = /^\d{4}-(\d{2})$/.exec(period);
  if (month) return { start: `${period}-01`, end: lastDay(Number(month[1])), kind: 'month' };
  return { start: `${year}-01-01`, end: `${year}-12-31`, kind: 'year' };
}

function reportedIndicator(plan: PlanFile, indicatorId: string) {
  const indicator = plan.indicators.find((i) => i.id === indicatorId);
  if (!indicator) throw invalid('body.indicatorId', `Kế hoạch không có chỉ tiêu "${indicatorId}"`);
  if (indicator.kind !== 'reported') throw invalid('body.indicatorId', 'Chỉ tiêu này được tính từ sổ đăng ký, không nhập tay');
  return indicator;
}

export async function unitOf(deps: AppDeps, actor: Actor, unitCode: string) {
  const { rows } = await deps.db.execute<{ province_code: string }>(sql`SELECT province_code FROM units WHERE code = ${unitCode}`);
  if (rows[0]?.province_code !== actor.provinceCode) throw invalid('body.unitCode', `Không có đơn vị ${unitCode}`);
}

export async function listReportedValues(
  deps: AppDeps,
  actor: Actor,
  planId: string,
  query: { unit?: string | undefined; indicator?: string | undefined; status?: ReportedValueView['status'] | undefined },
): Promise<ReportedValueView[]> {
  requireThat(may.readUnitAggregates(actor));
  await findPlan(deps, actor, planId);
  const { rows } = await deps.db.execute<Row>(sql`${SELECT}
    WHERE r.plan_id = ${planId} AND u.province_code = ${actor.provinceCode}
      ${query.unit ? sql`AND r.unit_code = ${query.unit}` : sql``}
      ${query.indicator ? sql`AND r.indicator_id = ${query.indicator}` : sql``}
      ${query.status ? sql`AND r.status = ${query.status}` : sql``}
    ORDER BY r.period_end DESC, r.indicator_id, r.unit_code LIMIT 500`);
  return rows.map(present);
}

async function findReportedValue(deps: AppDeps, actor: Actor, id: number): Promise<ReportedValueView> {
  const { rows } = await deps.db.execute<Row>(sql`${SELECT} WHERE r.id = ${id} AND u.province_code = ${actor.provinceCode}`);
  const row = rows[0];
  if (!row) throw new AppError('NOT_FOUND');
  return present(row);
}

export interface ReportedValueInput {
  indicatorId: string;
  unitCode: string;
  period: string;
  numerator?: number | null | undefined;
  denominator?: number | null | undefined;
  value?: number | null | undefined;
  note?: string | null | undefined;
}

/** Saves a unit's figure for a period as a draft: new, or changing a draft or a returned one. */
export async function saveReportedValue(deps: AppDeps, actor: Actor, planId: string, input: ReportedValueInput): Promise<ReportedValueView> {
  requireThat(may.reportUnitFigures(actor, input.unitCode));
  const plan = await findPlan(deps, actor, planId);
  const indicator = reportedIndicator(plan, input.indicatorId);
  await unitOf(deps, actor, input.unitCode);
  const bounds = periodBounds(input.period);
  if (bounds.kind !== indicator.period) {
    const example = { month: '2026-09', quarter: '2026-Q3', year: '2026' }[indicator.period];
    throw invalid('body.period', `Chỉ tiêu này báo cáo theo ${{ month: 'tháng', quarter: 'quý', year: 'năm' }[indicator.period]}, ví dụ ${example}`);
  }
  if (bounds.start > deps.today()) throw invalid('body.period', 'Kỳ báo cáo chưa bắt đầu');
  const share = input.numerator != null && input.denominator != null;
  if (share && indicator.unit !== 'percent') throw invalid('body.numerator', 'Chỉ tiêu đếm số lượng: nhập giá trị, không nhập tử số/mẫu số');
  const value = share ? (100 * input.numerator!) / input.denominator! : input.value!;
  if (indicator.unit === 'percent' && value > 100) throw invalid('body.value', 'Tỷ lệ không quá 100%');
  const id = await deps.db.transaction(async (tx) => {
    const { rows: existing } = await tx.execute<{ id: number; status: ReportedValueView['status'] }>(sql`
      SELECT id, status FROM reported_values
      WHERE plan_id = ${planId} AND indicator_id = ${input.indicatorId} AND unit_code = ${input.unitCode} AND period = ${input.period} FOR UPDATE`);
    const current = existing[0];
    if (current?.status === 'approved') throw new AppError('REPORT_LOCKED');
    if (current?.status === 'submitted') throw new AppError('REPORT_WRONG_STATE', undefined, 'Số liệu đã gửi duyệt; chờ phê duyệt hoặc trả lại rồi mới sửa');
    const numerator = share ? input.numerator! : null;
    const denominator = share ? input.denominator! : null;
    const { rows } = await tx.execute<{ id: number }>(sql`
      INSERT INTO reported_values (plan_id, indicator_id, unit_code, period, period_end, numerator, denominator, value, note, status, updated_by, updated_at)
      VALUES (${planId}, ${input.indicatorId}, ${input.unitCode}, ${input.period}, ${bounds.end}::date, ${numerator}, ${denominator}, ${value}, ${input.note ?? null}, 'draft', ${actor.userId}, now())
      ON CONFLICT (plan_id, indicator_id, unit_code, period) DO UPDATE SET
        numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, value = EXCLUDED.value, note = EXCLUDED.note,
        status = 'draft', updated_by = EXCLUDED.updated_by, updated_at = now()
      RETURNING id`);
    const saved = Number(rows[0]!.id);
    await tx.execute(sql`
      INSERT INTO reported_value_events (reported_value_id, action, numerator, denominator, value, note, by_user)
      VALUES (${saved}, 'save', ${numerator}, ${denominator}, ${value}, ${input.note ?? null}, ${actor.userId})`);
    await recordAudit(tx, actor, { action: 'save', recordType: 'reported_value', recordIds: [saved], unitCodes: [input.unitCode], fields: ['value'], detail: { planId, indicatorId: input.indicatorId, period: input.period } });
    return saved;
  });
  return findReportedValue(deps, actor, id);
}

const TRANSITIONS = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  return: { from: ['submitted'], to: 'returned' },
} as const;

/** Submit (the unit), approve or return (city staff, one level up). */
export async function decideReportedValue(deps: AppDeps, actor: Actor, id: number, action: keyof typeof TRANSITIONS, note: string | null): Promise<ReportedValueView> {
  const current = await findReportedValue(deps, actor, id);
  requireThat(action === 'submit' ? may.reportUnitFigures(actor, current.unitCode) : may.approveUnitFigures(actor));
  const step = TRANSITIONS[action];
  if (current.status === 'approved') throw new AppError('REPORT_LOCKED');
  if (!(step.from as readonly string[]).includes(current.status)) throw new AppError('REPORT_WRONG_STATE');
  if (action === 'return' && !note) throw invalid('body.note', 'Trả lại cần ghi lý do để đơn vị sửa');
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`UPDATE reported_values SET status = ${step.to}, updated_by = ${actor.userId}, updated_at = now() WHERE id = ${id}`);
    await tx.execute(sql`
      INSERT INTO reported_value_events (reported_value_id, action, numerator, denominator, value, note, by_user)
      VALUES (${id}, ${action}, ${current.numerator}, ${current.denominator}, ${current.value}, ${note}, ${actor.userId})`);
    await recordAudit(tx, actor, { action, recordType: 'reported_value', recordIds: [id], unitCodes: [current.unitCode], detail: { note } });
  });
  return findReportedValue(deps, actor, id);
}

export async function reportedValueHistory(deps: AppDeps, actor: Actor, id: number) {
  requireThat(may.readUnitAggregates(actor));
  const item = await findReportedValue(deps, actor, id);
  const { rows } = await deps.db.execute<{ action: 'save' | 'submit' | 'approve' | 'return'; numerator: string | null; denominator: string | null; value: string; note: string | null; by: string | null; at: Date }>(sql`
    SELECT e.action, e.numerator, e.denominator, e.value, e.note, u.username AS by, e.at
    FROM reported_value_events e LEFT JOIN users u ON u.id = e.by_user WHERE e.reported_value_id = ${id} ORDER BY e.id`);
  return {
    item,
    events: rows.map((e) => ({ action: e.action, numerator: num(e.numerator), denominator: num(e.denominator), value: Number(e.value), note: e.note, by: e.by, at: new Date(e.at).toISOString() })),
  };
}

/** A unit's own target for an indicator (a quota of the city's), or null to fall back to the plan's. */
