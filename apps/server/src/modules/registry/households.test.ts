import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, households } from '@cds/db';
import { and, desc, eq, sql } from 'drizzle-orm';
import { UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';

let ctx: TestContext;
let official: Session;
let admin: Session;
let neighbourhoodA: { id: number; name: string };
let neighbourhoodB: { id: number };

type Summary = {
  id: number;
  unitCode: string;
  neighbourhoodId: number | null;
  neighbourhood: string | null;
  address: string;
  povertyStatus: string;
  povertyListYear: number | null;
  headName: string | null;
  members: number;
};

beforeAll(async () => {
  ctx = await createTestApp();
  official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  neighbourhoodA = (await official.post(`/api/units/${UNIT_A}/neighbourhoods`, { name: 'Khu phố 3' })).json();
  neighbourhoodB = (await admin.post(`/api/units/${UNIT_B}/neighbourhoods`, { name: 'Khu phố 3' })).json();
});
afterAll(async () => ctx?.close());

const countHouseholds = async () => (await ctx.deps.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(households))[0]?.n ?? 0;

const newNeighbourhood = async (name: string) => {
  const response = await official.post(`/api/units/${UNIT_A}/neighbourhoods`, { name });
  if (response.statusCode !== 200) throw new Error(response.body);
  return response.json() as { id: number; name: string };
};

describe('POST /api/households', () => {
  it('registers a household in a neighbourhood of the unit', async () => {
    const response = await official.post('/api/households', {
      unitCode: UNIT_A,
      neighbourhoodId: neighbourhoodA.id,
      householdCode: ' HK-0001 ',
      address: '  12 Nguyễn Huệ  ',
      povertyStatus: 'near_poor',
      povertyListYear: 2025,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as Summary;
    expect(body).toMatchObject({
      unitCode: UNIT_A,
      neighbourhoodId: neighbourhoodA.id,
      neighbourhood: 'Khu phố 3',
      householdCode: 'HK-0001',
      address: '12 Nguyễn Huệ',
      povertyStatus: 'near_poor',
      povertyListYear: 2025,
      headName: null,
      members: 0,
    });
    const { rows } = await ctx.deps.pool.query('SELECT unit_code, province_code, poverty_status FROM households WHERE id = $1', [body.id]);
    expect(rows[0]).toEqual({ unit_code: UNIT_A, province_code: '79', poverty_status: 'near_poor' });
  });

  it('stores an address typed as letters and separate tone marks in its composed form', async () => {
    const typed = '7 Đường Hòa Hưng'.normalize('NFD');
    const response = await official.post('/api/households', { unitCode: UNIT_A, address: typed });
    expect(response.statusCode).toBe(200);
    const { rows } = await ctx.deps.pool.query('SELECT address FROM households WHERE id = $1', [response.json().id]);
    expect(rows[0].address).toBe('7 Đường Hòa Hưng'.normalize('NFC'));
    expect(rows[0].address).not.toBe(typed);
  });

  it('defaults to no poverty status', async () => {
    const response = await official.post('/api/households', { unitCode: UNIT_A, address: '3 Đồng Khởi' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ povertyStatus: 'none', povertyListYear: null, neighbourhoodId: null });
  });

  const rejections: [string, () => Record<string, unknown>, string][] = [
    ['a poor household without the year of its list', () => ({ povertyStatus: 'poor' }), 'body.povertyListYear'],
    ['a near-poor household with a null list year', () => ({ povertyStatus: 'near_poor', povertyListYear: null }), 'body.povertyListYear'],
    ['a neighbourhood of another unit', () => ({ neighbourhoodId: neighbourhoodB.id }), 'body.neighbourhoodId'],
    ['a unit that does not exist', () => ({ unitCode: '99999' }), 'body.unitCode'],
    ['a unit code that is not 5 digits', () => ({ unitCode: '2674' }), 'body.unitCode'],
    ['an address too short', () => ({ address: ' 1 ' }), 'body.address'],
  ];
  for (const [what, change, path] of rejections) {
    it(`rejects ${what} with 400 naming ${path}, and stores nothing`, async () => {
      const before = await countHouseholds();
      const response = await official.post('/api/households', { unitCode: UNIT_A, address: '45 Lê Thánh Tôn', ...change() });
      expect(response.statusCode).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues[0].path).toBe(path);
      expect(error.issues[0].message.length).toBeGreaterThan(0);
      expect(await countHouseholds()).toBe(before);
    });
  }

  it('rejects a neighbourhood that has been merged away', async () => {
    const from = await newNeighbourhood('Khu phố Đã Nhập');
    const into = await newNeighbourhood('Khu phố Nhận');
    await official.post(`/api/neighbourhoods/${from.id}/merge`, { intoId: into.id });
    const response = await official.post('/api/households', { unitCode: UNIT_A, neighbourhoodId: from.id, address: '7 Pasteur' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('body.neighbourhoodId');
  });
});

describe('PATCH /api/households/{id}', () => {
  it('changes the address, neighbourhood and poverty status', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const response = await official.patch(`/api/households/${household.id}`, {
      address: '99 Hàm Nghi',
      neighbourhoodId: neighbourhoodA.id,
      povertyStatus: 'poor',
      povertyListYear: 2026,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: household.id, address: '99 Hàm Nghi', neighbourhoodId: neighbourhoodA.id, povertyStatus: 'poor', povertyListYear: 2026 });
    const detail = (await official.get(`/api/households/${household.id}`)).json();
    expect(detail).toMatchObject({ address: '99 Hàm Nghi', povertyStatus: 'poor', neighbourhood: 'Khu phố 3' });
  });

  it('keeps the fields it was not sent', async () => {
    const household = await makeHousehold(ctx, UNIT_A, { povertyStatus: 'near_poor', povertyListYear: 2024, householdCode: 'HK-77' });
    const response = await official.patch(`/api/households/${household.id}`, { address: '1 Lý Tự Trọng' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ address: '1 Lý Tự Trọng', povertyStatus: 'near_poor', povertyListYear: 2024, householdCode: 'HK-77' });
  });

  it('takes a household out of a neighbourhood with null', async () => {
    const household = await makeHousehold(ctx, UNIT_A, { neighbourhoodId: neighbourhoodA.id });
    const response = await official.patch(`/api/households/${household.id}`, { neighbourhoodId: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ neighbourhoodId: null, neighbourhood: null });
  });

  it('rejects a poor status whose list year is cleared, and changes nothing', async () => {
    const household = await makeHousehold(ctx, UNIT_A, { povertyStatus: 'poor', povertyListYear: 2025 });
    const response = await official.patch(`/api/households/${household.id}`, { povertyListYear: null });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('body.povertyListYear');
    const { rows } = await ctx.deps.pool.query('SELECT poverty_list_year FROM households WHERE id = $1', [household.id]);
    expect(rows[0].poverty_list_year).toBe(2025);
  });

  it('rejects moving a household to a neighbourhood of another unit', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const response = await official.patch(`/api/households/${household.id}`, { neighbourhoodId: neighbourhoodB.id });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('body.neighbourhoodId');
  });
});

describe('GET /api/households', () => {
  it('filters by neighbourhood', async () => {
    const here = await newNeighbourhood('Khu phố Lọc');
    const inside = [await makeHousehold(ctx, UNIT_A, { neighbourhoodId: here.id }), await makeHousehold(ctx, UNIT_A, { neighbourhoodId: here.id })];
    await makeHousehold(ctx, UNIT_A);
    const response = await official.get(`/api/households?neighbourhood=${here.id}`);
    expect(response.statusCode).toBe(200);
    const items = response.json().items as Summary[];
    expect(items.map((h) => h.id)).toEqual(inside.map((h) => h.id));
    expect(items.every((h) => h.neighbourhood === 'Khu phố Lọc')).toBe(true);
  });

  it('filters by poverty status', async () => {
    const here = await newNeighbourhood('Khu phố Nghèo');
    const poor = await makeHousehold(ctx, UNIT_A, { neighbourhoodId: here.id, povertyStatus: 'poor', povertyListYear: 2025 });
    const nearPoor = await makeHousehold(ctx, UNIT_A, { neighbourhoodId: here.id, povertyStatus: 'near_poor', povertyListYear: 2025 });
    const none = await makeHousehold(ctx, UNIT_A, { neighbourhoodId: here.id });
    const ids = async (poverty: string) =>
      ((await official.get(`/api/households?neighbourhood=${here.id}&poverty=${poverty}`)).json().items as Summary[]).map((h) => h.id);
    expect(await ids('poor')).toEqual([poor.id]);
    expect(await ids('near_poor')).toEqual([nearPoor.id]);
    expect(await ids('none')).toEqual([none.id]);
    const all = (await official.get('/api/households?poverty=poor')).json().items as Summary[];
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((h) => h.povertyStatus === 'poor')).toBe(true);
  });

  it('rejects an unknown poverty status with 400', async () => {
    const response = await official.get('/api/households?poverty=rich');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('querystring.poverty');
  });

  it('pages with a keyset cursor over several pages, without repeating or skipping a household', async () => {
    const here = await newNeighbourhood('Khu phố Phân Trang');
    const made: number[] = [];
    for (let i = 0; i < 7; i++) made.push((await makeHousehold(ctx, UNIT_A, { neighbourhoodId: here.id })).id);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/households?neighbourhood=${here.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await official.get(url)).json() as { items: Summary[]; next: string | null };
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items.map((h) => h.id));
      cursor = body.next;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(3);
    expect(seen).toEqual(made);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('ends on an exactly full last page with no next cursor', async () => {
    const here = await newNeighbourhood('Khu phố Đủ Trang');
    for (let i = 0; i < 4; i++) await makeHousehold(ctx, UNIT_A, { neighbourhoodId: here.id });
    const first = (await official.get(`/api/households?neighbourhood=${here.id}&limit=2`)).json();
    expect(first.next).not.toBeNull();
    const second = (await official.get(`/api/households?neighbourhood=${here.id}&limit=2&cursor=${first.next}`)).json();
    expect(second.items).toHaveLength(2);
    expect(second.next).toBeNull();
  });

  it('shows the living head’s name and counts living members only', async () => {
    const here = await newNeighbourhood('Khu phố Thành Viên');
    const household = await makeHousehold(ctx, UNIT_A, { neighbourhoodId: here.id });
    await makeResident(ctx, household, { fullName: 'Phan Văn Chủ', relationToHead: 'head' });
    await makeResident(ctx, household, { fullName: 'Phan Thị Vợ', sex: 'female', relationToHead: 'spouse' });
    await makeResident(ctx, household, { fullName: 'Phan Văn Con', relationToHead: 'child', birthDate: '2012-02-02' });
    const gone = await makeResident(ctx, household, { fullName: 'Phan Văn Đi', relationToHead: 'child', birthDate: '2000-02-02' });
    await ctx.deps.pool.query(`UPDATE residents SET status = 'moved_away' WHERE id = $1`, [gone.id]);
    const empty = await makeHousehold(ctx, UNIT_A, { neighbourhoodId: here.id });

    const items = (await official.get(`/api/households?neighbourhood=${here.id}`)).json().items as Summary[];
    expect(items.find((h) => h.id === household.id)).toMatchObject({ headName: 'Phan Văn Chủ', members: 3 });
    expect(items.find((h) => h.id === empty.id)).toMatchObject({ headName: null, members: 0 });
  });
});

describe('GET /api/households?q=', () => {
  const found = async (session: Session, query: string) =>
    ((await session.get(`/api/households?q=${encodeURIComponent(query)}`)).json().items as Summary[]).map((h) => h.id);

  it('finds a household by any part of its address, typed with or without diacritics, in either tone placement', async () => {
    const here = await makeHousehold(ctx, UNIT_A, { address: 'Số 17 Đường Hòa Hưng Tây' });
    const other = await makeHousehold(ctx, UNIT_A, { address: 'Số 17 Đường Hòa Hưng Đông' });
    expect(await found(official, 'hoa hung tay')).toEqual([here.id]);
    expect(await found(official, 'HÒA  HƯNG TÂY')).toEqual([here.id]);
    expect(await found(official, 'Hoà Hưng Tây')).toEqual([here.id]);
    expect(await found(official, '17 đường hòa hưng')).toEqual([here.id, other.id]);
    expect(await found(official, 'hoa hung nam')).toEqual([]);
  });

  it('finds a household by its household code, and takes % in a search literally', async () => {
    const coded = await makeHousehold(ctx, UNIT_A, { address: 'Hẻm 5 Đường Cô Bắc', householdCode: 'HK-TRA-0042' });
    expect(await found(official, 'hk-tra-0042')).toEqual([coded.id]);
    expect(await found(official, '%')).toEqual([]);
  });

  it('finds a household by its new address once the address is changed, and no longer by the old one', async () => {
    const moved = await makeHousehold(ctx, UNIT_A, { address: 'Số 8 Đường Trương Định' });
    expect(await found(official, 'truong dinh')).toEqual([moved.id]);
    expect((await official.patch(`/api/households/${moved.id}`, { address: 'Số 8 Đường Nguyễn Trãi' })).statusCode).toBe(200);
    expect(await found(official, 'truong dinh')).toEqual([]);
    expect(await found(official, 'so 8 duong nguyen trai')).toEqual([moved.id]);
  });

  it("does not find another ward's household for a ward official, and writes the search to the audit log", async () => {
    const mine = await makeHousehold(ctx, UNIT_A, { address: 'Số 3 Đường Ba Vân' });
    const theirs = await makeHousehold(ctx, UNIT_B, { address: 'Số 3 Đường Ba Vân' });
    expect(await found(official, 'ba van')).toEqual([mine.id]);
    expect(await found(admin, 'ba van')).toEqual([mine.id, theirs.id]);
    const [entry] = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'search'), eq(auditLog.recordType, 'household'), eq(auditLog.actorRole, 'unit_official')))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(entry?.recordIds.map(Number)).toEqual([mine.id]);
    expect(entry?.detail).toMatchObject({ query: 'ba van' });
  });
});

