import { FormulaError, POPULATIONS, formulaRefs, measuresOf, parseFormula, type Population } from '@cds/domain';
import { z } from 'zod';

/*
 * Plans are data files (content/plans/*.yaml) checked against this schema when they load, so a
 * city can add or change a plan without code changes and a mistake is named with its path.
 */

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'Chỉ chữ thường không dấu, số và gạch nối');
const Day = z.iso.date({ error: 'Ngày phải viết YYYY-MM-DD' });

const IndicatorBase = z.object({
  id: Slug,
  /** The indicator as the plan words it, in Vietnamese. */
  name: z.string().min(3),
  /** The phase whose deadline the target is due by. */
  phase: Slug,
  /** Percentage (0–100) for ratios, a count for counts. */
  target: z.number().min(0),
  /** at_least: the figure must reach the target; at_most: it must fall to it (e.g. 2G-only phones). */
  direction: z.enum(['at_least', 'at_most']).default('at_least'),
  /** The plan's own words, a range it gives ("15–20%"), or how the figure is read. */
  note: z.string().optional(),
  /** Whom the plan names as responsible. */
  lead: z.string().optional(),
});

const ComputedIndicator = IndicatorBase.extend({
  kind: z.literal('computed'),
  population: z.enum(POPULATIONS),
  /** Counted within the population; without it the indicator counts the population itself. */
  measure: z.string().optional(),
  /** ratio: measure / population as a percentage; count: the number of subjects with the measure. */
  unit: z.enum(['percent', 'count']).default('percent'),
});

const ReportedIndicator = IndicatorBase.extend({
  kind: z.literal('reported'),
  period: z.enum(['month', 'quarter', 'year']),
  unit: z.enum(['percent', 'count']).default('percent'),
});

const DerivedIndicator = IndicatorBase.extend({
  kind: z.literal('derived'),
  /** Arithmetic over other indicators' ids: + - * / ( ), min(…), max(…), mean(…). */
  formula: z.string().min(1),
  unit: z.enum(['percent', 'count']).default('percent'),
});

export const PlanIndicatorDefinition = z.discriminatedUnion('kind', [ComputedIndicator, ReportedIndicator, DerivedIndicator]);
export type PlanIndicatorDefinition = z.infer<typeof PlanIndicatorDefinition>;

