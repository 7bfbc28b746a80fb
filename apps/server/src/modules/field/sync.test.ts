import { randomUUID } from 'node:crypto';
import { auditLog, facts, fieldRefusals, fieldVisits, households, residents } from '@cds/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TODAY, UNIT_A, UNIT_B, createTestApp, makeHousehold, makeUser, signIn, type TestContext } from '../../test/test-app.ts';
import { rebuildLedger, verifyLedger } from '../indicators/indicator-ledger.ts';
import { assignedHousehold, fieldWorker, makeTeam, resultsOf, visitOf } from './sync-test-kit.ts';

// The offline-sync suite: retries, duplicates, the same id with other content, revoked devices,
// stale apps, households not assigned, people found at the door. Nothing sent is ever lost.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

const refusalsOf = (clientVisitId: string) => ctx.deps.db.select().from(fieldRefusals).where(eq(fieldRefusals.clientVisitId, clientVisitId));
const visitsOf = (clientVisitId: string) => ctx.deps.db.select().from(fieldVisits).where(eq(fieldVisits.clientVisitId, clientVisitId));

describe('POST /api/field/sync', () => {
  it('stores a batch once when it is sent twice, and answers duplicate the second time', async () => {
    const team = await makeTeam(ctx, UNIT_A);
    const worker = await fieldWorker(ctx, { teamId: team.id });
    const { household, head, child } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    const first = visitOf(household.id, {
      members: [
        { residentId: head.id, present: true, observed: { smartphone: 'true', vneid: 'issued' }, actions: ['vneid_activated', 'trained'], trainingTopic: 'Nhận diện lừa đảo' },
        { residentId: child.id, present: false },
      ],
      needs: [{ kind: 'device', residentId: head.id, detail: 'Cần điện thoại 4G' }],
    });
    const second = visitOf(household.id, { outcome: 'nobody_home', visitedAt: '2026-11-21T10:00:00+07:00' });
    // The factories write rows directly; from here on only the sync moves the figures.
    await rebuildLedger(ctx.deps.db, TODAY);

    const sent = await worker.sync([first, second]);
    expect(sent.statusCode).toBe(200);
    expect(resultsOf(sent).map((r) => r.outcome)).toEqual(['stored', 'stored']);

    const again = await worker.sync([first, second]);
    expect(resultsOf(again).map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(resultsOf(again)[0]!.visitId).toBe(resultsOf(sent)[0]!.visitId);
    expect(await visitsOf(first.clientVisitId)).toHaveLength(1);

    const stored = (await visitsOf(first.clientVisitId))[0]!;
    expect(stored).toMatchObject({ membersPresent: 1, peopleHelped: 1, actionsDone: 2, peopleFound: 0, teamId: team.id, unitCode: UNIT_A });
    const recorded = await ctx.deps.db.select().from(facts).where(eq(facts.sourceRef, `visit:${first.clientVisitId}`));
    // smartphone, vneid (issued → level1 by the action), basic_skills_trained; nothing for the absent child.
    expect(recorded.map((f) => `${f.indicator}=${f.value}`).sort()).toEqual(['basic_skills_trained=true', 'smartphone=true', 'vneid=level1']);
    for (const f of recorded) expect(f).toMatchObject({ sourceKind: 'visit', residentId: head.id, statedBy: worker.user.id, observedOn: '2026-11-20' });
    expect(recorded.find((f) => f.indicator === 'basic_skills_trained')?.note).toBe('Nhận diện lừa đảo');

    const needs = await worker.session.get(`/api/households/${household.id}/needs`);
    expect(needs.json()).toEqual([expect.objectContaining({ kind: 'device', residentId: head.id, status: 'open' })]);
    const visits = await worker.session.get(`/api/households/${household.id}/visits`);
    expect((visits.json() as { outcome: string }[]).map((v) => v.outcome)).toEqual(['nobody_home', 'done']);

    const bundle = await worker.send('GET', '/api/field/bundle');
    const item = (bundle.json() as { households: { id: number; needsReturn: boolean; members: { residentId: number; current: Record<string, string> }[] }[] }).households.find((h) => h.id === household.id);
    expect(item?.needsReturn).toBe(true);
    expect(item?.members.find((m) => m.residentId === head.id)?.current).toMatchObject({ vneid: 'level1', smartphone: 'true' });

    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('records only values that differ from what the registry knows', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const { household, head } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    await worker.sync([visitOf(household.id, { members: [{ residentId: head.id, present: true, observed: { smartphone: 'true' } }] })]);
    const later = visitOf(household.id, { visitedAt: '2026-11-22T09:00:00+07:00', members: [{ residentId: head.id, present: true, observed: { smartphone: 'true', epayment_account: 'false' } }] });
    await worker.sync([later]);
    const recorded = await ctx.deps.db.select().from(facts).where(eq(facts.sourceRef, `visit:${later.clientVisitId}`));
    expect(recorded.map((f) => f.indicator)).toEqual(['epayment_account']);
  });

  it('refuses only the bad visit of a batch, and keeps it', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const { household, head } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    const other = await makeHousehold(ctx, UNIT_A);
    const stranger = (await ctx.deps.db.insert(residents).values({ provinceCode: '79', householdId: other.id, unitCode: UNIT_A, fullName: 'Lê Văn Dũng', nameFolded: 'le van dung', birthYear: 1990, relationToHead: 'head', residenceType: 'permanent' }).returning())[0]!;
    const good = visitOf(household.id, { members: [{ residentId: head.id, present: true, actions: ['city_app_installed'] }] });
    const malformed = { ...visitOf(household.id), outcome: 'asleep' };
    const strayMember = visitOf(household.id, { members: [{ residentId: stranger.id, present: true, observed: { smartphone: 'true' } }] });
    const badValue = visitOf(household.id, { members: [{ residentId: head.id, present: true, observed: { vneid: 'level9' } }] });
    const response = await worker.sync([malformed, good, strayMember, badValue, 'not a visit']);
    const results = resultsOf(response);
    expect(results.map((r) => r.outcome)).toEqual(['refused', 'stored', 'refused', 'refused', 'refused']);
    expect(results.filter((r) => r.outcome === 'refused').every((r) => r.reasonCode === 'INVALID_VISIT' && (r.reason ?? '').length > 10)).toBe(true);
    expect(results[0]!.clientVisitId).toBe(malformed.clientVisitId);
    expect(await refusalsOf(malformed.clientVisitId)).toEqual([expect.objectContaining({ reasonCode: 'INVALID_VISIT', status: 'open', householdId: household.id, unitCode: UNIT_A })]);
    expect(await refusalsOf(strayMember.clientVisitId)).toHaveLength(1);
    expect(await visitsOf(strayMember.clientVisitId)).toHaveLength(0);
    expect(await visitsOf(good.clientVisitId)).toHaveLength(1);
  });

  it('refuses the same id with other content, keeps it once, and leaves the first version unchanged', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const { household, head } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    const original = visitOf(household.id, { members: [{ residentId: head.id, present: true, observed: { smartphone: 'true' } }] });
    await worker.sync([original]);
    const before = (await visitsOf(original.clientVisitId))[0]!;
    const altered = { ...original, outcome: 'refused', members: [{ residentId: head.id, present: true, observed: { smartphone: 'false' } }] };
    for (let i = 0; i < 2; i++) {
      const [result] = resultsOf(await worker.sync([altered]));
      expect(result).toMatchObject({ outcome: 'refused', reasonCode: 'CONTENT_MISMATCH', visitId: null });
    }
    const kept = await refusalsOf(original.clientVisitId);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.payload).toMatchObject({ outcome: 'refused' });
    const after = (await visitsOf(original.clientVisitId))[0]!;
    expect(after).toEqual(before);
    // Key order is not content: the same visit written differently is still a duplicate.
    const reordered = Object.fromEntries(Object.entries(original).reverse());
    expect(resultsOf(await worker.sync([reordered]))[0]!.outcome).toBe('duplicate');
  });

  it('keeps every visit from a revoked device and refuses its download', async () => {
    const team = await makeTeam(ctx, UNIT_A);
    const worker = await fieldWorker(ctx, { teamId: team.id });
    const { household } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    expect((await official.post(`/api/field/devices/${worker.deviceId}/revoke`)).statusCode).toBe(200);
    const pending = [visitOf(household.id), visitOf(household.id, { outcome: 'nobody_home' })];
    const response = await worker.sync(pending);
    expect(response.statusCode).toBe(200);
    expect(resultsOf(response).map((r) => r.reasonCode)).toEqual(['DEVICE_REVOKED', 'DEVICE_REVOKED']);
    for (const v of pending) {
      expect(await refusalsOf(v.clientVisitId)).toEqual([expect.objectContaining({ reasonCode: 'DEVICE_REVOKED', deviceId: worker.deviceId, unitCode: UNIT_A })]);
      expect(await visitsOf(v.clientVisitId)).toHaveLength(0);
    }
    const bundle = await worker.send('GET', '/api/field/bundle');
    expect(bundle.statusCode).toBe(403);
    expect(bundle.json()).toMatchObject({ error: { code: 'DEVICE_REVOKED' } });
  });

  it('keeps a visit from an outdated app, and settles it when the updated app sends it', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const { household } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    const v = visitOf(household.id);
    const [old] = resultsOf(await worker.sync([v], '0.9.3'));
    expect(old).toMatchObject({ outcome: 'refused', reasonCode: 'APP_OUTDATED' });
    expect(await refusalsOf(v.clientVisitId)).toEqual([expect.objectContaining({ status: 'open', reasonCode: 'APP_OUTDATED' })]);
    const [fresh] = resultsOf(await worker.sync([v], '1.2.0'));
    expect(fresh!.outcome).toBe('stored');
    expect(await refusalsOf(v.clientVisitId)).toEqual([expect.objectContaining({ status: 'accepted', visitId: fresh!.visitId })]);
  });

  it('refuses, keeps and audits a visit to a household not assigned to the sender', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const notMine = await makeHousehold(ctx, UNIT_A);
    const v = visitOf(notMine.id);
    const [result] = resultsOf(await worker.sync([v]));
    expect(result).toMatchObject({ outcome: 'refused', reasonCode: 'NOT_ASSIGNED', householdId: notMine.id });
    expect(await refusalsOf(v.clientVisitId)).toEqual([expect.objectContaining({ reasonCode: 'NOT_ASSIGNED', unitCode: UNIT_A, userId: worker.user.id })]);
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'sync_refused'), eq(auditLog.actorUserId, worker.user.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.recordIds).toEqual([notMine.id]);
    const batches = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'sync'), eq(auditLog.actorUserId, worker.user.id)));
    expect(batches[0]!.detail).toMatchObject({ sent: 1, stored: 0, refused: 1 });
  });

  it('lets only the ward’s own official see and accept a kept visit', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const notMine = await makeHousehold(ctx, UNIT_A);
    const v = visitOf(notMine.id, { note: 'Hộ nhờ ghé giúp' });
    await worker.sync([v]);
    const [refusal] = await refusalsOf(v.clientVisitId);
    const elsewhere = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
    const theirList = (await elsewhere.get('/api/field/refusals')).json() as { items: { id: number }[] };
    expect(theirList.items.map((r) => r.id)).not.toContain(refusal!.id);
    expect((await elsewhere.post(`/api/field/refusals/${refusal!.id}/decision`, { decision: 'accept', note: 'Nhận phiếu' })).statusCode).toBe(404);
    expect((await elsewhere.get(`/api/households/${notMine.id}/visits`)).statusCode).toBe(404);
    expect((await worker.session.get('/api/field/refusals')).statusCode).toBe(403);

    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const list = (await official.get(`/api/field/refusals?unit=${UNIT_A}`)).json() as { items: { id: number; reasonCode: string; user: { userId: number } }[] };
    expect(list.items.find((r) => r.id === refusal!.id)).toMatchObject({ reasonCode: 'NOT_ASSIGNED', user: { userId: worker.user.id } });
    const accepted = await official.post(`/api/field/refusals/${refusal!.id}/decision`, { decision: 'accept', note: 'Hộ nhờ tổ ghé, đã xác minh' });
    expect(accepted.statusCode).toBe(200);
    const visitId = (accepted.json() as { visitId: number; status: string }).visitId;
    expect(accepted.json()).toMatchObject({ status: 'accepted' });
    expect((await visitsOf(v.clientVisitId))[0]).toMatchObject({ id: visitId, userId: worker.user.id });
    const again = await official.post(`/api/field/refusals/${refusal!.id}/decision`, { decision: 'dismiss', note: 'Bỏ qua' });
    expect(again.json()).toMatchObject({ error: { code: 'ALREADY_DECIDED' } });
    // The same visit sent again by the phone is now a duplicate, not a second refusal.
    expect(resultsOf(await worker.sync([v]))[0]!.outcome).toBe('duplicate');
  });

  it('accepts the other content sent under a taken id as a visit of its own, leaving the first', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const { household } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    const original = visitOf(household.id);
    await worker.sync([original, { ...original, outcome: 'nobody_home' }]);
    const [refusal] = await refusalsOf(original.clientVisitId);
    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const accepted = (await official.post(`/api/field/refusals/${refusal!.id}/decision`, { decision: 'accept', note: 'Hai lần thăm khác nhau' })).json() as { visitId: number };
    const [second] = await ctx.deps.db.select().from(fieldVisits).where(eq(fieldVisits.id, accepted.visitId));
    expect(second).toMatchObject({ outcome: 'nobody_home', userId: worker.user.id, householdId: household.id });
    expect(second!.clientVisitId).not.toBe(original.clientVisitId);
    expect((await visitsOf(original.clientVisitId))[0]!.outcome).toBe('done');
  });

  it('dismisses a kept visit with a reason', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const v = visitOf((await makeHousehold(ctx, UNIT_A)).id);
    await worker.sync([v]);
    const [refusal] = await refusalsOf(v.clientVisitId);
    const official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
    const response = await official.post(`/api/field/refusals/${refusal!.id}/decision`, { decision: 'dismiss', note: 'Gửi nhầm hộ' });
    expect(response.json()).toMatchObject({ status: 'dismissed', resolutionNote: 'Gửi nhầm hộ', visitId: null });
  });

  it('creates a household and a person found at the door, marked as found by the visit', async () => {
    const team = await makeTeam(ctx, UNIT_B);
    const worker = await fieldWorker(ctx, { teamId: team.id });
    const { household } = await assignedHousehold(ctx, UNIT_B, worker.user.id);
    const personId = randomUUID();
    const newHome = visitOf(null, {
      newHousehold: { address: '12/3 hẻm 45 Nguyễn Trãi' },
      newPeople: [{ clientPersonId: personId, fullName: 'nguyễn thị  hoa', birthYear: 1995, sex: 'female', relationToHead: 'head', phone: '0987 654 321', observed: { smartphone: 'true' }, actions: ['city_app_installed'] }],
    });
    await rebuildLedger(ctx.deps.db, TODAY);
    const newcomer = visitOf(household.id, { newPeople: [{ clientPersonId: randomUUID(), fullName: 'Phạm Minh Khôi', birthYear: 2012, sex: 'male', relationToHead: 'grandchild' }] });
    const results = resultsOf(await worker.sync([newHome, newcomer]));
    expect(results.map((r) => r.outcome)).toEqual(['stored', 'stored']);
    const createdId = results[0]!.householdId!;
    const [created] = await ctx.deps.db.select().from(households).where(eq(households.id, createdId));
    expect(created).toMatchObject({ unitCode: UNIT_B, foundByVisitId: results[0]!.visitId, address: '12/3 hẻm 45 Nguyễn Trãi' });
    const [person] = await ctx.deps.db.select().from(residents).where(eq(residents.householdId, createdId));
    expect(person).toMatchObject({ fullName: 'Nguyễn Thị Hoa', foundByVisitId: results[0]!.visitId, phone: '0987654321', relationToHead: 'head' });
    const personFacts = await ctx.deps.db.select().from(facts).where(eq(facts.residentId, person!.id));
    expect(personFacts.map((f) => `${f.indicator}=${f.value}`).sort()).toEqual(['city_app_installed=true', 'smartphone=true']);
    expect(personFacts.every((f) => f.sourceRef === `visit:${newHome.clientVisitId}`)).toBe(true);
    // The finder is given the new household: it is in their next download.
    const bundle = (await worker.send('GET', '/api/field/bundle')).json() as { households: { id: number }[] };
    expect(bundle.households.map((h) => h.id)).toContain(createdId);
    const grandchild = await ctx.deps.db.select().from(residents).where(and(eq(residents.householdId, household.id), eq(residents.fullName, 'Phạm Minh Khôi')));
    expect(grandchild[0]?.foundByVisitId).toBe(results[1]!.visitId);
    expect((await visitsOf(newcomer.clientVisitId))[0]!.peopleFound).toBe(1);
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('stores the outcome but no personal data when the household does not consent', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const { household, head } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    const v = visitOf(household.id, {
      consent: false,
      members: [{ residentId: head.id, present: true, observed: { smartphone: 'false' }, actions: ['city_app_installed'] }],
      newPeople: [{ clientPersonId: randomUUID(), fullName: 'Võ Thị Lan', birthYear: 1980, sex: 'female', relationToHead: 'spouse' }],
      needs: [{ kind: 'return_visit', residentId: head.id }],
    });
    const [result] = resultsOf(await worker.sync([v]));
    expect(result).toMatchObject({ outcome: 'stored', reasonCode: 'NO_CONSENT_DATA' });
    expect(await ctx.deps.db.select().from(facts).where(eq(facts.sourceRef, `visit:${v.clientVisitId}`))).toHaveLength(0);
    const [stored] = await visitsOf(v.clientVisitId);
    expect(stored!.payload).toMatchObject({ members: [], newPeople: [], needs: [{ kind: 'return_visit' }] });
    expect(JSON.stringify(stored!.payload)).not.toContain('Võ Thị Lan');
    expect(stored).toMatchObject({ consent: false, membersPresent: 1, peopleFound: 0 });
    expect(resultsOf(await worker.sync([v]))[0]!.outcome).toBe('duplicate');
  });

  it('stores a visit sent by two devices at the same moment exactly once', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const { household, head } = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    const secondPhone = (await worker.session.post('/api/field/devices', { label: 'Máy tính bảng', appVersion: '1.0.0' })).json() as { deviceToken: string };
    const v = visitOf(household.id, { members: [{ residentId: head.id, present: true, actions: ['etax_set_up'] }] });
    const batch = { appVersion: '1.0.0', visits: [v] };
    const [a, b] = await Promise.all([worker.send('POST', '/api/field/sync', batch), worker.send('POST', '/api/field/sync', batch, secondPhone.deviceToken)]);
    expect([resultsOf(a)[0]!.outcome, resultsOf(b)[0]!.outcome].sort()).toEqual(['duplicate', 'stored']);
    expect(await visitsOf(v.clientVisitId)).toHaveLength(1);
    expect(await ctx.deps.db.select().from(facts).where(eq(facts.sourceRef, `visit:${v.clientVisitId}`))).toHaveLength(1);
  });

  it('keeps the figures right when two phones send visits to one household at once', async () => {
    const team = await makeTeam(ctx, UNIT_A);
    const first = await fieldWorker(ctx, { teamId: team.id });
    const second = await fieldWorker(ctx, { teamId: team.id });
    const { household, head, child } = await assignedHousehold(ctx, UNIT_A, first.user.id);
    await ctx.deps.db.execute(sql`INSERT INTO assignments (province_code, household_id, user_id) VALUES ('79', ${household.id}, ${second.user.id})`);
    await rebuildLedger(ctx.deps.db, TODAY);
    const rounds = Array.from({ length: 4 }, (_, i) => [
      first.sync([visitOf(household.id, { members: [{ residentId: head.id, present: true, actions: [i % 2 ? 'vneid_level2' : 'vneid_activated', 'city_app_installed'] }] })]),
      second.sync([visitOf(household.id, { members: [{ residentId: child.id, present: true, observed: { smartphone: i % 2 ? 'true' : 'false' }, actions: ['epayment_account_opened'] }] })]),
    ]);
    const responses = await Promise.all(rounds.flat());
    expect(responses.flatMap((r) => resultsOf(r).map((x) => x.outcome))).toEqual(Array(8).fill('stored'));
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('asks for an enrolled device of the signed-in user, and the CSRF token', async () => {
    const worker = await fieldWorker(ctx);
    const other = await fieldWorker(ctx);
    expect((await worker.send('POST', '/api/field/sync', { appVersion: '1.0.0', visits: [] }, null)).json()).toMatchObject({ error: { code: 'DEVICE_REQUIRED' } });
    const borrowed = await worker.send('GET', '/api/field/bundle', undefined, other.token);
    expect(borrowed.statusCode).toBe(401);
    expect(borrowed.json()).toMatchObject({ error: { code: 'DEVICE_REQUIRED' } });
    const noCsrf = await ctx.app.inject({ method: 'POST', url: '/api/field/sync', cookies: { cds_session: worker.session.cookie }, headers: { 'x-field-device': worker.token }, payload: { appVersion: '1.0.0', visits: [] } });
    expect(noCsrf.statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/field/bundle', headers: { 'x-field-device': worker.token } })).statusCode).toBe(401);
  });
});

describe('GET /api/field/bundle', () => {
  it('gives a volunteer exactly their households, with IDs and phones masked, and audits the download', async () => {
    const worker = await fieldWorker(ctx, { teamId: (await makeTeam(ctx, UNIT_A)).id });
    const mine = await assignedHousehold(ctx, UNIT_A, worker.user.id);
    await makeHousehold(ctx, UNIT_A);
    const response = await worker.send('GET', '/api/field/bundle');
    expect(response.statusCode).toBe(200);
    const bundle = response.json() as { households: { id: number; members: { residentId: number; citizenIdMasked: string | null; phoneMasked: string | null }[] }[]; team: { name: string } | null; minAppVersion: string };
    expect(bundle.households.map((h) => h.id)).toEqual([mine.household.id]);
    expect(bundle.team).not.toBeNull();
    const head = bundle.households[0]!.members.find((m) => m.residentId === mine.head.id)!;
    expect(head.citizenIdMasked).toBe(`********${mine.citizenId.slice(-4)}`);
    expect(head.phoneMasked).toBe('091*****78');
    expect(response.body).not.toContain(mine.citizenId);
    expect(response.body).not.toContain('0912345678');
    const audit = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.actorUserId, worker.user.id), sql`${auditLog.detail}->>'via' = 'field_bundle'`));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.recordIds).toEqual([mine.household.id]);
  });
});
