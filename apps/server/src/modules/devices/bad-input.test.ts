import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_A, createTestApp, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';
import { household } from './device-test-kit.ts';

// Every form of the device programme, sent wrong: the answer is 400 with the field named and a
// message in Vietnamese, before any service runs.

let ctx: TestContext;
let admin: Session;
/** A real household in place of the placeholder, so a check that needs one gets past it. */
let householdId = 0;
beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  householdId = (await household(ctx, UNIT_A, null, 'poor', [{ smartphone: false }])).household.id;
});
afterAll(async () => {
  await ctx.close();
});

const VIETNAMESE = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;
const bigImage = `data:image/png;base64,${'A'.repeat(700_000)}`;

const cases: [string, 'GET' | 'POST' | 'PUT', string, unknown, string][] = [
  ['a rule with negative points', 'PUT', '/api/devices/priority-rules/poor', { points: -1, active: true }, 'body.points'],
  ['an unknown rule', 'PUT', '/api/devices/priority-rules/rich', { points: 1, active: true }, 'params.code'],
  ['a needs list of a malformed unit', 'GET', '/api/devices/needs?unit=12', undefined, 'querystring.unit'],
  ['a needs list for the whole city', 'GET', '/api/devices/needs', undefined, 'querystring.unit'],
  ['a request without a household', 'POST', '/api/devices/requests', { circumstances: [] }, 'body.householdId'],
  ['a request with an unknown circumstance', 'POST', '/api/devices/requests', { householdId: 1, circumstances: ['rich'] }, 'body.circumstances.0'],
  ['a sponsor with a one-letter name', 'POST', '/api/devices/sponsors', { kind: 'business', name: 'A' }, 'body.name'],
  ['a sponsor with a bad email', 'POST', '/api/devices/sponsors', { kind: 'union', name: 'Công đoàn', contactEmail: 'không-phải-email' }, 'body.contactEmail'],
  ['a pledge of zero devices', 'POST', '/api/devices/pledges', { kind: 'device', sponsorId: 1, model: 'Galaxy A06', network: '4g', quantity: 0 }, 'body.quantity'],
  ['a pledge of 3G phones', 'POST', '/api/devices/pledges', { kind: 'device', sponsorId: 1, model: 'Nokia', network: '3g', quantity: 1 }, 'body.network'],
  ['a money pledge without an amount', 'POST', '/api/devices/pledges', { kind: 'money', sponsorId: 1, subsidyPerDeviceVnd: 500000 }, 'body.amountVnd'],
  ['a pledge for nobody by the city', 'POST', '/api/devices/pledges', { kind: 'device', model: 'Galaxy A06', network: '4g', quantity: 1 }, 'body.sponsorId'],
  ['a delivery on 13th month', 'POST', '/api/devices/deliveries', { pledgeId: 1, unitCode: UNIT_A, quantity: 1, receivedOn: '2026-13-01' }, 'body.receivedOn'],
  ['a delivery of an unknown pledge', 'POST', '/api/devices/deliveries', { pledgeId: 999999, unitCode: UNIT_A, quantity: 1, receivedOn: '2026-11-01' }, 'body.pledgeId'],
  ['stock of a malformed unit', 'GET', '/api/devices/stock?unit=abc', undefined, 'querystring.unit'],
  ['allocations of an unknown status', 'GET', '/api/devices/allocations?status=lost', undefined, 'querystring.status'],
  ['an allocation to household -1', 'POST', '/api/devices/allocations', { householdId: -1, stockId: 1 }, 'body.householdId'],
  ['an allocation of unknown stock', 'POST', '/api/devices/allocations', { householdId: 'HOUSEHOLD', stockId: 999999 }, 'body.stockId'],
  ['a cancellation without a reason', 'POST', '/api/devices/allocations/1/cancel', { reason: '' }, 'body.reason'],
  ['a schedule on no date', 'POST', '/api/devices/allocations/1/schedule', { scheduledFor: 'hôm nay', recipientResidentId: 1 }, 'body.scheduledFor'],
  ['a schedule without a recipient', 'POST', '/api/devices/allocations/1/schedule', { scheduledFor: '2026-12-01' }, 'body.recipientResidentId'],
  ['a handover without confirmation', 'POST', '/api/devices/allocations/1/handover', { imei: '490154203237518' }, 'body.confirmationCode'],
  ['a handover with a five-digit code', 'POST', '/api/devices/allocations/1/handover', { imei: '490154203237518', confirmationCode: '12345' }, 'body.confirmationCode'],
  ['a handover with a signature that is no image', 'POST', '/api/devices/allocations/1/handover', { imei: '490154203237518', signaturePng: 'chữ ký' }, 'body.signaturePng'],
  ['a handover with a photo too large', 'POST', '/api/devices/allocations/1/handover', { imei: '490154203237518', confirmationCode: '123456', photo: bigImage }, 'body.photo'],
  ['a handover with a 14-digit IMEI', 'POST', '/api/devices/allocations/1/handover', { imei: '49015420323751', confirmationCode: '123456', photoSkippedNote: 'x' }, 'body.imei'],
  ['a handover with neither photo nor reason', 'POST', '/api/devices/allocations/1/handover', { imei: '490154203237518', confirmationCode: '123456' }, 'body.photo'],
  ['a follow-up that says nothing', 'POST', '/api/devices/allocations/1/follow-up', {}, 'body.inUse'],
  ['a report of a malformed unit', 'GET', '/api/devices/report.xlsx?unit=1', undefined, 'querystring.unit'],
  ['a report for the whole city', 'GET', '/api/devices/report.xlsx', undefined, 'querystring.unit'],
];

describe('device support forms', () => {
  it.each(cases)('refuses %s, naming the field in Vietnamese', async (_name, method, url, template, path) => {
    const body = template === undefined ? undefined : JSON.parse(JSON.stringify(template).replace('"HOUSEHOLD"', String(householdId)));
    const response = method === 'GET' ? await admin.get(url) : method === 'PUT' ? await admin.put(url, body) : await admin.post(url, body);
    expect(response.statusCode, response.body).toBe(400);
    const error = response.json().error as { code: string; message: string; issues: { path: string; message: string }[] };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues.map((i) => i.path)).toContain(path);
    const issue = error.issues.find((i) => i.path === path)!;
    expect(issue.message).toMatch(VIETNAMESE);
  });
});
