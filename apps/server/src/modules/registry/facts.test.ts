import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, facts } from '@cds/db';
import { and, eq, sql } from 'drizzle-orm';
import { UNIT_A, assign, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext, type TestUser } from '../../test/test-app.ts';

// Facts are what a source said about one indicator, and when. They are never changed: a
// correction is a new fact naming the one it corrects, and the history keeps both.

let ctx: TestContext;
let officialUser: TestUser;
let official: Session;
let volunteerUser: TestUser;
let volunteer: Session;
let household: { id: number; unitCode: string };

type Fact = { id: number; indicator: string; value: string; sourceKind: string; statedBy: string | null; observedOn: string; correctsFactId: number | null; note: string | null; sourceRef: string | null };
type Element = { element: string; state: string; indicators: { indicator: string; value: string | null; fact: Fact | null }[] };

beforeAll(async () => {
  ctx = await createTestApp();
  officialUser = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
  official = await signIn(ctx, officialUser);
  household = await makeHousehold(ctx, UNIT_A);
  volunteerUser = await makeUser(ctx, 'volunteer');
  await assign(ctx, volunteerUser.id, household.id);
  volunteer = await signIn(ctx, volunteerUser);
});
afterAll(async () => ctx?.close());

let nameCounter = 0;
const adult = (overrides: Parameters<typeof makeResident>[2] = {}) =>
  makeResident(ctx, household, { fullName: `Hoàng Văn Số ${++nameCounter}`, birthDate: '1980-02-03', relationToHead: 'other', ...overrides });

const record = async (session: Session, residentId: number, body: Record<string, unknown>) => {
  const response = await session.post(`/api/residents/${residentId}/facts`, body);
  if (response.statusCode !== 200) throw new Error(`record fact: ${response.statusCode} ${response.body}`);
  return response.json() as Fact;
};
const elementsOf = async (residentId: number) => {
  const response = await official.get(`/api/residents/${residentId}`);
  expect(response.statusCode).toBe(200);
  return response.json().elements as Element[];
};
const stateOf = async (residentId: number, element: string) => (await elementsOf(residentId)).find((e) => e.element === element)?.state;
const countFacts = async () => (await ctx.deps.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(facts))[0]?.n ?? 0;

