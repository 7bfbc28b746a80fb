import { randomBytes } from 'node:crypto';
import { refusedRecordLinks, residents, users } from '@cds/db';
import { maskPhone } from '@cds/domain';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit, type AuditWho } from '../audit/audit.service.ts';
import { withdrawAccountSkillFacts } from '../learning/certificates.service.ts';
import type { Actor } from './actor.ts';
import { ownRecord } from './session.service.ts';

/*
 * Residents' own accounts (role 'citizen'): made the first time someone proves a phone number or
 * an identity, with no password. A resident is linked to their registry record when the identity
 * matches: the citizen ID an identity provider vouches for, a phone that exactly one living
 * registry record holds, or the citizen ID and birth date the resident types in.
 */

type Tx = Parameters<Parameters<AppDeps['db']['transaction']>[0]>[0];

/** An official found this account is not the person of this record (record-accounts.service.ts). */
async function linkRefused(tx: Tx, provinceCode: string, residentId: number, userId: number): Promise<boolean> {
  const [refused] = await tx
    .select({ userId: refusedRecordLinks.userId })
    .from(refusedRecordLinks)
    .where(and(eq(refusedRecordLinks.provinceCode, provinceCode), eq(refusedRecordLinks.residentId, residentId), eq(refusedRecordLinks.userId, userId)));
  return refused !== undefined;
}

/**
 * The living, unmerged record holding this phone, when there is exactly one, no account has it
 * yet, and (for an existing account) no official refused it to this account.
 */
async function recordByPhone(tx: Tx, provinceCode: string, phone: string, accountId: number | null = null): Promise<{ id: number; fullName: string } | null> {
  const rows = await tx
    .select({ id: residents.id, fullName: residents.fullName })
    .from(residents)
    .where(and(eq(residents.provinceCode, provinceCode), eq(residents.phone, phone), eq(residents.status, 'living'), isNull(residents.mergedIntoId)))
    .limit(2);
  // A phone shared in a family names nobody in particular; the resident links by ID instead.
  if (rows.length !== 1 || !rows[0]) return null;
  if (accountId !== null && (await linkRefused(tx, provinceCode, rows[0].id, accountId))) return null;
  return (await recordTaken(tx, provinceCode, rows[0].id)) ? null : rows[0];
}

async function recordTaken(tx: Tx, provinceCode: string, residentId: number): Promise<boolean> {
  return (await recordHolder(tx, provinceCode, residentId)) !== null;
}

/**
 * Every path that links an account to a record holds the record's link lock from its check for
 * a holder to the end of its transaction: two accounts linking the same record at once are
 * answered one after the other, so the second sees the first as the holder instead of failing on
 * the database's one-holder index.
 */
