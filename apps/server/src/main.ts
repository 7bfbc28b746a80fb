import { fileURLToPath } from 'node:url';
import { migrate, openDatabase, residents, scheduleEmbeddedMaintenance } from '@cds/db';
import { sql } from 'drizzle-orm';
import { buildApp } from './app.ts';
import { resumeImports, scheduleImportResume } from './modules/imports/import-jobs.service.ts';
import { DEMO_LEARNER_PHONE, DEMO_LOGINS, DEMO_PEOPLE, ensureDemoUsers, seedDemoPopulation } from './demo/demo-data.ts';
import { seedDemoImport } from './demo/demo-import.ts';
import { seedDemoLearning } from './demo/demo-learning.ts';
import { seedDemoVisits } from './demo/demo-visits.ts';
import { ensureUnits } from './demo/reference-data.ts';
import { rebuildLedger, scheduleIndicatorFolding } from './modules/indicators/indicator-ledger.ts';
import { loadConfig } from './platform/config.ts';
import { vietnamToday, type AppDeps } from './platform/deps.ts';
import { loadVault } from './platform/personal-data-vault.ts';
import { smsGatewayFrom } from './platform/sms-gateway.ts';

const config = loadConfig();
const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, mode: 'owner' });
const deps: AppDeps = {
  db: handle.db,
  pool: handle.pool,
  dbKind: handle.kind,
  vault: loadVault(config.dataKey, config.dataDir),
  config,
  today: () => vietnamToday(),
  sms: smsGatewayFrom(config),
};

const applied = await migrate(handle.pool);
if (applied.length > 0) console.log(`Đã áp dụng ${applied.length} migration: ${applied.join(', ')}`);
const loaded = await ensureUnits(handle.db);
if (loaded) console.log(`Đã nạp ${loaded.units} đơn vị hành chính của ${loaded.province} và ${loaded.legacyRows} dòng đơn vị cũ.`);

const [count] = await handle.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(residents);
if (count?.n === 0) {
  console.log(`Cơ sở dữ liệu trống: tạo dữ liệu mẫu ${DEMO_PEOPLE.toLocaleString('vi-VN')} nhân khẩu…`);
  const started = Date.now();
  const seeded = await seedDemoPopulation(handle.db, handle.pool, deps.vault, deps.today(), (done) => {
    process.stdout.write(`\r  ${Math.round((done / DEMO_PEOPLE) * 100)}% (${done.toLocaleString('vi-VN')} nhân khẩu)`);
  });
  process.stdout.write('\n');
  console.log(`  ${seeded.households} hộ, ${seeded.residents} nhân khẩu, ${seeded.facts} thông tin trong ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await ensureDemoUsers(handle.db);
  await seedDemoVisits(deps, 'volunteer');
  await seedDemoLearning(deps);
  // The demo population is written in bulk around the services; its figures are computed once here.
  await rebuildLedger(handle.db, deps.today());
  // After the ledger: the import keeps the figures up itself, and a failure here must not leave the
  // demo without figures (the next start sees residents and seeds nothing).
  try {
    const demoImport = await seedDemoImport(deps);
    if (demoImport) console.log(`  một lượt nhập mẫu của cán bộ phường Sài Gòn (lượt #${demoImport.batchId}): có dòng chờ xem xét và dòng bị từ chối để thử`);
  } catch (error) {
    console.error('Không tạo được lượt nhập mẫu:', error);
  }
}

const stopMaintenance = scheduleEmbeddedMaintenance(handle, (message) => console.error(message));
const stopFolding = scheduleIndicatorFolding(handle.db, (message) => console.error(message));
const resumed = await resumeImports(deps);
if (resumed > 0) console.log(`Tiếp tục ${resumed} lần nhập dữ liệu bị gián đoạn.`);
const stopImportResume = scheduleImportResume(deps, (message) => console.error(message));

const webDist = config.webDist ?? fileURLToPath(new URL('../../web/dist/', import.meta.url));
const app = await buildApp(deps, { logger: process.env.LOG_REQUESTS === 'true', webDist });
await app.listen({ port: config.port, host: config.host });

const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
console.log(`\nCông dân số đang chạy: http://${shownHost}:${config.port}  (cơ sở dữ liệu: ${handle.kind === 'pglite' ? `PGlite tại ${config.dataDir}` : 'PostgreSQL'})`);
console.log(`API: http://${shownHost}:${config.port}/api/openapi.json\n`);
console.log('Tài khoản dùng thử (demo logins):');
for (const login of DEMO_LOGINS) {
  console.log(`  ${login.role.padEnd(14)} ${login.username.padEnd(10)} ${login.password.padEnd(20)} ${login.units.join(', ')}`);
}
console.log(`\nHọc tập số (Bình dân học vụ số): http://${shownHost}:${config.port}/learn/`);
console.log(`  người học dùng thử: số điện thoại ${DEMO_LEARNER_PHONE}; mã đăng nhập${config.smsGatewayUrl ? ' gửi qua cổng SMS' : ' in ra nhật ký này'}`);
console.log(`Hỗ trợ thiết bị, công khai: http://${shownHost}:${config.port}/cong-khai/thiet-bi  (đăng ký tài trợ: /cong-khai/tai-tro)`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: đang dừng…`);
  stopMaintenance();
  stopFolding();
  stopImportResume();
  await app.close();
  await handle.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
