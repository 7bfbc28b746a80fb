import {
  MissingList,
  MissingQuery,
  PlanIndicatorDefinition,
  PlanIndicators,
  PlanIndicatorsQuery,
  PlanList,
  PlanParams,
  PlanSummary,
  Ranking,
  RankingQuery,
  ReportDecisionBody,
  ReportExportQuery,
  ReportedValueHistory,
  ReportedValueList,
  ReportedValueSaveBody,
  ReportedValuesQuery,
  ReportedValueView,
  Trend,
  TrendQuery,
  TargetSplit,
  TargetSplitBody,
  UnitTargetBody,
  UnitTargetList,
} from '@cds/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/deps.ts';
import { XLSX_MEDIA_TYPE, actorOf, sendWorkbook } from '../../platform/http.ts';
import { listMissing } from './missing.service.ts';
import { planCsv, preparePlanReport, writePlanWorkbook } from './plan-report.service.ts';
import { getPlan, listPlans, planIndicators } from './plans.service.ts';
import { indicatorTrend, rankUnits } from './ranking.service.ts';
import { decideReportedValue, listReportedValues, reportedValueHistory, saveReportedValue } from './reported-values.service.ts';
import { listUnitTargets, setUnitTarget, splitUnitTargets } from './unit-targets.service.ts';

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const IndicatorParams = PlanParams.extend({ indicatorId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/) });

export function indicatorRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['plans'];
    app.get(
      '/api/plans',
      { schema: { tags, summary: 'The plans loaded from content/plans (hcmc-2026, hanoi-2025, vn-2022, …)', response: { 200: PlanList } } },
      async (request) => ({ items: await listPlans(deps, actorOf(request)) }),
    );
    app.get(
      '/api/plans/:id',
      {
        schema: {
          tags,
          summary: 'One plan with its phases, tasks and indicator definitions',
          params: PlanParams,
          response: { 200: PlanSummary.extend({ indicators: z.array(PlanIndicatorDefinition) }) },
        },
      },
      async (request) => getPlan(deps, actorOf(request), request.params.id),
    );
    app.get(
      '/api/plans/:id/indicators',
      {
        schema: {
          tags,
          summary: 'Every indicator of a plan for the city (no unit), a unit or a neighbourhood, on a day (asOf, default today)',
          description:
            'value and target are percentages (0–100) for ratio indicators; status is met, on_track, at_risk, behind or no_data. ' +
            'Computed figures come from the indicator ledger, which every registry change updates in its own transaction.',
          params: PlanParams,
          querystring: PlanIndicatorsQuery,
          response: { 200: PlanIndicators },
        },
      },
      async (request) => planIndicators(deps, actorOf(request), request.params.id, request.query),
    );
    app.get(
      '/api/plans/:id/ranking',
      { schema: { tags, summary: 'One indicator for every unit of the city, or every neighbourhood of a unit', params: PlanParams, querystring: RankingQuery, response: { 200: Ranking } } },
      async (request) => rankUnits(deps, actorOf(request), request.params.id, request.query),
    );
    app.get(
      '/api/plans/:id/indicators/:indicatorId/trend',
      { schema: { tags, summary: 'An indicator at evenly spaced days up to asOf, for the trend chart', params: IndicatorParams, querystring: TrendQuery, response: { 200: Trend } } },
      async (request) => indicatorTrend(deps, actorOf(request), request.params.id, request.params.indicatorId, request.query),
    );
    app.get(
      '/api/plans/:id/missing',
      {
        schema: {
          tags,
          summary: 'Who is missing what: residents of a unit lacking one of the four elements (personal rows: scoped and audited)',
          params: PlanParams,
          querystring: MissingQuery,
          response: { 200: MissingList },
        },
      },
      async (request) => listMissing(deps, actorOf(request), request.params.id, request.query),
    );
    app.get(
      '/api/plans/:id/report.xlsx',
      { schema: { tags, summary: 'The plan as a workbook: a summary sheet and a sheet per indicator, per unit', params: PlanParams, querystring: ReportExportQuery, produces: [XLSX_MEDIA_TYPE] } },
      async (request, reply) => {
        const report = await preparePlanReport(deps, actorOf(request), request.params.id, request.query);
        const name = `chi-tieu-${request.params.id}-${report.overview.unit ?? 'thanh-pho'}-${report.overview.asOf}.xlsx`;
        return sendWorkbook(reply, name, (output) => writePlanWorkbook(report, output));
      },
    );
    app.get(
      '/api/plans/:id/report.csv',
      { schema: { tags, summary: 'The plan as CSV: one line per area and indicator', params: PlanParams, querystring: ReportExportQuery, produces: ['text/csv'] } },
      async (request, reply) => {
        const report = await preparePlanReport(deps, actorOf(request), request.params.id, request.query);
        const name = `chi-tieu-${request.params.id}-${report.overview.unit ?? 'thanh-pho'}-${report.overview.asOf}.csv`;
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(planCsv(report));
      },
    );
    app.get(
      '/api/plans/:id/reports',
      { schema: { tags, summary: 'Reported figures of a plan (newest period first)', params: PlanParams, querystring: ReportedValuesQuery, response: { 200: ReportedValueList } } },
      async (request) => ({ items: await listReportedValues(deps, actorOf(request), request.params.id, request.query) }),
    );
    app.put(
      '/api/plans/:id/reports',
      { schema: { tags, summary: "Save a unit's figure for a period as a draft", params: PlanParams, body: ReportedValueSaveBody, response: { 200: ReportedValueView } } },
      async (request) => saveReportedValue(deps, actorOf(request), request.params.id, request.body),
    );
    for (const action of ['submit', 'approve', 'return'] as const) {
      app.post(
        `/api/reported-values/:id/${action}`,
        {
          schema: {
            tags,
            summary: { submit: 'Submit a figure for approval (the unit)', approve: 'Approve and lock a figure (the city)', return: 'Return a figure to the unit with a note (the city)' }[action],
            params: IdParams,
            body: ReportDecisionBody,
            response: { 200: ReportedValueView },
          },
        },
        async (request) => decideReportedValue(deps, actorOf(request), request.params.id, action, request.body.note ?? null),
      );
    }
    app.get(
      '/api/reported-values/:id/history',
      { schema: { tags, summary: 'Every save, submission, approval and return of a reported figure', params: IdParams, response: { 200: ReportedValueHistory } } },
      async (request) => reportedValueHistory(deps, actorOf(request), request.params.id),
    );
    app.get(
      '/api/plans/:id/targets',
      { schema: { tags, summary: "Units' own targets (quotas of the city's)", params: PlanParams, response: { 200: UnitTargetList } } },
      async (request) => listUnitTargets(deps, actorOf(request), request.params.id),
    );
    app.put(
      '/api/plans/:id/targets',
      { schema: { tags, summary: "Set or clear a unit's own target for an indicator", params: PlanParams, body: UnitTargetBody, response: { 200: UnitTargetList } } },
      async (request) => setUnitTarget(deps, actorOf(request), request.params.id, request.body),
    );
    app.post(
      '/api/plans/:id/targets/split',
      {
        schema: {
          tags,
          summary: "Split the city's target of an indicator into every unit's quota (equal effort for a share, by population for a count); apply: false only proposes",
          params: PlanParams,
          body: TargetSplitBody,
          response: { 200: TargetSplit },
        },
      },
      async (request) => splitUnitTargets(deps, actorOf(request), request.params.id, request.body),
    );
  };
}
