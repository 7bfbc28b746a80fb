import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRows, organisations } from '@cds/db';
import { asc, eq } from 'drizzle-orm';
import { PROVINCE, UNIT_A, createTestApp, makeUser, type TestContext } from '../../test/test-app.ts';
import type { Actor } from '../access/actor.ts';
import { systemActor } from '../access/system-actor.ts';
import { importSourceFile } from './import-file.service.ts';
import { resolveImportRow } from './import-rows.service.ts';
import { rollbackImport } from './import-rollback.service.ts';
import { normaliseTaxCode } from './row-evaluation.ts';

let ctx: TestContext;
let actor: Actor;
beforeAll(async () => {
  ctx = await createTestApp();
  actor = await systemActor(ctx.deps.db, PROVINCE, 'org');
  // Registered before the list arrives: one by tax code (without an address), one by name only.
  await ctx.deps.db.insert(organisations).values([
    { provinceCode: PROVINCE, unitCode: UNIT_A, name: 'Công ty TNHH Bến Nghé', nameFolded: 'cong ty tnhh ben nghe', kind: 'business', taxCode: '0301111111' },
    { provinceCode: PROVINCE, unitCode: UNIT_A, name: 'Hợp tác xã Rau Sạch', nameFolded: 'hop tac xa rau sach', kind: 'cooperative' },
  ]);
});
afterAll(async () => ctx?.close());

const coop = async () => {
  const [row] = await ctx.deps.db.select().from(organisations).where(eq(organisations.nameFolded, 'hop tac xa rau sach'));
  if (!row) throw new Error('no cooperative');
  return row;
};

// A hostile business list: a title block, semicolons, tax codes mangled by Excel, the same tax
// code twice (once under another name), a branch code, kinds in words, a totals row.
const LIST = [
  'DANH SÁCH TỔ CHỨC, DOANH NGHIỆP TRÊN ĐỊA BÀN;;;;',
  ';;;;',
  'STT;Tên doanh nghiệp;Mã số thuế;Loại hình;Địa chỉ trụ sở',
  '1;Công ty TNHH Bến Nghé;0301 111 111;Doanh nghiệp;10 Lê Lợi, Phường Sài Gòn',
  '2;Công ty CP Sài Gòn Số;0302222222;Công ty cổ phần;12 Hàm Nghi, Phường Sài Gòn',
  "3;Chi nhánh Sài Gòn Số;'0302222222-001;Doanh nghiệp;14 Hàm Nghi, Phường Sài Gòn",
  '4;Tiệm Vàng Lạ;302333333;Doanh nghiệp;1 Lê Thánh Tôn, Phường Bến Thành',
  '5;UBND Phường Sài Gòn;03012AB;Cơ quan;45 Lê Duẩn, Phường Sài Gòn',
  '6;Hợp tác xã Rau Sạch;0304444444;Hợp tác xã;3 Pasteur, Phường Sài Gòn',
  '7;Công ty Mạo Danh;0302222222;Doanh nghiệp;9 Pasteur, Phường Sài Gòn',
  '8;Hội Người Cao Tuổi;;Tổ chức;20 Nguyễn Huệ, Phường Sài Gòn',
  '9;Cửa hàng Không Rõ;0305555555;Nhà hàng xóm;1 Pasteur, Phường Sài Gòn',
  '10;Công ty TNHH Bến Thành;0306666666;;2 Lê Thánh Tôn, Phường Bến Thành',
  'Tổng cộng;10 doanh nghiệp;;;',
].join('\r\n');

