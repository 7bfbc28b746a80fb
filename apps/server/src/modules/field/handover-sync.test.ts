import { randomUUID } from 'node:crypto';
import { deviceAllocations, facts, fieldHandovers, fieldRefusals, householdNeeds } from '@cds/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TODAY, UNIT_A, assign, createTestApp, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';
import { household, newImei, stockOf, visitNeed } from '../devices/device-test-kit.ts';
import { rebuildLedger, verifyLedger } from '../indicators/indicator-ledger.ts';
import { fieldWorker, makeTeam, resultsOf, type FieldWorker } from './sync-test-kit.ts';

// Device handovers recorded on a volunteer's phone and sent with the sync (issue 6): the rules
// are recordHandover's; here, what the sync answers and keeps.

let ctx: TestContext;
let admin: Session;
let official: Session;
let worker: FieldWorker;
let stockId: number;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
  stockId = (await stockOf(admin, official, UNIT_A, 20)).stockId;
});
afterAll(async () => {
  await ctx.close();
});

/** A poor household of unit A with a 2G-only elder and a device need, its device allocated and scheduled; assigned to the worker unless told. */
async function scheduled(options: { assigned?: boolean } = {}) {
  const h = await household(ctx, UNIT_A, null, 'poor', [{ fullName: 'Lê Thị Sáu', birthDate: '1948-05-05', smartphone: false, phone2gOnly: true }]);
  await visitNeed(ctx, h.household.id, UNIT_A);
  if (options.assigned !== false) await assign(ctx, worker.user.id, h.household.id);
  const allocated = await official.post('/api/devices/allocations', { householdId: h.household.id, stockId });
  expect(allocated.statusCode, allocated.body).toBe(200);
  const allocationId = allocated.json().id as number;
  const recipientId = h.people[0]!.id;
  const plan = await official.post(`/api/devices/allocations/${allocationId}/schedule`, { scheduledFor: TODAY, recipientResidentId: recipientId });
  expect(plan.statusCode, plan.body).toBe(200);
  return { householdId: h.household.id, allocationId, recipientId, code: plan.json().confirmationCode as string };
}

function handoverOf(s: { householdId: number; allocationId: number }, overrides: Record<string, unknown> = {}) {
  return {
    kind: 'handover',
    clientHandoverId: randomUUID(),
    allocationId: s.allocationId,
    householdId: s.householdId,
    handedOverAt: `${TODAY}T10:15:00+07:00`,
    imei: newImei(),
    consentToSponsor: true,
    photoSkippedNote: 'Người nhận không muốn chụp ảnh',
    ...overrides,
  };
}

const allocationRow = async (id: number) => (await ctx.deps.db.select().from(deviceAllocations).where(eq(deviceAllocations.id, id)))[0]!;
const refusalsOf = (clientId: string) => ctx.deps.db.select().from(fieldRefusals).where(eq(fieldRefusals.clientVisitId, clientId));
const wrongCodeOf = (code: string) => (code === '000000' ? '111111' : '000000');

describe('GET /api/field/bundle: handovers', () => {
  it('carries the scheduled handover of an assigned household, with the device and the recipient, and none of another household', async () => {
    const mine = await scheduled();
    const other = await scheduled({ assigned: false });
    const bundle = await worker.send('GET', '/api/field/bundle');
    expect(bundle.statusCode, bundle.body).toBe(200);
    const list = (bundle.json() as { households: { id: number; handovers: unknown[] }[] }).households;
    expect(list.find((h) => h.id === mine.householdId)?.handovers).toEqual([{
      allocationId: mine.allocationId,
      sponsorName: expect.any(String),
      model: 'Galaxy A06 4G',
      network: '4g',
      scheduledFor: TODAY,
      recipient: { residentId: mine.recipientId, fullName: 'Lê Thị Sáu' },
    }]);
    expect(list.some((h) => h.id === other.householdId)).toBe(false);
    expect(list.flatMap((h) => h.handovers).some((d) => (d as { allocationId: number }).allocationId === other.allocationId)).toBe(false);
  });
});

