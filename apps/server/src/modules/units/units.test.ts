import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neighbourhoods, provinces, units } from '@cds/db';
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import { DATA_FILES_DIR } from '../../demo/reference-data.ts';
import { upsertUser } from '../access/users.service.ts';
import { UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';
import { loadUnits } from './load-units.ts';

// Units are reference data with live counts; neighbourhoods are kept by unit officials.

/** Two more real units of the city (data/hcmc-units-2025.csv), so each describe counts its own rows. */
const UNIT_COUNTED = '26737'; // Phường Tân Định
const UNIT_OTHER = '26758'; // Phường Cầu Ông Lãnh

let ctx: TestContext;
let admin: Session;
let officialA: Session;
let analyst: Session;
let volunteer: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
  volunteer = await signIn(ctx, await makeUser(ctx, 'volunteer'));
});
afterAll(async () => ctx?.close());

type UnitRow = { code: string; name: string; fullName: string; households: number; residents: number; neighbourhoods: number };
type NeighbourhoodRow = { id: number; unitCode: string; name: string; mergedInto: number | null; households: number };

const unitsCsv = () => parse(readFileSync(DATA_FILES_DIR + 'hcmc-units-2025.csv', 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
const legacyCsv = () => parse(readFileSync(DATA_FILES_DIR + 'hcmc-units-legacy-map.csv', 'utf8'), { columns: true, bom: true }) as Record<string, string>[];

const addNeighbourhood = async (session: Session, unitCode: string, name: string) => {
  const response = await session.post(`/api/units/${unitCode}/neighbourhoods`, { name });
  if (response.statusCode !== 200) throw new Error(`add neighbourhood: ${response.statusCode} ${response.body}`);
  return response.json() as NeighbourhoodRow;
};
const listNeighbourhoods = async (session: Session, unitCode: string) =>
  (await session.get(`/api/units/${unitCode}/neighbourhoods`)).json().items as NeighbourhoodRow[];

describe('GET /api/units', () => {
  it('lists all 168 units of the city for a city admin, the same codes as the bundled list', async () => {
    const response = await admin.get('/api/units');
    expect(response.statusCode).toBe(200);
    const items = response.json().items as UnitRow[];
    expect(items).toHaveLength(168);
    expect(new Set(items.map((u) => u.code))).toEqual(new Set(unitsCsv().map((row) => row.code)));
  });

  it('counts households, living residents and live neighbourhoods of a unit after they are added', async () => {
    const counted = async () => ((await admin.get('/api/units')).json().items as UnitRow[]).find((u) => u.code === UNIT_COUNTED);
    expect(await counted()).toMatchObject({ households: 0, residents: 0, neighbourhoods: 0 });

    const first = await makeHousehold(ctx, UNIT_COUNTED);
    const second = await makeHousehold(ctx, UNIT_COUNTED);
    await makeResident(ctx, first, { fullName: 'Lý Văn Một' });
    await makeResident(ctx, first, { fullName: 'Lý Thị Hai', sex: 'female', relationToHead: 'spouse' });
    await makeResident(ctx, second, { fullName: 'Lâm Văn Ba' });
    const gone = await makeResident(ctx, second, { fullName: 'Lâm Văn Bốn', relationToHead: 'child', birthDate: '2001-01-01' });
    await ctx.deps.pool.query(`UPDATE residents SET status = 'moved_away' WHERE id = $1`, [gone.id]);
    const kept = await addNeighbourhood(admin, UNIT_COUNTED, 'Khu phố 1');
    const merged = await addNeighbourhood(admin, UNIT_COUNTED, 'Khu phố 2');
    expect((await admin.post(`/api/neighbourhoods/${merged.id}/merge`, { intoId: kept.id })).statusCode).toBe(200);
    // A household elsewhere must not be counted here.
    await makeHousehold(ctx, UNIT_OTHER);

    expect(await counted()).toMatchObject({ households: 2, residents: 3, neighbourhoods: 1 });
    const detail = (await admin.get(`/api/units/${UNIT_COUNTED}`)).json();
    expect(detail).toMatchObject({ code: UNIT_COUNTED, households: 2, residents: 3, neighbourhoods: 1 });
  });

  it('filters by a name typed without diacritics', async () => {
    for (const q of ['ben thanh', 'Bến Thành', 'BEN THANH', 'bến  thành']) {
      const items = (await admin.get(`/api/units?q=${encodeURIComponent(q)}`)).json().items as UnitRow[];
      expect(items.map((u) => u.code), q).toEqual([UNIT_B]);
    }
    const thanh = (await admin.get('/api/units?q=thanh')).json().items as UnitRow[];
    const expected = unitsCsv().filter((row) => row.name_ascii?.includes('thanh')).map((row) => row.code);
    expect(thanh.map((u) => u.code).sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(2);
  });

  it('takes % and _ in the filter as the characters they are, not as wildcards', async () => {
    for (const q of ['%', '_', 'b_n th%']) {
      const response = await admin.get(`/api/units?q=${encodeURIComponent(q)}`);
      expect(response.statusCode).toBe(200);
      expect(response.json().items, q).toEqual([]);
    }
  });

  it('gives an analyst the counts of the whole city', async () => {
    const response = await analyst.get('/api/units');
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toHaveLength(168);
  });

  it('refuses a volunteer with 403: they work from assigned households, not units', async () => {
    const response = await volunteer.get('/api/units');
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN');
  });
});

describe('GET /api/units/{code}', () => {
  it('lists the wards before 1 July 2025 that formed Phường Bến Thành, as in the legacy map', async () => {
    const response = await admin.get(`/api/units/${UNIT_B}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ code: UNIT_B, name: 'Bến Thành', fullName: 'Phường Bến Thành', type: 'phuong', provinceCode: '79' });
    const expected = legacyCsv()
      .filter((row) => row.new_code === UNIT_B)
      .map((row) => ({ oldCode: row.old_code, oldName: row.old_name, oldDistrict: row.old_district, mergeType: row.merge_type }));
    expect(expected.length).toBeGreaterThan(1);
    expect(body.legacy).toHaveLength(expected.length);
    expect(body.legacy).toEqual(expect.arrayContaining(expected));
    expect(body.legacy.map((l: { oldName: string }) => l.oldName)).toContain('Phường Phạm Ngũ Lão');
  });

  it('answers 404 for a code that is not a unit', async () => {
    const response = await admin.get('/api/units/00000');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('NOT_FOUND');
  });
});

describe('POST /api/units/{code}/neighbourhoods', () => {
  it('adds a neighbourhood with its name trimmed, and lists it', async () => {
    const response = await officialA.post(`/api/units/${UNIT_A}/neighbourhoods`, { name: '   Khu phố Bến Nghé  ' });
    expect(response.statusCode).toBe(200);
    const created = response.json() as NeighbourhoodRow;
    expect(created).toMatchObject({ unitCode: UNIT_A, name: 'Khu phố Bến Nghé', mergedInto: null, households: 0 });
    expect((await listNeighbourhoods(officialA, UNIT_A)).map((n) => n.id)).toContain(created.id);
  });

  it('refuses a name the unit already has, even in another case or without diacritics, with 409', async () => {
    await addNeighbourhood(officialA, UNIT_A, 'Ấp Đông');
    for (const name of ['Ấp Đông', 'ấp đông', 'AP DONG', 'Ap  Dong']) {
      const response = await officialA.post(`/api/units/${UNIT_A}/neighbourhoods`, { name });
      expect(response.statusCode, name).toBe(409);
      expect(response.json().error.code).toBe('NEIGHBOURHOOD_NAME_TAKEN');
    }
    expect((await listNeighbourhoods(officialA, UNIT_A)).filter((n) => n.name === 'Ấp Đông')).toHaveLength(1);
  });

  it('allows the same name in another unit', async () => {
    await addNeighbourhood(admin, UNIT_OTHER, 'Khu phố Chung');
    const response = await admin.post(`/api/units/${UNIT_B}/neighbourhoods`, { name: 'Khu phố Chung' });
    expect(response.statusCode).toBe(200);
  });

  it('refuses an empty or blank name with 400 naming body.name in Vietnamese, and stores nothing', async () => {
    const before = await listNeighbourhoods(officialA, UNIT_A);
    for (const name of ['', '    ']) {
      const response = await officialA.post(`/api/units/${UNIT_A}/neighbourhoods`, { name });
      expect(response.statusCode).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues[0]).toEqual({ path: 'body.name', message: 'Tên khu phố/ấp không được để trống' });
    }
    expect(await listNeighbourhoods(officialA, UNIT_A)).toEqual(before);
  });

  it('refuses an analyst with 403 and stores nothing', async () => {
    const response = await analyst.post(`/api/units/${UNIT_A}/neighbourhoods`, { name: 'Khu phố Phân Tích' });
    expect(response.statusCode).toBe(403);
    const [row] = await ctx.deps.db.select().from(neighbourhoods).where(eq(neighbourhoods.nameFolded, 'khu pho phan tich'));
    expect(row).toBeUndefined();
  });
});

describe('PATCH /api/neighbourhoods/{id}', () => {
  it('renames a neighbourhood', async () => {
    const created = await addNeighbourhood(officialA, UNIT_A, 'Khu phố Cũ');
    const response = await officialA.patch(`/api/neighbourhoods/${created.id}`, { name: ' Khu phố Mới ' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: created.id, name: 'Khu phố Mới' });
    const names = (await listNeighbourhoods(officialA, UNIT_A)).map((n) => n.name);
    expect(names).toContain('Khu phố Mới');
    expect(names).not.toContain('Khu phố Cũ');
  });

  it('refuses a name another neighbourhood of the unit has, with 409, and keeps the old name', async () => {
    await addNeighbourhood(officialA, UNIT_A, 'Khu phố Hoà Bình');
    const other = await addNeighbourhood(officialA, UNIT_A, 'Khu phố Độc Lập');
    const response = await officialA.patch(`/api/neighbourhoods/${other.id}`, { name: 'khu pho hoa binh' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('NEIGHBOURHOOD_NAME_TAKEN');
    expect((await listNeighbourhoods(officialA, UNIT_A)).find((n) => n.id === other.id)?.name).toBe('Khu phố Độc Lập');
  });

  it('lets a neighbourhood change only the case of its own name', async () => {
    const created = await addNeighbourhood(officialA, UNIT_A, 'khu phố tự do');
    const response = await officialA.patch(`/api/neighbourhoods/${created.id}`, { name: 'Khu phố Tự Do' });
    expect(response.statusCode).toBe(200);
    expect(response.json().name).toBe('Khu phố Tự Do');
  });
});

describe('POST /api/neighbourhoods/{id}/merge', () => {
  it('moves the households to the target, and the merged neighbourhood leaves the list', async () => {
    const from = await addNeighbourhood(officialA, UNIT_A, 'Khu phố Sáp Nhập Đi');
    const into = await addNeighbourhood(officialA, UNIT_A, 'Khu phố Nhận Về');
    const moving = [await makeHousehold(ctx, UNIT_A, { neighbourhoodId: from.id }), await makeHousehold(ctx, UNIT_A, { neighbourhoodId: from.id })];
    const staying = await makeHousehold(ctx, UNIT_A, { neighbourhoodId: into.id });

    const response = await officialA.post(`/api/neighbourhoods/${from.id}/merge`, { intoId: into.id });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: into.id, households: 3, mergedInto: null });

    const { rows } = await ctx.deps.pool.query('SELECT id, neighbourhood_id FROM households WHERE id = ANY($1::bigint[])', [[...moving, staying].map((h) => h.id)]);
    expect(rows.map((r: { neighbourhood_id: number }) => r.neighbourhood_id)).toEqual([into.id, into.id, into.id]);
    const list = await listNeighbourhoods(officialA, UNIT_A);
    expect(list.map((n) => n.id)).not.toContain(from.id);
    expect(list.find((n) => n.id === into.id)?.households).toBe(3);
    const [old] = await ctx.deps.db.select().from(neighbourhoods).where(eq(neighbourhoods.id, from.id));
    expect(old?.mergedInto).toBe(into.id);
  });

  it('frees the merged name for a new neighbourhood', async () => {
    const from = await addNeighbourhood(officialA, UNIT_A, 'Tổ dân phố 7');
    const into = await addNeighbourhood(officialA, UNIT_A, 'Tổ dân phố 8');
    await officialA.post(`/api/neighbourhoods/${from.id}/merge`, { intoId: into.id });
    expect((await officialA.post(`/api/units/${UNIT_A}/neighbourhoods`, { name: 'Tổ dân phố 7' })).statusCode).toBe(200);
  });

  it('refuses to merge a neighbourhood into itself with 400 naming body.intoId', async () => {
    const one = await addNeighbourhood(officialA, UNIT_A, 'Khu phố Một Mình');
    const response = await officialA.post(`/api/neighbourhoods/${one.id}/merge`, { intoId: one.id });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('body.intoId');
    expect((await listNeighbourhoods(officialA, UNIT_A)).map((n) => n.id)).toContain(one.id);
  });

  it('refuses to merge across units with 400 and moves nothing', async () => {
    const here = await addNeighbourhood(admin, UNIT_A, 'Khu phố Bên Này');
    const there = await addNeighbourhood(admin, UNIT_B, 'Khu phố Bên Kia');
    const household = await makeHousehold(ctx, UNIT_A, { neighbourhoodId: here.id });
    const response = await admin.post(`/api/neighbourhoods/${here.id}/merge`, { intoId: there.id });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('body.intoId');
    const { rows } = await ctx.deps.pool.query('SELECT neighbourhood_id FROM households WHERE id = $1', [household.id]);
    expect(rows[0].neighbourhood_id).toBe(here.id);
  });

  it('tells an official that a neighbourhood of another unit does not exist (404)', async () => {
    const mine = await addNeighbourhood(officialA, UNIT_A, 'Khu phố Của Tôi');
    const theirs = await addNeighbourhood(admin, UNIT_B, 'Khu phố Của Họ');
    expect((await officialA.post(`/api/neighbourhoods/${mine.id}/merge`, { intoId: theirs.id })).statusCode).toBe(404);
    expect((await officialA.patch(`/api/neighbourhoods/${theirs.id}`, { name: 'Đổi Tên' })).statusCode).toBe(404);
  });

  it('refuses to merge an already merged neighbourhood, or into one, with 409', async () => {
    const a = await addNeighbourhood(officialA, UNIT_A, 'Ấp A');
    const b = await addNeighbourhood(officialA, UNIT_A, 'Ấp B');
    const c = await addNeighbourhood(officialA, UNIT_A, 'Ấp C');
    expect((await officialA.post(`/api/neighbourhoods/${a.id}/merge`, { intoId: b.id })).statusCode).toBe(200);
    for (const [from, into] of [
      [a.id, c.id],
      [c.id, a.id],
    ] as const) {
      const response = await officialA.post(`/api/neighbourhoods/${from}/merge`, { intoId: into });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('NEIGHBOURHOOD_MERGED');
    }
    expect((await officialA.patch(`/api/neighbourhoods/${a.id}`, { name: 'Ấp A Mới' })).statusCode).toBe(409);
  });

  it('refuses an analyst with 403', async () => {
    const a = await addNeighbourhood(admin, UNIT_OTHER, 'Ấp Phân Tích 1');
    const b = await addNeighbourhood(admin, UNIT_OTHER, 'Ấp Phân Tích 2');
    expect((await analyst.post(`/api/neighbourhoods/${a.id}/merge`, { intoId: b.id })).statusCode).toBe(403);
    expect((await analyst.patch(`/api/neighbourhoods/${a.id}`, { name: 'Ấp Khác' })).statusCode).toBe(403);
  });
});

describe('loadUnits (another province)', () => {
  const HANOI = '01';
  const provincesCsv = 'code,name,full_name\n01,Hà Nội,Thành phố Hà Nội\n04,Cao Bằng,Tỉnh Cao Bằng\n';
  // Three wards of Hà Nội, in the columns data/SOURCES.md asks of any province.
  const hanoiUnitsCsv = [
    'code,name,type,full_name',
    '00004,Ba Đình,phuong,Phường Ba Đình',
    '00008,Ngọc Hà,phuong,Phường Ngọc Hà',
    '00025,Giảng Võ,phuong,Phường Giảng Võ',
  ].join('\n');

  it('loads a second province from its own small CSV; its admin sees its units, the city keeps its 168', async () => {
    const result = await loadUnits(ctx.deps.db, { provinceCode: HANOI, provincesCsv, unitsCsv: hanoiUnitsCsv });
    expect(result).toEqual({ province: 'Thành phố Hà Nội', units: 3, legacyRows: 0 });
    const [province] = await ctx.deps.db.select().from(provinces).where(eq(provinces.code, HANOI));
    expect(province).toMatchObject({ name: 'Hà Nội', fullName: 'Thành phố Hà Nội' });

    const username = `hanoi-admin-${Date.now()}`;
    await upsertUser(ctx.deps.db, { username, password: 'hanoi-password', role: 'city_admin', displayName: 'Hà Nội', provinceCode: HANOI });
    const hanoiAdmin = await signIn(ctx, { username, password: 'hanoi-password' });
    const items = (await hanoiAdmin.get('/api/units')).json().items as UnitRow[];
    expect(items.map((u) => u.code).sort()).toEqual(['00004', '00008', '00025']);
    expect(items.find((u) => u.code === '00025')).toMatchObject({ name: 'Giảng Võ', fullName: 'Phường Giảng Võ', households: 0 });
    // Folded names are derived when the CSV has no name_ascii column.
    expect((await hanoiAdmin.get('/api/units?q=giang%20vo')).json().items.map((u: UnitRow) => u.code)).toEqual(['00025']);
    expect((await admin.get('/api/units')).json().items).toHaveLength(168);
  });

  it('rejects a CSV with a bad row, naming its line, and stores nothing of it', async () => {
    const countUnits = async () => (await ctx.deps.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(units))[0]?.n;
    const before = await countUnits();
    const bad = ['code,name,type,full_name', '00001,Hòa An,phuong,Phường Hòa An', '123,Sai Mã,phuong,Phường Sai Mã', '00007,Sai Loại,thi_tran,Thị trấn Sai Loại'].join('\n');
    const attempt = loadUnits(ctx.deps.db, { provinceCode: '04', provincesCsv, unitsCsv: bad });
    await expect(attempt).rejects.toThrow(/dòng 3: mã "123" không phải 5 chữ số/);
    await expect(loadUnits(ctx.deps.db, { provinceCode: '04', provincesCsv, unitsCsv: bad })).rejects.toThrow(/dòng 4: loại "thi_tran" không hợp lệ/);
    expect(await countUnits()).toBe(before);
    expect(await ctx.deps.db.select().from(units).where(eq(units.code, '00001'))).toEqual([]);
    expect(await ctx.deps.db.select().from(provinces).where(eq(provinces.code, '04'))).toEqual([]);
  });

  it('rejects a CSV that names one code twice, naming both lines, and stores nothing', async () => {
    const twice = ['code,name,type,full_name', '00040,Hoàn Kiếm,phuong,Phường Hoàn Kiếm', '00040,Cửa Nam,phuong,Phường Cửa Nam'].join('\n');
    await expect(loadUnits(ctx.deps.db, { provinceCode: '04', provincesCsv, unitsCsv: twice })).rejects.toThrow(/dòng 3: mã "00040" trùng dòng 2/);
    expect(await ctx.deps.db.select().from(units).where(eq(units.code, '00040'))).toEqual([]);
  });

  it('refuses a code that already belongs to another province, and leaves that unit as it was', async () => {
    const clash = ['code,name,type,full_name', '00050,Tràng Tiền,phuong,Phường Tràng Tiền', `${UNIT_B},Không Phải Bến Thành,phuong,Phường Không Phải Bến Thành`].join('\n');
    await expect(loadUnits(ctx.deps.db, { provinceCode: HANOI, provincesCsv, unitsCsv: clash })).rejects.toThrow(new RegExp(`dòng 3: mã "${UNIT_B}"`));
    const [benThanh] = await ctx.deps.db.select().from(units).where(eq(units.code, UNIT_B));
    expect(benThanh).toMatchObject({ provinceCode: '79', name: 'Bến Thành' });
    expect(await ctx.deps.db.select().from(units).where(eq(units.code, '00050'))).toEqual([]);
  });

  it('loads the same province twice without duplicating its units', async () => {
    await loadUnits(ctx.deps.db, { provinceCode: HANOI, provincesCsv, unitsCsv: hanoiUnitsCsv });
    const { rows } = await ctx.deps.pool.query(`SELECT count(*)::int AS n FROM units WHERE province_code = $1`, [HANOI]);
    expect(rows[0].n).toBe(3);
  });

  it('rejects a province that is not in the provinces CSV', async () => {
    await expect(loadUnits(ctx.deps.db, { provinceCode: '99', provincesCsv, unitsCsv: hanoiUnitsCsv })).rejects.toThrow(/99/);
  });
});

describe('GET /api/units paging', () => {
  it('pages the units in name order with a keyset cursor, without repeats or gaps', async () => {
    const admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
    const all = (await admin.get('/api/units')).json() as { items: { code: string }[]; next: string | null };
    expect(all.items).toHaveLength(168);
    expect(all.next).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await admin.get(`/api/units?limit=50${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: { code: string }[]; next: string | null };
      seen.push(...page.items.map((u) => u.code));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(all.items.map((u) => u.code));
  });
});
