import { randomBytes } from 'node:crypto';
import type { Role } from '@cds/contract';
import { assignments, facts, households, residents, type DatabaseHandle } from '@cds/db';
import { createTestDatabase } from '@cds/db/test-database';
import { foldVietnamese } from '@cds/domain';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { ensureUnits } from '../demo/reference-data.ts';
import { upsertUser } from '../modules/access/users.service.ts';
import { loadConfig } from '../platform/config.ts';
import type { AppDeps } from '../platform/deps.ts';
import { PersonalDataVault } from '../platform/personal-data-vault.ts';

/** Real units of Ho Chi Minh City used by the tests (from data/hcmc-units-2025.csv). */
export const UNIT_A = '26740'; // Phường Sài Gòn
export const UNIT_B = '26743'; // Phường Bến Thành
export const PROVINCE = '79';
export const TODAY = '2026-11-24';

export interface TestContext {
  app: FastifyInstance;
  deps: AppDeps;
  handle: DatabaseHandle;
  close(): Promise<void>;
}

/** A freshly migrated database with the city's units, and the app on top of it. */
export async function createTestApp(overrides: Partial<AppDeps['config']> = {}): Promise<TestContext> {
  const handle = await createTestDatabase();
  await ensureUnits(handle.db);
  const deps: AppDeps = {
    db: handle.db,
    pool: handle.pool,
    dbKind: handle.kind,
    vault: new PersonalDataVault(Buffer.alloc(32, 7)),
    config: { ...loadConfig({}), loginRatePerMinute: 1000, ...overrides },
    today: () => TODAY,
  };
  const app = await buildApp(deps);
  return {
    app,
    deps,
    handle,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}${randomBytes(2).toString('hex')}`;

export interface TestUser {
  id: number;
  username: string;
  password: string;
  role: Role;
}

export async function makeUser(ctx: TestContext, role: Role, options: { units?: string[]; residentId?: number } = {}): Promise<TestUser> {
  const username = unique(role.replace('_', ''));
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const id = await upsertUser(ctx.deps.db, {
    username,
    password,
    role,
    displayName: username,
    provinceCode: PROVINCE,
    unitCodes: options.units ?? [],
    residentId: options.residentId ?? null,
  });
  return { id, username, password, role };
}

export async function makeHousehold(ctx: TestContext, unitCode: string, overrides: Partial<typeof households.$inferInsert> = {}) {
  const [row] = await ctx.deps.db
    .insert(households)
    .values({ provinceCode: PROVINCE, unitCode, address: `${unique('')} Đường Lê Lợi`, ...overrides })
    .returning();
  if (!row) throw new Error('no household');
  return row;
}

export interface ResidentFactoryInput {
  fullName?: string;
  birthDate?: string;
  sex?: 'male' | 'female';
  citizenId?: string | null;
  phone?: string | null;
  relationToHead?: (typeof residents.$inferInsert)['relationToHead'];
}

export async function makeResident(ctx: TestContext, household: { id: number; unitCode: string }, input: ResidentFactoryInput = {}) {
  const fullName = input.fullName ?? 'Nguyễn Văn An';
  const birthDate = input.birthDate ?? '1985-05-20';
  const id = input.citizenId;
  const [row] = await ctx.deps.db
    .insert(residents)
    .values({
      provinceCode: PROVINCE,
      householdId: household.id,
      unitCode: household.unitCode,
      fullName,
      nameFolded: foldVietnamese(fullName),
      birthDate,
      birthYear: Number(birthDate.slice(0, 4)),
      sex: input.sex ?? 'male',
      citizenIdHash: id ? ctx.deps.vault.hash(id) : null,
      citizenIdEnc: id ? ctx.deps.vault.encrypt(id) : null,
      citizenIdLast4: id ? id.slice(-4) : null,
      phone: input.phone ?? null,
      relationToHead: input.relationToHead ?? 'head',
      residenceType: 'permanent',
    })
    .returning();
  if (!row) throw new Error('no resident');
  return row;
}

/**
 * The skills fact a course pass states about the learner's record, written directly (no
 * certificate, and the figures are not moved): for tests about what becomes of it afterwards.
 */
export async function statePass(ctx: TestContext, residentId: number, learnerUserId: number) {
  const [fact] = await ctx.deps.db
    .insert(facts)
    .values({ provinceCode: PROVINCE, residentId, indicator: 'basic_skills_trained', value: 'true', sourceKind: 'course', sourceRef: `chứng nhận CDS-TEST-${residentId}`, statedBy: learnerUserId, observedOn: ctx.deps.today() })
    .returning();
  if (!fact) throw new Error('no fact');
  return fact;
}

export async function assign(ctx: TestContext, userId: number, householdId: number) {
  await ctx.deps.db.insert(assignments).values({ provinceCode: PROVINCE, householdId, userId });
}

/** A signed-in client: carries the session cookie and sends the CSRF token on writes. */
export interface Session {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  cookie: string;
  csrfToken: string;
}

export async function signIn(ctx: TestContext, user: { username: string; password: string }): Promise<Session> {
  const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  return sessionOf(ctx, response);
}

/** A client carrying the session a sign-in answer (password or code) set. */
function sessionOf(ctx: TestContext, signedIn: LightMyRequestResponse): Session {
  const cookie = signedIn.cookies.find((c) => c.name === 'cds_session');
  if (!cookie) throw new Error('no session cookie');
  const { csrfToken } = signedIn.json() as { csrfToken: string };
  const send = (method: InjectOptions['method'], url: string, body?: unknown) =>
    ctx.app.inject({
      method,
      url,
      cookies: { cds_session: cookie.value },
      headers: method === 'GET' ? {} : { 'x-csrf-token': csrfToken },
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
    });
  return {
    cookie: cookie.value,
    csrfToken,
    get: (url) => send('GET', url),
    post: (url, body) => send('POST', url, body ?? {}),
    patch: (url, body) => send('PATCH', url, body ?? {}),
    put: (url, body) => send('PUT', url, body ?? {}),
  };
}

/**
 * Signs a resident in the way the learning site does: a code by text message, read from the
 * message the app sends (captured for this call only). The app's OTP settings must allow codes
 * in quick succession (createTestApp({ otp: { resendSeconds: 0, ... } })).
 */
export async function residentSession(ctx: TestContext, phone: string): Promise<Session & { userId: number; residentId: number | null }> {
  const previous = ctx.deps.sms;
  let sent: string | undefined;
  ctx.deps.sms = { send: async (_to, text) => void (sent = text) };
  try {
    const asked = await ctx.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone } });
    if (asked.statusCode !== 200) throw new Error(`code request failed: ${asked.statusCode} ${asked.body}`);
  } finally {
    ctx.deps.sms = previous;
  }
  const code = sent?.match(/\d{6}/)?.[0];
  if (!code) throw new Error(`no code sent to ${phone}`);
  const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone, code } });
  if (response.statusCode !== 200) throw new Error(`code sign-in failed: ${response.statusCode} ${response.body}`);
  const { user } = response.json() as { user: { id: number; residentId: number | null } };
  return { ...sessionOf(ctx, response), userId: user.id, residentId: user.residentId };
}