describe('GET /api/field/bundle: two 2G-only phones in one household', () => {
  it('carries both scheduled handovers, and the one not yet handed over stays', async () => {
    const h = await household(ctx, UNIT_A, null, 'poor', [
      { fullName: 'Võ Văn Sáu', birthDate: '1950-01-01', smartphone: false, phone2gOnly: true },
      { fullName: 'Lý Thị Bảy', birthDate: '1953-01-01', smartphone: false, phone2gOnly: true },
    ]);
    await assign(ctx, worker.user.id, h.household.id);
    const due = [];
    for (const person of h.people) {
      const allocated = await official.post('/api/devices/allocations', { householdId: h.household.id, stockId, residentId: person.id });
      expect(allocated.statusCode, allocated.body).toBe(200);
      const plan = await official.post(`/api/devices/allocations/${allocated.json().id}/schedule`, { scheduledFor: TODAY, recipientResidentId: person.id });
      due.push({ allocationId: allocated.json().id as number, householdId: h.household.id, code: plan.json().confirmationCode as string });
    }
    const handoversOf = async () =>
      ((await worker.send('GET', '/api/field/bundle')).json() as { households: { id: number; handovers: { allocationId: number; recipient: { fullName: string } }[] }[] }).households.find((x) => x.id === h.household.id)!.handovers;
    expect((await handoversOf()).map((d) => d.recipient.fullName)).toEqual(['Võ Văn Sáu', 'Lý Thị Bảy']);
    expect(resultsOf(await worker.sync([handoverOf(due[0]!, { confirmationCode: due[0]!.code })]))[0]!.outcome).toBe('stored');
    expect((await handoversOf()).map((d) => d.allocationId)).toEqual([due[1]!.allocationId]);
  });
});

