import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBatches, importRows, residents } from '@cds/db';
import { asc, eq } from 'drizzle-orm';
import { UNIT_A, createTestApp, makeHousehold, makeResident, makeUser, type TestContext } from '../../test/test-app.ts';
import { systemActor } from '../access/system-actor.ts';
import type { Actor } from '../access/actor.ts';
import { rebuildLedger, verifyLedger } from '../indicators/indicator-ledger.ts';
import { importSourceFile } from './import-file.service.ts';

// A hostile residence list, the way offices send them: a BOM, semicolons, a title block, a blank
// row, a totals row, mangled IDs and phones, old addresses, and the same person twice.
const RESIDENCE_LIST = [
  'UBND PHƯỜNG SÀI GÒN;;;;;;;;',
  'DANH SÁCH NHÂN KHẨU THƯỜNG TRÚ;;;;;;;;',
  ';;;;;;;;',
  'STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Số điện thoại;Địa chỉ thường trú;Mã hộ;Quan hệ với chủ hộ',
  '1;Nguyễn Văn An;05/03/1985;Nam;079085001234;0912345678;12 Lê Lợi, P. Bến Nghé, Q.1, TP.HCM;H001;Chủ hộ',
  "2;trần  thị bình;1987;nữ;'079187005678;+84 168 123 4567;12 Lê Lợi, P. Bến Nghé, Q.1, TP.HCM;H001;Vợ",
  ';;;;;;;;',
  '4;Lê Văn Cường;12/12/1990;Nam;7.9085E+10;;5 Nguyễn Huệ, Phường Sài Gòn;H002;Chủ hộ',
  '5;Phạm Thị Dung;01/01/1995;Nữ;079195001111;;9 Hàm Nghi, P. Nguyễn Thái Bình, Q.1;H003;Chủ hộ',
  '6;Nguyễn Văn An;05/03/1985;Nam;079085001234;;12 Lê Lợi, P. Bến Nghé, Q.1;H001;Chủ hộ',
  '7;Hoàng Văn Em;31/02/1990;Nam;;;1 Lê Lợi, Phường Sài Gòn;H004;Chủ hộ',
  '8;Võ Thị Phương;15/07/1992;Nữ;79192002222;;3 Pasteur, Phường Sài Gòn;H005;Chủ hộ',
  '9;Đỗ Thị Giang;20/10/1985;Nữ;079085009999;;4 Pasteur, Phường Sài Gòn;H006;Chủ hộ',
  'Tổng cộng;8 người;;;;;;;',
].join('\r\n');
const bytesOf = (text: string) => new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));

let ctx: TestContext;
let actor: Actor;
beforeAll(async () => {
  ctx = await createTestApp();
  actor = await systemActor(ctx.deps.db, '79', 'test');
});
afterAll(async () => ctx?.close());

const outcomes = async (batchId: number) =>
  (await ctx.deps.db.select().from(importRows).where(eq(importRows.batchId, batchId)).orderBy(asc(importRows.record))).map((r) => ({
    record: r.record,
    status: r.status,
    reasons: r.reasons.join(' | '),
    residentId: r.residentId,
  }));

