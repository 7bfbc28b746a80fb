import { LoginBody, LoginResponse, Ok, SessionResponse } from '@cds/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { SESSION_COOKIE, actorOf, originOf, setSessionCookie } from '../../platform/http.ts';
import { signIn, signOut } from './session.service.ts';

export function accessRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/auth/login',
      {
        schema: { tags: ['access'], summary: 'Sign in; sets the session cookie and returns the CSRF token', body: LoginBody, response: { 200: LoginResponse } },
        config: {
          // Keyed by address and username, after the body is parsed: guessing one account's password
          // from one place is slowed without locking out a whole office behind one NAT address.
          rateLimit: {
            max: deps.config.loginRatePerMinute,
            timeWindow: '1 minute',
            hook: 'preHandler',
            keyGenerator: (request) => `${request.ip}|${String((request.body as { username?: string } | undefined)?.username ?? '').toLowerCase()}`,
          },
        },
      },
      async (request, reply) => {
        const result = await signIn(deps, request.body.username, request.body.password, originOf(request));
        setSessionCookie(reply, result.token, deps.config.cookieSecure, deps.config.sessionMaxHours * 3600);
        return { user: result.me, csrfToken: result.csrfToken };
      },
    );

    app.post('/api/auth/logout', { schema: { tags: ['access'], summary: 'Sign out', response: { 200: Ok } } }, async (request, reply) => {
      const actor = actorOf(request);
      if (request.sessionToken) await signOut(deps, request.sessionToken, actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    });

    app.get('/api/auth/session', { schema: { tags: ['access'], summary: 'The signed-in user and CSRF token', response: { 200: SessionResponse } } }, async (request) => {
      if (!request.me || !request.csrfToken) throw new AppError('UNAUTHENTICATED');
      return { user: request.me, csrfToken: request.csrfToken };
    });
  };
}
