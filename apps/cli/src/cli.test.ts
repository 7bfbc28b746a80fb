import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { migrate, openDatabase, type DatabaseHandle } from '@cds/db';
import { readFileSync } from 'node:fs';
import { ensureUnits } from '@cds/server/demo/reference-data.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { matchHeaders, sourceFields } from '@cds/domain';

// The CLI against an embedded database that a running server (here: this test process) owns:
// it must go through the owner's socket, never open the files a second time.

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/cds.mjs', import.meta.url));
let dataDir: string;
let owner: DatabaseHandle;

const cds = (...args: string[]) => {
  const env: NodeJS.ProcessEnv = { ...process.env, CDS_DATA_KEY: Buffer.alloc(32, 3).toString('base64') };
  delete env.DATABASE_URL;
  return run(process.execPath, [bin, '--data-dir', dataDir, ...args], { env, timeout: 120_000 });
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cds-cli-test-'));
  owner = await openDatabase({ dataDir, mode: 'owner' });
  await migrate(owner.pool);
  await ensureUnits(owner.db);
});
afterAll(async () => {
  await owner?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('cds demo-users --json', () => {
  it('prints the demo logins as JSON and creates them in the running database', async () => {
    const { stdout } = await cds('demo-users', '--json');
    const logins = JSON.parse(stdout) as { username: string; password: string; role: string; units: string[] }[];
    const roles = logins.map((l) => l.role);
    for (const role of ['city_admin', 'analyst', 'auditor']) expect(roles).toContain(role);
    const officialUnits = new Set(logins.filter((l) => l.role === 'unit_official').flatMap((l) => l.units));
    expect(officialUnits.size).toBeGreaterThanOrEqual(2);
    const { rows } = await owner.pool.query('SELECT username FROM users ORDER BY username');
    expect(rows.map((r: { username: string }) => r.username)).toEqual(logins.map((l) => l.username).sort());
  });
});

describe('cds seed', () => {
  it('writes exactly the requested residents through the running owner, reproducibly named', async () => {
    await cds('seed', '--people', '600', '--seed', '11', '--units', '26740');
    const { rows } = await owner.pool.query("SELECT count(*)::int AS n, count(DISTINCT unit_code)::int AS units FROM residents");
    expect(rows[0]).toEqual({ n: 600, units: 1 });
  });

  it('writes nothing with --dry-run', async () => {
    const before = (await owner.pool.query('SELECT count(*)::int AS n FROM residents')).rows[0].n;
    const { stdout } = await cds('seed', '--people', '300', '--dry-run', '--units', '26743');
    expect(stdout).toMatch(/300 nhân khẩu/);
    expect((await owner.pool.query('SELECT count(*)::int AS n FROM residents')).rows[0].n).toBe(before);
  });

  it('names an unknown unit code and fails', async () => {
    await expect(cds('seed', '--people', '10', '--units', '99999')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/99999/) });
  });
});

describe('cds units load', () => {
  it('loads another province’s units from its own CSV', async () => {
    const units = join(dataDir, 'ha-noi.csv');
    writeFileSync(units, 'code,name,type,full_name\n00004,Ba Đình,phuong,Phường Ba Đình\n00008,Ngọc Hà,phuong,Phường Ngọc Hà\n');
    const { stdout } = await cds('units', 'load', '--province', '01', '--units', units);
    expect(stdout).toMatch(/2 đơn vị/);
    const { rows } = await owner.pool.query("SELECT code, name_ascii FROM units WHERE province_code = '01' ORDER BY code");
    expect(rows).toEqual([{ code: '00004', name_ascii: 'ba dinh' }, { code: '00008', name_ascii: 'ngoc ha' }]);
  });

  it('rejects a file with a bad row, naming the line, and stores none of it', async () => {
    const units = join(dataDir, 'bad.csv');
    writeFileSync(units, 'code,name,type,full_name\n00012,Giảng Võ,phuong,Phường Giảng Võ\n123,Sai,quan,Quận Sai\n');
    await expect(cds('units', 'load', '--province', '01', '--units', units)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/dòng 3/) });
    const { rows } = await owner.pool.query("SELECT count(*)::int AS n FROM units WHERE code = '00012'");
    expect(rows[0].n).toBe(0);
  });
});

