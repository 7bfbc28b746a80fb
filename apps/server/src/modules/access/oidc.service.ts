import { timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditWho } from '../audit/audit.service.ts';
import { normalisePhone } from '@cds/domain';
import { residentAccountByOidc } from './resident-accounts.ts';
import { startSession, type RequestOrigin, type SignedIn } from './session.service.ts';

/*
 * Sign-in through the city's OpenID Connect provider (VNeID-style single sign-on): the
 * authorisation-code flow with PKCE, state and nonce, by openid-client. The flow's secrets travel
 * in a short-lived httpOnly cookie signed with the server's key, so any server of a cluster can
 * finish a flow another began, without a table.
 */

export const OIDC_FLOW_COOKIE = 'cds_oidc';
const FLOW_SECONDS = 600;

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  expires: number;
}

const discovered = new Map<string, Promise<client.Configuration>>();

function configurationOf(deps: AppDeps): Promise<client.Configuration> {
  const oidc = deps.config.oidc;
  if (!oidc) throw new AppError('NOT_FOUND');
  const key = `${oidc.issuer} ${oidc.clientId}`;
  let found = discovered.get(key);
  if (!found) {
    const issuer = new URL(oidc.issuer);
    const secret = oidc.clientSecret;
    found = client.discovery(
      issuer,
      oidc.clientId,
      undefined,
      secret === undefined ? client.None() : oidc.tokenAuth === 'client_secret_post' ? client.ClientSecretPost(secret) : client.ClientSecretBasic(secret),
      // Plain http only for a provider on this machine (development, tests).
      issuer.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(issuer.hostname) ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    discovered.set(key, found);
    found.catch(() => discovered.delete(key));
  }
  return found;
}

/** Only a path on this site may be returned to: never an address elsewhere. */
export function safeReturnPath(value: string | undefined): string {
  return value && /^\/(?!\/)[\w\-/.?=&%]*$/.test(value) ? value : '/learn/me';
}

function seal(deps: AppDeps, flow: Flow): string {
  const body = Buffer.from(JSON.stringify(flow)).toString('base64url');
  return `${body}.${deps.vault.hash(`oidc-flow:${body}`)}`;
}

function unseal(deps: AppDeps, value: string | undefined): Flow | null {
  if (!value) return null;
  const [body, mac] = value.split('.');
  if (!body || !mac) return null;
  const expected = Buffer.from(deps.vault.hash(`oidc-flow:${body}`));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const flow = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Flow;
  return flow.expires > Date.now() ? flow : null;
}

/** Where to send the browser, and the cookie that carries the flow until the provider sends it back. */
export async function beginOidcSignIn(deps: AppDeps, redirectUri: string, returnTo: string | undefined): Promise<{ url: string; cookie: string; maxAge: number }> {
  const configuration = await configurationOf(deps);
  const verifier = client.randomPKCECodeVerifier();
  const flow: Flow = { state: client.randomState(), nonce: client.randomNonce(), verifier, returnTo: safeReturnPath(returnTo), expires: Date.now() + FLOW_SECONDS * 1000 };
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope: 'openid profile phone',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url: url.href, cookie: seal(deps, flow), maxAge: FLOW_SECONDS };
}

/** Finishes the flow: checks state, nonce and PKCE, reads the identity and opens a session. */
export async function finishOidcSignIn(
  deps: AppDeps,
  callbackUrl: URL,
  flowCookie: string | undefined,
  origin: RequestOrigin,
): Promise<{ signedIn: SignedIn; returnTo: string }> {
  const oidc = deps.config.oidc;
  const flow = unseal(deps, flowCookie);
  const who: AuditWho = { userId: null, username: 'oidc', role: null, ...origin };
  if (!oidc || !flow) throw new AppError('OIDC_FAILED', undefined, 'Phiên đăng nhập đã hết hạn hoặc không hợp lệ; hãy bắt đầu lại');
  const configuration = await configurationOf(deps);
  let claims: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('no id_token');
    // The provider may give the citizen ID and phone only from its userinfo endpoint.
    const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    claims = { ...userInfo, ...idClaims };
  } catch (error) {
    throw new AppError('OIDC_FAILED', [{ path: 'oidc', message: error instanceof Error ? error.message.slice(0, 200) : 'lỗi' }]);
  }
  const citizenId = typeof claims[oidc.citizenIdClaim] === 'string' ? (claims[oidc.citizenIdClaim] as string) : null;
  const rawPhone = typeof claims.phone_number === 'string' ? claims.phone_number : null;
  const phone = rawPhone && claims.phone_number_verified === true ? normalisePhone(rawPhone) : null;
  const userId = await residentAccountByOidc(
    deps,
    {
      subject: `${oidc.issuer} ${String(claims.sub)}`,
      name: typeof claims.name === 'string' ? claims.name : null,
      citizenId,
      phone: phone?.ok ? phone.value : null,
    },
    who,
  );
  return { signedIn: await startSession(deps, userId, origin, 'sign_in_oidc'), returnTo: flow.returnTo };
}
