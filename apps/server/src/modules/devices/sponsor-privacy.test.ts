import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TODAY, UNIT_A, createTestApp, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';
import { household, newImei, stockOf, visitNeed } from './device-test-kit.ts';

// A sponsor sees what became of their pledges, never who received a device (unless the person
// agreed, and then a first name and unit). This suite walks every GET route the API documents,
// as a sponsor whose devices reached a household, and looks for any of that household's data.

let ctx: TestContext;
let sponsor: Session;
const secrets: string[] = [];
const ids: number[] = [];

beforeAll(async () => {
  ctx = await createTestApp();
  const admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  const sponsorUser = await makeUser(ctx, 'sponsor');
  sponsor = await signIn(ctx, sponsorUser);
  const { stockId, pledgeId, sponsorId } = await stockOf(admin, official, UNIT_A, 2, sponsorUser.id);
  const h = await household(ctx, UNIT_A, null, 'poor', [
    { fullName: 'Hoàng Thị Kínđáo', birthDate: '1950-04-04', citizenId: '079150001234', phone: '0987654321', smartphone: false, phone2gOnly: true },
  ]);
  await visitNeed(ctx, h.household.id, UNIT_A);
  const allocated = await official.post('/api/devices/allocations', { householdId: h.household.id, stockId });
  const allocationId = allocated.json().id as number;
  const code = (await official.post(`/api/devices/allocations/${allocationId}/schedule`, { scheduledFor: TODAY, recipientResidentId: h.people[0]!.id })).json().confirmationCode;
  const imei = newImei();
  const done = await official.post(`/api/devices/allocations/${allocationId}/handover`, { imei, confirmationCode: code, consentToSponsor: false, photoSkippedNote: 'Không chụp' });
  expect(done.statusCode, done.body).toBe(200);
  // Whole values only: a bare four digits could turn up by chance in a timestamp or an id.
  secrets.push('Kínđáo', 'Hoàng Thị', h.household.address, '0987654321', '079150001234', imei, '1950-04-04', 'Ki\u0301nđa\u0301o');
  ids.push(h.household.id, h.people[0]!.id, allocationId, pledgeId, sponsorId, stockId);
});
afterAll(async () => {
  await ctx.close();
});

/** Every cell of a workbook as text (the file itself is zipped, so searching its bytes proves nothing). */
async function workbookText(bytes: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
  return cells.join('\n');
}

describe('a sponsor through every route', () => {
  it('sees their pledge’s handover by unit in the portal, and no recipient who did not agree', async () => {
    const portal = await sponsor.get('/api/devices/portal');
    expect(portal.statusCode, portal.body).toBe(200);
    const pledge = portal.json().pledges[0];
    expect(pledge.units).toEqual([expect.objectContaining({ unitCode: UNIT_A, received: 2, allocated: 1, handedOver: 1, lastHandoverOn: TODAY })]);
    expect(pledge.consentedRecipients).toEqual([]);
    for (const secret of secrets) expect(portal.body).not.toContain(secret);
    const report = await sponsor.get('/api/devices/portal/report.xlsx');
    expect(report.statusCode).toBe(200);
    const text = await workbookText(report.rawPayload);
    expect(text).toContain('Galaxy A06 4G');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('gets 403/404 or no personal data from every GET route of the API', async () => {
    const openapi = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const paths = Object.entries(openapi.paths).filter(([, methods]) => 'get' in methods).map(([path]) => path);
    expect(paths.length).toBeGreaterThan(30);
    const leaks: string[] = [];
    let answered = 0;
    for (const path of paths) {
      const candidates = path.includes('{') ? ids.map((id) => path.replace(/\{[^}]+\}/g, String(id))) : [path];
      for (const url of candidates) {
        const response = await sponsor.get(`${url}?unit=${UNIT_A}`);
        if (response.statusCode >= 400) continue;
        answered++;
        if (process.env.CDS_PRINT_ROUTES) console.log('answered', url, response.statusCode);
        const body = String(response.headers['content-type']).includes('spreadsheetml') ? await workbookText(response.rawPayload) : response.body;
        for (const secret of secrets) if (body.includes(secret)) leaks.push(`${url} → ${secret}`);
      }
    }
    expect(leaks).toEqual([]);
    // The portal, its report, the public figures, the plan list at least answered: the walk reached real routes.
    expect(answered).toBeGreaterThan(3);
  });

  it('may not reveal an ID or phone, record a fact, allocate or hand over', async () => {
    const [householdId, residentId, allocationId] = ids as [number, number, number];
    const tries = [
      await sponsor.post(`/api/residents/${residentId}/reveal`, { field: 'phone' }),
      await sponsor.post(`/api/residents/${residentId}/facts`, { indicator: 'smartphone', value: 'true', observedOn: TODAY, sourceKind: 'person' }),
      await sponsor.post('/api/devices/allocations', { householdId, stockId: ids[5] }),
      await sponsor.post(`/api/devices/allocations/${allocationId}/follow-up`, { inUse: true }),
      await sponsor.post('/api/devices/requests', { householdId }),
    ];
    for (const response of tries) {
      expect([403, 404]).toContain(response.statusCode);
      for (const secret of secrets) expect(response.body).not.toContain(secret);
    }
  });

  it('shows a recipient who agreed by first name and unit only', async () => {
    const admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const stockId = ids[5]!;
    const h = await household(ctx, UNIT_A, null, 'near_poor', [{ fullName: 'Đỗ Văn Đồngý', smartphone: false }]);
    const allocationId = (await official.post('/api/devices/allocations', { householdId: h.household.id, stockId })).json().id;
    const code = (await official.post(`/api/devices/allocations/${allocationId}/schedule`, { scheduledFor: TODAY, recipientResidentId: h.people[0]!.id })).json().confirmationCode;
    await official.post(`/api/devices/allocations/${allocationId}/handover`, { imei: newImei(), confirmationCode: code, consentToSponsor: true, photoSkippedNote: 'Không chụp' });
    const portal = await sponsor.get('/api/devices/portal');
    expect(portal.json().pledges[0].consentedRecipients).toEqual([{ firstName: 'Đồngý', unitName: expect.any(String), handedOverOn: TODAY }]);
    expect(portal.body).not.toContain('Đỗ Văn');
    expect(portal.body).not.toContain(h.household.address);
    expect(admin).toBeDefined();
  });
});
