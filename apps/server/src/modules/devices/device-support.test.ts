import type { DeviceNeed, IndicatorFigure, PlanIndicators } from '@cds/contract';
import { auditLog, deviceStock, facts, householdNeeds } from '@cds/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TODAY, UNIT_A, UNIT_B, assign, createTestApp, makeUser, signIn, type Session, type TestContext, type TestUser } from '../../test/test-app.ts';
import { rebuildLedger, verifyLedger } from '../indicators/indicator-ledger.ts';
import { NO_PHOTO, household, makeNeighbourhood, newImei, stockOf, visitNeed } from './device-test-kit.ts';

let ctx: TestContext;
let admin: Session;
let officialA: Session;
let officialA2: Session;
let officialB: Session;
let volunteerUser: TestUser;
let volunteer: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  officialA2 = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  officialB = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
  volunteerUser = await makeUser(ctx, 'volunteer');
  volunteer = await signIn(ctx, volunteerUser);
});
afterAll(async () => {
  await ctx.close();
});

const needsIn = async (session: Session, neighbourhood: number, extra = '') => {
  const response = await session.get(`/api/devices/needs?unit=${UNIT_A}&neighbourhood=${neighbourhood}${extra}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: DeviceNeed[]; next: string | null };
};

describe('GET /api/devices/needs', () => {
  it('lists households without a smartphone, 2G-only users, visit needs and requests, highest priority first, with reasons', async () => {
    const n = await makeNeighbourhood(ctx, UNIT_A);
    const elderPoor = await household(ctx, UNIT_A, n, 'poor', [{ fullName: 'Lê Thị Tư', birthDate: '1948-01-01', smartphone: false }]);
    const twoG = await household(ctx, UNIT_A, n, 'none', [{ birthDate: '1980-01-01', smartphone: true, phone2gOnly: true }, { birthDate: '1982-01-01' }]);
    const served = await household(ctx, UNIT_A, n, 'none', [{ birthDate: '1980-01-01', smartphone: true }]);
    const visited = await household(ctx, UNIT_A, n, 'near_poor', [{ birthDate: '1990-01-01', smartphone: true }]);
    await visitNeed(ctx, visited.household.id, UNIT_A);
    // A household in the same neighbourhood with a smartphone and nothing asked: not on the list.
    const before = await needsIn(officialA, n);
    expect(before.items.map((i) => i.householdId)).toEqual([elderPoor.household.id, visited.household.id, twoG.household.id]);

    // A request states what the registry cannot know: a member with a disability.
    const asked = await officialA.post('/api/devices/requests', { householdId: served.household.id, circumstances: ['disability'], note: 'Con bị khiếm thị' });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toMatchObject({ channel: 'official', circumstances: ['disability'], status: 'open' });

    const after = await needsIn(officialA, n);
    expect(after.items.map((i) => [i.householdId, i.score])).toEqual([
      [elderPoor.household.id, 60],
      [visited.household.id, 25],
      [served.household.id, 20],
      [twoG.household.id, 0],
    ]);
    const first = after.items[0]!;
    expect(first.basis).toEqual(['no_smartphone']);
    expect(first.reasons.map((r) => r.code)).toEqual(['poor', 'elderly_alone']);
    expect(first.members).toEqual([expect.objectContaining({ fullName: 'Lê Thị Tư', age: 78, smartphone: false, phone2gOnly: false })]);
    expect(after.items[1]!.basis).toEqual(['visit_need']);
    expect(after.items[2]!.basis).toEqual(['request']);
    expect(after.items[3]!.basis).toEqual(['phone_2g_only']);

    // Paged by keyset: two pages of two, the same order.
    const page1 = await needsIn(officialA, n, '&limit=2');
    const page2 = await needsIn(officialA, n, `&limit=2&cursor=${page1.next}`);
    expect([...page1.items, ...page2.items].map((i) => i.householdId)).toEqual(after.items.map((i) => i.householdId));
    expect(page2.next).toBeNull();

    // Every list is in the audit log with the households it showed.
    const [logged] = await ctx.deps.db.select().from(auditLog).where(sql`${auditLog.fields} @> ARRAY['device_needs']::text[] AND ${auditLog.recordIds} @> ARRAY[${elderPoor.household.id}]::bigint[]`).limit(1);
    expect(logged).toBeDefined();
  });

  it('pages by priority past households of high priority that need nothing', async () => {
    const n = await makeNeighbourhood(ctx, UNIT_A);
    // Poor households that already have a smartphone score highest but are not listed; the
    // listing reads them in score order, so the page must read past them, batch after batch.
    for (let i = 0; i < 6; i++) await household(ctx, UNIT_A, n, 'poor', [{ smartphone: true }]);
    const wanted = [
      await household(ctx, UNIT_A, n, 'near_poor', [{ smartphone: false }]),
      await household(ctx, UNIT_A, n, 'none', [{ birthDate: '1990-01-01', smartphone: false }]),
      await household(ctx, UNIT_A, n, 'none', [{ birthDate: '1991-01-01', phone2gOnly: true }]),
    ].map((h) => h.household.id);
    const seen: number[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page++) {
      const { items, next } = await needsIn(officialA, n, `&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...items.map((i) => i.householdId));
      if (!next) break;
      cursor = next;
    }
    expect(seen).toEqual(wanted);
  });

  it('gives a cursor only when another household needs a device: the last page is never empty', async () => {
    const n = await makeNeighbourhood(ctx, UNIT_A);
    const wanted = [
      await household(ctx, UNIT_A, n, 'poor', [{ smartphone: false }]),
      await household(ctx, UNIT_A, n, 'near_poor', [{ smartphone: false }]),
    ].map((h) => h.household.id);
    // Read after them in score order, and needing nothing.
    await household(ctx, UNIT_A, n, 'none', [{ birthDate: '1980-01-01', smartphone: true }]);
    const whole = await needsIn(officialA, n, '&limit=2');
    expect(whole.items.map((i) => i.householdId)).toEqual(wanted);
    expect(whole.next).toBeNull();
    const first = await needsIn(officialA, n, '&limit=1');
    expect(first.items.map((i) => i.householdId)).toEqual([wanted[0]]);
    const second = await needsIn(officialA, n, `&limit=1&cursor=${first.next}`);
    expect(second.items.map((i) => i.householdId)).toEqual([wanted[1]]);
    expect(second.next).toBeNull();
  });

  it('shows another ward’s official nothing of this ward, and refuses sponsors and analysts', async () => {
    const n = await makeNeighbourhood(ctx, UNIT_A);
    await household(ctx, UNIT_A, n, 'poor', [{ smartphone: false }]);
    expect((await needsIn(officialB, n)).items).toEqual([]);
    const sponsor = await signIn(ctx, await makeUser(ctx, 'sponsor'));
    expect((await sponsor.get(`/api/devices/needs?unit=${UNIT_A}`)).statusCode).toBe(403);
    const analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
    expect((await analyst.get(`/api/devices/needs?unit=${UNIT_A}`)).statusCode).toBe(403);
  });

  it('lets a citizen ask for a device for their own household only', async () => {
    const mine = await household(ctx, UNIT_A, null, 'none', [{ smartphone: true }]);
    const other = await household(ctx, UNIT_A, null, 'none', [{ smartphone: true }]);
    const citizen = await signIn(ctx, await makeUser(ctx, 'citizen', { residentId: mine.people[0]!.id }));
    const ok = await citizen.post('/api/devices/requests', { householdId: mine.household.id, residentId: mine.people[0]!.id, circumstances: ['pupil'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ channel: 'citizen' });
    expect((await citizen.post('/api/devices/requests', { householdId: other.household.id })).statusCode).toBe(404);
  });

  it('adds a request asked again for the same person to the one still open, and keeps one per person', async () => {
    const n = await makeNeighbourhood(ctx, UNIT_A);
    const home = await household(ctx, UNIT_A, n, 'none', [{ birthDate: '2010-01-01', smartphone: true }, { birthDate: '2012-01-01', smartphone: true }]);
    const [elder, younger] = home.people;
    const first = (await officialA.post('/api/devices/requests', { householdId: home.household.id, residentId: elder!.id, circumstances: ['pupil'], note: 'Học lớp 10' })).json();
    expect(first).toMatchObject({ alreadyOpen: false, circumstances: ['pupil'] });
    // Asked again, by the family this time, with more to say: the open request grows, nothing is lost.
    const citizen = await signIn(ctx, await makeUser(ctx, 'citizen', { residentId: elder!.id }));
    const again = await citizen.post('/api/devices/requests', { householdId: home.household.id, residentId: elder!.id, circumstances: ['pupil', 'single_parent'], note: 'Mẹ nuôi một mình' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: first.id, alreadyOpen: true, circumstances: ['pupil', 'single_parent'], note: 'Học lớp 10 · Mẹ nuôi một mình', channel: 'official' });
    // Another member is another request.
    const other = (await officialA.post('/api/devices/requests', { householdId: home.household.id, residentId: younger!.id, circumstances: [] })).json();
    expect(other).toMatchObject({ alreadyOpen: false });
    expect(other.id).not.toBe(first.id);
    const open = await ctx.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM device_requests WHERE household_id = ${home.household.id} AND status = 'open'`);
    expect(open.rows[0]!.n).toBe(2);
    // The queue scores the household from the merged circumstances.
    const need = (await needsIn(officialA, n)).items.find((i) => i.householdId === home.household.id);
    expect(need?.reasons.map((r) => r.code).sort()).toEqual(expect.arrayContaining(['pupil', 'single_parent']));
  });
});

describe('PUT /api/devices/priority-rules/:code', () => {
  it('lets the city change a rule, and the score follows; an official may not', async () => {
    const n = await makeNeighbourhood(ctx, UNIT_A);
    const h = await household(ctx, UNIT_A, n, 'near_poor', [{ smartphone: false }]);
    expect((await needsIn(officialA, n)).items[0]!.score).toBe(25);
    expect((await officialA.put('/api/devices/priority-rules/near_poor', { points: 50, active: true })).statusCode).toBe(403);
    const changed = await admin.put('/api/devices/priority-rules/near_poor', { points: 35, active: true });
    expect(changed.statusCode, changed.body).toBe(200);
    const item = (await needsIn(officialA, n)).items[0]!;
    expect([item.householdId, item.score, item.reasons]).toEqual([h.household.id, 35, [{ code: 'near_poor', label: 'Hộ cận nghèo', points: 35 }]]);
    await admin.put('/api/devices/priority-rules/near_poor', { points: 25, active: true });
    const rules = await officialA.get('/api/devices/priority-rules');
    expect((rules.json() as { code: string }[]).map((r) => r.code).sort()).toEqual(['disability', 'elderly_alone', 'near_poor', 'poor', 'pupil', 'single_parent'].sort());
  });
});

describe('POST /api/devices/allocations', () => {
  it('allocates by the unit’s stock, refuses a second device and an empty stock, and cancelling returns the device', async () => {
    const { stockId } = await stockOf(admin, officialA, UNIT_A, 1);
    const a = await household(ctx, UNIT_A, null, 'poor', [{ smartphone: false }]);
    const b = await household(ctx, UNIT_A, null, 'poor', [{ smartphone: false }]);
    const first = await officialA.post('/api/devices/allocations', { householdId: a.household.id, stockId });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'allocated', score: 40, reasons: [{ code: 'poor' }] });
    const again = await officialA.post('/api/devices/allocations', { householdId: a.household.id, stockId });
    expect(again.json().error.code).toBe('DEVICE_ALREADY_ALLOCATED');
    const empty = await officialA.post('/api/devices/allocations', { householdId: b.household.id, stockId });
    expect(empty.json().error.code).toBe('DEVICE_STOCK_EMPTY');

    const cancelled = await officialA.post(`/api/devices/allocations/${first.json().id}/cancel`, { reason: 'Hộ đã tự mua máy' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    const [stock] = await ctx.deps.db.select().from(deviceStock).where(eq(deviceStock.id, stockId));
    expect(stock).toMatchObject({ received: 1, available: 1 });
    expect((await officialA.post('/api/devices/allocations', { householdId: b.household.id, stockId })).statusCode).toBe(200);
    expect((await officialA.post(`/api/devices/allocations/${first.json().id}/cancel`, { reason: 'lần nữa' })).json().error.code).toBe('DEVICE_WRONG_STATE');
  });

  it('refuses a household that needs nothing, another ward’s household, and another ward’s stock', async () => {
    const { stockId } = await stockOf(admin, officialA, UNIT_A, 3);
    const fine = await household(ctx, UNIT_A, null, 'none', [{ smartphone: true }]);
    expect((await officialA.post('/api/devices/allocations', { householdId: fine.household.id, stockId })).json().error.code).toBe('DEVICE_NOT_ELIGIBLE');
    const inB = await household(ctx, UNIT_B, null, 'poor', [{ smartphone: false }]);
    expect((await officialA.post('/api/devices/allocations', { householdId: inB.household.id, stockId })).statusCode).toBe(404);
    const bStock = await stockOf(admin, officialB, UNIT_B, 1);
    const inA = await household(ctx, UNIT_A, null, 'poor', [{ smartphone: false }]);
    const wrong = await officialA.post('/api/devices/allocations', { householdId: inA.household.id, stockId: bStock.stockId });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.issues[0].path).toBe('body.stockId');
    // Nor may ward B's official touch ward A's allocations.
    const given = await officialA.post('/api/devices/allocations', { householdId: inA.household.id, stockId });
    expect((await officialB.post(`/api/devices/allocations/${given.json().id}/cancel`, { reason: 'thử' })).statusCode).toBe(404);
    expect((await officialB.get(`/api/devices/allocations?unit=${UNIT_A}`)).json().items).toEqual([]);
    expect((await officialB.get(`/api/devices/allocations/${given.json().id}`)).statusCode).toBe(404);
    expect((await officialA.get(`/api/devices/allocations/${given.json().id}`)).json()).toMatchObject({ householdId: inA.household.id, status: 'allocated' });
    // A volunteer records handovers but does not allocate.
    expect((await volunteer.post('/api/devices/allocations', { householdId: inA.household.id, stockId })).statusCode).toBe(403);
  });

  it('lets exactly one of two officials racing for the same household win', async () => {
    const { stockId } = await stockOf(admin, officialA, UNIT_A, 5);
    const h = await household(ctx, UNIT_A, null, 'poor', [{ smartphone: false }]);
    const results = await Promise.all([
      officialA.post('/api/devices/allocations', { householdId: h.household.id, stockId }),
      officialA2.post('/api/devices/allocations', { householdId: h.household.id, stockId }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error.code).toBe('DEVICE_ALREADY_ALLOCATED');
    const [stock] = await ctx.deps.db.select().from(deviceStock).where(eq(deviceStock.id, stockId));
    expect(stock!.available).toBe(4);
  });

  it('lets exactly one of two officials racing for the last device win, and stock never goes below zero', async () => {
    const { stockId } = await stockOf(admin, officialA, UNIT_A, 1);
    const h1 = await household(ctx, UNIT_A, null, 'poor', [{ smartphone: false }]);
    const h2 = await household(ctx, UNIT_A, null, 'near_poor', [{ smartphone: false }]);
    const results = await Promise.all([
      officialA.post('/api/devices/allocations', { householdId: h1.household.id, stockId }),
      officialA2.post('/api/devices/allocations', { householdId: h2.household.id, stockId }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error.code).toBe('DEVICE_STOCK_EMPTY');
    const [stock] = await ctx.deps.db.select().from(deviceStock).where(eq(deviceStock.id, stockId));
    expect(stock!.available).toBe(0);
    // The database itself refuses a negative count, whatever a future code path tries.
    await expect(ctx.deps.db.update(deviceStock).set({ available: sql`${deviceStock.available} - 1` }).where(eq(deviceStock.id, stockId))).rejects.toThrow();
  });

  it('refuses receiving more than was pledged', async () => {
    const { pledgeId } = await stockOf(admin, officialA, UNIT_A, 2); // pledged 7, received 2
    const over = await officialA.post('/api/devices/deliveries', { pledgeId, unitCode: UNIT_A, quantity: 6, receivedOn: '2026-11-21' });
    expect(over.json().error.code).toBe('DEVICE_PLEDGE_EXCEEDED');
    expect((await officialA.post('/api/devices/deliveries', { pledgeId, unitCode: UNIT_A, quantity: 5, receivedOn: '2026-11-21' })).json()).toMatchObject({ received: 7, available: 7 });
    expect((await officialB.post('/api/devices/deliveries', { pledgeId, unitCode: UNIT_A, quantity: 1, receivedOn: '2026-11-21' })).statusCode).toBe(403);
  });
});

async function planFigures(): Promise<Map<string, IndicatorFigure>> {
  const response = await admin.get(`/api/plans/hcmc-2026/indicators?unit=${UNIT_A}`);
  expect(response.statusCode, response.body).toBe(200);
  return new Map((response.json() as PlanIndicators).indicators.map((i) => [i.id, i]));
}

describe('handover', () => {
  it('schedules with a one-time code, records the IMEI and confirmation, and the device indicators move', async () => {
    const { stockId } = await stockOf(admin, officialA, UNIT_A, 2);
    const h = await household(ctx, UNIT_A, null, 'poor', [{ fullName: 'Phạm Văn Năm', birthDate: '1950-02-02', smartphone: false, phone2gOnly: true }]);
    await visitNeed(ctx, h.household.id, UNIT_A);
    await assign(ctx, volunteerUser.id, h.household.id);
    await rebuildLedger(ctx.deps.db, TODAY);
    const before = await planFigures();

    const allocated = await officialA.post('/api/devices/allocations', { householdId: h.household.id, stockId });
    const id = allocated.json().id as number;
    const recipient = h.people[0]!.id;
    const scheduled = await volunteer.post(`/api/devices/allocations/${id}/schedule`, { scheduledFor: TODAY, recipientResidentId: recipient });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    const code = scheduled.json().confirmationCode as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(scheduled.json().allocation).toMatchObject({ status: 'scheduled', recipient: { residentId: recipient, fullName: 'Phạm Văn Năm' } });

    const wrongCode = code === '000000' ? '111111' : '000000';
    const wrong = await volunteer.post(`/api/devices/allocations/${id}/handover`, { imei: newImei(), confirmationCode: wrongCode, ...NO_PHOTO });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('DEVICE_BAD_CONFIRMATION');
    const badImei = await volunteer.post(`/api/devices/allocations/${id}/handover`, { imei: '490154203237519', confirmationCode: code, ...NO_PHOTO });
    expect(badImei.statusCode).toBe(400);
    expect(badImei.json().error.issues[0]).toMatchObject({ path: 'body.imei', message: expect.stringMatching(/chữ số kiểm tra/) });

    const imei = newImei();
    const done = await volunteer.post(`/api/devices/allocations/${id}/handover`, { imei, confirmationCode: code, consentToSponsor: true, ...NO_PHOTO });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'handed_over', confirmation: 'code', imeiMasked: `•••••••••••${imei.slice(-4)}`, followUpDue: '2026-12-24', consentToSponsor: true });

    const recorded = await ctx.deps.db.select().from(facts).where(eq(facts.sourceRef, `handover:${id}`));
    expect(recorded.map((f) => `${f.indicator}=${f.value}`).sort()).toEqual(['phone_2g_only=false', 'smartphone=true']);
    for (const f of recorded) expect(f).toMatchObject({ residentId: recipient, sourceKind: 'person', observedOn: TODAY });
    const needs = await ctx.deps.db.select().from(householdNeeds).where(eq(householdNeeds.householdId, h.household.id));
    expect(needs.map((n) => n.status)).toEqual(['met']);

    // The dashboard's device indicators count the handover at once.
    const after = await planFigures();
    expect(after.get('ho-ngheo-can-ngheo-co-thiet-bi')!.numerator).toBe(before.get('ho-ngheo-can-ngheo-co-thiet-bi')!.numerator! + 1);
    expect(after.get('chuyen-doi-thiet-bi-2g')!.numerator).toBe(before.get('chuyen-doi-thiet-bi-2g')!.numerator! + 1);
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);

    // The household is off the list, cannot be given a second device, and the IMEI is taken.
    const again = await officialA.post('/api/devices/allocations', { householdId: h.household.id, stockId });
    expect(again.json().error.code).toBe('DEVICE_ALREADY_ALLOCATED');
    const listed = await officialA.get(`/api/devices/needs?unit=${UNIT_A}&unallocated=false&limit=200`);
    expect((listed.json() as { items: DeviceNeed[] }).items.find((i) => i.householdId === h.household.id)).toMatchObject({ basis: [], devicesNeeded: 0, allocations: [{ id, status: 'handed_over' }] });
    const other = await household(ctx, UNIT_A, null, 'poor', [{ smartphone: false }]);
    const second = await officialA.post('/api/devices/allocations', { householdId: other.household.id, stockId });
    await officialA.post(`/api/devices/allocations/${second.json().id}/schedule`, { scheduledFor: TODAY, recipientResidentId: other.people[0]!.id });
    const dupe = await officialA.post(`/api/devices/allocations/${second.json().id}/handover`, { imei, signaturePng: 'data:image/png;base64,iVBORw0KGgo=', ...NO_PHOTO });
    expect(dupe.json().error.code).toBe('DEVICE_IMEI_TAKEN');

    // A month later.
    const followed = await volunteer.post(`/api/devices/allocations/${id}/follow-up`, { inUse: true, note: 'Dùng Zalo hằng ngày' });
    expect(followed.statusCode, followed.body).toBe(200);
    expect(followed.json().followUp).toMatchObject({ inUse: true });
    expect((await volunteer.post(`/api/devices/allocations/${id}/follow-up`, { inUse: false })).json().error.code).toBe('ALREADY_DECIDED');
  });

  it('locks the code after five wrong tries', async () => {
    const { stockId } = await stockOf(admin, officialA, UNIT_A, 1);
    const h = await household(ctx, UNIT_A, null, 'poor', [{ smartphone: false }]);
    const id = (await officialA.post('/api/devices/allocations', { householdId: h.household.id, stockId })).json().id;
    // A volunteer to whom the household is not assigned does not see the allocation at all.
    expect((await volunteer.post(`/api/devices/allocations/${id}/schedule`, { scheduledFor: TODAY, recipientResidentId: h.people[0]!.id })).statusCode).toBe(404);
    const code = (await officialA.post(`/api/devices/allocations/${id}/schedule`, { scheduledFor: TODAY, recipientResidentId: h.people[0]!.id })).json().confirmationCode as string;
    const wrong = code === '000000' ? '111111' : '000000';
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await officialA.post(`/api/devices/allocations/${id}/handover`, { imei: newImei(), confirmationCode: wrong, ...NO_PHOTO })).json().error.code);
    expect(codes).toEqual(['DEVICE_BAD_CONFIRMATION', 'DEVICE_BAD_CONFIRMATION', 'DEVICE_BAD_CONFIRMATION', 'DEVICE_BAD_CONFIRMATION', 'DEVICE_CONFIRMATION_LOCKED']);
    expect((await officialA.post(`/api/devices/allocations/${id}/handover`, { imei: newImei(), confirmationCode: code, ...NO_PHOTO })).json().error.code).toBe('DEVICE_CONFIRMATION_LOCKED');
  });
});

describe('transparency', () => {
  it('answers GET /api/public/device-support without signing in, with counts only', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/public/device-support' });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.totals.pledged).toBeGreaterThan(0);
    expect(body.byUnit.find((u: { unitCode: string }) => u.unitCode === UNIT_A)).toMatchObject({ unitName: expect.any(String) });
    expect(response.body).not.toMatch(/Phạm Văn Năm|Lê Thị Tư|Đường Lê Lợi|0281234567/);
  });

  it('publishes this city’s sponsors only, when the database holds another province’s too', async () => {
    const before = (await ctx.app.inject({ method: 'GET', url: '/api/public/device-support' })).json();
    await ctx.deps.db.execute(sql`WITH s AS (INSERT INTO sponsors (province_code, kind, name, show_publicly) VALUES ('01', 'business', 'Công ty Hà Nội Xa', true) RETURNING id)
      INSERT INTO device_pledges (sponsor_id, kind, model, network, quantity) SELECT id, 'device', 'Máy 4G', '4g', 500 FROM s`);
    const after = (await ctx.app.inject({ method: 'GET', url: '/api/public/device-support' })).json();
    expect(after.totals).toEqual(before.totals);
    expect(JSON.stringify(after)).not.toContain('Công ty Hà Nội Xa');
  });

  it('exports a unit’s report as XLSX for its official, and refuses a volunteer', async () => {
    const response = await officialA.get('/api/devices/report.xlsx');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await volunteer.get(`/api/devices/report.xlsx?unit=${UNIT_A}`)).statusCode).toBe(403);
  });
});
