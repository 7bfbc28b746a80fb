import type { PledgeView, SponsorView } from '@cds/contract';
import { auditLog, devicePledges, sponsors } from '@cds/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_A, createTestApp, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';

// Sponsors registering themselves on the public site, the city's decision, and pledges withdrawn
// with a reason.

let ctx: TestContext;
let admin: Session;
let official: Session;
let address = 0;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
});
afterAll(async () => {
  await ctx.close();
});

/** Each call from an address of its own unless one is given, so the per-address limit stays out of the way. */
const register = (body: Record<string, unknown>, remoteAddress = `10.0.${Math.floor(++address / 250)}.${address % 250}`) =>
  ctx.app.inject({ method: 'POST', url: '/api/public/sponsor-registrations', payload: body, remoteAddress });

let serial = 0;
const application = (overrides: Record<string, unknown> = {}) => ({
  kind: 'business',
  name: 'Công ty TNHH Điện thoại Nhân Ái',
  taxCode: '0312345678',
  contactName: 'Nguyễn Văn Bình',
  contactPhone: '+84 912 345 678',
  contactEmail: 'binh@nhanai.vn',
  intent: '200 điện thoại 4G cho hộ nghèo quận cũ Bình Thạnh',
  username: `nhanai${++serial}${Date.now() % 10000}`,
  password: 'mat-khau-dai-du',
  ...overrides,
});

