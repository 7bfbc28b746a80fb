import type { PlanSummary } from '@cds/contract';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { EmptyState, QueryState } from '../../shared/components/state-views';
import { useI18n } from '../../shared/i18n/i18n-context';
import { vietnamToday } from '../../shared/i18n/formats';
import { fetchPlans, indicatorKeys, reportFileUrl } from './indicators-api';
import { DayInput } from '../../shared/components/day-input';

/**
 * The plan a page opens on when none is named: the reader's own city's plan, else the first
 * national one. The server lists only the plans that bind the reader's province.
 */
export function defaultPlan<T extends Pick<PlanSummary, 'province'>>(plans: readonly T[] | undefined): T | undefined {
  return plans?.find((p) => p.province !== null) ?? plans?.[0];
}

/** Renders `children` with the default plan's id once the list of plans has come. */
export function WithDefaultPlan({ children }: { children: (planId: string) => ReactNode }) {
  const { t } = useI18n();
  const plans = useQuery({ queryKey: indicatorKeys.plans(), queryFn: fetchPlans, staleTime: 10 * 60_000 });
  return (
    <QueryState query={plans}>
      {(list) => {
        const plan = defaultPlan(list.items);
        return plan ? children(plan.id) : <EmptyState>{t('plans.none')}</EmptyState>;
      }}
    </QueryState>
  );
}

/** `/plans`: the default plan's overview, at an address that names it, with the day kept. */
export function DefaultPlanRedirect() {
  const { search } = useLocation();
  return <WithDefaultPlan>{(planId) => <Navigate to={`/plans/${encodeURIComponent(planId)}${search}`} replace />}</WithDefaultPlan>;
}
/** The registry's units exist from 1 July 2025, when two-level local government began; the server refuses earlier days. */
const HISTORY_START = '2025-07-01';

/**
 * The plan and the day the reader is looking at. The day lives in the address (?asOf=), so a
 * printed or shared link shows the same figures; without it the server answers for its today.
 */
export function usePlanView() {
  // Every route that reads a plan names it: /plans alone redirects to the default one.
  const { planId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(params.get('asOf') ?? '') ? (params.get('asOf') as string) : '';
  /** A path inside the dashboard that keeps the chosen day. */
  const withAsOf = (path: string, extra: Record<string, string | number | undefined> = {}) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '' && v !== 0) q.set(k, String(v));
    if (asOf) q.set('asOf', asOf);
    const s = q.toString();
    return s ? `${path}?${s}` : path;
  };
  const setAsOf = (day: string) => {
    const next = new URLSearchParams(params);
    if (day) next.set('asOf', day);
    else next.delete('asOf');
    setParams(next, { replace: true });
  };
  return { planId, asOf, params, setParams, setAsOf, withAsOf };
}

export function PlanPicker({ planId, onChange }: { planId: string; onChange: (id: string) => void }) {
  const { t } = useI18n();
  const plans = useQuery({ queryKey: indicatorKeys.plans(), queryFn: fetchPlans, staleTime: 10 * 60_000 });
  return (
    <div className="field field-inline plan-picker">
      <label htmlFor="plan-picker">{t('plans.plan')}</label>
      <select id="plan-picker" value={planId} onChange={(e) => onChange(e.target.value)} disabled={plans.isPending}>
        {plans.data === undefined && <option value={planId}>{plans.isPending ? t('state.loading') : planId}</option>}
        {plans.data?.items.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name.length > 90 ? `${p.name.slice(0, 88)}…` : p.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Plan, day, and what to take away (spreadsheet, CSV, print). Changing the plan keeps the page's
 * place: `pathFor` says where the same view of another plan lives.
 */
export function PlanToolbar({ unit, pathFor, shownAsOf }: { unit?: string; pathFor: (planId: string) => string; shownAsOf: string | undefined }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { planId, asOf, setAsOf, withAsOf } = usePlanView();
  const today = vietnamToday();
  return (
    <div className="toolbar plan-toolbar no-print">
      <PlanPicker planId={planId} onChange={(id) => navigate(withAsOf(pathFor(id)))} />
      <div className="field field-inline">
        <label htmlFor="plan-as-of">{t('plans.asOf')}</label>
        <DayInput
          id="plan-as-of"
          min={HISTORY_START}
          max={today}
          // Until the reader picks a day, show the one the server answered for.
          value={asOf || shownAsOf || ''}
          onValueChange={(day) => setAsOf(day >= HISTORY_START && day <= today ? day : '')}
        />
      </div>
      {asOf && (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setAsOf('')}>
          {t('plans.today')}
        </button>
      )}
      <span className="toolbar-spacer" />
      <div className="btn-row">
        <a className="btn btn-secondary btn-sm" href={reportFileUrl(planId, 'xlsx', unit, asOf || undefined)} download>
          {t('plans.exportXlsx')}
        </a>
        <a className="btn btn-secondary btn-sm" href={reportFileUrl(planId, 'csv', unit, asOf || undefined)} download>
          {t('plans.exportCsv')}
        </a>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => window.print()}>
          {t('plans.print')}
        </button>
      </div>
    </div>
  );
}
