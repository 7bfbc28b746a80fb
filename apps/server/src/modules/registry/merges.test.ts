import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSourceFile } from '../imports/import-file.service.ts';
import { systemActor } from '../access/system-actor.ts';
import { UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';

// Suspected duplicates decided by an official: a merge hides one record in another without moving
// a fact, an undo gives it back as it was, and a "two people" mark silences the data quality view.

type Fact = { id: number; indicator: string; value: string; mergedFromResidentId?: number | null };
type Element = { element: string; indicators: { indicator: string; value: string | null; fact: Fact | null }[] };
type Merge = { id: number; keptResidentId: number; mergedResidentId: number; movedIdentifiers: string[]; mergedBy: string | null; undoneAt: string | null; reason: string };
type Resident = { id: number; fullName: string; citizenId: string | null; elements: Element[]; mergedFrom?: Merge[] };
type ErrorBody = { error: { code: string; message: string; issues?: { path: string; message: string }[] } };

let ctx: TestContext;
let admin: Session;
let officialA: Session;
let officialAUser: { username: string };
let volunteer: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  const user = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
  officialAUser = user;
  officialA = await signIn(ctx, user);
  volunteer = await signIn(ctx, await makeUser(ctx, 'volunteer'));
});
afterAll(async () => ctx?.close());

let nameCounter = 0;
/** Two records of one person in two households of a unit: the second has the ID, the first none. */
async function pair(unitA = UNIT_A, unitB = unitA, ids: { kept?: string | null; merged?: string | null } = {}) {
  const name = `Trần Thị Trùng ${String.fromCharCode(65 + nameCounter++)}`;
  const keptHome = await makeHousehold(ctx, unitA);
  const mergedHome = await makeHousehold(ctx, unitB);
  const kept = await makeResident(ctx, keptHome, { fullName: name, sex: 'female', birthDate: '1990-03-01', citizenId: ids.kept ?? null });
  const merged = await makeResident(ctx, mergedHome, { fullName: name.toUpperCase(), sex: 'female', birthDate: '1990-03-01', citizenId: ids.merged ?? null });
  return { name, kept, merged, keptHome, mergedHome };
}

const record = async (session: Session, residentId: number, body: { indicator: string; value: string; observedOn: string }) => {
  const response = await session.post(`/api/residents/${residentId}/facts`, body);
  expect(response.statusCode).toBe(200);
  return response.json() as Fact;
};
const merge = (session: Session, mergedId: number, intoResidentId: number, reason = 'Cùng một người, nhập hai lần') =>
  session.post(`/api/residents/${mergedId}/merge`, { intoResidentId, reason });
const undo = (session: Session, mergeId: number) => session.post(`/api/resident-merges/${mergeId}/undo`);
const indicator = (resident: Resident, name: string) => resident.elements.flatMap((e) => e.indicators).find((i) => i.indicator === name);
const rowOf = async (id: number) => (await ctx.deps.pool.query('SELECT * FROM residents WHERE id = $1', [id])).rows[0] as Record<string, unknown>;
const searchIds = async (session: Session, q: string, unit = UNIT_A) =>
  ((await session.get(`/api/residents?unit=${unit}&q=${encodeURIComponent(q)}`)).json() as { items: { id: number }[] }).items.map((r) => r.id);
const del = (session: Session, url: string) =>
  ctx.app.inject({ method: 'DELETE', url, cookies: { cds_session: session.cookie }, headers: { 'x-csrf-token': session.csrfToken } });