describe('POST /api/field/sync: handovers', () => {
  it('records a handover with the recipient’s code through the ledger, closes the need, and answers duplicate when sent again', async () => {
    const s = await scheduled();
    await rebuildLedger(ctx.deps.db, TODAY);
    const item = handoverOf(s, { confirmationCode: s.code });
    const sent = await worker.sync([item]);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(resultsOf(sent)).toEqual([{ clientVisitId: item.clientHandoverId, outcome: 'stored', visitId: null, householdId: s.householdId, conflicts: 0, reasonCode: null, reason: null }]);

    const row = await allocationRow(s.allocationId);
    expect(row).toMatchObject({ status: 'handed_over', imei: item.imei, confirmation: 'code', handedOverBy: worker.user.id, handedOverOn: TODAY, consentToSponsor: true, photoSkippedNote: item.photoSkippedNote });
    const recorded = await ctx.deps.db.select().from(facts).where(eq(facts.sourceRef, `handover:${s.allocationId}`));
    expect(recorded.map((f) => `${f.indicator}=${f.value}`).sort()).toEqual(['phone_2g_only=false', 'smartphone=true']);
    for (const f of recorded) expect(f).toMatchObject({ residentId: s.recipientId, statedBy: worker.user.id, observedOn: TODAY });
    const needs = await ctx.deps.db.select().from(householdNeeds).where(eq(householdNeeds.householdId, s.householdId));
    expect(needs.map((n) => n.status)).toEqual(['met']);
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);

    const again = await worker.sync([item]);
    expect(resultsOf(again)[0]).toMatchObject({ clientVisitId: item.clientHandoverId, outcome: 'duplicate', reasonCode: null });
    expect(await ctx.deps.db.select().from(fieldHandovers).where(eq(fieldHandovers.clientHandoverId, item.clientHandoverId))).toHaveLength(1);
    expect(await ctx.deps.db.select().from(facts).where(eq(facts.sourceRef, `handover:${s.allocationId}`))).toHaveLength(2);
    // The handover is done: the next bundle no longer offers it.
    const bundle = (await worker.send('GET', '/api/field/bundle')).json() as { households: { id: number; handovers: unknown[] }[] };
    expect(bundle.households.find((h) => h.id === s.householdId)?.handovers).toEqual([]);
  });

  it('accepts a drawn signature and a photo instead of a code', async () => {
    const s = await scheduled();
    const photo = 'data:image/jpeg;base64,/9j/4AAQ';
    const item = handoverOf(s, { signaturePng: 'data:image/png;base64,iVBORw0KGgo=', photo, photoSkippedNote: undefined, consentToSponsor: false });
    expect(resultsOf(await worker.sync([item]))[0]!.outcome).toBe('stored');
    expect(await allocationRow(s.allocationId)).toMatchObject({ status: 'handed_over', confirmation: 'signature', photo, photoSkippedNote: null, consentToSponsor: false });
  });

  it('refuses a wrong code, counts it once however often the phone resends it, and keeps it for the unit’s official', async () => {
    const s = await scheduled();
    const item = handoverOf(s, { confirmationCode: wrongCodeOf(s.code) });
    const first = resultsOf(await worker.sync([item]))[0]!;
    expect(first).toMatchObject({ outcome: 'refused', reasonCode: 'HANDOVER_BAD_CODE', reason: expect.stringMatching(/^Mã xác nhận của người nhận không đúng/) });
    expect(await allocationRow(s.allocationId)).toMatchObject({ status: 'scheduled', codeAttempts: 1, imei: null });
    const resent = resultsOf(await worker.sync([item]))[0]!;
    expect(resent).toMatchObject({ outcome: 'refused', reasonCode: 'HANDOVER_BAD_CODE' });
    expect((await allocationRow(s.allocationId)).codeAttempts).toBe(1);
    expect(await refusalsOf(item.clientHandoverId)).toEqual([expect.objectContaining({ reasonCode: 'HANDOVER_BAD_CODE', householdId: s.householdId, unitCode: UNIT_A, userId: worker.user.id, status: 'open' })]);

    const kept = await official.get(`/api/field/refusals?unit=${UNIT_A}`);
    const refusal = (kept.json() as { items: { id: number; clientVisitId: string }[] }).items.find((r) => r.clientVisitId === item.clientHandoverId);
    expect(refusal).toBeDefined();
    // An official cannot confirm for the recipient: the kept handover can only be dismissed.
    const accept = await official.post(`/api/field/refusals/${refusal!.id}/decision`, { decision: 'accept', note: 'Thử nhận' });
    expect(accept.statusCode).toBe(400);
    expect(accept.json().error.issues[0].message).toMatch(/Bàn giao thiết bị/);

    // The volunteer asks again and records it anew (a new id): it goes through.
    const retry = handoverOf(s, { confirmationCode: s.code });
    expect(resultsOf(await worker.sync([retry]))[0]!.outcome).toBe('stored');
  });

  it('refuses, and keeps, a handover of a household not given to the sender; the allocation is untouched', async () => {
    const s = await scheduled({ assigned: false });
    const item = handoverOf(s, { confirmationCode: s.code });
    const result = resultsOf(await worker.sync([item]))[0]!;
    expect(result).toMatchObject({ outcome: 'refused', reasonCode: 'NOT_ASSIGNED', reason: expect.stringMatching(/không được giao cho bạn/) });
    expect(await allocationRow(s.allocationId)).toMatchObject({ status: 'scheduled', codeAttempts: 0 });
    expect(await refusalsOf(item.clientHandoverId)).toEqual([expect.objectContaining({ reasonCode: 'NOT_ASSIGNED', unitCode: UNIT_A })]);
  });

  it('refuses a taken IMEI, a handover already recorded, a bad IMEI and a household that is not the allocation’s, each on its own in one batch', async () => {
    const done = await scheduled();
    const imei = newImei();
    const first = handoverOf(done, { confirmationCode: done.code, imei });
    const other = await scheduled();
    const taken = handoverOf(other, { confirmationCode: other.code, imei });
    const twice = handoverOf(done, { confirmationCode: done.code });
    const third = await scheduled();
    const badImei = handoverOf(third, { confirmationCode: third.code, imei: '490154203237519' });
    const wrongHousehold = handoverOf({ allocationId: third.allocationId, householdId: other.householdId }, { confirmationCode: third.code });
    const results = resultsOf(await worker.sync([first, taken, twice, badImei, wrongHousehold]));
    expect(results.map((r) => [r.outcome, r.reasonCode])).toEqual([
      ['stored', null],
      ['refused', 'HANDOVER_IMEI_TAKEN'],
      ['refused', 'HANDOVER_WRONG_STATE'],
      ['refused', 'INVALID_VISIT'],
      ['refused', 'INVALID_VISIT'],
    ]);
    expect(results[1]!.reason).toMatch(/IMEI này đã được ghi/);
    expect(results[3]!.reason).toMatch(/imei: Số IMEI sai chữ số kiểm tra/);
    expect(results[4]!.reason).toMatch(/phân bổ cho hộ khác/);
    expect(await allocationRow(third.allocationId)).toMatchObject({ status: 'scheduled' });
    expect(await allocationRow(other.allocationId)).toMatchObject({ status: 'scheduled' });
  });

  it('refuses a handover without code or signature by its shape, naming the field', async () => {
    const s = await scheduled();
    const result = resultsOf(await worker.sync([handoverOf(s)]))[0]!;
    expect(result).toMatchObject({ outcome: 'refused', reasonCode: 'INVALID_VISIT', reason: expect.stringMatching(/confirmationCode: Cần mã xác nhận hoặc chữ ký/) });
  });
});
