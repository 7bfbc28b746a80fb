import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { residents, sessions, units, userUnits, users } from '@cds/db';
import type { Me } from '@cds/contract';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Actor } from './actor.ts';

export const hashPassword = (password: string) => hash(password);

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

// Verified against when the username does not exist, so that a wrong name takes as long as a wrong password.
let decoyHash: Promise<string> | null = null;

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  token: string;
  csrfToken: string;
  actor: Actor;
  me: Me;
}

export async function signIn(deps: AppDeps, username: string, password: string, origin: RequestOrigin): Promise<SignedIn> {
  const { db, config } = deps;
  const [user] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
  const anonymous = { userId: null, username, role: null, ...origin };
  if (!user || user.disabled) {
    decoyHash ??= hash('decoy-password-for-timing');
    await verify(await decoyHash, password).catch(() => false);
    await recordAudit(db, anonymous, { action: 'sign_in_failed', detail: { reason: 'unknown_user' } });
    throw new AppError('INVALID_CREDENTIALS');
  }
  const who = { userId: user.id, username: user.username, role: user.role, ...origin };
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    await recordAudit(db, who, { action: 'sign_in_failed', recordType: 'user', recordIds: [user.id], detail: { reason: 'locked' } });
    throw new AppError('ACCOUNT_LOCKED');
  }
  // Residents who sign in by phone code or OpenID Connect have no password to guess.
  if (user.passwordHash === null || !(await verify(user.passwordHash, password))) {
    // Counted in the database, not in memory, so the lock holds across restarts and servers.
    const [after] = await db
      .update(users)
      .set({
        failedLogins: sql`${users.failedLogins} + 1`,
        lockedUntil: sql`CASE WHEN ${users.failedLogins} + 1 >= ${config.loginAttemptsBeforeLock}
          THEN now() + make_interval(mins => ${config.lockMinutes}) ELSE NULL END`,
      })
      .where(eq(users.id, user.id))
      .returning({ lockedUntil: users.lockedUntil });
    await recordAudit(db, who, { action: 'sign_in_failed', recordType: 'user', recordIds: [user.id], detail: { reason: 'password' } });
    throw new AppError(after?.lockedUntil ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS');
  }
  await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
  return startSession(deps, user.id, origin, 'sign_in');
}

/**
 * Opens a session for a user whose identity has been proved (password, a code sent to their
 * phone, or an OpenID Connect provider) and audits how.
 */
export async function startSession(deps: AppDeps, userId: number, origin: RequestOrigin, action: 'sign_in' | 'sign_in_otp' | 'sign_in_oidc'): Promise<SignedIn> {
  const { db, config } = deps;
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.insert(sessions).values({
    tokenHash: tokenHash(token),
    userId,
    csrfToken,
    expiresAt: new Date(Date.now() + config.sessionMaxHours * 3600_000),
    ip: origin.ip,
    userAgent: origin.userAgent,
  });
  // Old sessions are swept here rather than by a timer: sign-ins are frequent enough.
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  const resolved = await resolveSession(deps, token, origin);
  if (!resolved) throw new AppError('INTERNAL');
  await recordAudit(db, resolved.actor, { action, recordType: 'user', recordIds: [userId] });
  return { token, ...resolved };
}

export async function resolveSession(
  deps: AppDeps,
  token: string,
  origin: RequestOrigin,
): Promise<{ actor: Actor; me: Me; csrfToken: string } | null> {
  const { db, config } = deps;
  const idleCutoff = new Date(Date.now() - config.sessionIdleMinutes * 60_000);
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash(token)), gt(sessions.expiresAt, new Date()), gt(sessions.lastSeenAt, idleCutoff)));
  if (!row || row.user.disabled) return null;
  // Touch at most once a minute: a write per request would double the load of every read.
  if (Date.now() - row.session.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.tokenHash, row.session.tokenHash));
  }
  const unitRows = await db
    .select({ code: units.code, name: units.fullName })
    .from(userUnits)
    .innerJoin(units, eq(units.code, userUnits.unitCode))
    .where(eq(userUnits.userId, row.user.id))
    .orderBy(units.code);
  const { user } = row;
  // A citizen whose registry record was merged into another is that other record now (undoing the
  // merge gives the old one back, so nothing is stored on the user).
  const residentId = user.residentId === null ? null : await ownRecord(db, user.provinceCode, user.residentId);
  const actor: Actor = {
    userId: user.id,
    username: user.username,
    role: user.role,
    provinceCode: user.provinceCode,
    unitCodes: unitRows.map((u) => u.code),
    residentId,
    residentLink: user.residentLink ?? (residentId === null ? null : 'official'),
    ...origin,
  };
  const me: Me = {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    provinceCode: user.provinceCode,
    units: unitRows,
    residentId,
  };
  return { actor, me, csrfToken: row.session.csrfToken };
}

export async function signOut(deps: AppDeps, token: string, actor: Actor): Promise<void> {
  await deps.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
  await recordAudit(deps.db, actor, { action: 'sign_out', recordType: 'user', recordIds: [actor.userId] });
}

/** The record an account holding `residentId` is: the record kept, when that one was merged into it. */
export async function ownRecord(db: Pick<AppDeps['db'], 'select'>, provinceCode: string, residentId: number): Promise<number> {
  const [row] = await db
    .select({ mergedIntoId: residents.mergedIntoId })
    .from(residents)
    .where(and(eq(residents.provinceCode, provinceCode), eq(residents.id, residentId)));
  return row?.mergedIntoId ?? residentId;
}
