import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/api-client';
import { PageHeader, type Crumb } from '../../shared/components/page-header';
import { QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { NotFoundPage } from '../../shared/layout/not-found-page';
import { can } from '../access/permissions';
import { useMe } from '../access/session-context';
import { IndicatorGroups, MethodNote } from './indicator-cards';
import { fetchPlan, fetchPlanIndicators, fetchRanking, indicatorKeys, type Area } from './indicators-api';
import { MissingResidents } from './missing-residents';
import { PlanFacts } from './plan-overview-page';
import { planIndicatorPath, planPath, planUnitPath } from './plan-paths';
import { PlanToolbar, usePlanView } from './plan-toolbar';
import { RankingSection } from './ranking-section';

/** One unit against a plan: its indicators (or one neighbourhood's), its neighbourhoods side by side, and who still lacks what. */
export function PlanUnitPage() {
  const { t } = useI18n();
  const me = useMe();
  const { code = '' } = useParams();
  const { planId, asOf, params, setParams, withAsOf } = usePlanView();
  const neighbourhood = Number(params.get('neighbourhood')) > 0 ? Number(params.get('neighbourhood')) : undefined;
  const area: Area = { unit: code, neighbourhood, asOf: asOf || undefined };

  const plan = useQuery({ queryKey: indicatorKeys.plan(planId), queryFn: () => fetchPlan(planId), staleTime: 10 * 60_000 });
  const figures = useQuery({ queryKey: indicatorKeys.figures(planId, area), queryFn: () => fetchPlanIndicators(planId, area) });
  const indicators = figures.data?.indicators ?? [];
  const chosen = params.get('indicator');
  const indicatorId = indicators.find((i) => i.id === chosen)?.id ?? indicators[0]?.id ?? '';
  // The neighbourhood list comes from the ranking (aggregates every reader may see), not from the
  // units API, which answers only within the reader's own units.
  const neighbourhoods = useQuery({
    queryKey: indicatorKeys.ranking(planId, indicatorId, code, asOf),
    queryFn: () => fetchRanking(planId, indicatorId, code, asOf),
    enabled: indicatorId !== '',
  });

  // With a neighbourhood chosen, the unit's own name still heads the way back (shared with the whole-unit view's cache).
  const wholeUnit = useQuery({
    queryKey: indicatorKeys.figures(planId, { unit: code, asOf: asOf || undefined }),
    queryFn: () => fetchPlanIndicators(planId, { unit: code, asOf: asOf || undefined }),
    enabled: neighbourhood !== undefined,
  });

  const notFound = (e: unknown) => e instanceof ApiError && e.status === 404;
  if ((plan.isError && notFound(plan.error)) || (figures.isError && notFound(figures.error) && neighbourhood === undefined)) return <NotFoundPage />;

  const nbOptions = [...(neighbourhoods.data?.rows ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true }));
  const nbName = (id: number) => nbOptions.find((n) => n.code === String(id))?.name ?? `#${id}`;
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const unitName = (neighbourhood === undefined ? figures.data?.areaName : wholeUnit.data?.areaName) ?? code;
  const crumbs: Crumb[] = [
    { label: t('nav.plans'), to: withAsOf(planPath(planId)) },
    { label: plan.data?.name && plan.data.name.length > 48 ? `${plan.data.name.slice(0, 46)}…` : (plan.data?.name ?? planId), to: withAsOf(planPath(planId)) },
    ...(neighbourhood === undefined
      ? [{ label: unitName }]
      : [{ label: unitName, to: withAsOf(planUnitPath(planId, code)) }, { label: nbName(neighbourhood) }]),
  ];

  return (
    <div className="plans-page">
      <PageHeader crumbs={crumbs} title={figures.data?.areaName ?? t('state.loading')} subtitle={t('plans.unitSubtitle', { code })} />
      <PlanToolbar unit={code} pathFor={(id) => planUnitPath(id, code)} shownAsOf={figures.data?.asOf} />
      <div className="toolbar no-print">
        <div className="field field-inline">
          <label htmlFor="plan-neighbourhood">{t('plans.neighbourhood')}</label>
          <select id="plan-neighbourhood" value={neighbourhood ?? ''} onChange={(e) => setParam('neighbourhood', e.target.value)} disabled={neighbourhoods.isPending}>
            <option value="">{t('plans.wholeUnit')}</option>
            {nbOptions.map((n) => (
              <option key={n.code} value={n.code}>
                {n.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryState query={plan}>
        {(p) => (
          <QueryState query={figures}>
            {(f) => (
              <>
                <PlanFacts plan={p} figures={f} />
                <MethodNote method={f.method} />
                {neighbourhood !== undefined && <p className="hint">{t('plans.neighbourhoodNote')}</p>}
                <IndicatorGroups
                  plan={p}
                  figures={f}
                  linkTo={(id) => withAsOf(planIndicatorPath(planId, id), { unit: code, neighbourhood })}
                />
                {neighbourhood === undefined && (
                  <RankingSection
                    planId={planId}
                    indicators={f.indicators}
                    indicatorId={indicatorId}
                    onIndicator={(id) => setParam('indicator', id)}
                    unit={code}
                    asOf={asOf}
                    title={t('ranking.titleNeighbourhoods')}
                    linkFor={(row) => withAsOf(planUnitPath(planId, code), { neighbourhood: row.code })}
                  />
                )}
              </>
            )}
          </QueryState>
        )}
      </QueryState>
      {/* Names of residents: only for roles that open households (never analysts or auditors), and only
          in the reader's own units; city-wide roles have no units listed and see every unit. */}
      {can(me.role, 'households') && (me.units.length === 0 || me.units.some((u) => u.code === code)) && (
        <MissingResidents planId={planId} unit={code} neighbourhood={neighbourhood ?? 0} />
      )}
    </div>
  );
}
