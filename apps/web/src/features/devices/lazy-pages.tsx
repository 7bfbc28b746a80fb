import { lazy, Suspense, type ComponentType } from 'react';
import { LoadingState } from '../../shared/components/state-views';

/** The device-support pages load on first visit, not with the app. */
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

export const DeviceNeedsPage = deferred(() => import('./needs-page'), 'DeviceNeedsPage');
export const DeviceStockPage = deferred(() => import('./stock-page'), 'DeviceStockPage');
export const DeviceHandoversPage = deferred(() => import('./handovers-page'), 'DeviceHandoversPage');
export const SponsorPortalPage = deferred(() => import('./sponsor-portal-page'), 'SponsorPortalPage');
export const PublicDeviceSupportPage = deferred(() => import('./public-page'), 'PublicDeviceSupportPage');
export const SponsorsPage = deferred(() => import('./sponsors-page'), 'SponsorsPage');
export const SponsorRegisterPage = deferred(() => import('./sponsor-register-page'), 'SponsorRegisterPage');
