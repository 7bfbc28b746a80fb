// The import benchmark: a generated residence list in the office format (title block, semicolons,
// dd/mm/yyyy, old addresses), imported through the real pipeline, against a raw COPY of the same
// rows already clean, in the same run.
//   DATABASE_URL=postgres://… npm run bench:import [-- --rows 200000] [--format xlsx]
// The import reads the file from disk as a stream, as the server reads a stored upload; the
// peak RSS while it runs is sampled and must stay under 512 MiB whatever the row count.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { createTestDatabase } from '@cds/db/test-database';
import { foldVietnamese, generateHouseholds } from '@cds/domain';
import { legacyUnits, units } from '@cds/db';
import { asc, eq } from 'drizzle-orm';
import { from as copyFrom } from 'pg-copy-streams';
import { ensureUnits } from '../apps/server/src/demo/reference-data.ts';
import { systemActor } from '../apps/server/src/modules/access/system-actor.ts';
import { importSourceFile } from '../apps/server/src/modules/imports/import-file.service.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import type { AppDeps } from '../apps/server/src/platform/deps.ts';
import { PersonalDataVault } from '../apps/server/src/platform/personal-data-vault.ts';

const { values: args } = parseArgs({ options: { rows: { type: 'string' }, format: { type: 'string' } } });
const rows = Number((args.rows ?? '100000').replace(/[_,]/g, ''));
const format = args.format === 'xlsx' ? 'xlsx' : 'csv';
const TODAY = '2026-11-24';
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const handle = await createTestDatabase();
await ensureUnits(handle.db);
const vault = new PersonalDataVault(randomBytes(32));
const deps: AppDeps = { db: handle.db, pool: handle.pool, dbKind: handle.kind, vault, config: loadConfig({}), today: () => TODAY };
console.log(`\nImport benchmark on ${handle.kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'}: ${fmt(rows)} rows, ${format.toUpperCase()}\n`);

// Old addresses: each generated person lives in a new unit and is written with one of the old
// wards that went wholly into it, the way police lists still write them.
const cityUnits = await handle.db.select().from(units).where(eq(units.provinceCode, '79')).orderBy(asc(units.code));
const whole = await handle.db.select().from(legacyUnits).where(eq(legacyUnits.mergeType, 'whole'));
const oldWardOf = new Map<string, string>();
for (const w of whole) if (!oldWardOf.has(w.newCode)) oldWardOf.set(w.newCode, `${w.oldName}, ${w.oldDistrict}`);
const withOldNames = cityUnits.filter((u) => oldWardOf.has(u.code));

// The file and the clean rows for COPY are both generated as streams from the same seed, so this
// process holds neither a list of rows nor a second copy: its peak RSS is the import's.
function* people() {
  let household = 0;
  for (const h of generateHouseholds({ people: rows, seed: 77, provinceCode: '079', today: TODAY, units: withOldNames.map((u) => ({ code: u.code, name: u.name, population: u.population })) })) {
    household++;
    for (const m of h.members) yield { h, m, household };
  }
}
const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'cds-import-bench-'));
const file = join(dir, `danh-sach-cu-tru.${format}`);
const cleanFile = join(dir, 'clean.tsv');
let n = 0;
{
  // One pass writes both: the office file to import and the same rows, clean, for COPY.
  const office = format === 'csv' ? createWriteStream(file) : null;
  // The workbook as Excel writes it: strings shared, rows streamed to disk as they are added.
  const workbook = format === 'xlsx' ? new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false }) : null;
  const sheet = workbook?.addWorksheet('Danh sách');
  const clean = createWriteStream(cleanFile);
  const write = (stream: WriteStream, text: string) => (stream.write(text) ? Promise.resolve() : new Promise<void>((resolve) => stream.once('drain', () => resolve())));
  const title = ['UBND THÀNH PHỐ HỒ CHÍ MINH;;;;;;;', 'DANH SÁCH NHÂN KHẨU THƯỜNG TRÚ;;;;;;;', ';;;;;;;', 'STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Số điện thoại;Địa chỉ thường trú;Mã hộ'];
  if (office) await write(office, title.join('\r\n'));
  for (const line of sheet ? title : []) sheet?.addRow(line.split(';')).commit();
  let officeBatch: string[] = [];
  let cleanBatch: string[] = [];
  for (const { h, m, household } of people()) {
    n++;
    const [y, mo, d] = m.birthDate.split('-');
    const phone = m.phone ? `${m.phone.slice(0, 4)} ${m.phone.slice(4, 7)} ${m.phone.slice(7)}` : '';
    const cells = [n, m.fullName, `${d}/${mo}/${y}`, m.sex === 'male' ? 'Nam' : 'Nữ', m.citizenId ?? '', phone, `${h.address.split(',')[0]}, ${oldWardOf.get(h.unitCode)}, TP.HCM`, `H${household}`];
    if (sheet) sheet.addRow(cells).commit();
    else officeBatch.push(cells.join(';'));
    const id = m.citizenId;
    cleanBatch.push([`${n}`, '79', `${household}`, h.unitCode, m.fullName, foldVietnamese(m.fullName), m.birthDate, y, m.sex, id ? vault.hash(id) : '\\N', id ? vault.encrypt(id) : '\\N', id ? id.slice(-4) : '\\N', m.phone ?? '\\N', 'other', 'permanent'].join('\t'));
    if (cleanBatch.length === 5000) {
      if (office) await write(office, '\r\n' + officeBatch.join('\r\n'));
      await write(clean, cleanBatch.join('\n') + '\n');
      officeBatch = [];
      cleanBatch = [];
    }
  }
  if (office && officeBatch.length > 0) await write(office, '\r\n' + officeBatch.join('\r\n'));
  if (cleanBatch.length > 0) await write(clean, cleanBatch.join('\n') + '\n');
  sheet?.commit();
  await workbook?.commit();
  await Promise.all([office, clean].map((stream) => (stream ? new Promise((resolve) => stream.end(resolve)) : undefined)));
}
console.log(`generated the file (${fmt(statSync(file).size / 1048576, 1)} MiB, ${fmt(n)} data rows) in ${fmt((performance.now() - started) / 1000, 1)} s`);

