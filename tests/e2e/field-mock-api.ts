// Stand-ins for the field API (devices, bundle, sync, invites) on a Playwright page, for pictures
// and checks of the field app's screens whatever the server's state. The end-to-end test does not
// use them: it talks to the real server.
import type { BrowserContext, Route } from 'playwright-core';

const member = (residentId: number, fullName: string, birthYear: number, sex: 'male' | 'female', relationToHead: string, current: Record<string, string>) => ({
  residentId,
  fullName,
  birthYear,
  sex,
  relationToHead,
  citizenIdMasked: residentId % 2 ? `********${String(1000 + residentId).slice(-4)}` : null,
  phoneMasked: null,
  current,
});

export function mockBundle() {
  return {
    user: { userId: 99, displayName: 'Tình nguyện viên', role: 'volunteer' },
    team: { id: 1, name: 'Tổ công nghệ số Khu phố 3', unitName: 'Phường Sài Gòn' },
    generatedAt: new Date().toISOString(),
    minAppVersion: '1.0.0',
    households: [
      {
        id: 101,
        unitCode: '26740',
        address: '12/4 Hẻm 42 Lê Lợi',
        neighbourhoodName: 'Khu phố 3',
        poverty: 'none',
        lastVisit: null,
        needsReturn: false,
        members: [
          member(1011, 'Nguyễn Văn Hùng', 1968, 'male', 'head', { citizen_id_card: 'true', vneid: 'level1', smartphone: 'true', epayment_account: 'true' }),
          member(1012, 'Trần Thị Mai', 1972, 'female', 'spouse', { citizen_id_card: 'true', vneid: 'issued', smartphone: 'false', phone_2g_only: 'true' }),
          member(1013, 'Nguyễn Minh Khoa', 2001, 'male', 'child', { citizen_id_card: 'true', vneid: 'level2', smartphone: 'true', epayment_account: 'true', public_service_account: 'true', social_insurance_vneid: 'true', basic_skills_trained: 'true', city_app_installed: 'true', digital_literacy_certified: 'true' }),
        ],
      },
      {
        id: 102,
        unitCode: '26740',
        address: '45 Pasteur',
        neighbourhoodName: 'Khu phố 3',
        poverty: 'near_poor',
        lastVisit: { at: '2026-11-28T09:30:00+07:00', outcome: 'nobody_home' },
        needsReturn: true,
        members: [member(1021, 'Lê Thị Hồng', 1950, 'female', 'head', { citizen_id_card: 'true' })],
      },
      {
        id: 103,
        unitCode: '26740',
        address: '88 Nguyễn Thái Bình',
        neighbourhoodName: 'Khu phố 4',
        poverty: 'poor',
        lastVisit: { at: '2026-11-27T15:00:00+07:00', outcome: 'done' },
        needsReturn: false,
        members: [member(1031, 'Bùi Bích Châu', 1965, 'female', 'head', { citizen_id_card: 'true', vneid: 'level2', smartphone: 'true' }), member(1032, 'Phạm Đức Anh', 1990, 'male', 'child', {})],
      },
      {
        id: 104,
        unitCode: '26740',
        address: '10 Lý Tự Trọng',
        neighbourhoodName: 'Khu phố 4',
        poverty: 'none',
        lastVisit: null,
        needsReturn: false,
        members: [member(1041, 'Đặng Quốc Bảo', 1985, 'male', 'head', {})],
      },
    ],
  };
}

/** Answers the field API from memory; `refuse` names client visit ids the "server" refuses. */
export async function mockFieldApi(context: BrowserContext, options: { refuse?: (visit: { householdId: number | null }) => string | null } = {}): Promise<void> {
  const json = (route: Route, status: number, body: unknown) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  await context.route('**/api/field/devices', (route) => json(route, 200, { deviceId: 1, deviceToken: 'mock-device-token' }));
  await context.route('**/api/field/bundle', (route) => json(route, 200, mockBundle()));
  await context.route('**/api/field/invites/preview**', (route) => json(route, 200, { teamName: 'Tổ công nghệ số Khu phố 3', unitName: 'Phường Sài Gòn', expiresAt: new Date(Date.now() + 72 * 3600_000).toISOString() }));
  await context.route('**/api/field/sync', (route) => {
    const body = JSON.parse(route.request().postData() ?? '{}') as { visits: { clientVisitId: string; householdId: number | null }[] };
    const results = body.visits.map((v, i) => {
      const reason = options.refuse?.(v) ?? null;
      return reason
        ? { clientVisitId: v.clientVisitId, outcome: 'refused', visitId: null, householdId: null, conflicts: 0, reasonCode: 'NOT_ASSIGNED', reason }
        : { clientVisitId: v.clientVisitId, outcome: 'stored', visitId: 500 + i, householdId: v.householdId ?? 900, conflicts: 0, reasonCode: null, reason: null };
    });
    return json(route, 200, { results, serverTime: new Date().toISOString() });
  });
}