describe('POST /api/residents/:id/merge', () => {
  it('hides the merged record from search, household members and counts, and points its URL to the record kept', async () => {
    const { name, kept, merged, mergedHome } = await pair();
    const before = await officialA.get(`/api/households/${mergedHome.id}`);
    expect((before.json() as { members: number }).members).toBe(1);
    expect(await searchIds(officialA, name)).toEqual(expect.arrayContaining([kept.id, merged.id]));

    const response = await merge(officialA, merged.id, kept.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ keptResidentId: kept.id, mergedResidentId: merged.id, mergedBy: officialAUser.username, undoneAt: null });

    expect(await searchIds(officialA, name)).toEqual([kept.id]);
    const home = (await officialA.get(`/api/households/${mergedHome.id}`)).json() as { members: number; residents: Resident[]; mergedAway: Merge[] };
    expect(home.members).toBe(0);
    expect(home.residents).toEqual([]);
    expect(home.mergedAway.map((m) => m.mergedResidentId)).toEqual([merged.id]);

    const gone = await officialA.get(`/api/residents/${merged.id}`);
    expect(gone.statusCode).toBe(404);
    const body = gone.json() as ErrorBody;
    expect(body.error.code).toBe('RESIDENT_MERGED');
    expect(body.error.message).toContain(`#${kept.id}`);
    expect(body.error.message).toContain(kept.fullName);
    expect(body.error.issues).toEqual([{ path: 'mergedIntoId', message: String(kept.id) }]);
    // Writes to the merged record are refused the same way: nothing can change a hidden record.
    expect((await officialA.patch(`/api/residents/${merged.id}`, { phone: '0901111222' })).statusCode).toBe(404);
  });

  it('shows the facts of both records on the record kept: the latest wins, with its provenance', async () => {
    const { kept, merged } = await pair();
    await record(officialA, kept.id, { indicator: 'smartphone', value: 'false', observedOn: '2026-09-01' });
    const newer = await record(officialA, merged.id, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-01' });
    const keptOwn = await record(officialA, kept.id, { indicator: 'vneid', value: 'level2', observedOn: '2026-11-10' });
    await record(officialA, merged.id, { indicator: 'vneid', value: 'issued', observedOn: '2026-10-01' });

    const mergeId = ((await merge(officialA, merged.id, kept.id)).json() as Merge).id;
    const shown = (await officialA.get(`/api/residents/${kept.id}`)).json() as Resident;
    expect(indicator(shown, 'smartphone')?.fact).toMatchObject({ id: newer.id, value: 'true', mergedFromResidentId: merged.id });
    expect(indicator(shown, 'vneid')?.fact).toMatchObject({ id: keptOwn.id, value: 'level2' });
    expect(indicator(shown, 'vneid')?.fact?.mergedFromResidentId).toBeUndefined();
    expect(shown.mergedFrom?.map((m) => m.id)).toEqual([mergeId]);

    const history = ((await officialA.get(`/api/residents/${kept.id}/facts`)).json() as { items: Fact[] }).items;
    expect(history).toHaveLength(4);
    expect(history.filter((f) => f.mergedFromResidentId === merged.id)).toHaveLength(2);

    // The household page computes the same elements.
    const home = (await officialA.get(`/api/households/${kept.householdId}`)).json() as { residents: Resident[] };
    expect(indicator(home.residents[0]!, 'smartphone')?.value).toBe('true');
    // No fact moved: they still name the record they were recorded on.
    const { rows } = await ctx.deps.pool.query('SELECT count(*)::int AS n FROM facts WHERE resident_id = $1', [merged.id]);
    expect(rows[0].n).toBe(2);
  });

  it('lets the record kept take over the citizen ID of the merged one, so a search by the ID finds it', async () => {
    const { kept, merged } = await pair(UNIT_A, UNIT_A, { merged: '079190000123' });
    expect(await searchIds(officialA, '079190000123')).toEqual([merged.id]);
    const response = await merge(officialA, merged.id, kept.id);
    expect((response.json() as Merge).movedIdentifiers).toEqual(['citizenId']);
    expect(await searchIds(officialA, '079190000123')).toEqual([kept.id]);
    expect(((await officialA.get(`/api/residents/${kept.id}`)).json() as Resident).citizenId).toBe('079*******23');
    const [keptRow, mergedRow] = [await rowOf(kept.id), await rowOf(merged.id)];
    expect(keptRow.citizen_id_hash).toBe(ctx.deps.vault.hash('079190000123'));
    expect(mergedRow.citizen_id_hash).toBeNull();
  });

  it('leaves the merged record out of an import’s look-alikes: a row resembling the person is held against the record kept', async () => {
    const { name, kept, merged } = await pair();
    expect((await merge(officialA, merged.id, kept.id)).statusCode).toBe(200);
    const actor = await systemActor(ctx.deps.db, '79', 'test');
    const file = `Họ và tên,Ngày sinh,Giới tính,Địa chỉ\n${name},01/03/1990,Nữ,"5 Lê Lợi, Phường Sài Gòn"\n`;
    const summary = await importSourceFile(ctx.deps, actor, { bytes: new TextEncoder().encode(file), fileName: `trung-${kept.id}.csv`, sourceType: 'residence_list' });
    expect(summary).toMatchObject({ review: 1, applied: 0 });
    const { rows } = await ctx.deps.pool.query('SELECT candidates FROM import_rows WHERE batch_id = $1', [summary.batchId]);
    expect(rows[0].candidates.map(Number)).toEqual([kept.id]);
  });

  it('refuses two records with different citizen IDs: they are two people', async () => {
    const { kept, merged } = await pair(UNIT_A, UNIT_A, { kept: '079190000201', merged: '079190000202' });
    const response = await merge(officialA, merged.id, kept.id);
    expect(response.statusCode).toBe(409);
    expect((response.json() as ErrorBody).error.code).toBe('MERGE_DIFFERENT_CITIZEN_IDS');
    expect((await rowOf(merged.id)).merged_into_id).toBeNull();
    const { rows } = await ctx.deps.pool.query('SELECT count(*)::int AS n FROM resident_merges WHERE merged_resident_id = $1', [merged.id]);
    expect(rows[0].n).toBe(0);
  });

  it('answers 404 to a unit official for a record of another ward, and 400 when the record to keep is there', async () => {
    const elsewhere = await pair(UNIT_B, UNIT_B);
    const mixed = await pair(UNIT_A, UNIT_B);
    expect((await merge(officialA, elsewhere.merged.id, elsewhere.kept.id)).statusCode).toBe(404);
    expect((await merge(officialA, mixed.merged.id, mixed.kept.id)).statusCode).toBe(404);
    const intoElsewhere = await merge(officialA, mixed.kept.id, mixed.merged.id);
    expect(intoElsewhere.statusCode).toBe(400);
    expect((intoElsewhere.json() as ErrorBody).error.issues?.[0]?.path).toBe('body.intoResidentId');
    expect((await rowOf(mixed.merged.id)).merged_into_id).toBeNull();
    expect((await rowOf(mixed.kept.id)).merged_into_id).toBeNull();
    // The city admin decides across wards.
    expect((await merge(admin, mixed.merged.id, mixed.kept.id)).statusCode).toBe(200);
  });

  it('refuses a volunteer with 403 and a merge of a record into itself with 400', async () => {
    const { kept, merged } = await pair();
    expect((await merge(volunteer, merged.id, kept.id)).statusCode).toBe(403);
    expect((await merge(officialA, kept.id, kept.id)).statusCode).toBe(400);
    expect((await officialA.post(`/api/residents/${merged.id}/merge`, { intoResidentId: kept.id, reason: '' })).statusCode).toBe(400);
  });

  it('keeps merges one hop deep: a record holding merged records must be the one kept', async () => {
    const { kept, merged } = await pair();
    const third = await makeResident(ctx, await makeHousehold(ctx, UNIT_A), { fullName: kept.fullName, birthDate: '1990-03-01', sex: 'female' });
    expect((await merge(officialA, merged.id, kept.id)).statusCode).toBe(200);
    const chained = await merge(officialA, kept.id, third.id);
    expect(chained.statusCode).toBe(409);
    expect((chained.json() as ErrorBody).error).toMatchObject({ code: 'MERGE_NOT_POSSIBLE' });
    expect((await merge(officialA, third.id, kept.id)).statusCode).toBe(200);
    expect((await merge(officialA, merged.id, third.id)).statusCode).toBe(404);
  });

  it('lets a citizen whose record was merged see the record kept, and their own again after the undo', async () => {
    const { kept, merged } = await pair();
    const citizen = await signIn(ctx, await makeUser(ctx, 'citizen', { residentId: merged.id }));
    expect((await citizen.get(`/api/residents/${kept.id}`)).statusCode).toBe(404);
    const made = (await merge(officialA, merged.id, kept.id)).json() as Merge;
    expect((await citizen.get(`/api/residents/${kept.id}`)).statusCode).toBe(200);
    expect((await citizen.get(`/api/households/${kept.householdId}`)).statusCode).toBe(200);
    await undo(officialA, made.id);
    expect((await citizen.get(`/api/residents/${kept.id}`)).statusCode).toBe(404);
    expect((await citizen.get(`/api/residents/${merged.id}`)).statusCode).toBe(200);
  });

  it('writes the merge and its undo to the audit log with both records', async () => {
    const { kept, merged } = await pair();
    const made = (await merge(officialA, merged.id, kept.id, 'Trùng do nhập hai danh sách')).json() as Merge;
    await undo(officialA, made.id);
    const { rows } = await ctx.deps.pool.query(
      `SELECT action, actor_username, record_ids, unit_codes, detail FROM audit_log WHERE action IN ('merge', 'unmerge') AND (detail->>'mergeId')::bigint = $1 ORDER BY id`,
      [made.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['merge', 'unmerge']);
    for (const row of rows) {
      expect(row.actor_username).toBe(officialAUser.username);
      expect(row.record_ids.map(Number)).toEqual([kept.id, merged.id]);
      expect(row.unit_codes).toEqual([UNIT_A]);
    }
    expect(rows[0].detail).toMatchObject({ reason: 'Trùng do nhập hai danh sách', keptResidentId: kept.id, mergedResidentId: merged.id });
  });
});

describe('POST /api/resident-merges/:id/undo', () => {
  it('gives back the merged record exactly as it was, with its own facts and its citizen ID', async () => {
    const { name, kept, merged } = await pair(UNIT_A, UNIT_A, { merged: '079190000301' });
    await record(officialA, merged.id, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-01' });
    const before = await rowOf(merged.id);
    const keptBefore = await rowOf(kept.id);
    const made = (await merge(officialA, merged.id, kept.id)).json() as Merge;

    const response = await undo(officialA, made.id);
    expect(response.statusCode).toBe(200);
    expect((response.json() as Merge).undoneAt).not.toBeNull();
    expect(await rowOf(merged.id)).toEqual(before);
    const keptAfter = await rowOf(kept.id);
    expect({ ...keptAfter, updated_at: null }).toEqual({ ...keptBefore, updated_at: null });

    expect((await searchIds(officialA, name)).sort()).toEqual([kept.id, merged.id].sort());
    expect(await searchIds(officialA, '079190000301')).toEqual([merged.id]);
    const back = (await officialA.get(`/api/residents/${merged.id}`)).json() as Resident;
    expect(indicator(back, 'smartphone')?.value).toBe('true');
    const keptView = (await officialA.get(`/api/residents/${kept.id}`)).json() as Resident;
    expect(indicator(keptView, 'smartphone')?.value).toBeNull();
    expect(keptView.mergedFrom).toEqual([]);
  });

  it('gives the merged record its ID back even when the kept record was given another ID since', async () => {
    const { kept, merged } = await pair(UNIT_A, UNIT_A, { merged: '079190000401' });
    const made = (await merge(officialA, merged.id, kept.id)).json() as Merge;
    const changed = await officialA.patch(`/api/residents/${kept.id}`, { citizenId: '079190000402' });
    expect(changed.statusCode).toBe(200);
    expect((await undo(officialA, made.id)).statusCode).toBe(200);
    expect((await rowOf(merged.id)).citizen_id_hash).toBe(ctx.deps.vault.hash('079190000401'));
    expect((await rowOf(kept.id)).citizen_id_hash).toBe(ctx.deps.vault.hash('079190000402'));
  });

  it('refuses a second undo, and an undo by an official of another ward', async () => {
    const { kept, merged } = await pair();
    const made = (await merge(officialA, merged.id, kept.id)).json() as Merge;
    const officialB = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_B] }));
    expect((await undo(officialB, made.id)).statusCode).toBe(404);
    expect((await undo(officialA, made.id)).statusCode).toBe(200);
    const again = await undo(officialA, made.id);
    expect(again.statusCode).toBe(409);
    expect((again.json() as ErrorBody).error.code).toBe('MERGE_ALREADY_UNDONE');
  });

  it('lists the merges of a unit, standing ones by default', async () => {
    const { kept, merged } = await pair();
    const made = (await merge(officialA, merged.id, kept.id)).json() as Merge;
    const standing = (await officialA.get(`/api/resident-merges?unit=${UNIT_A}`)).json() as { items: Merge[] };
    expect(standing.items.map((m) => m.id)).toContain(made.id);
    await undo(officialA, made.id);
    const after = (await officialA.get(`/api/resident-merges?unit=${UNIT_A}`)).json() as { items: Merge[] };
    expect(after.items.map((m) => m.id)).not.toContain(made.id);
    const all = (await officialA.get(`/api/resident-merges?unit=${UNIT_A}&state=all`)).json() as { items: Merge[] };
    expect(all.items.find((m) => m.id === made.id)?.undoneAt).not.toBeNull();
    expect((await officialA.get(`/api/resident-merges?unit=${UNIT_B}`)).statusCode).toBe(403);
  });
});