// Baseline: COPY the same rows, already clean, from a file into a table shaped like residents (same indexes).
await handle.pool.query('CREATE TABLE residents_copy (LIKE residents INCLUDING DEFAULTS INCLUDING INDEXES)');
const client = await handle.pool.connect();
let copyRate = 0;
try {
  const t = performance.now();
  await pipeline(
    createReadStream(cleanFile),
    client.query(copyFrom('COPY residents_copy (id, province_code, household_id, unit_code, full_name, name_folded, birth_date, birth_year, sex, citizen_id_hash, citizen_id_enc, citizen_id_last4, phone, relation_to_head, residence_type) FROM STDIN')),
  );
  copyRate = n / ((performance.now() - t) / 1000);
} finally {
  client.release();
}
const rssBeforeImport = process.resourceUsage().maxRSS / 1024;
// Peak RSS during the import itself, sampled: the process-wide maximum also covers generating
// the file (a streamed workbook keeps its shared strings until it is committed).
global.gc?.();
let importPeak = process.memoryUsage.rss();
const sampler = setInterval(() => (importPeak = Math.max(importPeak, process.memoryUsage.rss())), 100);

const actor = await systemActor(handle.db, '79', 'bench');
const t = performance.now();
let shown = 0;
const summary = await importSourceFile(deps, actor, {
  path: file,
  fileName: `danh-sach-cu-tru.${format}`,
  sourceType: 'residence_list',
  chunkSize: 2000,
  onBatch: (_id, progress) => console.log(`  records expected from the ${format === 'csv' ? 'line count' : 'sheet dimension'}: ${progress.total === null ? 'unknown' : fmt(progress.total)}`),
  onProgress: (done) => {
    if (done - shown >= rows / 10) {
      shown = done;
      process.stderr.write(`\r  importing ${fmt(done)} rows, ${fmt(done / ((performance.now() - t) / 1000))}/s, RSS ${fmt(process.memoryUsage.rss() / 1048576)} MiB   `);
    }
  },
});
const seconds = (performance.now() - t) / 1000;
clearInterval(sampler);
process.stderr.write('\n');
const rate = n / seconds;
console.log(`import: ${fmt(summary.applied)} applied, ${fmt(summary.review)} review, ${fmt(summary.rejected)} rejected, ${fmt(summary.skipped)} skipped in ${fmt(seconds, 1)} s`);
const reasons = await handle.pool.query<{ reason: string; n: number }>(
  "SELECT reasons[1] AS reason, count(*)::int AS n FROM import_rows WHERE batch_id = $1 AND status IN ('rejected', 'review') GROUP BY 1 ORDER BY 2 DESC LIMIT 3",
  [summary.batchId],
);
for (const r of reasons.rows) console.log(`  ${fmt(r.n)} × ${r.reason}`);
console.log(`  ${fmt(rate)} rows/s through the full pipeline (read, normalise, standardise address, match, write, audit)`);
console.log(`  raw COPY of the same rows, clean: ${fmt(copyRate)} rows/s → the import runs at ${fmt((rate / copyRate) * 100, 1)}% of COPY (aim: 50%)`);
console.log(`  14,000,000 rows at this rate: ${fmt(14_000_000 / rate / 3600, 1)} h`);
console.log(`  peak RSS during the import: ${fmt(importPeak / 1048576)} MiB (aim: under 512 MiB)`);
console.log(`  peak RSS of this process: ${fmt(process.resourceUsage().maxRSS / 1024)} MiB (${fmt(rssBeforeImport)} MiB before the import began)`);
rmSync(dir, { recursive: true, force: true });
await handle.close();
