import { useQuery } from '@tanstack/react-query';
import type { PlanIndicators, PlanSummary } from '@cds/contract';
import { ApiError } from '../../shared/api/api-client';
import { PageHeader } from '../../shared/components/page-header';
import { QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { NotFoundPage } from '../../shared/layout/not-found-page';
import { IndicatorGroups, MethodNote, StatusSummary } from './indicator-cards';
import { fetchPlan, fetchPlanIndicators, indicatorKeys } from './indicators-api';
import { planIndicatorPath, planPath, planUnitPath } from './plan-paths';
import { PlanToolbar, usePlanView } from './plan-toolbar';
import { RankingSection } from './ranking-section';

/** A plan's header: what it is and who issued it, the same on every page of the plan. */
export function PlanFacts({ plan, figures }: { plan: PlanSummary; figures: PlanIndicators }) {
  const { t, date } = useI18n();
  return (
    <div className="plan-facts">
      <p className="plan-document">
        {plan.document ?? plan.issuer}
        {plan.document && <span className="muted"> · {plan.issuer}</span>}
      </p>
      <p className="plan-area">
        <strong>{figures.areaName}</strong> · {t('plans.figuresAsOf', { date: date(figures.asOf) })}
      </p>
      <StatusSummary figures={figures.indicators} />
    </div>
  );
}

/** The whole city against a plan's targets, then every unit on one indicator. */
export function PlanOverviewPage() {
  const { t } = useI18n();
  const { planId, asOf, params, setParams, withAsOf } = usePlanView();
  const plan = useQuery({ queryKey: indicatorKeys.plan(planId), queryFn: () => fetchPlan(planId), staleTime: 10 * 60_000 });
  const area = { asOf: asOf || undefined };
  const figures = useQuery({ queryKey: indicatorKeys.figures(planId, area), queryFn: () => fetchPlanIndicators(planId, area) });

  if (plan.isError && plan.error instanceof ApiError && plan.error.status === 404) return <NotFoundPage />;

  const indicators = figures.data?.indicators ?? [];
  const chosen = params.get('indicator');
  const indicatorId = indicators.find((i) => i.id === chosen)?.id ?? indicators[0]?.id ?? '';
  const setIndicator = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('indicator', id);
    setParams(next, { replace: true });
  };

  return (
    <div className="plans-page">
      <PageHeader crumbs={[{ label: t('nav.plans') }]} title={plan.data?.name ?? t('plans.title')} subtitle={plan.data?.summary ?? undefined} />
      <PlanToolbar pathFor={planPath} shownAsOf={figures.data?.asOf} />
      <QueryState query={plan}>
        {(p) => (
          <QueryState query={figures}>
            {(f) => (
              <>
                <PlanFacts plan={p} figures={f} />
                <MethodNote method={f.method} />
                <IndicatorGroups plan={p} figures={f} linkTo={(id) => withAsOf(planIndicatorPath(planId, id))} />
                <RankingSection
                  planId={planId}
                  indicators={f.indicators}
                  indicatorId={indicatorId}
                  onIndicator={setIndicator}
                  asOf={asOf}
                  title={t('ranking.titleUnits')}
                  linkFor={(row) => withAsOf(planUnitPath(planId, row.code))}
                />
              </>
            )}
          </QueryState>
        )}
      </QueryState>
    </div>
  );
}
