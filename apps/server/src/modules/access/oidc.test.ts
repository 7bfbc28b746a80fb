import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditLog, facts, users } from '@cds/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UNIT_A, createTestApp, makeHousehold, makeResident, makeUser, residentSession, statePass, type TestContext } from '../../test/test-app.ts';

/*
 * The whole OpenID Connect sign-in against a real provider (oidc-provider, with its development
 * login and consent pages) running on this machine. The browser's part is played with fetch,
 * carrying the provider's cookies by hand; the app is reached through inject.
 */

const CLIENT_ID = 'cong-dan-so';
const CLIENT_SECRET = 'a-client-secret-long-enough-for-hmac-0123456789';
const SITE = 'http://app.test';
const CALLBACK = `${SITE}/api/auth/oidc/callback`;

const REGISTERED_ID = '079085001234';
const UNREGISTERED_ID = '079099009999';

/** The provider's people: account id (typed into the login form) → claims. */
const accounts: Record<string, Record<string, unknown>> = {
  'an-registered': { name: 'Nguyen Van An (VNeID)', citizen_id: REGISTERED_ID, phone_number: '+84901234567', phone_number_verified: false },
  'binh-unregistered': { name: 'Trần Thị Bình', citizen_id: UNREGISTERED_ID },
  'chi-untouched': { name: 'Lê Chí', citizen_id: '079000000001' },
  'dung-first': { name: 'Phạm Dũng', citizen_id: '079000000002' },
  'em-second': { name: 'Võ Em', citizen_id: '079000000003' },
  'giang-returns': { name: 'Đỗ Giang', citizen_id: '079000000004' },
  'hoa-owner': { name: 'Mai Thị Hoa', citizen_id: '079000000005' },
  'son-proven': { name: 'Mai Văn Con', citizen_id: '079080000006', phone_number: '+84912888006', phone_number_verified: true },
  'nephew-unregistered': { name: 'Mai Văn Cháu', citizen_id: '079095000007', phone_number: '+84912888007', phone_number_verified: true },
  'cousin-held': { name: 'Mai Văn Họ', citizen_id: '079090000008', phone_number: '+84912888008', phone_number_verified: true },
  'grandson-unregistered': { name: 'Mai Văn Cháu Nội', citizen_id: '079095000009', phone_number: '+84912888009', phone_number_verified: true },
  'cousin-confirmed-elsewhere': { name: 'Mai Văn Họ Hai', citizen_id: '079090000010', phone_number: '+84912888010', phone_number_verified: true },
};

// oidc-provider ships no type declarations: the little used here.
interface OidcProvider {
  callback(): http.RequestListener;
}
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

let server: http.Server;
let issuer: string;
let ctx: TestContext;
let resident: { id: number; fullName: string };

beforeAll(async () => {
  // The issuer must be known before the provider is made, so the server listens first and is handed the provider after.
  let handler: http.RequestListener = (_request, response) => response.writeHead(503).end();
  server = http.createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The provider warns, on loading and on starting, that it runs on Node 20 and with its
  // development-only storage and interactions; those warnings, and only those, are kept quiet.
  const warn = console.warn;
  const quiet = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING'))) warn(...args);
  });
  // @ts-expect-error oidc-provider ships no type declarations (see ProviderClass).
  const { default: Provider } = (await import('oidc-provider')) as { default: ProviderClass };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [CALLBACK],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        // openid-client sends a secret given as a string in the body of the token request.
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    findAccount: (_ctx: unknown, id: string) =>
      accounts[id] ? { accountId: id, claims: () => ({ sub: id, ...accounts[id] }) } : undefined,
    claims: { openid: ['sub'], profile: ['name', 'citizen_id'], phone: ['phone_number', 'phone_number_verified'] },
    // The app must send S256 PKCE: a flow without it is refused.
    pkce: { required: () => true },
    cookies: { keys: ['oidc-test-cookie-key'] },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', alg: 'RS256', use: 'sig' }] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  });
  quiet.mockRestore();
  handler = provider.callback();

  // No wait between codes: a resident here signs in by code again within seconds (otp.test.ts tests the waits).
  ctx = await createTestApp({
    otp: { ttlMinutes: 5, maxWrong: 5, lockMinutes: 15, perHour: 100, resendSeconds: 0 },
    publicUrl: SITE,
    oidc: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, label: 'VNeID', citizenIdClaim: 'citizen_id', tokenAuth: 'client_secret_post' },
  });
  const household = await makeHousehold(ctx, UNIT_A);
  resident = await makeResident(ctx, household, { fullName: 'Nguyễn Văn An', citizenId: REGISTERED_ID });
});