describe('importSourceFile: a residence list', () => {
  let batchId: number;
  it('ends every data record in exactly one stated state', async () => {
    const summary = await importSourceFile(ctx.deps, actor, { bytes: bytesOf(RESIDENCE_LIST), fileName: 'danh-sach.csv', sourceType: 'residence_list' });
    batchId = summary.batchId;
    const rows = await outcomes(batchId);
    expect(rows.map((r) => [r.record, r.status])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
      [3, 'skipped'],
      [4, 'rejected'],
      [5, 'review'],
      [6, 'applied'],
      [7, 'rejected'],
      [8, 'applied'],
      [9, 'rejected'],
      [10, 'skipped'],
    ]);
    expect(summary).toMatchObject({ applied: 4, review: 1, rejected: 3, skipped: 2, alreadyImported: false });
  });

  it('says why in Vietnamese for each rejected or held row', async () => {
    const rows = await outcomes(batchId);
    expect(rows[3]?.reasons).toMatch(/CCCD/);
    expect(rows[4]?.reasons).toMatch(/26740/);
    expect(rows[4]?.reasons).toMatch(/26743/);
    expect(rows[6]?.reasons).toMatch(/Ngày sinh/);
    expect(rows[8]?.reasons).toMatch(/giới tính/i);
  });

  it('treats the same citizen ID in two rows as one resident, in one household with the code H001', async () => {
    const rows = await outcomes(batchId);
    expect(rows[0]?.residentId).not.toBeNull();
    expect(rows[5]?.residentId).toBe(rows[0]?.residentId);
    const people = await ctx.deps.db.select().from(residents).where(eq(residents.unitCode, UNIT_A)).orderBy(asc(residents.id));
    const [an, binh] = people;
    expect(an).toMatchObject({ fullName: 'Nguyễn Văn An', birthDate: '1985-03-05', relationToHead: 'head' });
    expect(binh).toMatchObject({ fullName: 'Trần Thị Bình', birthDate: null, birthYear: 1987, phone: '0381234567', relationToHead: 'spouse' });
    expect(binh?.householdId).toBe(an?.householdId);
    expect(people.find((p) => p.fullName === 'Võ Thị Phương')?.citizenIdHash).toBe(ctx.deps.vault.hash('079192002222'));
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = (await ctx.deps.pool.query('SELECT (SELECT count(*) FROM residents)::int AS r, (SELECT count(*) FROM import_rows)::int AS i')).rows[0];
    const again = await importSourceFile(ctx.deps, actor, { bytes: bytesOf(RESIDENCE_LIST), fileName: 'danh-sach-lan-2.csv', sourceType: 'residence_list' });
    expect(again).toMatchObject({ alreadyImported: true, batchId, applied: 4 });
    const after = (await ctx.deps.pool.query('SELECT (SELECT count(*) FROM residents)::int AS r, (SELECT count(*) FROM import_rows)::int AS i')).rows[0];
    expect(after).toEqual(before);
  });

  it('holds a person without an ID who resembles a registered one for review, never merging silently', async () => {
    const file = 'Họ và tên,Ngày sinh,Giới tính,Địa chỉ\nNguyen Van An,05/03/1985,Nam,"12 Lê Lợi, Phường Sài Gòn"\n';
    const before = (await ctx.deps.pool.query('SELECT count(*)::int AS n FROM residents')).rows[0].n;
    const summary = await importSourceFile(ctx.deps, actor, { bytes: new TextEncoder().encode(file), fileName: 'khong-dau.csv', sourceType: 'residence_list' });
    expect(summary).toMatchObject({ applied: 0, review: 1 });
    const [row] = await ctx.deps.db.select().from(importRows).where(eq(importRows.batchId, summary.batchId));
    expect(row?.candidates).toHaveLength(1);
    expect((await ctx.deps.pool.query('SELECT count(*)::int AS n FROM residents')).rows[0].n).toBe(before);
  });
});

describe('importSourceFile: a VNeID activation list', () => {
  it('records a fact with its provenance for each matched person, and rejects the unknown', async () => {
    const file = 'Số định danh cá nhân,Họ tên,Mức định danh\n079085001234,Nguyễn Văn An,Mức 2\n079099123456,Người Lạ,Mức 1\n';
    const summary = await importSourceFile(ctx.deps, actor, { bytes: new TextEncoder().encode(file), fileName: 'vneid.csv', sourceType: 'vneid_activation' });
    expect(summary).toMatchObject({ applied: 1, rejected: 1 });
    const { rows } = await ctx.deps.pool.query("SELECT f.value, f.source_kind, f.source_ref FROM facts f WHERE f.indicator = 'vneid'");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ value: 'level2', source_kind: 'import' });
    expect(rows[0].source_ref).toMatch(/vneid\.csv.*dòng 1/);
  });
});