export async function lockRecordLinks(db: { execute: (query: SQL) => PromiseLike<unknown> }, provinceCode: string, residentId: number): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`resident-link:${provinceCode}:${residentId}`}, 0))`);
}

/** The account holding a record, under the record's link lock. */
async function recordHolder(tx: Tx, provinceCode: string, residentId: number): Promise<{ id: number; link: string | null } | null> {
  await lockRecordLinks(tx, provinceCode, residentId);
  const [holder] = await tx
    .select({ id: users.id, link: users.residentLink })
    .from(users)
    .where(and(eq(users.provinceCode, provinceCode), eq(users.residentId, residentId)))
    .limit(1);
  return holder ?? null;
}

const newUsername = () => `hv-${randomBytes(6).toString('hex')}`;

/** The account of a proven phone number, made (and linked when the registry allows) the first time. */
export async function residentAccountByPhone(deps: AppDeps, phone: string, who: AuditWho): Promise<number> {
  const phoneHash = deps.vault.hash(phone);
  return deps.db.transaction(async (tx) => {
    const provinceCode = deps.config.provinceCode;
    const [existing] = await tx
      .select({ id: users.id, disabled: users.disabled, residentId: users.residentId, oidcSubject: users.oidcSubject })
      .from(users)
      .where(eq(users.phoneHash, phoneHash));
    if (existing) {
      if (existing.disabled) throw new AppError('FORBIDDEN');
      // The registry may have gained this phone since the account was made.
      // Not an account the identity provider vouched for: its proof, not a phone, says whose record it is.
      const later = existing.residentId === null && existing.oidcSubject === null ? await recordByPhone(tx, provinceCode, phone, existing.id) : null;
      if (later) {
        await tx.update(users).set({ residentId: later.id, residentLink: 'phone', displayName: later.fullName }).where(eq(users.id, existing.id));
        await recordAudit(tx, who, { action: 'update', recordType: 'user', recordIds: [existing.id], fields: ['resident_id'], detail: { via: 'otp', linkedResidentId: later.id } });
      }
      return existing.id;
    }
    const record = await recordByPhone(tx, provinceCode, phone);
    const [created] = await tx
      .insert(users)
      .values({
        username: newUsername(),
        passwordHash: null,
        role: 'citizen',
        displayName: record?.fullName ?? `Học viên ${maskPhone(phone)}`,
        provinceCode,
        residentId: record?.id ?? null,
        residentLink: record ? 'phone' : null,
        phoneHash,
      })
      // Two first sign-ins of one phone at once: the second finds the first's account.
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (!created) {
      const [again] = await tx.select({ id: users.id }).from(users).where(eq(users.phoneHash, phoneHash));
      if (!again) throw new AppError('INTERNAL');
      return again.id;
    }
    await recordAudit(tx, who, {
      action: 'create',
      recordType: 'user',
      recordIds: [created.id],
      detail: { via: 'otp', linkedResidentId: record?.id ?? null },
    });
    return created.id;
  });
}

/** The account of an identity vouched for by the city's OpenID Connect provider. */
export async function residentAccountByOidc(
  deps: AppDeps,
  identity: { subject: string; name: string | null; citizenId: string | null; phone: string | null },
  who: AuditWho,
): Promise<number> {
  const provinceCode = deps.config.provinceCode;
  return deps.db.transaction(async (tx) => {
    // The account's row is locked first, as a pass locks it (certificates.service.ts) before the
    // household rows that withdrawing its facts locks below: the two never wait on each other in turn.
    const account = { id: users.id, residentId: users.residentId, residentLink: users.residentLink, disabled: users.disabled };
    const [existing] = await tx.select(account).from(users).where(eq(users.oidcSubject, identity.subject)).for('update');
    if (existing?.disabled) throw new AppError('FORBIDDEN');
    // The provider vouches for the citizen ID: the registry record holding it is this person's,
    // even if another account holds it by a weaker link (a reused phone, a typed ID) — that
    // account lets go of it, and the change is logged.
    let record: { id: number; fullName: string } | null = null;
    if (identity.citizenId && /^\d{12}$/.test(identity.citizenId)) {
      const [row] = await tx
        .select({ id: residents.id, fullName: residents.fullName, mergedIntoId: residents.mergedIntoId })
        .from(residents)
        .where(and(eq(residents.provinceCode, provinceCode), eq(residents.citizenIdHash, deps.vault.hash(identity.citizenId))));
      if (row && row.mergedIntoId === null) record = row;
    }
    const phoneHash = identity.phone ? deps.vault.hash(identity.phone) : null;
    const provenCitizenIdHash = identity.citizenId && /^\d{12}$/.test(identity.citizenId) ? deps.vault.hash(identity.citizenId) : null;
    const [byPhone] = !existing && phoneHash
      ? await tx.select(account).from(users).where(and(eq(users.phoneHash, phoneHash), isNull(users.oidcSubject))).for('update')
      : [];
    if (byPhone?.disabled) throw new AppError('FORBIDDEN');
    // One person, one account: an account made earlier by phone code takes on this identity.
    const accountId = existing?.id ?? byPhone?.id ?? null;
    let linked = record;
    if (record) {
      const holder = await recordHolder(tx, provinceCode, record.id);
      if (holder && holder.id !== accountId) {
        if (holder.link === 'phone' || holder.link === 'typed') {
          await tx.update(users).set({ residentId: null, residentLink: null }).where(eq(users.id, holder.id));
          await recordAudit(tx, who, { action: 'link_taken_over', recordType: 'user', recordIds: [holder.id], fields: ['resident_id'], detail: { residentId: record.id, by: 'oidc' } });
          // What the earlier holder's passes said of this record was said of somebody else.
          await withdrawAccountSkillFacts(tx, who, { userId: holder.id, provinceCode }, 'Chủ hồ sơ đã xác minh danh tính và nhận lại hồ sơ; kết quả học của tài khoản trước không phải của người này');
        } else linked = null; // held by a verified link already: left to an official to sort out
      }
    }
    // An account that held another record (a family member's phone) is not that person: it moves
    // to the proven record, or, when it cannot, lets go of a record it held by a weak link if that
    // is known to be somebody else's: the proven person's own record is another one (held by a
    // verified link), or, when the proven person is not in the registry, it carries another
    // citizen ID (a record without one may be theirs, with the ID not yet recorded). A link an
    // official confirmed is theirs to undo. What its passes said there was said of somebody else.
    const heldBefore = existing?.residentId ?? byPhone?.residentId ?? null;
    const heldWeakly = ['phone', 'typed'].includes((existing ?? byPhone)?.residentLink ?? '');
    let heldByOther = false;
    let released = false;
    if (accountId !== null && heldBefore !== null) {
      const held = await ownRecord(tx, provinceCode, heldBefore);
      if (linked) heldByOther = held !== linked.id;
      else if (heldWeakly && record) released = heldByOther = held !== record.id;
      else if (heldWeakly && provenCitizenIdHash) {
        const [heldRow] = await tx.select({ hash: residents.citizenIdHash }).from(residents).where(and(eq(residents.provinceCode, provinceCode), eq(residents.id, held)));
        released = heldByOther = heldRow?.hash != null && heldRow.hash !== provenCitizenIdHash;
      }
      if (heldByOther) await withdrawAccountSkillFacts(tx, who, { userId: accountId, provinceCode }, 'Danh tính điện tử cho thấy tài khoản là của người khác với hồ sơ đã gắn trước');
    }
    const link = linked
      ? { residentId: linked.id, residentLink: 'oidc' as const, displayName: linked.fullName }
      : released
        ? { residentId: null, residentLink: null }
        : {};
    if (accountId !== null) {
      await tx
        .update(users)
        .set({ oidcSubject: identity.subject, ...(provenCitizenIdHash ? { provenCitizenIdHash } : {}), ...link })
        .where(eq(users.id, accountId));
      if (linked || released || !existing) {
        await recordAudit(tx, who, {
          action: 'update',
          recordType: 'user',
          recordIds: [accountId],
          fields: ['oidc_subject', ...(linked || released ? ['resident_id'] : [])],
          detail: { via: 'oidc', linkedResidentId: linked?.id ?? null, ...(released ? { releasedResidentId: heldBefore } : {}) },
        });
      }
      return accountId;
    }
    // The provider's phone becomes this account's code sign-in key only if no account has it yet.
    const phoneFree = phoneHash !== null && (await tx.select({ id: users.id }).from(users).where(eq(users.phoneHash, phoneHash))).length === 0;
    const [created] = await tx
      .insert(users)
      .values({
        username: newUsername(),
        passwordHash: null,
        role: 'citizen',
        displayName: linked?.fullName ?? identity.name ?? 'Học viên',
        provinceCode,
        residentId: linked?.id ?? null,
        residentLink: linked ? 'oidc' : null,
        phoneHash: phoneFree ? phoneHash : null,
        oidcSubject: identity.subject,
        provenCitizenIdHash,
      })
      .returning({ id: users.id });
    if (!created) throw new AppError('INTERNAL');
    await recordAudit(tx, who, { action: 'create', recordType: 'user', recordIds: [created.id], detail: { via: 'oidc', linkedResidentId: linked?.id ?? null } });
    return created.id;
  });
}

/**
 * A signed-in resident links their account to their registry record by typing their citizen ID
 * and birth date: both must match one living record that no other account holds. A link made
 * this way is weak (see policy.ts): the account does not reveal the full ID or phone.
 */
export async function linkOwnRecord(deps: AppDeps, actor: Actor, input: { citizenId: string; birthDate: string }): Promise<number> {
  if (actor.role !== 'citizen') throw new AppError('FORBIDDEN');
  const outcome = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: residents.id, fullName: residents.fullName, birthDate: residents.birthDate, unitCode: residents.unitCode, mergedIntoId: residents.mergedIntoId, status: residents.status, citizenIdHash: residents.citizenIdHash })
      .from(residents)
      .where(and(eq(residents.provinceCode, actor.provinceCode), eq(residents.citizenIdHash, deps.vault.hash(input.citizenId))));
    // The same answer for "no such ID" and "wrong birth date": the form must not confirm that an ID exists.
    if (!row || row.mergedIntoId !== null || row.status !== 'living' || row.birthDate !== input.birthDate) return { error: 'RECORD_NOT_MATCHED' as const, row: null };
    if (actor.residentId === row.id) return { error: null, row };
    // An account the identity provider proved to be somebody is not this record's person unless the IDs agree.
    const [account] = await tx.select({ proven: users.provenCitizenIdHash }).from(users).where(eq(users.id, actor.userId));
    if (account?.proven && account.proven !== row.citizenIdHash) return { error: 'RECORD_NOT_YOURS' as const, row };
    if (await linkRefused(tx, actor.provinceCode, row.id, actor.userId)) return { error: 'RECORD_LINK_REFUSED' as const, row };
    const holder = await recordHolder(tx, actor.provinceCode, row.id);
    if (holder && holder.id !== actor.userId) return { error: 'RECORD_LINKED_ELSEWHERE' as const, row };
    await tx.update(users).set({ residentId: row.id, residentLink: 'typed', displayName: row.fullName }).where(eq(users.id, actor.userId));
    // Moving from one record to another: what the account's passes said of the old record is
    // withdrawn, and its certificates bring their facts to the new one (catchUpSkillFacts, after this).
    if (actor.residentId !== null) {
      await withdrawAccountSkillFacts(tx, actor, { userId: actor.userId, provinceCode: actor.provinceCode }, 'Người học chuyển tài khoản sang hồ sơ khác của mình');
    }
    return { error: null, row };
  });
  // Logged after the transaction, so a refused attempt is on record too (probing IDs leaves a trace).
  await recordAudit(deps.db, actor, {
    action: outcome.error ? 'link_record_failed' : 'link_record',
    recordType: 'resident',
    recordIds: outcome.row ? [outcome.row.id] : [],
    unitCodes: outcome.row ? [outcome.row.unitCode] : [],
    detail: outcome.error ? { reason: outcome.error } : undefined,
  });
  if (outcome.error) throw new AppError(outcome.error);
  return outcome.row!.id;
}

/** Residents not linked to a record may say what name to print on their certificates. */
export async function renameResidentAccount(deps: AppDeps, actor: Actor, displayName: string): Promise<void> {
  if (actor.role !== 'citizen') throw new AppError('FORBIDDEN');
  if (actor.residentId !== null) throw new AppError('FORBIDDEN', [{ path: 'body.displayName', message: 'Tên lấy theo hồ sơ trong sổ của Thành phố' }]);
  await deps.db.update(users).set({ displayName: sql`${displayName}` }).where(eq(users.id, actor.userId));
  await recordAudit(deps.db, actor, { action: 'update', recordType: 'user', recordIds: [actor.userId], fields: ['display_name'] });
}
