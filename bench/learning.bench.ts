// The learning site benchmark ("Bình dân học vụ số"): simulated learners, each a resident of the
// registry with their own phone, sign in by a code, read and complete a course's lessons in order,
// take its quiz (all answers right, so each pass issues a certificate, writes the skills facts and
// moves the indicator ledger), and their certificates are checked publicly and rendered as PDF.
// All over real HTTP, with the session cookie and the CSRF token, as the browser does; printed
// beside the same server's requests per second on an empty route (/api/health), in the same run.
//   DATABASE_URL=postgres://… npm run bench:learning                 (200 learners)
//   npm run bench:learning -- --learners 50 --pool 10 --course vneid --pdfs 50
// Without DATABASE_URL it runs on an embedded PGlite database (one connection: expect far less).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { foldVietnamese } from '@cds/domain';
import { sql } from 'drizzle-orm';
import { parse as parseYaml } from 'yaml';
import { buildApp } from '../apps/server/src/app.ts';
import { ensureUnits } from '../apps/server/src/demo/reference-data.ts';
import { rebuildLedger, verifyLedger } from '../apps/server/src/modules/indicators/indicator-ledger.ts';
import { renderCertificatePdf } from '../apps/server/src/modules/learning/certificate-pdf.ts';
import { verifyCertificate } from '../apps/server/src/modules/learning/certificates.service.ts';
import { BUNDLED_COURSES_DIR } from '../apps/server/src/modules/learning/course-files.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { vietnamToday, type AppDeps } from '../apps/server/src/platform/deps.ts';
import { PersonalDataVault } from '../apps/server/src/platform/personal-data-vault.ts';
import { fmt, inParallel, openBenchDatabase, percentile, progress } from './bench-kit.ts';

const { values: args } = parseArgs({
  options: {
    learners: { type: 'string' },
    pool: { type: 'string' },
    course: { type: 'string' },
    pdfs: { type: 'string' },
    health: { type: 'string' },
  },
});
const onPostgres = Boolean(process.env.DATABASE_URL);
const num = (value: string | undefined, fallback: number) => Number((value ?? String(fallback)).replace(/[_,]/g, ''));
const learners = num(args.learners, onPostgres ? 200 : 40);
const poolSize = num(args.pool, onPostgres ? 20 : 4);
const courseSlug = args.course ?? 'dien-thoai-thong-minh';
const pdfCount = Math.min(learners, num(args.pdfs, 100));
const healthPerLearner = num(args.health, 50);
/** The public check allows this many requests a minute from one address (routes.ts). */
const VERIFY_LIMIT_PER_ADDRESS = 30;