describe('importSourceFile: an operator list of 2G-only subscribers', () => {
  it('finds the subscriber by phone, holds a number shared by two people for review, and rejects an unknown number', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    await makeResident(ctx, household, { fullName: 'Mai Văn Cha', phone: '0977000111', relationToHead: 'head' });
    await makeResident(ctx, household, { fullName: 'Mai Thị Con', phone: '0977000111', sex: 'female', birthDate: '2001-01-01', relationToHead: 'child' });
    const file = 'Số thuê bao,Nhà mạng\n0912 345 678,Vinaphone\n0977000111,Viettel\n0999999999,Gmobile\n';
    const summary = await importSourceFile(ctx.deps, actor, { bytes: new TextEncoder().encode(file), fileName: '2g.csv', sourceType: 'telecom_2g' });
    expect(summary).toMatchObject({ applied: 1, review: 1, rejected: 1 });
    const rows = await outcomes(summary.batchId);
    expect(rows[1]?.reasons).toMatch(/2 nhân khẩu/);
    const { rows: facts2g } = await ctx.deps.pool.query(
      "SELECT r.full_name FROM facts f JOIN residents r ON r.id = f.resident_id WHERE f.indicator = 'phone_2g_only' AND f.value = 'true'",
    );
    expect(facts2g).toEqual([{ full_name: 'Nguyễn Văn An' }]);
  });
});

describe('importSourceFile: a training roster', () => {
  it('dates the skills fact by the completion date the roster gives, and rejects a completion date in the future', async () => {
    const file = 'Số CCCD,Họ tên,Ngày hoàn thành\n079085001234,Nguyễn Văn An,15/09/2026\n079192002222,Võ Thị Phương,01/01/2027\n';
    const summary = await importSourceFile(ctx.deps, actor, { bytes: new TextEncoder().encode(file), fileName: 'tap-huan.csv', sourceType: 'training_roster' });
    expect(summary).toMatchObject({ applied: 1, rejected: 1 });
    const { rows } = await ctx.deps.pool.query("SELECT observed_on FROM facts WHERE indicator = 'basic_skills_trained'");
    expect(rows).toEqual([{ observed_on: '2026-09-15' }]);
    expect((await outcomes(summary.batchId))[1]?.reasons).toMatch(/Ngày hoàn thành/);
  });
});