export const PlanFile = z
  .object({
    id: Slug,
    name: z.string().min(3),
    /** Who issued it, and the document's number and date. */
    issuer: z.string().min(2),
    /** The province (its two-digit code) that issued the plan for itself; a national plan has none and binds every province. */
    province: z.string().regex(/^\d{2}$/, 'Mã tỉnh, thành phố gồm 2 chữ số, ví dụ "79"').optional(),
    document: z.string().optional(),
    summary: z.string().optional(),
    phases: z
      .array(z.object({ id: Slug, name: z.string().min(3), deadline: Day }))
      .min(1),
    /** A plan organised as key tasks (the national 2022 plan's 18): each with who leads and who helps. */
    tasks: z
      .array(
        z.object({
          id: Slug,
          name: z.string().min(3),
          lead: z.string().min(2),
          coordinating: z.array(z.string().min(2)).default([]),
          indicators: z.array(Slug).default([]),
        }),
      )
      .default([]),
    indicators: z.array(PlanIndicatorDefinition).min(1),
  })
  .superRefine((plan, ctx) => {
    const phases = new Set(plan.phases.map((p) => p.id));
    const ids = new Set<string>();
    plan.indicators.forEach((indicator, index) => {
      const path = ['indicators', index];
      if (ids.has(indicator.id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `Mã chỉ tiêu "${indicator.id}" bị trùng` });
      ids.add(indicator.id);
      if (!phases.has(indicator.phase)) ctx.addIssue({ code: 'custom', path: [...path, 'phase'], message: `Không có giai đoạn "${indicator.phase}"` });
      if (indicator.unit === 'percent' && indicator.target > 100)
        ctx.addIssue({ code: 'custom', path: [...path, 'target'], message: 'Chỉ tiêu phần trăm không quá 100' });
      if (indicator.kind === 'computed' && indicator.measure !== undefined) {
        const allowed = measuresOf(indicator.population as Population);
        if (!allowed.includes(indicator.measure))
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'measure'],
            message: `"${indicator.measure}" không đo được trên ${indicator.population}; chỉ nhận: ${allowed.join(', ')}`,
          });
      }
      if (indicator.kind === 'computed' && indicator.measure === undefined && indicator.unit === 'percent')
        ctx.addIssue({ code: 'custom', path: [...path, 'measure'], message: 'Chỉ tiêu tỷ lệ cần "measure" (tử số)' });
    });
    // Formulas: every name must be an indicator of this plan, and none may depend on itself.
    const uses = new Map<string, Set<string>>();
    plan.indicators.forEach((indicator, index) => {
      if (indicator.kind !== 'derived') return;
      try {
        const refs = formulaRefs(parseFormula(indicator.formula));
        for (const ref of refs)
          if (!ids.has(ref)) ctx.addIssue({ code: 'custom', path: ['indicators', index, 'formula'], message: `Công thức dùng "${ref}" nhưng kế hoạch không có chỉ tiêu này` });
        uses.set(indicator.id, refs);
      } catch (error) {
        if (!(error instanceof FormulaError)) throw error;
        ctx.addIssue({ code: 'custom', path: ['indicators', index, 'formula'], message: `Công thức sai: ${error.message}` });
      }
    });
    const dependsOn = (id: string, target: string, seen = new Set<string>()): boolean => {
      for (const ref of uses.get(id) ?? []) {
        if (ref === target) return true;
        if (!seen.has(ref)) {
          seen.add(ref);
          if (dependsOn(ref, target, seen)) return true;
        }
      }
      return false;
    };
    plan.indicators.forEach((indicator, index) => {
      if (indicator.kind === 'derived' && dependsOn(indicator.id, indicator.id))
        ctx.addIssue({ code: 'custom', path: ['indicators', index, 'formula'], message: `Công thức của "${indicator.id}" vòng lại chính nó` });
    });
    plan.tasks.forEach((task, index) =>
      task.indicators.forEach((id, i) => {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['tasks', index, 'indicators', i], message: `Không có chỉ tiêu "${id}"` });
      }),
    );
  });
export type PlanFile = z.infer<typeof PlanFile>;

// --- API ---

export const TargetStatusName = z.enum(['met', 'on_track', 'at_risk', 'behind', 'no_data']);
export type TargetStatusName = z.infer<typeof TargetStatusName>;

export const PlanSummary = z.object({
  id: z.string(),
  name: z.string(),
  issuer: z.string(),
  /** The province whose own plan this is; null for a national plan. */
  province: z.string().nullable(),
  document: z.string().nullable(),
  summary: z.string().nullable(),
  phases: z.array(z.object({ id: z.string(), name: z.string(), deadline: z.string() })),
  tasks: z.array(z.object({ id: z.string(), name: z.string(), lead: z.string(), coordinating: z.array(z.string()), indicators: z.array(z.string()) })),
  indicatorCount: z.number().int(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const PlanList = z.object({ items: z.array(PlanSummary) });

export const IndicatorFigure = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['computed', 'reported', 'derived']),
  unit: z.enum(['percent', 'count']),
  phase: z.string(),
  /** Subjects with the measure (computed), the reported numerator, or null. */
  numerator: z.number().nullable(),
  /** Subjects in the population, the reported denominator, or null. */
  denominator: z.number().nullable(),
  /** 0–100 for percentages. */
  value: z.number().nullable(),
  /** For a reported figure of the whole city: how many units' approved reports it is made of. */
  reportedBy: z.number().int().nullable(),
  target: z.number(),
  direction: z.enum(['at_least', 'at_most']),
  deadline: z.string(),
  daysLeft: z.number().int(),
  status: TargetStatusName,
  /** The figure the recent trend reaches by the deadline, when there is a trend to project. */
  projected: z.number().nullable(),
  note: z.string().nullable(),
  lead: z.string().nullable(),
});
export type IndicatorFigure = z.infer<typeof IndicatorFigure>;

