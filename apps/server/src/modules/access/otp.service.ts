import { randomInt, timingSafeEqual } from 'node:crypto';
import { otpChallenges } from '@cds/db';
import { maskPhone, normalisePhone } from '@cds/domain';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { smsGatewayFrom } from '../../platform/sms-gateway.ts';
import { recordAudit, type AuditWho } from '../audit/audit.service.ts';
import { residentAccountByPhone } from './resident-accounts.ts';
import { startSession, type RequestOrigin, type SignedIn } from './session.service.ts';

/*
 * Residents sign in with a six-digit code sent to their phone. Only a keyed hash of each code is
 * stored. Wrong codes are counted per phone across its recent codes, in the database, so asking
 * for a new code does not reset the count, and the lock holds across restarts and servers.
 */

function mobile(raw: string): string {
  const checked = normalisePhone(raw);
  if (!checked.ok) throw invalid('body.phone', checked.message);
  return checked.value;
}

const codeHash = (deps: AppDeps, phoneHash: string, code: string) => deps.vault.hash(`otp:${phoneHash}:${code}`);

const anonymous = (phone: string, origin: RequestOrigin): AuditWho => ({ userId: null, username: `sđt ${maskPhone(phone)}`, role: null, ...origin });

type Tx = Parameters<Parameters<AppDeps['db']['transaction']>[0]>[0];

/**
 * Every check and change for one phone runs in a transaction holding this phone's advisory lock,
 * so requests sent at once are taken one after the other: forty guesses in parallel are still
 * five wrong codes and a lock, and fifteen requests at once still send one text.
 */
async function lockPhone(tx: Tx, phoneHash: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${'otp:' + phoneHash}, 0))`);
}

/** Wrong codes for this phone within the lock window; at the limit the phone is locked until they age out. */
async function recentFailures(db: Pick<Tx, 'select'>, deps: AppDeps, phoneHash: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${otpChallenges.failedAttempts}), 0)`.mapWith(Number) })
    .from(otpChallenges)
    .where(and(eq(otpChallenges.phoneHash, phoneHash), gt(otpChallenges.createdAt, sql`now() - make_interval(mins => ${deps.config.otp.lockMinutes})`)));
  return row?.n ?? 0;
}

export async function requestSignInCode(deps: AppDeps, rawPhone: string, origin: RequestOrigin) {
  const phone = mobile(rawPhone);
  const { otp } = deps.config;
  const phoneHash = deps.vault.hash(phone);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const challengeId = await deps.db.transaction(async (tx) => {
    await lockPhone(tx, phoneHash);
    if ((await recentFailures(tx, deps, phoneHash)) >= otp.maxWrong) throw new AppError('OTP_LOCKED');
    const [recent] = await tx
      .select({
        lastSecondsAgo: sql<number>`extract(epoch FROM now() - max(${otpChallenges.createdAt}))`.mapWith(Number),
        lastHour: sql<number>`count(*)`.mapWith(Number),
      })
      .from(otpChallenges)
      .where(and(eq(otpChallenges.phoneHash, phoneHash), gt(otpChallenges.createdAt, sql`now() - interval '1 hour'`)));
    if (recent && recent.lastHour > 0 && recent.lastSecondsAgo < otp.resendSeconds) {
      const wait = Math.ceil(otp.resendSeconds - recent.lastSecondsAgo);
      throw new AppError('OTP_TOO_SOON', undefined, `Mã vừa được gửi; hãy chờ ${wait} giây rồi gửi lại`);
    }
    // Each text costs the city money and can be used to pester someone: a few an hour per number.
    if (recent && recent.lastHour >= otp.perHour) throw new AppError('OTP_TOO_SOON', undefined, `Đã gửi ${otp.perHour} mã trong một giờ; hãy thử lại sau`);
    const [row] = await tx
      .insert(otpChallenges)
      .values({ phoneHash, codeHash: codeHash(deps, phoneHash, code), expiresAt: new Date(Date.now() + otp.ttlMinutes * 60_000), ip: origin.ip })
      .returning({ id: otpChallenges.id });
    if (!row) throw new AppError('INTERNAL');
    return row.id;
  });
  try {
    // Without diacritics, as Vietnamese operators' service texts are: Unicode text fits 70
    // characters per message instead of 160, and some old phones show it as boxes.
    await (deps.sms ?? smsGatewayFrom(deps.config)).send(
      phone,
      `Ma dang nhap Binh dan hoc vu so: ${code}. Hieu luc ${otp.ttlMinutes} phut. KHONG dua ma nay cho bat ky ai, ke ca nguoi xung la can bo.`,
    );
  } catch {
    // A code that never left counts against nobody: the resident may ask again at once.
    await deps.db.delete(otpChallenges).where(eq(otpChallenges.id, challengeId));
    throw new AppError('SMS_FAILED');
  }
  await recordAudit(deps.db, anonymous(phone, origin), { action: 'otp_sent' });
  return { sentTo: maskPhone(phone), expiresInSeconds: otp.ttlMinutes * 60, resendInSeconds: otp.resendSeconds };
}

