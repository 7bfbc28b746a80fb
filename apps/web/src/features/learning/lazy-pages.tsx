import { lazy, Suspense, type ComponentType } from 'react';
import { LoadingState } from '../../shared/components/state-views';

/** The learning pages load on first visit, not with the app. */
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

export const LearningProgressPage = deferred(() => import('./progress-page'), 'LearningProgressPage');
export const CompetitionsPage = deferred(() => import('./competitions-page'), 'CompetitionsPage');
export const CompetitionPage = deferred(() => import('./competition-page'), 'CompetitionPage');
