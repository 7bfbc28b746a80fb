import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residents } from '@cds/db';
import { eq, sql } from 'drizzle-orm';
import { UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';

let ctx: TestContext;
let official: Session;
let household: { id: number; unitCode: string };

beforeAll(async () => {
  ctx = await createTestApp();
  official = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  household = await makeHousehold(ctx, UNIT_A);
});
afterAll(async () => ctx?.close());

const countResidents = async () =>
  (await ctx.deps.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(residents))[0]?.n ?? 0;

const valid = () => ({
  householdId: household.id,
  fullName: '  nguyễn   THỊ  hoa ',
  birthDate: '1988-04-12',
  sex: 'female' as const,
  citizenId: '079 188.012345',
  phone: '+84 912 345 678',
  relationToHead: 'spouse' as const,
  residenceType: 'permanent' as const,
});

describe('POST /api/residents', () => {
  it('normalises the name, stores the citizen ID only as hash and ciphertext, and shows it masked', async () => {
    const response = await official.post('/api/residents', valid());
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.fullName).toBe('Nguyễn Thị Hoa');
    expect(body.citizenId).toBe('079*******45');
    expect(body.phone).toBe('091*****78');
    expect(body.phoneCarrier).toBe('vinaphone');
    const { rows } = await ctx.deps.pool.query('SELECT * FROM residents WHERE id = $1', [body.id]);
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain('079188012345');
    expect(rows[0].citizen_id_hash).toBe(ctx.deps.vault.hash('079188012345'));
    expect(ctx.deps.vault.decrypt(rows[0].citizen_id_enc)).toBe('079188012345');
  });

  it('computes eligibility from the birth date, never from input', async () => {
    const adult = (await official.post('/api/residents', { ...valid(), citizenId: null, birthDate: '2008-11-24', fullName: 'Lê Văn Tám' })).json();
    const minor = (await official.post('/api/residents', { ...valid(), citizenId: null, birthDate: '2008-11-25', fullName: 'Lê Văn Chín' })).json();
    expect(adult.eligible).toBe(true);
    expect(minor.eligible).toBe(false);
  });

  const rejections: [string, Record<string, unknown>, string, RegExp][] = [
    ['a citizen ID that contradicts the birth year', { citizenId: '079190012345' }, 'body.citizenId', /năm sinh/i],
    ['a citizen ID that contradicts the sex', { citizenId: '079088012345' }, 'body.citizenId', /giới tính/i],
    ['a citizen ID in scientific notation', { citizenId: '7.9085E+10' }, 'body.citizenId', /.+/],
    ['a citizen ID of the wrong length', { citizenId: '0791880123' }, 'body.citizenId', /.+/],
    ['a landline or malformed phone', { phone: '028 3829 1234' }, 'body.phone', /.+/],
    ['a birth date in the future', { birthDate: '2030-01-01' }, 'body.birthDate', /tương lai/],
    ['a birth year that contradicts the birth date', { birthYear: 1987 }, 'body.birthYear', /không khớp/],
    ['neither birth date nor year', { birthDate: undefined }, 'body.birthYear', /năm sinh/],
    ['an unknown relation to the head', { relationToHead: 'cousin' }, 'body.relationToHead', /.+/],
    ['a name too short', { fullName: 'A' }, 'body.fullName', /.+/],
  ];
  for (const [what, change, path, message] of rejections) {
    it(`rejects ${what}, naming the field, and stores nothing`, async () => {
      const before = await countResidents();
      const response = await official.post('/api/residents', { ...valid(), ...change });
      expect(response.statusCode).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues[0].path).toBe(path);
      expect(error.issues[0].message).toMatch(message);
      expect(await countResidents()).toBe(before);
    });
  }

  it('refuses a second household head', async () => {
    const other = await makeHousehold(ctx, UNIT_A);
    await makeResident(ctx, other, { relationToHead: 'head' });
    const response = await official.post('/api/residents', { ...valid(), householdId: other.id, citizenId: null, relationToHead: 'head' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('body.relationToHead');
  });

  it('refuses a citizen ID already in the registry with 409', async () => {
    const first = await official.post('/api/residents', { ...valid(), citizenId: '079185000001', birthDate: '1985-01-01', fullName: 'Phạm Thị Một' });
    expect(first.statusCode).toBe(200);
    const again = await official.post('/api/residents', { ...valid(), citizenId: '079185000001', birthDate: '1985-01-01', fullName: 'Phạm Thị Hai' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DUPLICATE_CITIZEN_ID');
  });

  it('keeps a 9-digit old ID as a legacy ID', async () => {
    const response = await official.post('/api/residents', { ...valid(), citizenId: '023456789', fullName: 'Võ Văn Cũ', sex: 'male' });
    expect(response.statusCode).toBe(200);
    const [row] = await ctx.deps.db.select().from(residents).where(eq(residents.id, response.json().id));
    expect(row?.citizenIdHash).toBeNull();
    expect(row?.legacyIdHash).toBe(ctx.deps.vault.hash('023456789'));
  });
});

describe('PATCH /api/residents/{id}', () => {
  it('records a move away and keeps the person out of eligibility', async () => {
    const created = (await official.post('/api/residents', { ...valid(), citizenId: null, fullName: 'Đặng Văn Đi' })).json();
    const moved = await official.patch(`/api/residents/${created.id}`, { status: 'moved_away' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ status: 'moved_away', eligible: false });
  });

  it('rejects a birth year that would contradict the stored citizen ID', async () => {
    const created = (await official.post('/api/residents', { ...valid(), citizenId: '079188054321', fullName: 'Hồ Thị Năm' })).json();
    const response = await official.patch(`/api/residents/${created.id}`, { birthDate: '1999-01-01' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('body.citizenId');
  });
});

describe('the registry schema', () => {
  it('keeps a resident in their household’s unit: a row naming another unit is refused', async () => {
    await expect(makeResident(ctx, { id: household.id, unitCode: UNIT_B })).rejects.toThrow();
    const kept = await makeResident(ctx, household);
    expect(kept.unitCode).toBe(UNIT_A);
  });
});

describe('GET /api/residents (search)', () => {
  let searchHousehold: { id: number; unitCode: string };
  beforeAll(async () => {
    searchHousehold = await makeHousehold(ctx, UNIT_A);
    for (const [name, id] of [
      ['Nguyễn Văn A', '079080111111'],
      ['Nguyễn Văn Anh', '079080222222'],
      ['Ngô Thị Bảy', '079180333333'],
      ['Đỗ Đức Dũng', '079080444444'],
    ] as const) {
      await makeResident(ctx, searchHousehold, { fullName: name, citizenId: id, birthDate: '1980-06-01', sex: name.includes('Thị') ? 'female' : 'male', relationToHead: 'other' });
    }
  });

  it('finds "Nguyễn Văn A" typed without diacritics', async () => {
    const names = (await official.get('/api/residents?q=nguyen%20van%20a')).json().items.map((r: { fullName: string }) => r.fullName);
    expect(names).toContain('Nguyễn Văn A');
    expect(names).toContain('Nguyễn Văn Anh');
    expect(names).not.toContain('Ngô Thị Bảy');
  });

  it('finds đ typed as d', async () => {
    const names = (await official.get('/api/residents?q=do%20duc')).json().items.map((r: { fullName: string }) => r.fullName);
    expect(names).toEqual(['Đỗ Đức Dũng']);
  });

  it('finds by the last digits of a citizen ID and by the whole number', async () => {
    expect((await official.get('/api/residents?q=3333')).json().items.map((r: { fullName: string }) => r.fullName)).toEqual(['Ngô Thị Bảy']);
    expect((await official.get('/api/residents?q=0333333')).json().items.map((r: { fullName: string }) => r.fullName)).toEqual(['Ngô Thị Bảy']);
    expect((await official.get('/api/residents?q=079180333333')).json().items.map((r: { fullName: string }) => r.fullName)).toEqual(['Ngô Thị Bảy']);
  });

  it('pages with a keyset cursor without repeating or skipping anyone', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/residents?unit=${UNIT_A}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await official.get(url)).json() as { items: { id: number }[]; next: string | null };
      seen.push(...body.items.map((r) => r.id));
      cursor = body.next;
      pages++;
    } while (cursor && pages < 50);
    const all = (await official.get(`/api/residents?unit=${UNIT_A}&limit=200`)).json().items.map((r: { id: number }) => r.id);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBeGreaterThan(2);
  });

  it('rejects a forged cursor with a Vietnamese message', async () => {
    const response = await official.get('/api/residents?cursor=not-a-cursor');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0]).toEqual({ path: 'querystring.cursor', message: 'Con trỏ trang không hợp lệ' });
  });
});
