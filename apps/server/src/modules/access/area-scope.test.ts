import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_A, UNIT_B, assign, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';

// The promise every reader relies on: an official of one ward gets nothing of another ward, by
// any route, and an analyst gets no personal row at all.

let ctx: TestContext;
let officialA: Session;
let officialB: Session;
let analyst: Session;
let volunteer: Session;
let citizen: Session;
let householdA: { id: number; unitCode: string };
let householdB: { id: number; unitCode: string };
let residentA: { id: number };
let residentB: { id: number };
let otherResidentA: { id: number };

beforeAll(async () => {
  ctx = await createTestApp();
  householdA = await makeHousehold(ctx, UNIT_A);
  householdB = await makeHousehold(ctx, UNIT_B);
  const otherHouseholdA = await makeHousehold(ctx, UNIT_A);
  residentA = await makeResident(ctx, householdA, { fullName: 'Trần Thị Ánh', birthDate: '1990-03-02', sex: 'female', citizenId: '079190001234', phone: '0912345678' });
  residentB = await makeResident(ctx, householdB, { fullName: 'Trần Thị Bích', birthDate: '1991-03-02', sex: 'female', citizenId: '079191005678' });
  otherResidentA = await makeResident(ctx, otherHouseholdA, { fullName: 'Trần Văn Cường', birthDate: '1970-01-01' });
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  officialB = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
  analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
  const volunteerUser = await makeUser(ctx, 'volunteer');
  await assign(ctx, volunteerUser.id, householdA.id);
  volunteer = await signIn(ctx, volunteerUser);
  citizen = await signIn(ctx, await makeUser(ctx, 'citizen', { residentId: residentA.id }));
});
afterAll(async () => ctx?.close());

