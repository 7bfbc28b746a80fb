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
  /** Folder of plan files (YAML); the bundled content/plans when unset. */
  plansDir: string | undefined;
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
    plansDir: env.CDS_PLANS_DIR || undefined,
  };
}
