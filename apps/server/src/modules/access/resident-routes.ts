import { LearnerProfile, LearnerProfileBody, LinkRecordBody, LoginResponse, Ok, OtpRequestBody, OtpRequestResult, OtpVerifyBody, SignInProviders } from '@cds/contract';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/deps.ts';
import { actorOf, originOf, setSessionCookie } from '../../platform/http.ts';
import { OIDC_FLOW_COOKIE, beginOidcSignIn, finishOidcSignIn } from './oidc.service.ts';
import { requestSignInCode, signInWithCode } from './otp.service.ts';
import { linkOwnRecord, renameResidentAccount } from './resident-accounts.ts';
import { catchUpSkillFacts } from '../learning/certificates.service.ts';
import { residentProfile } from './resident-profile.service.ts';

const OIDC_CALLBACK = '/api/auth/oidc/callback';

/** The site's own address: configured, else as the request reached us. */
export function siteOrigin(deps: AppDeps, request: FastifyRequest): string {
  return deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** Residents' sign-in (a code by text message, or the city's OpenID Connect provider) and their account. */
export function residentAccessRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['residents'];
    app.get('/api/auth/providers', { schema: { tags, summary: 'How residents may sign in', response: { 200: SignInProviders } } }, async () => ({
      otp: true,
      oidc: deps.config.oidc ? { label: deps.config.oidc.label, startUrl: '/api/auth/oidc/start' } : null,
    }));

    app.post(
      '/api/auth/otp/request',
      {
        schema: { tags, summary: 'Send a one-time sign-in code to a mobile phone', body: OtpRequestBody, response: { 200: OtpRequestResult } },
        // Per address, on top of the per-phone limits in the service: one place cannot text the whole city.
        config: { rateLimit: { max: deps.config.loginRatePerMinute, timeWindow: '1 minute' } },
      },
      async (request) => requestSignInCode(deps, request.body.phone, originOf(request)),
    );

    app.post(
      '/api/auth/otp/verify',
      {
        schema: { tags, summary: 'Sign in with the code; makes the account the first time', body: OtpVerifyBody, response: { 200: LoginResponse } },
        config: { rateLimit: { max: deps.config.loginRatePerMinute * 2, timeWindow: '1 minute' } },
      },
      async (request, reply) => {
        const result = await signInWithCode(deps, request.body.phone, request.body.code, originOf(request));
        await catchUpSkillFacts(deps, result.actor);
        setSessionCookie(reply, result.token, deps.config.cookieSecure, deps.config.sessionMaxHours * 3600);
        return { user: result.me, csrfToken: result.csrfToken };
      },
    );

    app.get(
      '/api/auth/oidc/start',
      { schema: { tags, summary: "Go to the city's identity provider", querystring: z.object({ returnTo: z.string().max(200).optional() }) } },
      async (request, reply) => {
        const flow = await beginOidcSignIn(deps, siteOrigin(deps, request) + OIDC_CALLBACK, request.query.returnTo);
        // Lax, not Strict: the provider sends the browser back from another site, and the cookie must come along.
        reply.setCookie(OIDC_FLOW_COOKIE, flow.cookie, { httpOnly: true, sameSite: 'lax', secure: deps.config.cookieSecure, path: OIDC_CALLBACK, maxAge: flow.maxAge });
        return reply.redirect(flow.url, 302);
      },
    );

    app.get(OIDC_CALLBACK, { schema: { tags, summary: 'Where the identity provider returns the resident', hide: false } }, async (request, reply) => {
      const callbackUrl = new URL(request.url, siteOrigin(deps, request) + '/');
      const { signedIn, returnTo } = await finishOidcSignIn(deps, callbackUrl, request.cookies[OIDC_FLOW_COOKIE], originOf(request));
      await catchUpSkillFacts(deps, signedIn.actor);
      setSessionCookie(reply, signedIn.token, deps.config.cookieSecure, deps.config.sessionMaxHours * 3600);
      reply.clearCookie(OIDC_FLOW_COOKIE, { path: OIDC_CALLBACK });
      // A page that moves on by itself, rather than a redirect: the browser arrived here from the
      // provider's site, and a Strict session cookie is sent only on a navigation that starts here.
      const target = JSON.stringify(returnTo).replace(/</g, '\\u003c');
      return reply
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html lang="vi"><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${returnTo}"><title>Đang đăng nhập…</title><p>Đã đăng nhập. <a href="${returnTo}">Tiếp tục</a></p><script>location.replace(${target})</script></html>`,
        );
    });

    app.get('/api/learn/profile', { schema: { tags, summary: "The signed-in resident's account", response: { 200: LearnerProfile } } }, async (request) =>
      residentProfile(deps, actorOf(request)),
    );
    app.patch('/api/learn/profile', { schema: { tags, summary: 'The name printed on certificates (accounts not linked to a record)', body: LearnerProfileBody, response: { 200: Ok } } }, async (request) => {
      await renameResidentAccount(deps, actorOf(request), request.body.displayName);
      return { ok: true as const };
    });
    app.post(
      '/api/learn/link-record',
      {
        schema: { tags, summary: 'Link the account to its registry record by citizen ID and birth date', body: LinkRecordBody, response: { 200: Ok } },
        config: { rateLimit: { max: 5, timeWindow: '10 minutes', hook: 'preHandler', keyGenerator: (request) => `link|${request.actor?.userId ?? request.ip}` } },
      },
      async (request) => {
        const actor = actorOf(request);
        const residentId = await linkOwnRecord(deps, actor, request.body);
        await catchUpSkillFacts(deps, { ...actor, residentId });
        return { ok: true as const };
      },
    );
  };
}
