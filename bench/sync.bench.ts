// The field sync benchmark: simulated phones (each a volunteer with assigned households and an
// enrolled device) send batches of visits at the same time over real HTTP, with the session
// cookie, the CSRF token and the device header, as the field app does. Printed beside the same
// server's requests per second on an empty route (/api/health), in the same run, and the ratio.
//   DATABASE_URL=postgres://… npm run bench:sync                     (200 devices × 3 batches × 20 visits)
//   npm run bench:sync -- --devices 50 --batches 2 --batch 10 --households 8 --pool 20
// Without DATABASE_URL it runs on an embedded PGlite database (one connection: expect far less).
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { FIELD_DEVICE_HEADER, FIELD_MIN_APP_VERSION } from '@cds/contract';
import { FIELD_ACTIONS } from '@cds/domain';
import { sql } from 'drizzle-orm';
import { buildApp } from '../apps/server/src/app.ts';
import { ensureUnits } from '../apps/server/src/demo/reference-data.ts';
import { hashPassword } from '../apps/server/src/modules/access/session.service.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { vietnamToday, type AppDeps } from '../apps/server/src/platform/deps.ts';
import { PersonalDataVault } from '../apps/server/src/platform/personal-data-vault.ts';
import { fmt, inParallel, openBenchDatabase, percentile, progress } from './bench-kit.ts';

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string' },
    households: { type: 'string' },
    batches: { type: 'string' },
    batch: { type: 'string' },
    pool: { type: 'string' },
    health: { type: 'string' },
  },
});
const onPostgres = Boolean(process.env.DATABASE_URL);
const num = (value: string | undefined, fallback: number) => Number((value ?? String(fallback)).replace(/[_,]/g, ''));
const devices = num(args.devices, 200);
const householdsPerDevice = num(args.households, 10);
const batchesPerDevice = num(args.batches, onPostgres ? 3 : 1);
const visitsPerBatch = Math.min(200, num(args.batch, onPostgres ? 20 : 10));
const poolSize = num(args.pool, onPostgres ? 20 : 4);
const healthPerDevice = num(args.health, 50);
const PASSWORD = 'bench-sync-password';


const handle = await openBenchDatabase('sync', poolSize);
const today = vietnamToday();
const deps: AppDeps = { db: handle.db, pool: handle.pool, dbKind: handle.kind, vault: new PersonalDataVault(randomBytes(32)), config: { ...loadConfig({}), loginRatePerMinute: 100_000 }, today: () => today };
console.log(`\nSync benchmark on ${handle.kind === 'postgres' ? `PostgreSQL (pool ${poolSize})` : 'PGlite (embedded)'}: ${fmt(devices)} devices × ${batchesPerDevice} batches × ${visitsPerBatch} visits, ${householdsPerDevice} households each`);