describe('GET /api/households/{id}', () => {
  it('shows the members, head first, each with the four elements', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const child = await makeResident(ctx, household, { fullName: 'Vũ Thị Nhỏ', sex: 'female', relationToHead: 'child', birthDate: '2015-06-01' });
    const head = await makeResident(ctx, household, { fullName: 'Vũ Văn Lớn', relationToHead: 'head', birthDate: '1975-01-01', citizenId: '079075001122' });
    const response = await official.get(`/api/households/${household.id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ id: household.id, headName: 'Vũ Văn Lớn', members: 2 });
    expect(body.residents.map((r: { id: number }) => r.id)).toEqual([head.id, child.id]);
    for (const resident of body.residents) {
      expect(resident.elements.map((e: { element: string }) => e.element)).toEqual(['identity', 'device', 'accounts', 'skills']);
    }
    const [headView, childView] = body.residents;
    // No fact recorded yet: the adult's elements are unknown, the 11-year-old's do not apply.
    expect(headView.elements.map((e: { state: string }) => e.state)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(childView.elements.map((e: { state: string }) => e.state)).toEqual(['not_applicable', 'not_applicable', 'not_applicable', 'not_applicable']);
    expect(headView.citizenId).toBe('079*******22');
    expect(response.body).not.toContain('079075001122');
  });

  it('shows the current facts of each member in their elements', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const member = await makeResident(ctx, household, { fullName: 'Đinh Văn Số', birthDate: '1990-01-01' });
    await official.post(`/api/residents/${member.id}/facts`, { indicator: 'smartphone', value: 'true', observedOn: '2026-11-01' });
    const body = (await official.get(`/api/households/${household.id}`)).json();
    const device = body.residents[0].elements.find((e: { element: string }) => e.element === 'device');
    expect(device.state).toBe('met');
    expect(device.indicators.find((i: { indicator: string }) => i.indicator === 'smartphone').value).toBe('true');
  });

  it('answers 404 for a household that does not exist', async () => {
    const { rows } = await ctx.deps.pool.query('SELECT coalesce(max(id), 0) + 1 AS id FROM households');
    const response = await official.get(`/api/households/${rows[0].id}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('NOT_FOUND');
  });
});