describe('POST /api/residents/{id}/facts', () => {
  it('records a fact with its provenance: who stated it, the kind of source, the date observed', async () => {
    const resident = await adult();
    const response = await official.post(`/api/residents/${resident.id}/facts`, {
      indicator: 'city_app_installed',
      value: 'true',
      observedOn: '2026-11-20',
      sourceKind: 'visit',
      sourceRef: 'Đợt rà soát tháng 11',
      note: ' Đã cài giúp tại nhà ',
    });
    expect(response.statusCode).toBe(200);
    const fact = response.json() as Fact;
    expect(fact).toMatchObject({
      indicator: 'city_app_installed',
      value: 'true',
      observedOn: '2026-11-20',
      sourceKind: 'visit',
      sourceRef: 'Đợt rà soát tháng 11',
      statedBy: officialUser.username,
      correctsFactId: null,
      note: 'Đã cài giúp tại nhà',
    });
    const [row] = await ctx.deps.db.select().from(facts).where(eq(facts.id, fact.id));
    expect(row).toMatchObject({ residentId: resident.id, statedBy: officialUser.id, sourceKind: 'visit', provinceCode: '79' });
  });

  it('takes the person as the source when none is named, and the volunteer as the one who stated it', async () => {
    const resident = await adult();
    const fact = await record(volunteer, resident.id, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-02' });
    expect(fact).toMatchObject({ sourceKind: 'person', statedBy: volunteerUser.username });
  });

  it('meets the identity element once an adult has the ID card and an activated VNeID', async () => {
    const resident = await adult();
    expect(await stateOf(resident.id, 'identity')).toBe('unknown');
    await record(official, resident.id, { indicator: 'citizen_id_card', value: 'true', observedOn: '2026-11-01' });
    expect(await stateOf(resident.id, 'identity')).toBe('partial');
    await record(official, resident.id, { indicator: 'vneid', value: 'issued', observedOn: '2026-11-01' });
    // Issued but not activated does not count.
    expect(await stateOf(resident.id, 'identity')).toBe('partial');
    const fact = await record(official, resident.id, { indicator: 'vneid', value: 'level2', observedOn: '2026-11-10' });
    const identity = (await elementsOf(resident.id)).find((e) => e.element === 'identity');
    expect(identity?.state).toBe('met');
    expect(identity?.indicators.find((i) => i.indicator === 'vneid')).toMatchObject({ value: 'level2', fact: { id: fact.id, statedBy: officialUser.username } });
  });

  it('leaves the device element missing for a 2G-only phone and no smartphone', async () => {
    const resident = await adult();
    await record(official, resident.id, { indicator: 'phone_2g_only', value: 'true', observedOn: '2026-11-05' });
    await record(official, resident.id, { indicator: 'smartphone', value: 'false', observedOn: '2026-11-05' });
    const device = (await elementsOf(resident.id)).find((e) => e.element === 'device');
    expect(device?.state).toBe('missing');
    expect(device?.indicators.map((i) => [i.indicator, i.value])).toEqual([
      ['smartphone', 'false'],
      ['phone_2g_only', 'true'],
    ]);
  });

  it('lets the latest observation stand, not the latest recorded', async () => {
    const resident = await adult();
    await record(official, resident.id, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-15' });
    await record(official, resident.id, { indicator: 'smartphone', value: 'false', observedOn: '2026-10-01' });
    expect(await stateOf(resident.id, 'device')).toBe('met');
  });

  it('lets a correction replace the fact it corrects even when the correction was observed earlier', async () => {
    const resident = await adult();
    const older = await record(official, resident.id, { indicator: 'smartphone', value: 'false', observedOn: '2026-09-01' });
    const wrong = await record(official, resident.id, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-20' });
    expect(await stateOf(resident.id, 'device')).toBe('met');
    const correction = await record(official, resident.id, {
      indicator: 'smartphone',
      value: 'false',
      observedOn: '2026-11-10',
      correctsFactId: wrong.id,
      note: 'Nhập nhầm hộ bên cạnh',
    });
    expect(correction.correctsFactId).toBe(wrong.id);
    const device = (await elementsOf(resident.id)).find((e) => e.element === 'device');
    expect(device?.state).toBe('missing');
    expect(device?.indicators.find((i) => i.indicator === 'smartphone')?.fact?.id).toBe(correction.id);

    const history = (await official.get(`/api/residents/${resident.id}/facts`)).json().items as Fact[];
    expect(history.map((f) => f.id)).toEqual([wrong.id, correction.id, older.id]);
    expect(history.find((f) => f.id === wrong.id)?.value).toBe('true');
  });

  it('lets a correction of a correction stand over both', async () => {
    const resident = await adult();
    const first = await record(official, resident.id, { indicator: 'epayment_account', value: 'true', observedOn: '2026-11-01' });
    const second = await record(official, resident.id, { indicator: 'epayment_account', value: 'false', observedOn: '2026-11-01', correctsFactId: first.id });
    const third = await record(official, resident.id, { indicator: 'epayment_account', value: 'true', observedOn: '2026-11-01', correctsFactId: second.id });
    const accounts = (await elementsOf(resident.id)).find((e) => e.element === 'accounts');
    expect(accounts?.indicators.find((i) => i.indicator === 'epayment_account')?.fact?.id).toBe(third.id);
    expect(accounts?.state).toBe('partial');
  });

  const rejections: [string, (ids: { resident: number; otherFact: number; sameFactOtherIndicator: number }) => Record<string, unknown>, string][] = [
    ['an unknown indicator', () => ({ indicator: 'fax_machine', value: 'true' }), 'body.indicator'],
    ['a value the indicator does not take', () => ({ indicator: 'vneid', value: 'level3' }), 'body.value'],
    ['a yes/no indicator given another word', () => ({ indicator: 'smartphone', value: 'yes' }), 'body.value'],
    ['an observation dated tomorrow', () => ({ indicator: 'smartphone', value: 'true', observedOn: '2026-11-25' }), 'body.observedOn'],
    ['a date that is not a date', () => ({ indicator: 'smartphone', value: 'true', observedOn: '24/11/2026' }), 'body.observedOn'],
    ['a correction of another resident’s fact', ({ otherFact }) => ({ indicator: 'smartphone', value: 'false', correctsFactId: otherFact }), 'body.correctsFactId'],
    ['a correction of a fact about another indicator', ({ sameFactOtherIndicator }) => ({ indicator: 'smartphone', value: 'false', correctsFactId: sameFactOtherIndicator }), 'body.correctsFactId'],
    ['a source kind reserved for imports', () => ({ indicator: 'smartphone', value: 'true', sourceKind: 'import' }), 'body.sourceKind'],
  ];
  for (const [what, body, path] of rejections) {
    it(`rejects ${what} with 400 naming ${path}, and stores nothing`, async () => {
      const resident = await adult();
      const other = await adult();
      const otherFact = await record(official, other.id, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-01' });
      const sameFactOtherIndicator = await record(official, resident.id, { indicator: 'vneid', value: 'level1', observedOn: '2026-11-01' });
      const before = await countFacts();
      const auditBefore = (await ctx.deps.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(auditLog).where(eq(auditLog.action, 'create')))[0]?.n;
      const response = await official.post(`/api/residents/${resident.id}/facts`, {
        observedOn: '2026-11-20',
        ...body({ resident: resident.id, otherFact: otherFact.id, sameFactOtherIndicator: sameFactOtherIndicator.id }),
      });
      expect(response.statusCode).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues[0].path).toBe(path);
      expect(await countFacts()).toBe(before);
      const auditAfter = (await ctx.deps.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(auditLog).where(eq(auditLog.action, 'create')))[0]?.n;
      expect(auditAfter).toBe(auditBefore);
    });
  }

  it('accepts an observation dated today', async () => {
    const resident = await adult();
    const fact = await record(official, resident.id, { indicator: 'smartphone', value: 'true', observedOn: ctx.deps.today() });
    expect(fact.observedOn).toBe(ctx.deps.today());
  });

  it('refuses an analyst with 403', async () => {
    const resident = await adult();
    const analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
    const response = await analyst.post(`/api/residents/${resident.id}/facts`, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-01' });
    expect(response.statusCode).toBe(403);
  });
});

describe('facts in the database', () => {
  it('cannot be changed or deleted by SQL: the trigger raises', async () => {
    const resident = await adult();
    const fact = await record(official, resident.id, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-01' });
    await expect(ctx.deps.pool.query(`UPDATE facts SET value = 'false' WHERE id = $1`, [fact.id])).rejects.toThrow(/append-only/);
    await expect(ctx.deps.pool.query('DELETE FROM facts WHERE id = $1', [fact.id])).rejects.toThrow(/append-only/);
    const [row] = await ctx.deps.db.select().from(facts).where(and(eq(facts.id, fact.id), eq(facts.value, 'true')));
    expect(row).toBeDefined();
  });
});

describe('POST /api/residents/{id}/reveal', () => {
  it('shows a unit official the full citizen ID and logs the reveal', async () => {
    const resident = await adult({ citizenId: '079080123456', birthDate: '1980-02-03', sex: 'male' });
    const response = await official.post(`/api/residents/${resident.id}/reveal`, { field: 'citizenId' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ field: 'citizenId', value: '079080123456' });
    const rows = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'reveal'), sql`${auditLog.recordIds} @> ARRAY[${resident.id}]::bigint[]`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorUserId: officialUser.id, actorUsername: officialUser.username, recordType: 'resident', fields: ['citizenId'], unitCodes: [UNIT_A] });
  });

  it('never sends the full citizen ID in a GET response', async () => {
    const resident = await adult({ fullName: 'Trịnh Văn Kín', citizenId: '079080654321', birthDate: '1980-02-03', sex: 'male' });
    await record(official, resident.id, { indicator: 'citizen_id_card', value: 'true', observedOn: '2026-11-01' });
    for (const url of [
      `/api/residents/${resident.id}`,
      `/api/residents/${resident.id}/facts`,
      `/api/households/${household.id}`,
      `/api/households?unit=${UNIT_A}`,
      '/api/residents?q=trinh%20van%20kin',
      '/api/residents?q=079080654321',
      '/api/residents?q=654321',
    ]) {
      const response = await official.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).not.toContain('079080654321');
    }
    const detail = (await official.get(`/api/residents/${resident.id}`)).json();
    expect(detail.citizenId).toBe('079*******21');
    expect(detail.canReveal.citizenId).toBe(true);
    const found = (await official.get('/api/residents?q=079080654321')).json().items;
    expect(found.map((r: { id: number }) => r.id)).toEqual([resident.id]);
  });
});