describe('a unit official of one ward', () => {
  it('sees their own ward in lists, search and detail', async () => {
    expect((await officialA.get(`/api/households?unit=${UNIT_A}`)).json().items.map((h: { id: number }) => h.id)).toContain(householdA.id);
    expect((await officialA.get(`/api/residents?q=tran`)).json().items.map((r: { id: number }) => r.id)).toContain(residentA.id);
    expect((await officialA.get(`/api/households/${householdA.id}`)).statusCode).toBe(200);
    expect((await officialA.get(`/api/residents/${residentA.id}`)).statusCode).toBe(200);
  });

  it('gets nothing of another ward from the household list, even when naming that ward', async () => {
    const named = await officialA.get(`/api/households?unit=${UNIT_B}`);
    expect(named.statusCode).toBe(200);
    expect(named.json().items).toEqual([]);
    const all = await officialA.get('/api/households');
    expect(all.json().items.every((h: { unitCode: string }) => h.unitCode === UNIT_A)).toBe(true);
  });

  it('gets nothing of another ward from resident search by name or by ID digits', async () => {
    for (const q of ['tran thi bich', 'bich', '5678', '079191005678']) {
      const response = await officialA.get(`/api/residents?q=${encodeURIComponent(q)}`);
      expect(response.statusCode).toBe(200);
      expect(response.json().items.map((r: { id: number }) => r.id)).not.toContain(residentB.id);
    }
    expect((await officialA.get(`/api/residents?unit=${UNIT_B}`)).json().items).toEqual([]);
  });

  it('is told another ward’s household and resident do not exist (404), not forbidden', async () => {
    for (const url of [`/api/households/${householdB.id}`, `/api/residents/${residentB.id}`, `/api/residents/${residentB.id}/facts`]) {
      const response = await officialA.get(url);
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('cannot reveal, correct or record facts on another ward’s resident', async () => {
    expect((await officialA.post(`/api/residents/${residentB.id}/reveal`, { field: 'citizenId' })).statusCode).toBe(404);
    expect((await officialA.patch(`/api/residents/${residentB.id}`, { fullName: 'Đổi Tên' })).statusCode).toBe(404);
    expect((await officialA.post(`/api/residents/${residentB.id}/facts`, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-01' })).statusCode).toBe(404);
    expect((await officialA.patch(`/api/households/${householdB.id}`, { address: '1 Lê Lợi' })).statusCode).toBe(404);
  });

  it('cannot register a household or a resident in another ward', async () => {
    const household = await officialA.post('/api/households', { unitCode: UNIT_B, address: '12 Lê Thánh Tôn' });
    expect(household.statusCode).toBe(403);
    const resident = await officialA.post('/api/residents', { householdId: householdB.id, fullName: 'Lê Văn Dũng', birthYear: 1980, relationToHead: 'child', residenceType: 'permanent' });
    expect(resident.statusCode).toBe(400);
    expect(resident.json().error.issues[0].path).toBe('body.householdId');
  });

  it('sees only their own unit in the unit list and cannot open another unit or its neighbourhoods', async () => {
    const units = (await officialA.get('/api/units')).json().items.map((u: { code: string }) => u.code);
    expect(units).toEqual([UNIT_A]);
    expect((await officialA.get(`/api/units/${UNIT_B}`)).statusCode).toBe(404);
    expect((await officialA.get(`/api/units/${UNIT_B}/neighbourhoods`)).statusCode).toBe(404);
    expect((await officialA.post(`/api/units/${UNIT_B}/neighbourhoods`, { name: 'Khu phố 9' })).statusCode).toBe(404);
  });

  it('cannot read the audit log', async () => {
    const response = await officialA.get(`/api/audit?recordId=${residentB.id}`);
    expect(response.statusCode).toBe(403);
  });

  it('is symmetric: the other ward’s official cannot see this ward', async () => {
    expect((await officialB.get(`/api/residents/${residentA.id}`)).statusCode).toBe(404);
    expect((await officialB.get(`/api/households?unit=${UNIT_A}`)).json().items).toEqual([]);
  });
});

describe('an analyst', () => {
  it('sees unit aggregates for the whole city', async () => {
    const response = await analyst.get('/api/units');
    expect(response.statusCode).toBe(200);
    const items = response.json().items as { code: string; households: number }[];
    expect(items).toHaveLength(168);
    expect(items.find((u) => u.code === UNIT_A)?.households).toBe(2);
  });

  it('gets no personal row from any list, search or detail route', async () => {
    for (const url of ['/api/households', `/api/households?unit=${UNIT_A}`, '/api/residents?q=tran', `/api/households/${householdA.id}`, `/api/residents/${residentA.id}`, `/api/residents/${residentA.id}/facts`]) {
      const response = await analyst.get(url);
      expect(response.statusCode, url).toBe(403);
      expect(response.body).not.toContain('Trần');
    }
  });
});

describe('a volunteer', () => {
  it('sees only the households assigned to them', async () => {
    const list = (await volunteer.get('/api/households')).json().items.map((h: { id: number }) => h.id);
    expect(list).toEqual([householdA.id]);
    expect((await volunteer.get(`/api/residents/${otherResidentA.id}`)).statusCode).toBe(404);
    expect((await volunteer.get(`/api/residents/${residentA.id}`)).statusCode).toBe(200);
  });

  it('may reveal a phone to arrange a visit but never a citizen ID', async () => {
    expect((await volunteer.post(`/api/residents/${residentA.id}/reveal`, { field: 'phone' })).json().value).toBe('0912345678');
    expect((await volunteer.post(`/api/residents/${residentA.id}/reveal`, { field: 'citizenId' })).statusCode).toBe(403);
  });
});

describe('a citizen', () => {
  it('sees their own record and no one else’s', async () => {
    expect((await citizen.get(`/api/residents/${residentA.id}`)).statusCode).toBe(200);
    expect((await citizen.get(`/api/residents/${otherResidentA.id}`)).statusCode).toBe(404);
    const search = (await citizen.get('/api/residents?q=tran')).json().items.map((r: { id: number }) => r.id);
    expect(search).toEqual([residentA.id]);
  });

  it('reads what was recorded about them and when, but not which official recorded it nor the internal reference', async () => {
    const recorded = await officialA.post(`/api/residents/${residentA.id}/facts`, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-01', sourceKind: 'visit', sourceRef: 'Phiếu KP5-017' });
    expect(recorded.statusCode).toBe(200);
    const seenBy = async (session: Session) => {
      const detail = (await session.get(`/api/residents/${residentA.id}`)).json();
      const history = (await session.get(`/api/residents/${residentA.id}/facts`)).json().items as { indicator: string; statedBy: string | null; sourceRef: string | null }[];
      const indicators = (detail.elements as { indicators: { indicator: string; fact: unknown }[] }[]).flatMap((e) => e.indicators);
      return { current: indicators.find((i) => i.indicator === 'smartphone')?.fact as Record<string, unknown>, past: history.find((f) => f.indicator === 'smartphone') };
    };
    const official = await seenBy(officialA);
    expect(official.current).toMatchObject({ value: 'true', observedOn: '2026-11-01', sourceKind: 'visit', sourceRef: 'Phiếu KP5-017' });
    expect(official.current.statedBy).toEqual(expect.any(String));
    const own = await seenBy(citizen);
    expect(own.current).toMatchObject({ value: 'true', observedOn: '2026-11-01', sourceKind: 'visit', sourceRef: null, statedBy: null });
    expect(own.past).toMatchObject({ sourceRef: null, statedBy: null });
  });
});