const signInAs = (username: string, password: string) => ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('POST /api/public/sponsor-registrations', () => {
  it('keeps a registration waiting, its login closed, until the city approves; then it can pledge', async () => {
    const form = application();
    const registered = await register(form);
    expect(registered.statusCode, registered.body).toBe(200);
    const { id } = registered.json() as { id: number };
    const [row] = await ctx.deps.db.select().from(sponsors).where(eq(sponsors.id, id));
    // The phone is kept in its clean national form; the password only as a hash.
    expect(row).toMatchObject({ status: 'pending', contactPhone: '0912345678', taxCode: '0312345678' });
    expect((await signInAs(form.username, form.password)).statusCode).toBe(401);

    const list = (await admin.get('/api/devices/sponsors')).json() as SponsorView[];
    expect(list[0]).toMatchObject({ id, status: 'pending', username: form.username, intent: form.intent });
    expect(((await admin.get('/api/devices/sponsors?status=pending')).json() as SponsorView[]).every((s) => s.status === 'pending')).toBe(true);

    // Only the city decides, and only the city reads registrations and login names.
    expect((await official.post(`/api/devices/sponsors/${id}/decision`, { decision: 'approve' })).statusCode).toBe(403);
    const seenByOfficial = (await official.get('/api/devices/sponsors')).json() as SponsorView[];
    expect(seenByOfficial.some((s) => s.id === id)).toBe(false);
    expect(seenByOfficial.every((s) => s.status === 'active' && s.username === null)).toBe(true);
    // The city may not pledge in the name of a sponsor it has not approved.
    expect((await admin.post('/api/devices/pledges', { kind: 'device', sponsorId: id, model: 'Galaxy A06', network: '4g', quantity: 5 })).json().error.issues[0].path).toBe('body.sponsorId');

    const approved = await admin.post(`/api/devices/sponsors/${id}/decision`, { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'active', declineReason: null });
    expect((await admin.post(`/api/devices/sponsors/${id}/decision`, { decision: 'decline', reason: 'Đổi ý' })).json().error.code).toBe('ALREADY_DECIDED');

    const signedIn = await signInAs(form.username, form.password);
    expect(signedIn.statusCode).toBe(200);
    const sponsor = await signIn(ctx, { username: form.username, password: form.password });
    const pledge = await sponsor.post('/api/devices/pledges', { kind: 'device', model: 'Galaxy A06 4G', network: '4g', quantity: 20, deliveryUnitCode: UNIT_A });
    expect(pledge.statusCode, pledge.body).toBe(200);
    expect(pledge.json()).toMatchObject({ sponsorId: id, quantity: 20 });
    const [audit] = await ctx.deps.db.select().from(auditLog).where(sql`${auditLog.recordType} = 'sponsor' AND ${auditLog.recordIds} @> ARRAY[${id}]::bigint[] AND ${auditLog.detail}->>'status' = 'active'`);
    expect(audit).toBeDefined();
  });

  it('declines with a reason, and the login stays closed', async () => {
    const form = application({ kind: 'individual', taxCode: undefined, name: 'Trần Thị Mai', showPublicly: true });
    const { id } = (await register(form)).json() as { id: number };
    const noReason = await admin.post(`/api/devices/sponsors/${id}/decision`, { decision: 'decline' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.issues[0].path).toBe('body.reason');
    const declined = await admin.post(`/api/devices/sponsors/${id}/decision`, { decision: 'decline', reason: 'Không liên lạc được qua số điện thoại đã ghi' });
    expect(declined.json()).toMatchObject({ status: 'declined', declineReason: 'Không liên lạc được qua số điện thoại đã ghi' });
    expect((await signInAs(form.username, form.password)).statusCode).toBe(401);
    // Were the login opened by hand, a declined sponsor still could not pledge.
    await ctx.deps.db.execute(sql`UPDATE users SET disabled = false WHERE lower(username) = lower(${form.username})`);
    const reopened = await signIn(ctx, { username: form.username, password: form.password });
    const pledge = await reopened.post('/api/devices/pledges', { kind: 'device', model: 'Galaxy A06', network: '4g', quantity: 5 });
    expect(pledge.json().error.code).toBe('SPONSOR_NOT_LINKED');
  });

  it.each([
    ['a business without a tax code', { taxCode: undefined }, 'body.taxCode'],
    ['a tax code of nine digits', { taxCode: '031234567' }, 'body.taxCode'],
    ['a phone that is no Vietnamese number', { contactPhone: '12345' }, 'body.contactPhone'],
    ['a foreign phone', { contactPhone: '+1 415 555 0100' }, 'body.contactPhone'],
    ['no contact person', { contactName: '' }, 'body.contactName'],
    ['an email that is not one', { contactEmail: 'binh@' }, 'body.contactEmail'],
    ['a short password', { password: 'ngan' }, 'body.password'],
    ['a username with spaces and diacritics', { username: 'nhà tài trợ' }, 'body.username'],
    ['an unknown kind', { kind: 'government' }, 'body.kind'],
  ])('refuses %s, naming the field in Vietnamese', async (_what, change, path) => {
    const before = await ctx.deps.db.select({ n: sql<number>`count(*)::int` }).from(sponsors);
    const response = await register(application(change));
    expect(response.statusCode, response.body).toBe(400);
    const issue = (response.json().error.issues as { path: string; message: string }[]).find((i) => i.path === path);
    expect(issue?.message).toMatch(/[àáảãạăâđèéêìíòóôơùúưỳý]/i);
    expect((await ctx.deps.db.select({ n: sql<number>`count(*)::int` }).from(sponsors))[0]!.n).toBe(before[0]!.n);
  });

  it('refuses a username already taken, in any case', async () => {
    const first = application();
    expect((await register(first)).statusCode).toBe(200);
    const again = await register(application({ username: first.username.toUpperCase() }));
    expect(again.statusCode).toBe(400);
    expect(again.json().error.issues[0]).toMatchObject({ path: 'body.username' });
  });

  it('takes three registrations an hour from one address, then asks it to wait', async () => {
    const here = '192.0.2.77';
    for (let i = 0; i < 3; i++) expect((await register(application(), here)).statusCode).toBe(200);
    const fourth = await register(application(), here);
    expect(fourth.statusCode).toBe(429);
    // Another address is not held up by this one.
    expect((await register(application(), '192.0.2.78')).statusCode).toBe(200);
  });
});

describe('POST /api/devices/pledges/:id/cancel', () => {
  it('asks why, and keeps the reason with the pledge', async () => {
    const sponsor = (await admin.post('/api/devices/sponsors', { kind: 'union', name: 'Liên đoàn Lao động phường' })).json() as SponsorView;
    const pledge = (await admin.post('/api/devices/pledges', { kind: 'device', sponsorId: sponsor.id, model: 'Redmi A3', network: '4g', quantity: 3 })).json() as PledgeView;
    const noReason = await admin.post(`/api/devices/pledges/${pledge.id}/cancel`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.issues[0].path).toBe('body.reason');
    const [still] = await ctx.deps.db.select({ status: devicePledges.status }).from(devicePledges).where(eq(devicePledges.id, pledge.id));
    expect(still!.status).toBe('open');
    const cancelled = await admin.post(`/api/devices/pledges/${pledge.id}/cancel`, { reason: 'Nhà tài trợ chuyển sang tài trợ tiền' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: 'Nhà tài trợ chuyển sang tài trợ tiền' });
    const listed = ((await admin.get(`/api/devices/pledges?sponsor=${sponsor.id}`)).json() as PledgeView[])[0];
    expect(listed?.cancelReason).toBe('Nhà tài trợ chuyển sang tài trợ tiền');
  });
});