describe('data quality after decisions on suspected duplicates', () => {
  // A unit of its own, so that its duplicate groups are this block's alone.
  const UNIT_Q = '26737';
  type Quality = { residents: number; suspectedDuplicates: { groups: number; examples: { residentIds: number[] }[] } };
  const quality = async () => (await admin.get(`/api/units/${UNIT_Q}/data-quality`)).json() as Quality;

  it('stops listing a pair marked as two people, lists it again when the mark is withdrawn, and logs both', async () => {
    const { kept, merged } = await pair(UNIT_Q, UNIT_Q);
    expect((await quality()).suspectedDuplicates.examples.map((e) => e.residentIds)).toContainEqual([kept.id, merged.id]);

    const marked = await admin.post(`/api/residents/${merged.id}/distinct`, { otherResidentId: kept.id });
    expect(marked.statusCode).toBe(200);
    expect(marked.json()).toMatchObject({ residentIds: [kept.id, merged.id], unmarkedAt: null });
    expect((await quality()).suspectedDuplicates.examples.map((e) => e.residentIds)).not.toContainEqual([kept.id, merged.id]);
    // Marking again changes nothing.
    expect((await admin.post(`/api/residents/${kept.id}/distinct`, { otherResidentId: merged.id })).json()).toMatchObject({ id: (marked.json() as { id: number }).id });

    const listed = (await admin.get(`/api/resident-distinct-pairs?unit=${UNIT_Q}`)).json() as { items: { residentIds: number[]; fullNames: string[] }[] };
    expect(listed.items.find((p) => p.residentIds[0] === kept.id)).toMatchObject({ residentIds: [kept.id, merged.id], fullNames: [kept.fullName, merged.fullName] });
    const withdrawn = await del(admin, `/api/residents/${kept.id}/distinct/${merged.id}`);
    expect(withdrawn.statusCode).toBe(200);
    expect((await quality()).suspectedDuplicates.examples.map((e) => e.residentIds)).toContainEqual([kept.id, merged.id]);
    expect((await del(admin, `/api/residents/${kept.id}/distinct/${merged.id}`)).statusCode).toBe(404);
    const after = (await admin.get(`/api/resident-distinct-pairs?unit=${UNIT_Q}`)).json() as { items: { residentIds: number[] }[] };
    expect(after.items.map((p) => p.residentIds[0])).not.toContain(kept.id);

    const { rows } = await ctx.deps.pool.query(
      `SELECT action, record_ids FROM audit_log WHERE action IN ('mark_distinct', 'unmark_distinct') AND record_ids @> ARRAY[$1::bigint] ORDER BY id`,
      [merged.id],
    );
    expect(rows.map((r) => [r.action, r.record_ids.map(Number)])).toEqual([
      ['mark_distinct', [kept.id, merged.id]],
      ['unmark_distinct', [kept.id, merged.id]],
    ]);
  });

  it('keeps a group of three suspect while one pair in it is still unmarked', async () => {
    const { kept, merged } = await pair(UNIT_Q, UNIT_Q);
    const third = await makeResident(ctx, await makeHousehold(ctx, UNIT_Q), { fullName: kept.fullName, birthDate: '1990-07-07', sex: 'female' });
    await admin.post(`/api/residents/${merged.id}/distinct`, { otherResidentId: kept.id });
    await admin.post(`/api/residents/${merged.id}/distinct`, { otherResidentId: third.id });
    expect((await quality()).suspectedDuplicates.examples.map((e) => e.residentIds)).toContainEqual([kept.id, third.id]);
    await admin.post(`/api/residents/${kept.id}/distinct`, { otherResidentId: third.id });
    const named = (await quality()).suspectedDuplicates.examples.flatMap((e) => e.residentIds);
    expect(named).not.toContain(kept.id);
    expect(named).not.toContain(third.id);
  });

  it('counts neither the merged record nor its group, and counts them again after the undo', async () => {
    const { kept, merged } = await pair(UNIT_Q, UNIT_Q);
    const before = await quality();
    const made = (await merge(admin, merged.id, kept.id)).json() as Merge;
    const after = await quality();
    expect(after.residents).toBe(before.residents - 1);
    expect(after.suspectedDuplicates.groups).toBe(before.suspectedDuplicates.groups - 1);
    expect(after.suspectedDuplicates.examples.flatMap((e) => e.residentIds)).not.toContain(merged.id);
    const unit = (await admin.get(`/api/units/${UNIT_Q}`)).json() as { residents: number };
    await undo(admin, made.id);
    expect((await quality()).residents).toBe(before.residents);
    expect(((await admin.get(`/api/units/${UNIT_Q}`)).json() as { residents: number }).residents).toBe(unit.residents + 1);
  });
});
