import { lazy, Suspense } from 'react';
import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { IndicatorFigure, Trend } from '@cds/contract';
import { ApiError } from '../../shared/api/api-client';
import { PageHeader, type Crumb } from '../../shared/components/page-header';
import { EmptyState, LoadingState, QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { NotFoundPage } from '../../shared/layout/not-found-page';
import { formatFigure } from './figure-format';
import { IndicatorRow, MethodNote } from './indicator-cards';
import { fetchPlan, fetchPlanIndicators, fetchTrend, indicatorKeys, type Area } from './indicators-api';
import { planPath, planUnitPath } from './plan-paths';
import { PlanToolbar, usePlanView } from './plan-toolbar';
import { RankingSection } from './ranking-section';
import { UnitQuotas } from './unit-quotas';
import { useMe } from '../access/session-context';

// ECharts is a few hundred kilobytes: it loads only when a trend is drawn, not with the app.
const TrendChart = lazy(() => import('./trend-chart'));

/** One indicator for the city, a unit or a neighbourhood: its trend towards the target, and where each part of the area stands. */
export function IndicatorPage() {
  const { t } = useI18n();
  const me = useMe();
  const { indicatorId = '' } = useParams();
  const { planId, asOf, params, withAsOf } = usePlanView();
  const unit = /^\d{5}$/.test(params.get('unit') ?? '') ? (params.get('unit') as string) : undefined;
  const neighbourhood = Number(params.get('neighbourhood')) > 0 && unit ? Number(params.get('neighbourhood')) : undefined;
  const area: Area = { unit, neighbourhood, asOf: asOf || undefined };

  const plan = useQuery({ queryKey: indicatorKeys.plan(planId), queryFn: () => fetchPlan(planId), staleTime: 10 * 60_000 });
  const figures = useQuery({ queryKey: indicatorKeys.figures(planId, area), queryFn: () => fetchPlanIndicators(planId, area) });
  const trend = useQuery({ queryKey: indicatorKeys.trend(planId, indicatorId, area), queryFn: () => fetchTrend(planId, indicatorId, area) });

  if (plan.isError && plan.error instanceof ApiError && plan.error.status === 404) return <NotFoundPage />;
  const figure = figures.data?.indicators.find((i) => i.id === indicatorId);
  if (figures.data && !figure) return <NotFoundPage />;

  const crumbs: Crumb[] = [
    { label: t('nav.plans'), to: withAsOf(planPath(planId)) },
    { label: plan.data?.name ? shorten(plan.data.name) : planId, to: withAsOf(planPath(planId)) },
    ...(unit ? [{ label: figures.data?.areaName ?? unit, to: withAsOf(planUnitPath(planId, unit), { neighbourhood }) }] : []),
    { label: t('trend.crumb') },
  ];
  const here = (id: string) => `${planPath(id)}/indicators/${encodeURIComponent(indicatorId)}`;

  return (
    <div className="plans-page">
      <PageHeader crumbs={crumbs} title={figure?.name ?? t('state.loading')} subtitle={figures.data ? figures.data.areaName : undefined} />
      <PlanToolbar unit={unit} pathFor={here} shownAsOf={figures.data?.asOf} />
      <QueryState query={figures}>
        {(f) => {
          const current = f.indicators.find((i) => i.id === indicatorId);
          if (!current) return null;
          return (
            <>
              <ul className="indicator-list card">
                <IndicatorRow figure={current} />
              </ul>
              <section className="card trend-card" aria-labelledby="trend-title">
                <div className="card-head">
                  <h2 id="trend-title" className="card-title">
                    {t('trend.title')}
                  </h2>
                </div>
                <QueryState query={trend}>{(tr) => <TrendView trend={tr} figure={current} />}</QueryState>
              </section>
              <MethodNote method={f.method} />
              {/* Quotas are the city's to set, for its units: shown on the city's view only. */}
              {me.role === 'city_admin' && !unit && <UnitQuotas planId={planId} figure={current} />}
              {neighbourhood === undefined && (
                <RankingSection
                  planId={planId}
                  indicators={f.indicators}
                  indicatorId={indicatorId}
                  unit={unit}
                  asOf={asOf}
                  title={t(unit ? 'ranking.titleNeighbourhoods' : 'ranking.titleUnits')}
                  linkFor={(row) =>
                    unit
                      ? withAsOf(here(planId), { unit, neighbourhood: row.code })
                      : withAsOf(here(planId), { unit: row.code })
                  }
                />
              )}
            </>
          );
        }}
      </QueryState>
    </div>
  );
}

function shorten(name: string): string {
  return name.length > 48 ? `${name.slice(0, 46)}…` : name;
}

function TrendView({ trend, figure }: { trend: Trend; figure: IndicatorFigure }) {
  const i18n = useI18n();
  const { t, date, number } = i18n;
  if (trend.points.every((p) => p.value === null)) return <EmptyState>{t('trend.empty')}</EmptyState>;
  return (
    <>
      <Suspense fallback={<LoadingState label={t('trend.loadingChart')} />}>
        <TrendChart trend={trend} unit={figure.unit} label={t('trend.chartLabel', { name: figure.name })} />
      </Suspense>
      {/* The chart is a picture; the figures behind it stay readable by screen readers and on paper. */}
      <details className="trend-table">
        <summary>{t('trend.tableToggle', { n: trend.points.length })}</summary>
        <div className="table-wrap">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">{t('trend.colDay')}</th>
                <th scope="col" className="num">
                  {t('ranking.colValue')}
                </th>
                <th scope="col" className="num">
                  {t('ranking.colNumerator')}
                </th>
                <th scope="col" className="num">
                  {t('ranking.colDenominator')}
                </th>
              </tr>
            </thead>
            <tbody>
              {trend.points.map((p) => (
                <tr key={p.day}>
                  <td>{date(p.day)}</td>
                  <td className="num">{formatFigure(i18n, p.value, figure.unit)}</td>
                  <td className="num">{number(p.numerator)}</td>
                  <td className="num">{number(p.denominator)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
