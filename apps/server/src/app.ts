import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessRoutes } from './modules/access/routes.ts';
import { residentAccessRoutes } from './modules/access/resident-routes.ts';
import { resolveSession } from './modules/access/session.service.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { deviceSupportRoutes } from './modules/devices/routes.ts';
import { fieldSyncRoutes } from './modules/field/sync-routes.ts';
import { fieldTeamRoutes } from './modules/field/team-routes.ts';
import { importRoutes } from './modules/imports/routes.ts';
import { learningOfficialRoutes } from './modules/learning/official-routes.ts';
import { learningRoutes } from './modules/learning/routes.ts';
import { indicatorRoutes } from './modules/indicators/routes.ts';
import { qualityRoutes } from './modules/quality/routes.ts';
import { registryRoutes } from './modules/registry/routes.ts';
import { unitRoutes } from './modules/units/routes.ts';
import type { AppDeps } from './platform/deps.ts';
import { AppError, errorBody, type ErrorIssue } from './platform/errors.ts';
import { SESSION_COOKIE, originOf } from './platform/http.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Writes made before there is a session, so with no token to check: signing in (by password or a
// code sent to a resident's phone), and joining a
// team with an invite (which signs the new volunteer in). SameSite=Strict cookies cover them, and
// both take JSON only, which a cross-site form cannot send.
// Requests made before there is a session to carry a token. A sponsor's registration only queues a
// request for the city, so one forged from another site gains its author nothing.
const CSRF_EXEMPT = new Set(['/api/auth/login', '/api/auth/otp/request', '/api/auth/otp/verify', '/api/field/join', '/api/public/sponsor-registrations']);

function tokensMatch(sent: unknown, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface BuildAppOptions {
  logger?: boolean;
  /** Built web app to serve; omitted in API tests. */
  webDist?: string | undefined;
}

export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { trustProxy } = deps.config;
  const app = Fastify({
    logger: options.logger ?? false,
    // A hop count trusts that many proxies nearest to us; Fastify's types take it as a function.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    bodyLimit: 1_048_576,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Công dân số API', version: '0.1.0', description: 'Registry, field campaign and targets of the digital-citizen campaign' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });
  // Phones on 3G: the web apps' scripts and the API's JSON shrink four- to sixfold (gzip or brotli,
  // as the browser accepts). Uploads and downloads already compressed (XLSX, PDF) pass as they are.
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    // Brotli's default (quality 11) costs ~100 ms per large script on every request; 5 keeps most of the gain.
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => Object.assign(new AppError('TOO_MANY_REQUESTS'), { statusCode: 429 }),
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('me', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const resolved = await resolveSession(deps, token, originOf(request));
      if (resolved) {
        request.actor = resolved.actor;
        request.me = resolved.me;
        request.csrfToken = resolved.csrfToken;
        request.sessionToken = token;
      }
    }
    const path = request.url.split('?')[0] ?? '';
    if (!SAFE_METHODS.has(request.method) && !CSRF_EXEMPT.has(path)) {
      if (!request.csrfToken) throw new AppError('UNAUTHENTICATED');
      if (!tokensMatch(request.headers['x-csrf-token'], request.csrfToken)) throw new AppError('CSRF_INVALID');
    }
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) return reply.status(error.status).send(errorBody(error.code, error.issues, error.detailVi));
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = (error as { validationContext?: string }).validationContext ?? 'body';
      const issues: ErrorIssue[] = error.validation.map((issue) => ({
        path: [context, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: issue.message ?? 'không hợp lệ',
      }));
      const first = issues[0];
      return reply.status(400).send(errorBody('VALIDATION_FAILED', issues, first ? `${first.path}: ${first.message}` : undefined));
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 429) return reply.status(429).send(errorBody('TOO_MANY_REQUESTS'));
    if (status >= 400 && status < 500) {
      // Malformed JSON, wrong content type, body too large: the client's mistake, said plainly.
      return reply.status(status).send(errorBody('VALIDATION_FAILED', [{ path: 'body', message: error.message }]));
    }
    request.log.error(error);
    return reply.status(500).send(errorBody('INTERNAL'));
  });

  app.get(
    '/api/health',
    { schema: { tags: ['platform'], summary: 'Liveness and which database is in use', response: { 200: z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']) }) } } },
    async () => {
      await deps.pool.query('SELECT 1');
      return { status: 'ok' as const, db: deps.dbKind };
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(accessRoutes(deps));
  await app.register(residentAccessRoutes(deps));
  await app.register(unitRoutes(deps));
  await app.register(registryRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(importRoutes(deps));
  await app.register(qualityRoutes(deps));
  await app.register(indicatorRoutes(deps));
  await app.register(fieldTeamRoutes(deps));
  await app.register(fieldSyncRoutes(deps));
  await app.register(deviceSupportRoutes(deps));
  await app.register(learningRoutes(deps));
  await app.register(learningOfficialRoutes(deps));

  const webDist = options.webDist;
  const hasWeb = webDist !== undefined && existsSync(webDist);
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // Client-side routes (/units/26740, /households/5) all load the single page; a missing file
    // (/assets/old-hash.js, /favicon.png) is a 404, never the page, or browsers run HTML as script.
    const isPageRoute = request.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path);
    if (!hasWeb || !isPageRoute) return reply.status(404).send(errorBody('NOT_FOUND'));
    // The field app (its own page, field.html) lives under /field/: the service worker's scope is
    // /field/, which /field itself is not in, so that one address moves to /field/ (a #token stays).
    if (path === '/field') return reply.redirect(`/field/${request.url.slice(path.length)}`, 302);
    if (path.startsWith('/field/')) return reply.sendFile('field.html');
    // The learning site is its own light page too, with its own worker scoped to /learn/.
    if (path === '/learn') return reply.redirect(`/learn/${request.url.slice(path.length)}`, 302);
    if (path.startsWith('/learn/')) return reply.sendFile('learn.html');
    return reply.sendFile('index.html');
  });
  return app;
}
