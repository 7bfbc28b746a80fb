import { lazy, Suspense, type ComponentType } from 'react';
import { LoadingState } from '../../shared/components/state-views';

/** The campaign's pages load on first visit, not with the app: most readers never open them. */
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

export const TeamsPage = deferred(() => import('./teams-page'), 'TeamsPage');
export const TeamPage = deferred(() => import('./team-page'), 'TeamPage');
export const ProgressPage = deferred(() => import('./progress-page'), 'ProgressPage');
export const ReviewPage = deferred(() => import('./review-page'), 'ReviewPage');