export async function signInWithCode(deps: AppDeps, rawPhone: string, code: string, origin: RequestOrigin): Promise<SignedIn> {
  const phone = mobile(rawPhone);
  const { otp } = deps.config;
  const phoneHash = deps.vault.hash(phone);
  const who = anonymous(phone, origin);
  const outcome = await deps.db.transaction(async (tx) => {
    await lockPhone(tx, phoneHash);
    if ((await recentFailures(tx, deps, phoneHash)) >= otp.maxWrong) return { result: 'locked' as const, failures: otp.maxWrong };
    const [challenge] = await tx
      .select()
      .from(otpChallenges)
      .where(and(eq(otpChallenges.phoneHash, phoneHash), isNull(otpChallenges.consumedAt), gt(otpChallenges.expiresAt, new Date())))
      .orderBy(desc(otpChallenges.id))
      .limit(1);
    if (!challenge) return { result: 'none' as const, failures: await recentFailures(tx, deps, phoneHash) };
    const expected = Buffer.from(challenge.codeHash);
    const given = Buffer.from(codeHash(deps, phoneHash, code));
    if (expected.length === given.length && timingSafeEqual(expected, given)) {
      await tx.update(otpChallenges).set({ consumedAt: new Date() }).where(eq(otpChallenges.id, challenge.id));
      return { result: 'ok' as const, failures: 0 };
    }
    await tx.update(otpChallenges).set({ failedAttempts: sql`${otpChallenges.failedAttempts} + 1` }).where(eq(otpChallenges.id, challenge.id));
    const failures = await recentFailures(tx, deps, phoneHash);
    // The code in flight dies with the lock: waiting it out needs a new code.
    if (failures >= otp.maxWrong) {
      await tx.update(otpChallenges).set({ expiresAt: new Date() }).where(and(eq(otpChallenges.phoneHash, phoneHash), isNull(otpChallenges.consumedAt)));
    }
    return { result: 'wrong' as const, failures };
  });
  if (outcome.result !== 'ok') {
    await recordAudit(deps.db, who, { action: 'sign_in_failed', detail: { reason: `otp_${outcome.result}`, failures: outcome.failures } });
    if (outcome.failures >= otp.maxWrong) throw new AppError('OTP_LOCKED');
    const left = otp.maxWrong - outcome.failures;
    throw new AppError('OTP_INVALID', undefined, outcome.result === 'none' ? 'Mã đã hết hạn hoặc chưa được gửi; hãy bấm "Gửi mã" lại' : `Mã xác nhận không đúng; còn ${left} lần thử`);
  }
  const userId = await residentAccountByPhone(deps, phone, who);
  return startSession(deps, userId, origin, 'sign_in_otp');
}