afterAll(async () => {
  await ctx?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A browser's cookies for the provider (one host, so paths are ignored: the provider's cookie names do not clash). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => {
        const [key = '', v = ''] = a.trim().split('=');
        return (key.toLowerCase() === 'max-age' && Number(v) <= 0) || (key.toLowerCase() === 'expires' && Date.parse(a.trim().slice(8)) < Date.now());
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const decode = (html: string) => html.replace(/&amp;/g, '&').replace(/&#x2F;/gi, '/').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

/**
 * Plays the browser at the provider: follows redirects, signs in on the login page as the
 * account, agrees on the consent page, until the provider sends it back to the app. Returns the
 * address it was sent back to (with code, state and iss).
 */
async function visitProvider(authUrl: string, accountId: string, jar = new CookieJar()): Promise<{ callbackUrl: URL; pages: string[] }> {
  let request: { url: string; init: RequestInit } = { url: authUrl, init: {} };
  const pages: string[] = [];
  for (let step = 0; step < 20; step++) {
    if (request.url.startsWith(CALLBACK)) return { callbackUrl: new URL(request.url), pages };
    const response = await fetch(request.url, { ...request.init, redirect: 'manual', headers: { ...(request.init.headers as Record<string, string>), cookie: jar.header() } });
    jar.take(response);
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      if (!location) throw new Error(`redirect without location from ${request.url}`);
      request = { url: new URL(location, request.url).href, init: {} };
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`provider answered ${response.status} at ${request.url}: ${html.slice(0, 500)}`);
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (!form?.[1] || form[2] === undefined) throw new Error(`no form on the provider's page ${request.url}: ${html.slice(0, 500)}`);
    const fields = new URLSearchParams();
    for (const input of form[2].matchAll(/<input[^>]*>/gi)) {
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      if (!name) continue;
      const value = decode(/value="([^"]*)"/.exec(input[0])?.[1] ?? '');
      fields.set(name, name === 'login' ? accountId : name === 'password' ? 'any-password' : value);
    }
    pages.push(fields.get('prompt') ?? 'unknown');
    request = {
      url: new URL(decode(form[1]), request.url).href,
      init: { method: 'POST', body: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    };
  }
  throw new Error('the provider never sent the browser back to the app');
}

/** Starts a flow at the app: the provider's address and the flow's cookie. */
async function start(returnTo?: string): Promise<{ authUrl: string; flowCookie: string; cookiePath: string | undefined; cookieHttpOnly: boolean | undefined }> {
  const response = await ctx.app.inject({ method: 'GET', url: '/api/auth/oidc/start', query: returnTo === undefined ? {} : { returnTo } });
  expect(response.statusCode).toBe(302);
  const cookie = response.cookies.find((c) => c.name === 'cds_oidc');
  if (!cookie) throw new Error('no flow cookie');
  return { authUrl: String(response.headers.location), flowCookie: cookie.value, cookiePath: cookie.path, cookieHttpOnly: cookie.httpOnly };
}

const callback = (callbackUrl: URL, flowCookie?: string) =>
  ctx.app.inject({ method: 'GET', url: callbackUrl.pathname + callbackUrl.search, ...(flowCookie === undefined ? {} : { cookies: { cds_oidc: flowCookie } }) });

/** The whole sign-in as the provider's account: the callback's answer and, when it succeeded, who is signed in. */
async function signInAs(accountId: string, returnTo?: string) {
  const flow = await start(returnTo);
  const { callbackUrl, pages } = await visitProvider(flow.authUrl, accountId);
  const response = await callback(callbackUrl, flow.flowCookie);
  const session = response.cookies.find((c) => c.name === 'cds_session');
  const me = session
    ? (await ctx.app.inject({ method: 'GET', url: '/api/auth/session', cookies: { cds_session: session.value } })).json().user
    : undefined;
  return { response, session, pages, me: me as { id: number; role: string; residentId: number | null; displayName: string } | undefined };
}

/** As an official does after seeing the person's papers (record-accounts.service.ts). */
const confirmLink = (userId: number) => ctx.deps.db.update(users).set({ residentLink: 'official' }).where(eq(users.id, userId));

describe('OpenID Connect sign-in against a real provider', () => {
  it('sends the browser to the provider with S256 PKCE, state and nonce, and keeps the flow in an httpOnly cookie for the callback only', async () => {
    const flow = await start('/learn/me');
    const url = new URL(flow.authUrl);
    expect(url.origin).toBe(issuer);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'phone']));
    expect(flow.cookiePath).toBe('/api/auth/oidc/callback');
    expect(flow.cookieHttpOnly).toBe(true);
  });

  it('signs in a resident whose registry record holds the citizen ID the provider vouches for', async () => {
    const { response, session, me, pages } = await signInAs('an-registered', '/learn/courses');
    // The resident really went through the provider's login and consent pages.
    expect(pages).toEqual(['login', 'consent']);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('url=/learn/courses');
    expect(session?.httpOnly).toBe(true);
    expect(session?.value).toMatch(/^[\w-]{40,}$/);
    expect(me).toMatchObject({ role: 'citizen', residentId: resident.id, displayName: 'Nguyễn Văn An' });
    // The flow's cookie is spent.
    const cleared = response.cookies.find((c) => c.name === 'cds_oidc');
    expect(cleared?.value ?? '').toBe('');
  });

  it('signs the same provider account in to the same user the second time, without a second account', async () => {
    const first = await signInAs('an-registered');
    const second = await signInAs('an-registered');
    expect(first.response.statusCode).toBe(200);
    expect(second.response.statusCode).toBe(200);
    expect(second.session?.value).not.toBe(first.session?.value);
    expect(second.me?.id).toBe(first.me?.id);
    expect(second.me?.residentId).toBe(resident.id);
    const returning = await signInAs('giang-returns');
    const again = await signInAs('giang-returns');
    expect(again.me?.id).toBe(returning.me?.id);
    expect(returning.me?.id).not.toBe(first.me?.id);
  });

  it('gives a provider account whose citizen ID is not in the registry an unlinked account named by its name claim', async () => {
    const { response, me } = await signInAs('binh-unregistered');
    expect(response.statusCode, response.body).toBe(200);
    expect(me).toMatchObject({ role: 'citizen', residentId: null, displayName: 'Trần Thị Bình' });
    const registered = await signInAs('an-registered');
    expect(me?.id).not.toBe(registered.me?.id);
  });

  it('refuses a callback whose state was altered, and opens no session', async () => {
    const flow = await start();
    const { callbackUrl } = await visitProvider(flow.authUrl, 'chi-untouched');
    const altered = new URL(callbackUrl);
    altered.searchParams.set('state', `${callbackUrl.searchParams.get('state')}x`);
    const response = await callback(altered, flow.flowCookie);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('OIDC_FAILED');
    expect(response.cookies.find((c) => c.name === 'cds_session')).toBeUndefined();
  });

  it('refuses a callback that comes without the flow cookie, or with a forged one', async () => {
    const flow = await start();
    const { callbackUrl } = await visitProvider(flow.authUrl, 'chi-untouched');
    const without = await callback(callbackUrl);
    expect(without.statusCode).toBe(401);
    expect(without.json().error.code).toBe('OIDC_FAILED');
    expect(without.cookies.find((c) => c.name === 'cds_session')).toBeUndefined();
    // The flow's secrets cannot be rewritten: the cookie is sealed with the server's key.
    const [body = ''] = flow.flowCookie.split('.');
    const secrets = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { returnTo: string };
    const forged = `${Buffer.from(JSON.stringify({ ...secrets, returnTo: '/admin' })).toString('base64url')}.${flow.flowCookie.split('.')[1]}`;
    const tampered = await callback(callbackUrl, forged);
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json().error.code).toBe('OIDC_FAILED');
    expect(tampered.cookies.find((c) => c.name === 'cds_session')).toBeUndefined();
  });

  it("does not let one flow's cookie finish another flow", async () => {
    const first = await start();
    const second = await start();
    const one = await visitProvider(first.authUrl, 'dung-first');
    const two = await visitProvider(second.authUrl, 'em-second');
    const swappedOne = await callback(one.callbackUrl, second.flowCookie);
    const swappedTwo = await callback(two.callbackUrl, first.flowCookie);
    for (const response of [swappedOne, swappedTwo]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('OIDC_FAILED');
      expect(response.cookies.find((c) => c.name === 'cds_session')).toBeUndefined();
    }
    // Neither person got an account from the refused callbacks.
    const made = await ctx.deps.db
      .select({ id: users.id })
      .from(users)
      .where(inArray(users.oidcSubject, [`${issuer} dung-first`, `${issuer} em-second`]));
    expect(made).toEqual([]);
  });

  it.each(['https://evil.example', '//evil.example/learn', '/\\evil.example', 'javascript:alert(1)'])(
    'returns only to a path on this site: returnTo=%s goes to /learn/me',
    async (returnTo) => {
      const { response } = await signInAs('an-registered', returnTo);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).toContain('<meta http-equiv="refresh" content="0;url=/learn/me">');
      expect(response.body).toContain('location.replace("/learn/me")');
      expect(response.body).not.toContain('evil.example');
      expect(response.body).not.toContain('javascript:alert');
    },
  );

  it('gives the record to the person the provider vouches for, taking it from an account that held it by a reused phone', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const hoa = await makeResident(ctx, household, { fullName: 'Mai Thị Hoa', citizenId: '079000000005', phone: '0912888005' });
    // Someone who now has Hoa's old number signs in by code: the phone links them, weakly.
    const stranger = await residentSession(ctx, '0912888005');
    expect(stranger.residentId).toBe(hoa.id);
    // A weak link reads the record, masked, but never reveals the full citizen ID.
    expect((await stranger.post(`/api/residents/${hoa.id}/reveal`, { field: 'citizenId' })).statusCode).toBe(403);
    // The stranger passed a course while holding the record (stated as a pass states it).
    const pass = await statePass(ctx, hoa.id, stranger.userId);
    const owner = await signInAs('hoa-owner');
    expect(owner.me).toMatchObject({ residentId: hoa.id, displayName: 'Mai Thị Hoa' });
    // That pass was not Hoa's: it is withdrawn from her record.
    const withdrawn = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, hoa.id), eq(facts.retracts, true)));
    expect(withdrawn.map((f) => [f.indicator, f.correctsFactId])).toEqual([['basic_skills_trained', pass.id]]);
    expect((await stranger.get('/api/auth/session')).json().user.residentId).toBeNull();
    const taken = await ctx.deps.db.select().from(auditLog).where(eq(auditLog.action, 'link_taken_over'));
    expect(taken.map((t) => t.recordIds)).toContainEqual([stranger.userId]);
  });

  it('withdraws what an account’s passes said of a family member’s record when the provider proves it is somebody else', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const mother = await makeResident(ctx, household, { fullName: 'Mai Thị Mẹ', birthDate: '1950-05-05', phone: '0912888006' });
    // The son signed in by code on his mother's phone: linked to her record.
    const son = await residentSession(ctx, '0912888006');
    expect(son.residentId).toBe(mother.id);
    const pass = await statePass(ctx, mother.id, son.userId);
    // The provider vouches for the son's own citizen ID, with the same phone: the account moves to his record.
    const sonRecord = await makeResident(ctx, household, { fullName: 'Mai Văn Con', birthDate: '1980-08-08', citizenId: '079080000006', relationToHead: 'child' });
    const signedIn = await signInAs('son-proven');
    expect(signedIn.me).toMatchObject({ id: son.userId, residentId: sonRecord.id });
    const withdrawn = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, mother.id), eq(facts.retracts, true)));
    expect(withdrawn.map((f) => f.correctsFactId)).toEqual([pass.id]);
  });

  it('lets go of a family member’s record that carries another citizen ID when the proven person is not in the registry', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const aunt = await makeResident(ctx, household, { fullName: 'Mai Thị Dì', birthDate: '1955-05-05', citizenId: '079155000007', phone: '0912888007' });
    const nephew = await residentSession(ctx, '0912888007');
    expect(nephew.residentId).toBe(aunt.id);
    const pass = await statePass(ctx, aunt.id, nephew.userId);
    const signedIn = await signInAs('nephew-unregistered');
    expect(signedIn.me).toMatchObject({ id: nephew.userId, residentId: null });
    const withdrawn = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, aunt.id), eq(facts.retracts, true)));
    expect(withdrawn.map((f) => f.correctsFactId)).toEqual([pass.id]);
    // Signing in by code on the aunt's phone again does not put the account back on her record,
    // and neither does typing her citizen ID and birth date.
    const byCode = await residentSession(ctx, '0912888007');
    expect(byCode.residentId).toBeNull();
    const typed = await byCode.post('/api/learn/link-record', { citizenId: '079155000007', birthDate: '1955-05-05' });
    expect(typed.statusCode).toBe(409);
    expect(typed.json().error.code).toBe('RECORD_NOT_YOURS');
  });

  it('lets go of a record without a citizen ID when the proven person’s own record is held by an official’s confirmed link', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const grandmother = await makeResident(ctx, household, { fullName: 'Mai Thị Bà', birthDate: '1940-04-04', phone: '0912888008' });
    const cousinRecord = await makeResident(ctx, household, { fullName: 'Mai Văn Họ', birthDate: '1990-09-09', citizenId: '079090000008', relationToHead: 'grandchild' });
    // The cousin's record is held by an account an official confirmed (a mistake for an official to sort out).
    const confirmed = await makeUser(ctx, 'citizen', { residentId: cousinRecord.id });
    await confirmLink(confirmed.id);
    // The cousin signed in by code on the grandmother's phone, which linked him to her record.
    const cousin = await residentSession(ctx, '0912888008');
    expect(cousin.residentId).toBe(grandmother.id);
    const pass = await statePass(ctx, grandmother.id, cousin.userId);
    // The provider proves he is the cousin: not the grandmother, though her record carries no ID to compare.
    const signedIn = await signInAs('cousin-held');
    expect(signedIn.me).toMatchObject({ id: cousin.userId, residentId: null });
    const withdrawn = await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, grandmother.id), eq(facts.retracts, true)));
    expect(withdrawn.map((f) => f.correctsFactId)).toEqual([pass.id]);
    // The confirmed link stays where the official put it.
    expect((await ctx.deps.db.select({ residentId: users.residentId }).from(users).where(eq(users.id, confirmed.id)))[0]?.residentId).toBe(cousinRecord.id);
    const [logged] = await ctx.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'update'), eq(auditLog.recordType, 'user'), sql`${auditLog.recordIds} = ARRAY[${cousin.userId}]::bigint[]`, sql`${auditLog.detail}->>'releasedResidentId' IS NOT NULL`));
    expect(logged?.detail).toMatchObject({ via: 'oidc', releasedResidentId: grandmother.id });
  });

  it('keeps a record without a citizen ID when the proven person is not in the registry: it may be theirs, the ID not yet recorded', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const noId = await makeResident(ctx, household, { fullName: 'Mai Văn Cháu Nội', birthDate: '1995-01-01', phone: '0912888009' });
    const holder = await residentSession(ctx, '0912888009');
    expect(holder.residentId).toBe(noId.id);
    await statePass(ctx, noId.id, holder.userId);
    const signedIn = await signInAs('grandson-unregistered');
    expect(signedIn.me).toMatchObject({ id: holder.userId, residentId: noId.id });
    expect(await ctx.deps.db.select().from(facts).where(and(eq(facts.residentId, noId.id), eq(facts.retracts, true)))).toEqual([]);
  });

  it('leaves a link an official confirmed to an official, even when the provider proves the account is somebody else', async () => {
    const household = await makeHousehold(ctx, UNIT_A);
    const confirmedRecord = await makeResident(ctx, household, { fullName: 'Mai Thị Bà Hai', birthDate: '1941-04-04', phone: '0912888010' });
    const cousinRecord = await makeResident(ctx, household, { fullName: 'Mai Văn Họ Hai', birthDate: '1991-09-09', citizenId: '079090000010', relationToHead: 'grandchild' });
    const other = await makeUser(ctx, 'citizen', { residentId: cousinRecord.id });
    await confirmLink(other.id);
    const account = await residentSession(ctx, '0912888010');
    expect(account.residentId).toBe(confirmedRecord.id);
    await confirmLink(account.userId);
    const signedIn = await signInAs('cousin-confirmed-elsewhere');
    expect(signedIn.me).toMatchObject({ id: account.userId, residentId: confirmedRecord.id });
  });

  it("records the sign-in in the audit log as 'sign_in_oidc'", async () => {
    const { me } = await signInAs('binh-unregistered');
    if (!me) throw new Error('not signed in');
    const rows = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'sign_in_oidc'), eq(auditLog.actorUserId, me.id)));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.at(-1)).toMatchObject({ actorRole: 'citizen', recordType: 'user', recordIds: [me.id] });
  });
});
