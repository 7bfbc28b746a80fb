import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './app.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_A, createTestApp, makeUser, signIn, type Session, type TestContext } from './test/test-app.ts';

// What every client can rely on, whatever the route: health, the API description, and errors
// that are always JSON with a stable code.

let ctx: TestContext;
let session: Session;
beforeAll(async () => {
  ctx = await createTestApp();
  session = await signIn(ctx, await makeUser(ctx, 'unit_official', { units: [UNIT_A] }));
});
afterAll(async () => ctx?.close());

describe('GET /api/health', () => {
  it('answers ok and names the database in use', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', db: ctx.handle.kind });
    expect(['pglite', 'postgres']).toContain(ctx.handle.kind);
  });
});

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3 document listing the stable routes', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toMatch(/^3\./);
    const expected: [string, string][] = [
      ['/api/auth/login', 'post'],
      ['/api/auth/logout', 'post'],
      ['/api/units', 'get'],
      ['/api/households', 'get'],
      ['/api/households', 'post'],
      ['/api/households/{id}', 'get'],
      ['/api/households/{id}', 'patch'],
      ['/api/residents', 'get'],
      ['/api/residents/{id}', 'get'],
      ['/api/audit', 'get'],
      ['/api/plans', 'get'],
      ['/api/plans/{id}/indicators', 'get'],
      ['/api/plans/{id}/ranking', 'get'],
      ['/api/plans/{id}/reports', 'put'],
    ];
    for (const [path, method] of expected) expect(document.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    // The plan figures' answer is documented field by field, statuses included.
    const indicators = JSON.stringify(document.paths['/api/plans/{id}/indicators']);
    for (const word of ['numerator', 'denominator', 'deadline', 'on_track', 'no_data', 'asOf']) expect(indicators).toContain(word);
    expect(Object.keys(document.paths)).not.toContain('/api/openapi.json');
  });
});

describe('errors', () => {
  it('answers an unknown /api route with 404 JSON NOT_FOUND', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/no-such-route?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.json().error).toMatchObject({ code: 'NOT_FOUND', message: 'Không tìm thấy', messageEn: 'Not found' });
  });

  it('answers a write to an unknown /api route with 404 for a signed-in user', async () => {
    const response = await session.post('/api/no-such-route', {});
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('NOT_FOUND');
  });

  it('answers a malformed JSON body with 400 JSON VALIDATION_FAILED', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "a", "password": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    const error = response.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues[0].path).toBe('body');
  });

  it('answers a malformed JSON body from a signed-in user the same way', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/households',
      cookies: { cds_session: session.cookie },
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      payload: '{"unitCode": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a write without a session with 401 UNAUTHENTICATED, in Vietnamese', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/households', payload: { unitCode: UNIT_A, address: '1 Lê Lợi' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Bạn cần đăng nhập' });
    const { rows } = await ctx.deps.pool.query(`SELECT count(*)::int AS n FROM households WHERE address = '1 Lê Lợi'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses a read of personal data without a session with 401', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/households' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a write with a session but without the CSRF token with 403 CSRF_INVALID', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/households',
      cookies: { cds_session: session.cookie },
      payload: { unitCode: UNIT_A, address: '2 Lê Lợi' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('CSRF_INVALID');
  });
});

describe('serving the web app', () => {
  it('answers client-side routes with the page, real files as themselves, and missing files with 404', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'cds-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Công dân số</title>');
    writeFileSync(join(dist, 'assets', 'app-1.js'), 'console.log(1)');
    const web = await buildApp(ctx.deps, { webDist: dist });
    try {
      const page = await web.inject({ method: 'GET', url: '/households/12?unit=26740' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).toContain('Công dân số');
      const script = await web.inject({ method: 'GET', url: '/assets/app-1.js' });
      expect(script.headers['content-type']).toMatch(/javascript/);
      const stale = await web.inject({ method: 'GET', url: '/assets/app-0.js' });
      expect(stale.statusCode).toBe(404);
      expect(stale.json().error.code).toBe('NOT_FOUND');
    } finally {
      await web.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
