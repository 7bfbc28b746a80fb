import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_A, UNIT_B, createTestApp, makeHousehold, makeResident, makeUser, signIn, type Session, type TestContext } from '../../test/test-app.ts';

// The data quality of a unit: exact counts from the unit's own rows, names only for readers of personal rows.

/** Units of the city that no other test here touches, so every figure is this file's own. */
const UNIT_Q = '26737'; // Phường Tân Định
const UNIT_ELSEWHERE = '26758'; // Phường Cầu Ông Lãnh

let ctx: TestContext;
let admin: Session;
let officialQ: Session;
let officialA: Session;
let analyst: Session;
let volunteer: Session;

type Quality = {
  unitCode: string;
  residents: number;
  households: number;
  completeness: { field: string; filled: number; total: number }[];
  residentsWithoutCitizenId: number;
  legacyIdOnly: number;
  suspectedDuplicates: { groups: number; people: number; examples: { residentIds: number[]; fullName: string; birthYear: number }[] };
  householdsWithoutHead: number;
  householdsWithoutMembers: number;
  addressesAwaitingDecision: number;
  reviewRows: number;
  quarantineRows: number;
  computedAt: string;
};

const ids: Record<string, number> = {};

let batchCounter = 0;
async function importRows(rows: { status: string; unitCode: string | null; reasons: string[]; province?: string }[]) {
  const { rows: created } = await ctx.deps.pool.query(
    `INSERT INTO import_batches (province_code, source_type, file_name, file_sha256, format, header_row, headers, mapping, status)
     VALUES ('79', 'residence_list', 'danh-sach.csv', $1, 'csv', 1, '[]', '{}', 'completed') RETURNING id`,
    [`sha-${++batchCounter}`],
  );
  const batchId = created[0].id;
  let record = 0;
  for (const row of rows) {
    await ctx.deps.pool.query(
      `INSERT INTO import_rows (province_code, batch_id, record, status, reasons, unit_code) VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.province ?? '79', batchId, ++record, row.status, row.reasons, row.unitCode],
    );
  }
}

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx, await makeUser(ctx, 'city_admin'));
  officialQ = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_Q] }));
  officialA = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
  analyst = await signIn(ctx, await makeUser(ctx, 'analyst'));
  volunteer = await signIn(ctx, await makeUser(ctx, 'volunteer'));

  const { rows } = await ctx.deps.pool.query(`INSERT INTO neighbourhoods (province_code, unit_code, name, name_folded) VALUES ('79', $1, 'Khu phố 1', 'khu pho 1') RETURNING id`, [UNIT_Q]);
  // Household 1: coded, in a neighbourhood, head and spouse; the spouse is "Trần Thị Bình" born 1990.
  const first = await makeHousehold(ctx, UNIT_Q, { householdCode: 'HK-001', neighbourhoodId: rows[0].id });
  ids.head1 = (await makeResident(ctx, first, { fullName: 'Lê Văn Một', citizenId: '079085000001', phone: '0901234567' })).id;
  ids.binh1 = (await makeResident(ctx, first, { fullName: 'Trần Thị Bình', sex: 'female', birthDate: '1990-03-01', relationToHead: 'spouse' })).id;
  // Household 2: no head among the living; the same Bình written without diacritics, no ID either.
  const second = await makeHousehold(ctx, UNIT_Q, { householdCode: 'HK-002' });
  ids.binh2 = (await makeResident(ctx, second, { fullName: 'TRAN THI BINH', sex: 'female', birthDate: '1990-11-30', relationToHead: 'child' })).id;
  ids.gone = (await makeResident(ctx, second, { fullName: 'Trần Văn Đã Chuyển', citizenId: '079060000009' })).id;
  await ctx.deps.pool.query(`UPDATE residents SET status = 'moved_away' WHERE id = $1`, [ids.gone]);
  // Household 3: two men of the same name and year with different citizen IDs are two people.
  const third = await makeHousehold(ctx, UNIT_Q);
  ids.an1 = (await makeResident(ctx, third, { fullName: 'Nguyễn Văn An', birthDate: '1970-01-01', citizenId: '079070000001' })).id;
  ids.an2 = (await makeResident(ctx, third, { fullName: 'Nguyễn Văn An', birthDate: '1970-06-01', citizenId: '079070000002', relationToHead: 'sibling' })).id;
  // Known only by an old 9-digit ID, no birth date, no sex.
  ids.old = (await makeResident(ctx, third, { fullName: 'Phạm Thị Cũ', relationToHead: 'relative' })).id;
  await ctx.deps.pool.query(`UPDATE residents SET legacy_id_hash = 'h-cmnd', birth_date = NULL, sex = NULL WHERE id = $1`, [ids.old]);
  // Household 4: nobody lives there.
  await makeHousehold(ctx, UNIT_Q);
  // The same Bình in another unit is not a duplicate here.
  const elsewhere = await makeHousehold(ctx, UNIT_ELSEWHERE);
  await makeResident(ctx, elsewhere, { fullName: 'Trần Thị Bình', sex: 'female', birthDate: '1990-03-01' });

  await importRows([
    { status: 'review', unitCode: UNIT_Q, reasons: ['Có thể trùng với người đã có: cần cán bộ xem'] },
    { status: 'rejected', unitCode: UNIT_Q, reasons: ['Số CCCD: không hợp lệ'] },
    { status: 'rejected', unitCode: UNIT_Q, reasons: ['Ngày sinh: không đọc được'] },
    { status: 'applied', unitCode: UNIT_Q, reasons: [] },
    { status: 'review', unitCode: null, reasons: ['Phường 8 cũ tách thành nhiều đơn vị; cần cán bộ chọn', `Đơn vị có thể là: ${UNIT_Q}, ${UNIT_B}`] },
    { status: 'review', unitCode: null, reasons: ['Phường 1 cũ tách; cần cán bộ chọn', `Đơn vị có thể là: ${UNIT_A}, ${UNIT_B}`] },
    { status: 'rejected', unitCode: UNIT_ELSEWHERE, reasons: ['Thiếu cả họ tên và số CCCD: không biết là ai'] },
  ]);
});
afterAll(async () => ctx?.close());

const quality = async (session: Session, unit = UNIT_Q) => {
  const response = await session.get(`/api/units/${unit}/data-quality`);
  return { status: response.statusCode, body: response.json() as Quality };
};
const completeness = (q: Quality) => Object.fromEntries(q.completeness.map((c) => [c.field, [c.filled, c.total]]));

describe('GET /api/units/:code/data-quality', () => {
  it('counts how complete each field is over living residents and households, exactly', async () => {
    const { status, body } = await quality(officialQ);
    expect(status).toBe(200);
    expect(body).toMatchObject({ unitCode: UNIT_Q, residents: 6, households: 4 });
    expect(completeness(body)).toEqual({
      birthDate: [5, 6],
      sex: [5, 6],
      citizenId: [3, 6],
      phone: [1, 6],
      householdCode: [2, 4],
      neighbourhood: [1, 4],
    });
    expect(body.residentsWithoutCitizenId).toBe(3);
    expect(body.legacyIdOnly).toBe(1);
    expect(Number.isNaN(Date.parse(body.computedAt))).toBe(false);
  });

  it('finds people with the same name without diacritics and birth year, but not two people with different citizen IDs', async () => {
    const { body } = await quality(officialQ);
    expect(body.suspectedDuplicates.groups).toBe(1);
    expect(body.suspectedDuplicates.people).toBe(2);
    expect(body.suspectedDuplicates.examples).toEqual([{ residentIds: [ids.binh1, ids.binh2].sort((a, b) => a! - b!), fullName: 'Trần Thị Bình', birthYear: 1990 }]);
    const named = body.suspectedDuplicates.examples.flatMap((e) => e.residentIds);
    expect(named).not.toContain(ids.an1);
    expect(named).not.toContain(ids.an2);
  });

  it('counts households with living members but no head, and households with no living member', async () => {
    const { body } = await quality(admin);
    expect(body.householdsWithoutHead).toBe(1);
    expect(body.householdsWithoutMembers).toBe(1);
  });

  it('counts review and quarantine rows of the unit, and addresses that may belong to it waiting for a choice', async () => {
    const { body } = await quality(admin);
    expect(body.reviewRows).toBe(1);
    expect(body.quarantineRows).toBe(2);
    expect(body.addressesAwaitingDecision).toBe(1);
    expect((await quality(admin, UNIT_B)).body.addressesAwaitingDecision).toBe(2);
    expect((await quality(admin, UNIT_ELSEWHERE)).body).toMatchObject({ quarantineRows: 1, reviewRows: 0, addressesAwaitingDecision: 0 });
  });

  it('logs the names it shows as a read of those residents', async () => {
    await quality(officialQ);
    const { rows } = await ctx.deps.pool.query(
      `SELECT action, record_type, record_ids, unit_codes FROM audit_log WHERE record_type = 'resident' AND $1 = ANY(unit_codes) ORDER BY id DESC LIMIT 1`,
      [UNIT_Q],
    );
    expect(rows[0]).toMatchObject({ action: 'read', record_type: 'resident', unit_codes: [UNIT_Q] });
    expect(rows[0].record_ids.map(Number).sort()).toEqual([ids.binh1, ids.binh2].sort());
  });

  it('gives an analyst the counts but no names, and logs no read of residents', async () => {
    const before = await ctx.deps.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE record_type = 'resident'`);
    const { status, body } = await quality(analyst);
    expect(status).toBe(200);
    expect(body.suspectedDuplicates).toEqual({ groups: 1, people: 2, examples: [] });
    expect(body.residents).toBe(6);
    expect(JSON.stringify(body)).not.toMatch(/Bình|BINH/);
    const after = await ctx.deps.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE record_type = 'resident'`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('answers 404 to an official of another unit, as if the unit did not exist', async () => {
    const { status, body } = await quality(officialA);
    expect(status).toBe(404);
    expect((body as unknown as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await quality(officialA, UNIT_A)).status).toBe(200);
  });

  it('refuses a volunteer with 403', async () => {
    const { status, body } = await quality(volunteer);
    expect(status).toBe(403);
    expect((body as unknown as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('answers 401 without a session and 400 for a code that is not five digits', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: `/api/units/${UNIT_Q}/data-quality` })).statusCode).toBe(401);
    expect((await admin.get('/api/units/12/data-quality')).statusCode).toBe(400);
  });
});