describe('importSourceFile: a killed import', () => {
  it('leaves no half-applied chunk and resumes after the last committed record', async () => {
    const lines = ['Họ và tên,Ngày sinh,Số CCCD,Địa chỉ'];
    for (let i = 0; i < 25; i++) lines.push(`Người Thứ ${String.fromCharCode(65 + i)},01/01/1980,0790800${String(10000 + i).padStart(5, '0')},"${i} Lê Lợi, Phường Sài Gòn"`);
    const bytes = new TextEncoder().encode(lines.join('\n'));
    let chunks = 0;
    await expect(
      importSourceFile(ctx.deps, actor, {
        bytes,
        fileName: 'bi-ngat.csv',
        sourceType: 'residence_list',
        chunkSize: 10,
        onProgress: () => {
          if (++chunks === 1) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const [halfway] = await ctx.deps.db.select().from(importBatches).where(eq(importBatches.fileName, 'bi-ngat.csv'));
    expect(halfway).toMatchObject({ status: 'running', lastRecord: 10, applied: 10 });
    const resumed = await importSourceFile(ctx.deps, actor, { bytes, fileName: 'bi-ngat.csv', sourceType: 'residence_list', chunkSize: 10 });
    expect(resumed).toMatchObject({ batchId: halfway?.id, resumedAfter: 10, applied: 25 });
    const { rows } = await ctx.deps.pool.query("SELECT count(*)::int AS n FROM residents WHERE full_name LIKE 'Người Thứ %'");
    expect(rows[0].n).toBe(25);
  });
});

describe('importSourceFile: the figures', () => {
  it('keeps the dashboard’s figures in step when a household’s members fall in two chunks', async () => {
    // The factories used above write around the services: the ledger starts from the registry as it is.
    await rebuildLedger(ctx.deps.db, ctx.deps.today());
    // Members of three households listed in turn, chunks of two: a chunk creates a household, a
    // later one adds to it.
    const lines = ['Họ và tên,Ngày sinh,Số CCCD,Địa chỉ,Mã hộ'];
    for (let i = 0; i < 9; i++) {
      lines.push(`Thành Viên ${String.fromCharCode(65 + i)},01/01/1960,0790600${20000 + i},"${(i % 3) + 1} Pasteur, Phường Sài Gòn",HT${i % 3}`);
    }
    const summary = await importSourceFile(ctx.deps, actor, { bytes: new TextEncoder().encode(lines.join('\n')), fileName: 'hai-khuc.csv', sourceType: 'residence_list', chunkSize: 2 });
    expect(summary).toMatchObject({ applied: 9, review: 0, rejected: 0 });
    const { rows } = await ctx.deps.pool.query("SELECT count(DISTINCT household_id)::int AS n FROM residents WHERE full_name LIKE 'Thành Viên %'");
    expect(rows[0].n).toBe(3);
    expect(await verifyLedger(ctx.deps.db)).toEqual([]);
  });

  it('holds a look-alike of a person created earlier in the file for review, in the same chunk or a later one', async () => {
    for (const [name, chunkSize] of [['Bùi Văn Song', 1], ['Bùi Văn Đôi', 10]] as const) {
      const ids = chunkSize === 1 ? ['079072004401', '079072004402'] : ['079072004403', '079072004404'];
      const text = ['Họ và tên,Ngày sinh,Số CCCD,Địa chỉ', ...ids.map((id) => `${name},02/02/1972,${id},"7 Pasteur, Phường Sài Gòn"`)].join('\n');
      const { batchId } = await importSourceFile(ctx.deps, actor, { bytes: new TextEncoder().encode(text), fileName: `giong-${chunkSize}.csv`, sourceType: 'residence_list', chunkSize });
      expect((await outcomes(batchId)).map((o) => o.status)).toEqual(['applied', 'review']);
    }
  });

  it('ends a full chunk between two households of a list that keeps them together', async () => {
    const lines = ['Họ và tên,Ngày sinh,Số CCCD,Địa chỉ,Mã hộ'];
    for (let i = 0; i < 9; i++) {
      lines.push(`Người Cùng Hộ ${String.fromCharCode(65 + i)},01/01/1961,0790610${30000 + i},"${Math.floor(i / 3) + 1} Hàm Nghi, Phường Sài Gòn",HC${Math.floor(i / 3)}`);
    }
    // A row without a household code ends a chunk wherever it is full.
    lines.push('Người Không Mã Hộ,01/01/1961,079061039999,"9 Hàm Nghi, Phường Sài Gòn",', 'Người Không Mã Hộ Hai,01/01/1961,079061039998,"9 Hàm Nghi, Phường Sài Gòn",');
    const ends: number[] = [];
    const bytes = new TextEncoder().encode(lines.join('\n'));
    await importSourceFile(ctx.deps, actor, { bytes, fileName: 'cung-ho.csv', sourceType: 'residence_list', chunkSize: 2, onProgress: (record) => ends.push(record) });
    expect(ends).toEqual([3, 6, 9, 11]);
  });
});

describe('importSourceFile: area', () => {
  it('rejects rows of another unit when a unit official imports', async () => {
    const user = await makeUser(ctx, 'unit_official', { units: ['26743'] });
    const official: Actor = { userId: user.id, username: user.username, role: 'unit_official', provinceCode: '79', unitCodes: ['26743'], residentId: null, ip: null, userAgent: null };
    const file = 'Họ và tên,Ngày sinh,Địa chỉ\nTrần Văn Ngoài,01/01/1970,"1 Lê Lợi, Phường Sài Gòn"\nTrần Văn Trong,01/01/1971,"2 Lê Thánh Tôn, Phường Bến Thành"\n';
    const summary = await importSourceFile(ctx.deps, official, { bytes: new TextEncoder().encode(file), fileName: 'pham-vi.csv', sourceType: 'residence_list' });
    expect(summary).toMatchObject({ applied: 1, rejected: 1 });
    const rows = await outcomes(summary.batchId);
    expect(rows[0]?.reasons).toMatch(/ngoài phạm vi/);
  });

  it('writes the import to the audit log under the actor that ran it', async () => {
    const { rows } = await ctx.deps.pool.query("SELECT actor_username FROM audit_log WHERE action = 'import' ORDER BY id LIMIT 1");
    expect(rows[0].actor_username).toBe('system:test');
  });
});