try {
  // ── The registry: households with three members, given to volunteers in teams ────────────
  await ensureUnits(handle.db);
  const UNITS = (await handle.db.execute<{ code: string }>(sql`SELECT code FROM units WHERE province_code = '79' ORDER BY code LIMIT 10`)).rows.map((r) => r.code);
  const passwordHash = await hashPassword(PASSWORD);
  const usernames = Array.from({ length: devices }, (_, i) => `bench.tnv${i}`);
  const { rows: userRows } = await handle.db.execute<{ id: number; username: string }>(sql`
    INSERT INTO users (username, password_hash, role, display_name, province_code)
    SELECT u, ${passwordHash}, 'volunteer', 'Tình nguyện viên ' || u, '79' FROM unnest(${sql.param(usernames)}::text[]) AS u RETURNING id, username`);
  const userIds = usernames.map((name) => Number(userRows.find((r) => r.username === name)!.id));
  const { rows: teamRows } = await handle.db.execute<{ id: number; unit_code: string }>(sql`
    INSERT INTO teams (province_code, unit_code, name, kind) SELECT '79', code, 'Tổ công nghệ số ' || code, 'community_tech'
    FROM unnest(${sql.param(UNITS)}::text[]) AS code RETURNING id, unit_code`);
  const teamOf = (i: number) => Number(teamRows.find((t) => t.unit_code === UNITS[i % UNITS.length])!.id);
  await handle.db.execute(sql`INSERT INTO team_members (team_id, user_id) SELECT * FROM unnest(${sql.param(userIds.map((_, i) => teamOf(i)))}::bigint[], ${sql.param(userIds)}::bigint[])`);
  const totalHouseholds = devices * householdsPerDevice;
  const owner = Array.from({ length: totalHouseholds }, (_, h) => Math.floor(h / householdsPerDevice));
  const { rows: hhRows } = await handle.db.execute<{ id: number }>(sql`
    INSERT INTO households (province_code, unit_code, address)
    SELECT '79', unit, n || ' Đường Lê Lợi' FROM unnest(${sql.param(owner.map((d) => UNITS[d % UNITS.length]!))}::text[], ${sql.param(owner.map((_, h) => h))}::int[]) AS t(unit, n)
    RETURNING id`);
  const householdIds = hhRows.map((r) => Number(r.id)).sort((a, b) => a - b);
  await handle.db.execute(sql`
    INSERT INTO residents (province_code, household_id, unit_code, full_name, name_folded, birth_year, sex, relation_to_head, residence_type)
    SELECT '79', h.id, h.unit_code, m.name, m.folded, m.year, m.sex, m.relation, 'permanent'
    FROM households h CROSS JOIN (VALUES ('Nguyễn Văn An', 'nguyen van an', 1968, 'male', 'head'), ('Trần Thị Bình', 'tran thi binh', 1972, 'female', 'spouse'),
      ('Nguyễn Minh Châu', 'nguyen minh chau', 2001, 'female', 'child')) AS m(name, folded, year, sex, relation)`);
  await handle.db.execute(sql`
    INSERT INTO assignments (province_code, household_id, user_id, team_id)
    SELECT '79', hid, uid, tid FROM unnest(${sql.param(householdIds)}::bigint[], ${sql.param(owner.map((d) => userIds[d]!))}::bigint[], ${sql.param(owner.map((d) => teamOf(d)))}::bigint[]) AS t(hid, uid, tid)`);
  const { rows: memberRows } = await handle.db.execute<{ household_id: number; ids: number[] }>(sql`SELECT household_id, array_agg(id ORDER BY id) AS ids FROM residents GROUP BY household_id`);
  const membersOf = new Map(memberRows.map((r) => [Number(r.household_id), r.ids.map(Number)]));
  await handle.pool.query('ANALYZE');
  console.log(`  seeded ${fmt(totalHouseholds)} households, ${fmt(totalHouseholds * 3)} residents, ${fmt(devices)} volunteers in ${UNITS.length} teams`);

  // ── The server, on a real port ───────────────────────────────────────────────────────────
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  interface Phone { cookie: string; csrf: string; token: string; households: number[] }
  const phones: Phone[] = new Array(devices);
  let signedIn = 0;
  await inParallel(devices, 16, async (i) => {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: usernames[i], password: PASSWORD }) });
    if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const enrol = await fetch(`${base}/api/field/devices`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ label: `Máy ${i}`, appVersion: FIELD_MIN_APP_VERSION }) });
    if (!enrol.ok) throw new Error(`enrol failed: ${enrol.status} ${await enrol.text()}`);
    const { deviceToken } = (await enrol.json()) as { deviceToken: string };
    phones[i] = { cookie, csrf: csrfToken, token: deviceToken, households: householdIds.slice(i * householdsPerDevice, (i + 1) * householdsPerDevice) };
    progress('signed in and enrolled', ++signedIn, devices);
  });

  // ── Baseline: the empty route, as many clients at once ───────────────────────────────────
  const healthStarted = performance.now();
  let healthDone = 0;
  await inParallel(devices, devices, async () => {
    for (let k = 0; k < healthPerDevice; k++) {
      const response = await fetch(`${base}/api/health`);
      if (!response.ok) throw new Error(`health: ${response.status}`);
      await response.arrayBuffer();
      healthDone++;
    }
  });
  const healthPerSecond = healthDone / ((performance.now() - healthStarted) / 1000);
  console.log(`  empty route (/api/health, ${fmt(devices)} clients): ${fmt(healthDone)} requests, ${fmt(healthPerSecond)} requests/s`);

  // ── The phones sync ──────────────────────────────────────────────────────────────────────
  let seed = 2026;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const makeVisit = (householdId: number, k: number) => ({
    clientVisitId: randomUUID(),
    householdId,
    visitedAt: new Date(Date.now() - (k % 5) * 3600_000).toISOString(),
    outcome: random() < 0.85 ? 'done' : 'nobody_home',
    consent: true,
    members: (membersOf.get(householdId) ?? []).map((residentId) => ({
      residentId,
      present: random() < 0.8,
      observed: { smartphone: random() < 0.8 ? 'true' : 'false', citizen_id_card: 'true' },
      actions: random() < 0.6 ? [pick(FIELD_ACTIONS), pick(FIELD_ACTIONS)].filter((a, i, all) => all.indexOf(a) === i) : [],
      ...(random() < 0.2 ? { trainingTopic: 'Nhận diện lừa đảo trực tuyến' } : {}),
    })),
    needs: random() < 0.1 ? [{ kind: 'device', detail: 'Cần điện thoại thông minh' }] : [],
  });
  const latencies: number[] = [];
  let stored = 0;
  let other = 0;
  let batchesDone = 0;
  const lastBatch: unknown[][] = new Array(devices);
  const send = async (phone: Phone, visits: unknown[]) => {
    const started = performance.now();
    const response = await fetch(`${base}/api/field/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: phone.cookie, 'x-csrf-token': phone.csrf, [FIELD_DEVICE_HEADER]: phone.token },
      body: JSON.stringify({ appVersion: FIELD_MIN_APP_VERSION, visits }),
    });
    if (!response.ok) throw new Error(`sync: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { results: { outcome: string }[] };
    return { ms: performance.now() - started, outcomes: body.results.map((r) => r.outcome) };
  };
  const syncStarted = performance.now();
  await inParallel(devices, devices, async (i) => {
    const phone = phones[i]!;
    for (let b = 0; b < batchesPerDevice; b++) {
      const visits = Array.from({ length: visitsPerBatch }, (_, k) => makeVisit(phone.households[(b * visitsPerBatch + k) % phone.households.length]!, k));
      const { ms, outcomes } = await send(phone, visits);
      latencies.push(ms);
      for (const o of outcomes) if (o === 'stored') stored++; else other++;
      lastBatch[i] = visits;
      progress('batches', ++batchesDone, devices * batchesPerDevice);
    }
  });
  const syncSeconds = (performance.now() - syncStarted) / 1000;
  latencies.sort((a, b) => a - b);

  // A lost answer: every phone sends its last batch again; all of it must come back duplicate.
  const retryLatencies: number[] = [];
  let duplicates = 0;
  const retryStarted = performance.now();
  await inParallel(devices, devices, async (i) => {
    const { ms, outcomes } = await send(phones[i]!, lastBatch[i]!);
    retryLatencies.push(ms);
    duplicates += outcomes.filter((o) => o === 'duplicate').length;
  });
  const retrySeconds = (performance.now() - retryStarted) / 1000;
  retryLatencies.sort((a, b) => a - b);

  const counts = (await handle.db.execute<{ visits: number; facts: number; refusals: number }>(sql`
    SELECT (SELECT count(*) FROM field_visits)::int AS visits, (SELECT count(*) FROM facts WHERE source_kind = 'visit')::int AS facts,
           (SELECT count(*) FROM field_refusals)::int AS refusals`)).rows[0]!;
  const expected = devices * batchesPerDevice * visitsPerBatch;
  const visitsPerSecond = stored / syncSeconds;
  console.log(`  sync: ${fmt(stored)} visits stored in ${fmt(syncSeconds, 1)} s → ${fmt(visitsPerSecond)} visits/s (${fmt(latencies.length / syncSeconds, 1)} batches/s); ${fmt(counts.facts)} facts`);
  console.log(`  latency per batch of ${visitsPerBatch}: p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms, max ${fmt(latencies.at(-1) ?? 0)} ms`);
  console.log(`  resend of every last batch: ${fmt(duplicates)} duplicates in ${fmt(retrySeconds, 1)} s (${fmt(duplicates / retrySeconds)} visits/s), p50 ${fmt(percentile(retryLatencies, 50))} ms, p99 ${fmt(percentile(retryLatencies, 99))} ms`);
  console.log(`  ratio: ${fmt(visitsPerSecond / healthPerSecond, 3)} visits stored per empty request (${fmt((latencies.length / syncSeconds / healthPerSecond) * 100, 2)}% of the empty route's rate in batches)`);
  const ok = stored === expected && counts.visits === expected && other === 0 && counts.refusals === 0 && duplicates === devices * visitsPerBatch;
  console.log(`  every visit stored exactly once: ${ok ? 'yes' : `NO (stored ${stored}, rows ${counts.visits}, other ${other}, refusals ${counts.refusals}, expected ${expected})`}`);
  console.log(`\npeak RSS of this process (server and clients): ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);
  await app.close();
  if (!ok) process.exitCode = 1;
} finally {
  await handle.close();
}
