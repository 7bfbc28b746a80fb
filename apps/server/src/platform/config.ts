import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** base64 of 32 bytes; without it a key is generated into dataDir on first start */
  dataKey: string | undefined;
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginAttemptsBeforeLock: number;
  lockMinutes: number;
  loginRatePerMinute: number;
  webDist: string | undefined;
  /**
   * Which proxies may say who the client is (X-Forwarded-For): none by default, else a hop count
   * or addresses. Trusting every sender would let anyone pick their own address and step around
   * the per-address limits on sign-in codes, sign-in and certificate checks.
   */
  trustProxy: boolean | number | string;
  /** Folder of plan files (YAML); the bundled content/plans when unset. */
  plansDir: string | undefined;
  /** Folder of course folders; the bundled content/courses when unset. */
  coursesDir: string | undefined;
  /** The city whose residents sign in to learn (a province code). */
  provinceCode: string;
  /** Address the site is reached at, for links printed on certificates (QR); taken from the request when unset. */
  publicUrl: string | undefined;
  /** One-time sign-in codes sent to residents' phones. */
  otp: { ttlMinutes: number; maxWrong: number; lockMinutes: number; perHour: number; resendSeconds: number };
  /** An HTTP SMS gateway (POST {to, text} as JSON); without it codes are written to the server log (development). */
  smsGatewayUrl: string | undefined;
  smsGatewayToken: string | undefined;
  /** The city's OpenID Connect provider (VNeID-style single sign-on); off unless issuer and client are set. */
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string | undefined;
    /** The button's words, e.g. "Đăng nhập bằng VNeID". */
    label: string;
    /** The claim that carries the 12-digit citizen ID, matched to the registry. */
    citizenIdClaim: string;
    /** How the client secret is sent to the token endpoint: in the Authorization header (the standard default) or the body. */
    tokenAuth: 'client_secret_basic' | 'client_secret_post';
  } | null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const int = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
    return value;
  };
  return {
    port: int('PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    dataKey: env.CDS_DATA_KEY || undefined,
    cookieSecure: env.COOKIE_SECURE === 'true',
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', 60),
    sessionMaxHours: int('SESSION_MAX_HOURS', 12),
    loginAttemptsBeforeLock: int('LOGIN_ATTEMPTS_BEFORE_LOCK', 5),
    lockMinutes: int('LOCK_MINUTES', 15),
    loginRatePerMinute: int('LOGIN_RATE_PER_MINUTE', 10),
    webDist: env.WEB_DIST,
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    plansDir: env.CDS_PLANS_DIR || undefined,
    coursesDir: env.CDS_COURSES_DIR || undefined,
    provinceCode: env.CDS_PROVINCE || '79',
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : undefined,
    otp: {
      ttlMinutes: int('OTP_TTL_MINUTES', 5),
      maxWrong: int('OTP_MAX_WRONG', 5),
      lockMinutes: int('OTP_LOCK_MINUTES', 15),
      perHour: int('OTP_PER_HOUR', 5),
      resendSeconds: int('OTP_RESEND_SECONDS', 60),
    },
    smsGatewayUrl: env.SMS_GATEWAY_URL || undefined,
    smsGatewayToken: env.SMS_GATEWAY_TOKEN || undefined,
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET || undefined,
            label: env.OIDC_LABEL || 'Đăng nhập bằng tài khoản định danh',
            citizenIdClaim: env.OIDC_CITIZEN_ID_CLAIM || 'citizen_id',
            tokenAuth: env.OIDC_TOKEN_AUTH === 'client_secret_post' ? 'client_secret_post' : 'client_secret_basic',
          }
        : null,
  };
}

/** TRUST_PROXY: unset or "false" (no proxy), a hop count ("1"), or addresses/CIDRs ("10.0.0.1,10.0.0.0/8"). */
function trustProxyFrom(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw === 'true') throw new Error('TRUST_PROXY=true would trust any client\'s own X-Forwarded-For; give the hop count or the proxy addresses');
  return raw;
}
