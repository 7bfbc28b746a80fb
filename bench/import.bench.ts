// The import benchmark: a generated residence list in the office format (title block, semicolons,
// dd/mm/yyyy, old addresses), imported through the real pipeline, against a raw COPY of the same
// rows already clean, in the same run.
//   DATABASE_URL=postgres://… npm run bench:import [-- --rows 200000]
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
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

const { values: args } = parseArgs({ options: { rows: { type: 'string' } } });
const rows = Number((args.rows ?? '100000').replace(/[_,]/g, ''));
const TODAY = '2026-11-24';
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const handle = await createTestDatabase();
await ensureUnits(handle.db);
const vault = new PersonalDataVault(randomBytes(32));
const deps: AppDeps = { db: handle.db, pool: handle.pool, dbKind: handle.kind, vault, config: loadConfig({}), today: () => TODAY };
console.log(`\nImport benchmark on ${handle.kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'}: ${fmt(rows)} rows\n`);

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
const file = join(dir, 'danh-sach-cu-tru.csv');
const cleanFile = join(dir, 'clean.tsv');
let n = 0;
{
  // One pass writes both: the office file to import and the same rows, clean, for COPY.
  const office = createWriteStream(file);
  const clean = createWriteStream(cleanFile);
  const write = (stream: WriteStream, text: string) => (stream.write(text) ? Promise.resolve() : new Promise<void>((resolve) => stream.once('drain', () => resolve())));
  await write(office, ['UBND THÀNH PHỐ HỒ CHÍ MINH;;;;;;;', 'DANH SÁCH NHÂN KHẨU THƯỜNG TRÚ;;;;;;;', ';;;;;;;', 'STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Số điện thoại;Địa chỉ thường trú;Mã hộ'].join('\r\n'));
  let officeBatch: string[] = [];
  let cleanBatch: string[] = [];
  for (const { h, m, household } of people()) {
    n++;
    const [y, mo, d] = m.birthDate.split('-');
    const phone = m.phone ? `${m.phone.slice(0, 4)} ${m.phone.slice(4, 7)} ${m.phone.slice(7)}` : '';
    officeBatch.push([n, m.fullName, `${d}/${mo}/${y}`, m.sex === 'male' ? 'Nam' : 'Nữ', m.citizenId ?? '', phone, `${h.address.split(',')[0]}, ${oldWardOf.get(h.unitCode)}, TP.HCM`, `H${household}`].join(';'));
    const id = m.citizenId;
    cleanBatch.push([`${n}`, '79', `${household}`, h.unitCode, m.fullName, foldVietnamese(m.fullName), m.birthDate, y, m.sex, id ? vault.hash(id) : '\\N', id ? vault.encrypt(id) : '\\N', id ? id.slice(-4) : '\\N', m.phone ?? '\\N', 'other', 'permanent'].join('\t'));
    if (officeBatch.length === 5000) {
      await write(office, '\r\n' + officeBatch.join('\r\n'));
      await write(clean, cleanBatch.join('\n') + '\n');
      officeBatch = [];
      cleanBatch = [];
    }
  }
  if (officeBatch.length > 0) await write(office, '\r\n' + officeBatch.join('\r\n'));
  if (cleanBatch.length > 0) await write(clean, cleanBatch.join('\n') + '\n');
  await Promise.all([office, clean].map((stream) => new Promise((resolve) => stream.end(resolve))));
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
const bytes = new Uint8Array(readFileSync(file));

const actor = await systemActor(handle.db, '79', 'bench');
const t = performance.now();
let shown = 0;
const summary = await importSourceFile(deps, actor, {
  bytes,
  fileName: 'danh-sach-cu-tru.csv',
  sourceType: 'residence_list',
  chunkSize: 2000,
  onProgress: (done) => {
    if (done - shown >= rows / 10) {
      shown = done;
      process.stderr.write(`\r  importing ${fmt(done)} rows, ${fmt(done / ((performance.now() - t) / 1000))}/s   `);
    }
  },
});
const seconds = (performance.now() - t) / 1000;
process.stderr.write('\n');
const rate = n / seconds;
console.log(`import: ${fmt(summary.applied)} applied, ${fmt(summary.review)} review, ${fmt(summary.rejected)} rejected, ${fmt(summary.skipped)} skipped in ${fmt(seconds, 1)} s`);
console.log(`  ${fmt(rate)} rows/s through the full pipeline (read, normalise, standardise address, match, write, audit)`);
console.log(`  raw COPY of the same rows, clean: ${fmt(copyRate)} rows/s → the import runs at ${fmt((rate / copyRate) * 100, 1)}% of COPY (aim: 50%)`);
console.log(`  14,000,000 rows at this rate: ${fmt(14_000_000 / rate / 3600, 1)} h`);
console.log(`  peak RSS of this process: ${fmt(process.resourceUsage().maxRSS / 1024)} MiB (aim: under 512 MiB; ${fmt(rssBeforeImport)} MiB before the import began)`);
rmSync(dir, { recursive: true, force: true });
await handle.close();
