import { lazy, Suspense, type ComponentType } from 'react';
import { LoadingState } from '../../shared/components/state-views';

/**
 * The dashboard pages load on first visit, not with the app: volunteers on phones, who never open
 * them, do not download them. Each waits behind the usual loading state.
 */
function deferred<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): ComponentType {
  const Page = lazy(async (): Promise<{ default: ComponentType }> => ({ default: (await load())[name] }));
  return function DeferredPage() {
    return (
      <Suspense fallback={<LoadingState />}>
        <Page />
      </Suspense>
    );
  };
}

export const DefaultPlanRedirect = deferred(() => import('./plan-toolbar'), 'DefaultPlanRedirect');
export const PlanOverviewPage = deferred(() => import('./plan-overview-page'), 'PlanOverviewPage');
export const PlanUnitPage = deferred(() => import('./plan-unit-page'), 'PlanUnitPage');
export const IndicatorPage = deferred(() => import('./indicator-page'), 'IndicatorPage');
export const ReportedFiguresPage = deferred(() => import('./reported-figures-page'), 'ReportedFiguresPage');