describe('importSourceFile: an organisation list', () => {
  let batchId: number;
  let rows: { record: number; status: string; reasons: string }[];

  it('ends every row applied, held, rejected or skipped, with reasons in Vietnamese', async () => {
    const official = await makeUser(ctx, 'unit_official', { units: [UNIT_A] });
    const actorA: Actor = { userId: official.id, username: official.username, role: 'unit_official', provinceCode: PROVINCE, unitCodes: [UNIT_A], residentId: null, ip: null, userAgent: null };
    const summary = await importSourceFile(ctx.deps, actorA, { bytes: new TextEncoder().encode(LIST), fileName: 'to-chuc.csv', sourceType: 'organisation_list' });
    batchId = summary.batchId;
    rows = (await ctx.deps.db.select().from(importRows).where(eq(importRows.batchId, batchId)).orderBy(asc(importRows.record))).map((r) => ({
      record: r.record,
      status: r.status,
      reasons: r.reasons.join(' | '),
    }));
    expect(rows.map((r) => [r.record, r.status])).toEqual([
      [1, 'applied'], // matched by tax code, written with spaces
      [2, 'applied'], // created
      [3, 'applied'], // a branch, its own tax code
      [4, 'rejected'], // nine digits: Excel dropped the leading zero
      [5, 'rejected'], // not a tax code
      [6, 'review'], // same name and unit as a registered cooperative without a tax code
      [7, 'review'], // the tax code of row 2 under another name
      [8, 'applied'], // no tax code, a new body
      [9, 'rejected'], // a kind nobody can read
      [10, 'rejected'], // another ward: outside the official's area
      [11, 'skipped'], // totals
    ]);
    expect(rows[3]?.reasons).toMatch(/9 chữ số.*số 0/);
    expect(rows[4]?.reasons).toMatch(/Mã số thuế "03012AB"/);
    expect(rows[5]?.reasons).toMatch(/Có thể trùng với 1 tổ chức/);
    expect(rows[6]?.reasons).toMatch(/0302222222.*Công ty CP Sài Gòn Số/);
    expect(rows[8]?.reasons).toMatch(/Loại hình "Nhà hàng xóm" không rõ/);
    expect(rows[9]?.reasons).toMatch(/ngoài phạm vi/);
    expect(rows[10]?.reasons).toBe('Dòng tổng cộng');
  });

  it('creates the new bodies with their kind and unit, and fills in the address a registered one lacked', async () => {
    const all = await ctx.deps.db.select().from(organisations).orderBy(asc(organisations.id));
    const byName = new Map(all.map((o) => [o.name, o]));
    expect(byName.get('Công ty TNHH Bến Nghé')).toMatchObject({ address: '10 Lê Lợi, Phường Sài Gòn', taxCode: '0301111111' });
    expect(byName.get('Công ty CP Sài Gòn Số')).toMatchObject({ kind: 'business', unitCode: UNIT_A, taxCode: '0302222222' });
    expect(byName.get('Chi nhánh Sài Gòn Số')).toMatchObject({ taxCode: '0302222222-001' });
    expect(byName.get('Hội Người Cao Tuổi')).toMatchObject({ kind: 'organisation', taxCode: null });
    expect(all).toHaveLength(5);
  });

  it('lets a person decide a held row: the cooperative is the registered one; the borrowed tax code cannot make a second body', async () => {
    const held = await resolveImportRow(ctx.deps, actor, batchId, 6, { decision: 'same_person', residentId: (await coop()).id });
    expect(held).toMatchObject({ status: 'applied' });
    expect(await coop()).toMatchObject({ address: '3 Pasteur, Phường Sài Gòn', taxCode: '0304444444' });
    const borrowed = await resolveImportRow(ctx.deps, actor, batchId, 7, { decision: 'new_person' });
    expect(borrowed).toMatchObject({ status: 'rejected' });
    expect(borrowed.reasons.join(' ')).toMatch(/không thể đăng ký tổ chức khác cùng mã số thuế/);
  });

  it('is rolled back like any import: created bodies removed, the filled address emptied again', async () => {
    const result = await rollbackImport(ctx.deps, actor, batchId);
    expect(result).toMatchObject({ removedOrganisations: 3, restoredRecords: 2 });
    const all = await ctx.deps.db.select().from(organisations).orderBy(asc(organisations.id));
    expect(all.map((o) => [o.name, o.address])).toEqual([
      ['Công ty TNHH Bến Nghé', null],
      ['Hợp tác xã Rau Sạch', null],
    ]);
    expect((await coop()).taxCode).toBeNull();
  });
});

describe('normaliseTaxCode', () => {
  it.each([
    ['0301234567', '0301234567'],
    [' 0301.234.567 ', '0301234567'],
    ["'0301234567-001", '0301234567-001'],
    ['0301234567001', '0301234567-001'],
  ])('reads %s as %s', (raw, value) => expect(normaliseTaxCode(raw)).toEqual({ ok: true, value }));
  it.each(['301234567', '03012345678', '0301234567-01', 'MST0301234567'])('refuses %s', (raw) => expect(normaliseTaxCode(raw).ok).toBe(false));
});