/** A GET sent from a given loopback address (127.0.0.0/8 is all loopback on Linux): one phone each, for per-address limits. */
function getFrom(localAddress: string, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// The course's bank, read as a learner who knows every answer: the right option's wording per question.
interface BankFile { questions: { id: string; options: { text: string; correct?: boolean }[] }[] }
const bank = parseYaml(readFileSync(join(BUNDLED_COURSES_DIR, courseSlug, 'quiz.yaml'), 'utf8')) as BankFile;
const rightText = new Map(bank.questions.map((q) => [q.id, q.options.find((o) => o.correct)?.text ?? '']));

const handle = await openBenchDatabase('learning', poolSize);
const today = vietnamToday();
const codes = new Map<string, string>();
const base = loadConfig({});
const deps: AppDeps = {
  db: handle.db,
  pool: handle.pool,
  dbKind: handle.kind,
  vault: new PersonalDataVault(randomBytes(32)),
  config: { ...base, loginRatePerMinute: 100_000, otp: { ...base.otp, resendSeconds: 0, perHour: 1_000 } },
  today: () => today,
  // The text message is read here, as the learner reads it on their phone.
  sms: { send: async (to, text) => void codes.set(to, text.match(/\d{6}/)?.[0] ?? '') },
};
console.log(`\nLearning benchmark on ${handle.kind === 'postgres' ? `PostgreSQL (pool ${poolSize})` : 'PGlite (embedded)'}: ${fmt(learners)} learners, course "${courseSlug}"`);

interface Row { step: string; count: number; seconds: number; p50?: number; p99?: number; note?: string }
const rows: Row[] = [];
const timedRound = async (latencies: number[], run: (i: number) => Promise<void>): Promise<number> => {
  const started = performance.now();
  await inParallel(learners, learners, async (i) => {
    const t = performance.now();
    await run(i);
    latencies.push(performance.now() - t);
  });
  return (performance.now() - started) / 1000;
};
const sorted = (list: number[]) => [...list].sort((a, b) => a - b);

try {
  // ── The registry: one household per learner, the learner its head, with their own phone ──
  await ensureUnits(handle.db);
  const UNITS = (await handle.db.execute<{ code: string }>(sql`SELECT code FROM units WHERE province_code = '79' ORDER BY code LIMIT 10`)).rows.map((r) => r.code);
  const phones = Array.from({ length: learners }, (_, i) => `0912${String(i).padStart(6, '0')}`);
  const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Võ', 'Đặng', 'Bùi'];
  const GIVEN = ['Văn An', 'Thị Bình', 'Minh Châu', 'Thị Dung', 'Quốc Hùng', 'Thị Lan', 'Văn Phúc', 'Thanh Tâm', 'Ngọc Yến'];
  const names = phones.map((_, i) => `${FAMILY[i % FAMILY.length]} ${GIVEN[Math.floor(i / FAMILY.length) % GIVEN.length]}`);
  const unitOf = (i: number) => UNITS[i % UNITS.length]!;
  const { rows: hhRows } = await handle.db.execute<{ id: number; address: string }>(sql`
    INSERT INTO households (province_code, unit_code, address)
    SELECT '79', unit, n || ' Đường Nguyễn Huệ' FROM unnest(${sql.param(phones.map((_, i) => unitOf(i)))}::text[], ${sql.param(phones.map((_, i) => i))}::int[]) AS t(unit, n)
    RETURNING id, address`);
  const householdOf = new Map(hhRows.map((r) => [Number.parseInt(r.address, 10), Number(r.id)]));
  await handle.db.execute(sql`
    INSERT INTO residents (province_code, household_id, unit_code, full_name, name_folded, birth_year, sex, relation_to_head, residence_type, phone)
    SELECT '79', hid, unit, name, folded, year, sex, 'head', 'permanent', phone
    FROM unnest(${sql.param(phones.map((_, i) => householdOf.get(i)!))}::bigint[], ${sql.param(phones.map((_, i) => unitOf(i)))}::text[],
      ${sql.param(names)}::text[], ${sql.param(names.map((n) => foldVietnamese(n)))}::text[], ${sql.param(phones.map((_, i) => 1950 + (i % 50)))}::int[],
      ${sql.param(phones.map((_, i) => (i % 2 ? 'female' : 'male')))}::text[], ${sql.param(phones)}::text[]) AS t(hid, unit, name, folded, year, sex, phone)`);
  await rebuildLedger(handle.db, today);
  await handle.pool.query('ANALYZE');
  console.log(`  seeded ${fmt(learners)} households with one resident each (own phone), ledger rebuilt`);

  // ── The server, on a real port ───────────────────────────────────────────────────────────
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const call = async (method: 'GET' | 'POST', path: string, session?: Learner, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (session) {
      headers.cookie = session.cookie;
      if (method !== 'GET') headers['x-csrf-token'] = session.csrf;
    }
    const response = await fetch(`${origin}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as unknown;
  };

  // ── 1. Sign-in by code: request, read the text, verify ───────────────────────────────────
  interface Learner { cookie: string; csrf: string; residentId: number | null }
  const learnerList: Learner[] = new Array(learners);
  const signInMs: number[] = [];
  const requestMs: number[] = [];
  let signedIn = 0;
  const signInSeconds = await timedRound(signInMs, async (i) => {
    const phone = phones[i]!;
    const asked = performance.now();
    await call('POST', '/api/auth/otp/request', undefined, { phone });
    requestMs.push(performance.now() - asked);
    const code = codes.get(phone);
    if (!code) throw new Error(`no code texted to ${phone}`);
    const response = await fetch(`${origin}/api/auth/otp/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, code }) });
    if (!response.ok) throw new Error(`verify: ${response.status} ${await response.text()}`);
    const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrfToken, user } = (await response.json()) as { csrfToken: string; user: { residentId: number | null } };
    learnerList[i] = { cookie, csrf: csrfToken, residentId: user.residentId };
    progress('signed in', ++signedIn, learners);
  });
  const linked = learnerList.filter((l) => l.residentId !== null).length;
  rows.push({ step: 'sign-in by code (request + verify)', count: learners, seconds: signInSeconds, p50: percentile(sorted(signInMs), 50), p99: percentile(sorted(signInMs), 99), note: `${linked}/${learners} linked; p50 of the request alone ${fmt(percentile(sorted(requestMs), 50))} ms` });

  // ── Baseline: the empty route, as many clients at once ───────────────────────────────────
  const healthStarted = performance.now();
  let healthDone = 0;
  await inParallel(learners, learners, async () => {
    for (let k = 0; k < healthPerLearner; k++) {
      const response = await fetch(`${origin}/api/health`);
      if (!response.ok) throw new Error(`health: ${response.status}`);
      await response.arrayBuffer();
      healthDone++;
    }
  });
  const healthSeconds = (performance.now() - healthStarted) / 1000;
  const healthPerSecond = healthDone / healthSeconds;
  console.log(`  empty route (/api/health, ${fmt(learners)} clients): ${fmt(healthDone)} requests, ${fmt(healthPerSecond)} requests/s`);

  // ── 2. Lessons in order: every learner reads lesson k, then every learner completes it ───
  const detail = (await call('GET', `/api/courses/${courseSlug}`)) as { lessons: { slug: string }[]; quiz: { questionsPerAttempt: number } };
  const lessonSlugs = detail.lessons.map((l) => l.slug);
  const readMs: number[] = [];
  const completeMs: number[] = [];
  let readSeconds = 0;
  let completeSeconds = 0;
  let lessonBytes = 0;
  for (const [k, lesson] of lessonSlugs.entries()) {
    readSeconds += await timedRound(readMs, async (i) => {
      const body = (await call('GET', `/api/courses/${courseSlug}/lessons/${lesson}`, learnerList[i])) as { html: string };
      if (i === 0) lessonBytes += body.html.length;
    });
    completeSeconds += await timedRound(completeMs, async (i) => {
      await call('POST', `/api/courses/${courseSlug}/lessons/${lesson}/complete`, learnerList[i]);
    });
    progress('lessons', k + 1, lessonSlugs.length);
  }
  const reads = learners * lessonSlugs.length;
  rows.push({ step: 'lesson read (GET, signed in)', count: reads, seconds: readSeconds, p50: percentile(sorted(readMs), 50), p99: percentile(sorted(readMs), 99), note: `${lessonSlugs.length} lessons, ${fmt(lessonBytes / lessonSlugs.length / 1024, 1)} KiB HTML each` });
  rows.push({ step: 'lesson completion (POST)', count: reads, seconds: completeSeconds, p50: percentile(sorted(completeMs), 50), p99: percentile(sorted(completeMs), 99) });

  // ── 3. The quiz: start (a draw), then submit with every answer right ─────────────────────
  interface Attempt { id: number; questions: { id: string; options: { key: string; text: string }[] }[] }
  const attempts: Attempt[] = new Array(learners);
  const startMs: number[] = [];
  const startSeconds = await timedRound(startMs, async (i) => {
    attempts[i] = (await call('POST', `/api/courses/${courseSlug}/quiz`, learnerList[i])) as Attempt;
  });
  const submitMs: number[] = [];
  const certificateCodes: string[] = new Array(learners);
  let passed = 0;
  const submitSeconds = await timedRound(submitMs, async (i) => {
    const attempt = attempts[i]!;
    const answers = attempt.questions.map((q) => {
      const option = q.options.find((o) => o.text === rightText.get(q.id));
      if (!option) throw new Error(`no right answer found for ${q.id}`);
      return { questionId: q.id, optionKey: option.key };
    });
    const result = (await call('POST', `/api/courses/${courseSlug}/quiz/${attempt.id}/submit`, learnerList[i], { answers })) as { passed: boolean; certificateCode: string | null };
    if (result.passed) passed++;
    if (result.certificateCode) certificateCodes[i] = result.certificateCode;
  });
  rows.push({ step: 'quiz start (POST, draw)', count: learners, seconds: startSeconds, p50: percentile(sorted(startMs), 50), p99: percentile(sorted(startMs), 99), note: `${detail.quiz.questionsPerAttempt} questions` });
  rows.push({ step: 'quiz submit (pass → certificate, facts, ledger)', count: learners, seconds: submitSeconds, p50: percentile(sorted(submitMs), 50), p99: percentile(sorted(submitMs), 99), note: `${passed}/${learners} passed` });
  rows.push({ step: 'quiz start + submit', count: learners, seconds: startSeconds + submitSeconds });

  // ── 4. The public check of a certificate ──────────────────────────────────────────────────
  const issued = certificateCodes.filter(Boolean);
  // First as most tests would: every request from one address. The route allows 30 a minute per address.
  let oneAddressOk = 0;
  let oneAddressThrottled = 0;
  const oneAddressMs: number[] = [];
  const oneAddressSeconds = await timedRound(oneAddressMs, async (i) => {
    const response = await fetch(`${origin}/api/certificates/${issued[i % issued.length]}/verify`);
    await response.arrayBuffer();
    if (response.status === 200) oneAddressOk++;
    else if (response.status === 429) oneAddressThrottled++;
    else throw new Error(`verify: ${response.status}`);
  });
  if (oneAddressThrottled > 0) {
    console.log(`  public check from one address: ${oneAddressOk} answered, ${oneAddressThrottled} throttled (429) by the per-address limit of ${VERIFY_LIMIT_PER_ADDRESS}/min`);
  }
  rows.push({ step: 'certificate check, HTTP, one address', count: oneAddressOk, seconds: oneAddressSeconds, note: `${oneAddressThrottled} of ${learners} throttled (429)` });
  // Then as phones do: each learner's check from its own loopback address, within the limit.
  const spreadMs: number[] = [];
  let spreadOk = 0;
  let spreadThrottled = 0;
  const spreadSeconds = await timedRound(spreadMs, async (i) => {
    const address = `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
    const response = await getFrom(address, `http://127.0.0.1:${port}/api/certificates/${issued[i % issued.length]}/verify`);
    if (response.status === 200) spreadOk++;
    else if (response.status === 429) spreadThrottled++;
    else throw new Error(`verify from ${address}: ${response.status} ${response.body}`);
  });
  rows.push({ step: 'certificate check, HTTP, an address each', count: spreadOk, seconds: spreadSeconds, p50: percentile(sorted(spreadMs), 50), p99: percentile(sorted(spreadMs), 99), note: `new connection each${spreadThrottled ? `; ${spreadThrottled} throttled` : ''}` });
  // And the service function itself, without HTTP or the limit.
  const directMs: number[] = [];
  const directSeconds = await timedRound(directMs, async (i) => {
    await verifyCertificate(deps, issued[i % issued.length]!, { ip: '127.0.0.1', userAgent: 'bench' });
  });
  rows.push({ step: 'certificate check, verifyCertificate() direct', count: learners, seconds: directSeconds, p50: percentile(sorted(directMs), 50), p99: percentile(sorted(directMs), 99), note: 'no HTTP, no rate limit' });

  // ── 5. The PDF: rendered one after another (CPU), after one warm-up that loads the fonts ──
  const { rows: certRows } = await handle.db.execute<{ code: string; learner_name: string; title: string; kind: 'course' | 'basic_path'; issued_on: string; place: string }>(sql`
    SELECT c.code, c.learner_name, c.title, c.kind, c.issued_on::text AS issued_on, coalesce(p.full_name, 'Thành phố') AS place
    FROM certificates c LEFT JOIN provinces p ON p.code = c.province_code ORDER BY c.issued_at, c.code LIMIT ${pdfCount}`);
  const pdfInput = (r: (typeof certRows)[number]) => ({
    code: r.code, learnerName: r.learner_name, title: r.title, kind: r.kind, issuedOn: r.issued_on,
    issuer: `Ủy ban nhân dân ${r.place}`, place: r.place, verifyUrl: `https://hoc.congdanso.example/learn/verify/${r.code}`,
  });
  const coldStarted = performance.now();
  await renderCertificatePdf(pdfInput(certRows[0]!));
  const coldMs = performance.now() - coldStarted;
  const pdfMs: number[] = [];
  const pdfSizes: number[] = [];
  const pdfStarted = performance.now();
  for (const [k, r] of certRows.entries()) {
    const t = performance.now();
    const pdf = await renderCertificatePdf(pdfInput(r));
    pdfMs.push(performance.now() - t);
    pdfSizes.push(pdf.length);
    progress('PDFs', k + 1, certRows.length);
  }
  const pdfSeconds = (performance.now() - pdfStarted) / 1000;
  const sizes = sorted(pdfSizes);
  rows.push({ step: 'certificate PDF, renderCertificatePdf()', count: certRows.length, seconds: pdfSeconds, p50: percentile(sorted(pdfMs), 50), p99: percentile(sorted(pdfMs), 99), note: `one at a time; ${fmt(percentile(sizes, 50) / 1024, 1)} KiB (${fmt(sizes[0]! / 1024, 1)}–${fmt(sizes.at(-1)! / 1024, 1)}); first ${fmt(coldMs)} ms` });

  // ── What the passes left behind ──────────────────────────────────────────────────────────
  const counts = (await handle.db.execute<{ certificates: number; facts: number; linked: number }>(sql`
    SELECT (SELECT count(*) FROM certificates WHERE kind = 'course')::int AS certificates,
           (SELECT count(*) FROM facts WHERE source_kind = 'course' AND indicator = 'basic_skills_trained')::int AS facts,
           (SELECT count(*) FROM certificates WHERE resident_id IS NOT NULL)::int AS linked`)).rows[0]!;
  const differences = await verifyLedger(handle.db);

  // ── The table ────────────────────────────────────────────────────────────────────────────
  const table = [
    ['step', 'count', 'seconds', 'per second', '× /api/health', 'p50 ms', 'p99 ms', 'note'],
    ['/api/health (baseline)', fmt(healthDone), fmt(healthSeconds, 2), fmt(healthPerSecond), '1', '', '', `${fmt(learners)} clients × ${healthPerLearner}`],
    ...rows.map((r) => {
      const rate = r.count / r.seconds;
      return [r.step, fmt(r.count), fmt(r.seconds, 2), fmt(rate, rate < 100 ? 1 : 0), fmt(rate / healthPerSecond, 4), r.p50 === undefined ? '' : fmt(r.p50, 1), r.p99 === undefined ? '' : fmt(r.p99, 1), r.note ?? ''];
    }),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 || c === row.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  console.log(`\nDatabase: ${handle.kind === 'postgres' ? `PostgreSQL (pool ${poolSize})` : 'PGlite (embedded, one connection)'}; ${fmt(learners)} learners at once; course "${courseSlug}"`);
  console.log(line(table[0]!));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of table.slice(1)) console.log(line(row));
  const ok = passed === learners && linked === learners && counts.certificates === learners && counts.facts === learners && counts.linked === learners && differences.length === 0;
  console.log(`\nevery learner linked, passed once, certified, with the fact and the ledger in agreement: ${ok ? 'yes' : `NO (passed ${passed}, linked ${linked}, certificates ${counts.certificates}, facts ${counts.facts}, linked certificates ${counts.linked}, ledger differences ${differences.length})`}`);
  console.log(`peak RSS of this process (server and clients): ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);
  await app.close();
  if (!ok) process.exitCode = 1;
} finally {
  await handle.close();
}