export const PlanIndicatorsQuery = z.object({
  unit: z.string().regex(/^\d{5}$/, 'Mã đơn vị gồm 5 chữ số').optional(),
  asOf: Day.optional(),
  neighbourhood: z.coerce.number().int().positive().optional(),
});

export const PlanIndicators = z.object({
  plan: z.string(),
  /** The unit's code; null for the whole city. */
  unit: z.string().nullable(),
  /** "Thành phố Hồ Chí Minh", "Phường Sài Gòn", or a neighbourhood's name. */
  areaName: z.string(),
  neighbourhood: z.number().nullable(),
  asOf: z.string(),
  /** How status and projection are worked out, to show beside the figures. */
  method: z.string(),
  indicators: z.array(IndicatorFigure),
});
export type PlanIndicators = z.infer<typeof PlanIndicators>;

export const PlanParams = z.object({ id: Slug });

/** One row per unit of the city (no `unit`), or per neighbourhood of a unit: the ranking table. */
export const RankingQuery = z.object({
  indicator: Slug,
  unit: z.string().regex(/^\d{5}$/, 'Mã đơn vị gồm 5 chữ số').optional(),
  asOf: Day.optional(),
});

export const RankingRow = z.object({
  /** A unit's code, or a neighbourhood's id as text. */
  code: z.string(),
  name: z.string(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  value: z.number().nullable(),
  target: z.number(),
  status: TargetStatusName,
  projected: z.number().nullable(),
});
export type RankingRow = z.infer<typeof RankingRow>;

export const Ranking = z.object({
  plan: z.string(),
  indicator: IndicatorFigure.pick({ id: true, name: true, kind: true, unit: true, target: true, direction: true, deadline: true }),
  level: z.enum(['units', 'neighbourhoods']),
  unit: z.string().nullable(),
  asOf: z.string(),
  rows: z.array(RankingRow),
});
export type Ranking = z.infer<typeof Ranking>;

export const TrendQuery = z.object({
  unit: z.string().regex(/^\d{5}$/, 'Mã đơn vị gồm 5 chữ số').optional(),
  neighbourhood: z.coerce.number().int().positive().optional(),
  /** Days between points (default 7) and how many points (default 26: half a year of weeks). */
  step: z.coerce.number().int().min(1).max(92).default(7),
  points: z.coerce.number().int().min(2).max(120).default(26),
  asOf: Day.optional(),
});

export const Trend = z.object({
  plan: z.string(),
  indicator: z.string(),
  unit: z.string().nullable(),
  neighbourhood: z.number().nullable(),
  target: z.number(),
  deadline: z.string(),
  points: z.array(z.object({ day: z.string(), value: z.number().nullable(), numerator: z.number().nullable(), denominator: z.number().nullable() })),
});
export type Trend = z.infer<typeof Trend>;

/** "Who is missing what": residents of a unit lacking an element, with a link to their household. */
export const MissingQuery = z.object({
  unit: z.string().regex(/^\d{5}$/, 'Mã đơn vị gồm 5 chữ số'),
  element: z.enum(['identity', 'device', 'accounts', 'skills']),
  neighbourhood: z.coerce.number().int().positive().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const MissingResident = z.object({
  residentId: z.number(),
  fullName: z.string(),
  birthYear: z.number(),
  householdId: z.number(),
  address: z.string(),
  neighbourhood: z.string().nullable(),
  /** The element's indicators this resident lacks (no fact, or a fact saying no). */
  lacking: z.array(z.string()),
});

export const MissingList = z.object({
  unit: z.string(),
  element: z.string(),
  /** Eligible residents of the unit lacking the element, all pages together. */
  total: z.number(),
  items: z.array(MissingResident),
  next: z.string().nullable(),
});
export type MissingList = z.infer<typeof MissingList>;

// --- reported figures ---

export const ReportStatus = z.enum(['draft', 'submitted', 'approved', 'returned']);

export const ReportedValueView = z.object({
  id: z.number(),
  planId: z.string(),
  indicatorId: z.string(),
  unitCode: z.string(),
  unitName: z.string(),
  period: z.string(),
  periodEnd: z.string(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  value: z.number(),
  note: z.string().nullable(),
  status: ReportStatus,
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});
export type ReportedValueView = z.infer<typeof ReportedValueView>;

export const ReportedValuesQuery = z.object({
  unit: z.string().regex(/^\d{5}$/, 'Mã đơn vị gồm 5 chữ số').optional(),
  indicator: Slug.optional(),
  status: ReportStatus.optional(),
});

export const ReportedValueList = z.object({ items: z.array(ReportedValueView) });

/** A unit's figure for a period: a share as numerator and denominator, or a value alone. */
export const ReportedValueSaveBody = z
  .object({
    indicatorId: Slug,
    unitCode: z.string().regex(/^\d{5}$/, 'Mã đơn vị gồm 5 chữ số'),
    period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, 'Kỳ báo cáo viết 2026, 2026-Q3 hoặc 2026-09'),
    numerator: z.number().min(0).nullable().optional(),
    denominator: z.number().positive().nullable().optional(),
    value: z.number().min(0).nullable().optional(),
    note: z.string().trim().max(1000).nullable().optional(),
  })
  .refine((b) => (b.numerator != null && b.denominator != null) || b.value != null, {
    message: 'Cần tử số và mẫu số, hoặc giá trị',
    path: ['value'],
  })
  .refine((b) => b.numerator == null || b.denominator == null || b.numerator <= b.denominator, {
    message: 'Tử số không được lớn hơn mẫu số',
    path: ['numerator'],
  });

export const ReportDecisionBody = z.object({ note: z.string().trim().max(1000).nullable().optional() });

export const ReportedValueEvent = z.object({
  action: z.enum(['save', 'submit', 'approve', 'return']),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  value: z.number(),
  note: z.string().nullable(),
  by: z.string().nullable(),
  at: z.string(),
});
export const ReportedValueHistory = z.object({ item: ReportedValueView, events: z.array(ReportedValueEvent) });

// --- unit targets ---

export const UnitTargetBody = z.object({
  indicatorId: Slug,
  unitCode: z.string().regex(/^\d{5}$/, 'Mã đơn vị gồm 5 chữ số'),
  /** null removes the unit's own target, so the plan's applies again. */
  target: z.number().min(0).nullable(),
});
export const UnitTargetList = z.object({
  items: z.array(z.object({ indicatorId: z.string(), unitCode: z.string(), unitName: z.string(), target: z.number() })),
});

/** Split the city's target of one indicator into a quota per unit; without apply, only a proposal. */
export const TargetSplitBody = z.object({
  indicatorId: Slug,
  apply: z.boolean().default(false),
});
export const TargetSplit = z.object({
  plan: z.string(),
  indicatorId: z.string(),
  method: z
    .enum(['equal_effort', 'by_population', 'by_current', 'equal'])
    .describe('equal_effort: every unit closes the same fraction of its remaining gap (a share); by_population / by_current: a count shared by population, or shrunk in proportion to now; equal: a count with nothing to weigh by'),
  cityTarget: z.number(),
  cityNow: z.number().nullable(),
  effort: z.number().nullable().describe('The fraction of its gap every unit is asked to close (0–1), for a share'),
  applied: z.boolean(),
  units: z.array(
    z.object({ unitCode: z.string(), unitName: z.string(), value: z.number().nullable(), numerator: z.number().nullable(), denominator: z.number().nullable(), target: z.number() }),
  ),
});
export type TargetSplit = z.infer<typeof TargetSplit>;

export const ReportExportQuery = z.object({
  unit: z.string().regex(/^\d{5}$/, 'Mã đơn vị gồm 5 chữ số').optional(),
  asOf: Day.optional(),
});