describe('cds import', () => {
  it('prints the counts as JSON and writes one report line per data record, blank records counted', async () => {
    const file = join(dataDir, 'cu-tru.csv');
    writeFileSync(
      file,
      [
        'Họ và tên;Ngày sinh;Giới tính;Số CCCD;Địa chỉ',
        'Lý Văn Một;01/02/1980;Nam;079080777001;1 Lê Lợi, Phường Bến Thành',
        ';;;;',
        'Lý Văn Hai;31/02/1980;Nam;;2 Lê Lợi, Phường Bến Thành',
        'Tổng cộng;2;;;',
      ].join('\n'),
    );
    const report = join(dataDir, 'bao-cao.csv');
    const { stdout } = await cds('import', file, '--source', 'residence_list', '--report', report, '--json');
    expect(JSON.parse(stdout)).toMatchObject({ applied: 1, review: 0, rejected: 1, skipped: 2 });
    const lines = readFileSync(report, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,status,reasons,resident_id');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['1,applied', '2,skipped', '3,rejected', '4,skipped']);
    expect(lines[1]).toMatch(/^1,applied,,\d+$/);
    expect(lines[3]).toMatch(/Ngày sinh/);
  });

  it('answers `import rollback --dry-run --json` in JSON, though `import` has a --json of its own', async () => {
    const { rows } = await owner.pool.query('SELECT max(id)::int AS id FROM import_batches');
    const { stdout } = await cds('import', 'rollback', String(rows[0].id), '--dry-run', '--json');
    expect(JSON.parse(stdout)).toMatchObject({ id: rows[0].id, status: 'completed', applied: 1 });
    // Another province's system actor does not see this city's import.
    await expect(cds('import', 'rollback', String(rows[0].id), '--dry-run', '--province', '01')).rejects.toMatchObject({ code: 1 });
  });

  it('writes the template of a source type, whose headers the import then reads', async () => {
    const out = join(dataDir, 'mau.xlsx');
    const { stdout } = await cds('import', 'template', '--source', 'training_roster', '--out', out);
    expect(stdout).toContain(out);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const headers = (workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1).map(String);
    expect(matchHeaders(headers, 'training_roster').columns).toEqual(sourceFields('training_roster'));
    await expect(cds('import', 'template', '--source', 'gossip')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/training_roster/) });
  });

  it('refuses an unknown source type, naming the valid ones', async () => {
    await expect(cds('import', join(dataDir, 'cu-tru.csv'), '--source', 'gossip')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/residence_list/) });
  });
});

describe('cds export residents', () => {
  it('masks citizen IDs unless --reveal, and logs each export under the system actor', async () => {
    const masked = (await cds('export', 'residents', '--format', 'csv', '--unit', '26743')).stdout.trim().split('\n');
    expect(masked[0]).toBe('resident_id,full_name,birth_date,sex,citizen_id,phone,unit_code,household_id');
    const row = masked.find((l) => l.includes('Lý Văn Một'));
    expect(row).toMatch(/,1980-02-01,M,079\*{7}01,,26743,\d+$/);
    const revealed = (await cds('export', 'residents', '--format', 'csv', '--unit', '26743', '--reveal')).stdout;
    expect(revealed).toContain('079080777001');
    const { rows } = await owner.pool.query("SELECT actor_username, fields FROM audit_log WHERE action = 'export' ORDER BY id");
    expect(rows.map((r: { actor_username: string }) => r.actor_username)).toEqual(['system:export', 'system:export']);
    expect(rows[1].fields).toContain('citizenId');
  });
});

describe('cds indicators verify', () => {
  it('finds the seeded figures in agreement with a recomputation, and names a tampered one', async () => {
    await cds('seed', '--people', '200', '--seed', '5', '--units', '27553');
    const agree = JSON.parse((await cds('indicators', 'verify', '--json')).stdout) as { agree: boolean; differences: unknown[] };
    expect(agree).toEqual({ agree: true, differences: [] });
    await owner.pool.query("INSERT INTO indicator_ledger VALUES ('27553', 0, 'adults', '2026-01-05', 7)");
    const failed = await cds('indicators', 'verify', '--json').catch((error: { code: number; stdout: string }) => error);
    expect((failed as { code: number }).code).toBe(1);
    const report = JSON.parse((failed as { stdout: string }).stdout) as { agree: boolean; differences: { key: string; ledger: number; recomputed: number }[] };
    expect(report.agree).toBe(false);
    expect(report.differences).toContainEqual(expect.objectContaining({ key: 'adults', day: '2026-01-05', ledger: 7, recomputed: 0 }));
    await cds('indicators', 'rebuild');
    expect(JSON.parse((await cds('indicators', 'verify', '--json')).stdout)).toEqual({ agree: true, differences: [] });
  }, 180_000);
});
