import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { SessionProvider } from './features/access/session-context';
import { SignInPage } from './features/access/sign-in-page';
import { AuditPage } from './features/audit/audit-page';
import { DeviceHandoversPage, DeviceNeedsPage, DeviceStockPage, PublicDeviceSupportPage, SponsorPortalPage, SponsorRegisterPage, SponsorsPage } from './features/devices/lazy-pages';
import { CompetitionPage, CompetitionsPage, LearningProgressPage } from './features/learning/lazy-pages';
import { MyElementsPage } from './features/citizen/my-elements-page';
import { ProgressPage, ReviewPage, TeamPage, TeamsPage } from './features/field/lazy-pages';
import { ImportBatchPage } from './features/imports/import-batch-page';
import { ImportNewPage } from './features/imports/import-new-page';
import { ImportsPage } from './features/imports/imports-page';
import { DefaultPlanRedirect, IndicatorPage, PlanOverviewPage, PlanUnitPage, ReportedFiguresPage } from './features/indicators/lazy-pages';
import { UnitQualityPage } from './features/quality/unit-quality-page';
import { HouseholdPage } from './features/registry/household-page';
import { HouseholdsPage } from './features/registry/households-page';
import { ResidentSearchPage } from './features/registry/resident-search-page';
import { UnitPage } from './features/units/unit-page';
import { UnitsPage } from './features/units/units-page';
import { createQueryClient } from './shared/api/query-client';
import { I18nProvider } from './shared/i18n/i18n-context';
import { AppLayout } from './shared/layout/app-layout';
import { NoAccessPage, NotFoundPage, WelcomePage } from './shared/layout/not-found-page';
import { HomeRedirect, RequireAuth, RequireCapability } from './shared/layout/route-guards';

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
              {/* Public figures of device support: counts only, read without signing in. */}
              <Route path="/cong-khai/thiet-bi" element={<PublicDeviceSupportPage />} />
              <Route path="/cong-khai/tai-tro" element={<SponsorRegisterPage />} />
              <Route
                element={
                  <RequireAuth>
                    <AppLayout />
                  </RequireAuth>
                }
              >
                <Route index element={<HomeRedirect />} />
                <Route path="me" element={<RequireCapability capability="mine"><MyElementsPage /></RequireCapability>} />
                <Route path="units" element={<RequireCapability capability="units"><UnitsPage /></RequireCapability>} />
                <Route path="units/:code" element={<RequireCapability capability="unitDetail"><UnitPage /></RequireCapability>} />
                <Route path="units/:code/quality" element={<RequireCapability capability="dataQuality"><UnitQualityPage /></RequireCapability>} />
                <Route path="households" element={<RequireCapability capability="households"><HouseholdsPage /></RequireCapability>} />
                <Route path="households/:id" element={<RequireCapability capability="households"><HouseholdPage /></RequireCapability>} />
                <Route path="residents" element={<RequireCapability capability="residents"><ResidentSearchPage /></RequireCapability>} />
                <Route path="imports" element={<RequireCapability capability="imports"><ImportsPage /></RequireCapability>} />
                <Route path="imports/new" element={<RequireCapability capability="imports"><ImportNewPage /></RequireCapability>} />
                <Route path="imports/:id" element={<RequireCapability capability="imports"><ImportBatchPage /></RequireCapability>} />
                <Route path="plans" element={<RequireCapability capability="plans"><DefaultPlanRedirect /></RequireCapability>} />
                <Route path="plans/:planId" element={<RequireCapability capability="plans"><PlanOverviewPage /></RequireCapability>} />
                <Route path="plans/:planId/units/:code" element={<RequireCapability capability="plans"><PlanUnitPage /></RequireCapability>} />
                <Route path="plans/:planId/indicators/:indicatorId" element={<RequireCapability capability="plans"><IndicatorPage /></RequireCapability>} />
                <Route path="reports" element={<RequireCapability capability="reportFigures"><ReportedFiguresPage /></RequireCapability>} />
                {/* The campaign's pages; /field itself is the volunteers' app, served apart by the server. */}
                <Route path="teams" element={<RequireCapability capability="campaign"><TeamsPage /></RequireCapability>} />
                <Route path="teams/:id" element={<RequireCapability capability="campaign"><TeamPage /></RequireCapability>} />
                <Route path="campaign" element={<Navigate to="/teams" replace />} />
                <Route path="campaign/progress" element={<RequireCapability capability="campaign"><ProgressPage /></RequireCapability>} />
                <Route path="campaign/review" element={<RequireCapability capability="reviewField"><ReviewPage /></RequireCapability>} />
                {/* Device support (issue 6): officials' pages, and the sponsors' own portal. */}
                <Route path="devices" element={<RequireCapability capability="deviceSupport"><DeviceNeedsPage /></RequireCapability>} />
                <Route path="devices/stock" element={<RequireCapability capability="deviceSupport"><DeviceStockPage /></RequireCapability>} />
                <Route path="devices/handovers" element={<RequireCapability capability="deviceSupport"><DeviceHandoversPage /></RequireCapability>} />
                <Route path="devices/sponsors" element={<RequireCapability capability="deviceSupport"><SponsorsPage /></RequireCapability>} />
                <Route path="learning" element={<RequireCapability capability="learning"><LearningProgressPage /></RequireCapability>} />
                <Route path="learning/competitions" element={<RequireCapability capability="learning"><CompetitionsPage /></RequireCapability>} />
                <Route path="learning/competitions/:id" element={<RequireCapability capability="learning"><CompetitionPage /></RequireCapability>} />
                <Route path="sponsor" element={<RequireCapability capability="sponsorPortal"><SponsorPortalPage /></RequireCapability>} />
                <Route path="audit" element={<RequireCapability capability="audit"><AuditPage /></RequireCapability>} />
                <Route path="no-access" element={<NoAccessPage />} />
                <Route path="welcome" element={<WelcomePage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </SessionProvider>
      </QueryClientProvider>
    </I18nProvider>
  );
}
