import { randomBytes } from 'node:crypto';
import { residents, users } from '@cds/db';
import { maskPhone } from '@cds/domain';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit, type AuditWho } from '../audit/audit.service.ts';
import type { Actor } from './actor.ts';

/*
 * Residents' own accounts (role 'citizen'): made the first time someone proves a phone number or
 * an identity, with no password. A resident is linked to their registry record when the identity
 * matches: the citizen ID an identity provider vouches for, a phone that exactly one living
 * registry record holds, or the citizen ID and birth date the resident types in.
 */

type Tx = Parameters<Parameters<AppDeps['db']['transaction']>[0]>[0];

/** The living, unmerged record holding this phone, when there is exactly one and no account has it yet. */
async function recordByPhone(tx: Tx, provinceCode: string, phone: string): Promise<{ id: number; fullName: string } | null> {
  const rows = await tx
    .select({ id: residents.id, fullName: residents.fullName })
    .from(residents)
    .where(and(eq(residents.provinceCode, provinceCode), eq(residents.phone, phone), eq(residents.status, 'living'), isNull(residents.mergedIntoId)))
    .limit(2);
  // A phone shared in a family names nobody in particular; the resident links by ID instead.
  if (rows.length !== 1 || !rows[0]) return null;
  return (await recordTaken(tx, provinceCode, rows[0].id)) ? null : rows[0];
}

async function recordTaken(tx: Tx, provinceCode: string, residentId: number): Promise<boolean> {
  const [taken] = await tx.select({ id: users.id }).from(users).where(and(eq(users.provinceCode, provinceCode), eq(users.residentId, residentId))).limit(1);
  return taken !== undefined;
}

const newUsername = () => `hv-${randomBytes(6).toString('hex')}`;

/** The account of a proven phone number, made (and linked when the registry allows) the first time. */
export async function residentAccountByPhone(deps: AppDeps, phone: string, who: AuditWho): Promise<number> {
  const phoneHash = deps.vault.hash(phone);
  return deps.db.transaction(async (tx) => {
    const provinceCode = deps.config.provinceCode;
    const [existing] = await tx.select({ id: users.id, disabled: users.disabled, residentId: users.residentId }).from(users).where(eq(users.phoneHash, phoneHash));
    if (existing) {
      if (existing.disabled) throw new AppError('FORBIDDEN');
      // The registry may have gained this phone since the account was made.
      const later = existing.residentId === null ? await recordByPhone(tx, provinceCode, phone) : null;
      if (later) {
        await tx.update(users).set({ residentId: later.id, displayName: later.fullName }).where(eq(users.id, existing.id));
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
    const [existing] = await tx.select({ id: users.id, residentId: users.residentId, disabled: users.disabled }).from(users).where(eq(users.oidcSubject, identity.subject));
    // The provider vouches for the citizen ID: the registry record holding it is this person.
    let record: { id: number; fullName: string } | null = null;
    if (identity.citizenId && /^\d{12}$/.test(identity.citizenId)) {
      const [row] = await tx
        .select({ id: residents.id, fullName: residents.fullName, mergedIntoId: residents.mergedIntoId })
        .from(residents)
        .where(and(eq(residents.provinceCode, provinceCode), eq(residents.citizenIdHash, deps.vault.hash(identity.citizenId))));
      if (row && row.mergedIntoId === null && !(await recordTaken(tx, provinceCode, row.id))) record = row;
    }
    if (existing) {
      if (existing.disabled) throw new AppError('FORBIDDEN');
      if (existing.residentId === null && record) {
        await tx.update(users).set({ residentId: record.id, displayName: record.fullName }).where(eq(users.id, existing.id));
        await recordAudit(tx, who, { action: 'update', recordType: 'user', recordIds: [existing.id], fields: ['resident_id'], detail: { via: 'oidc', linkedResidentId: record.id } });
      }
      return existing.id;
    }
    const phoneHash = identity.phone ? deps.vault.hash(identity.phone) : null;
    // One person, one account: an account made earlier by phone code takes on this identity.
    const [byPhone] = phoneHash ? await tx.select({ id: users.id, residentId: users.residentId }).from(users).where(and(eq(users.phoneHash, phoneHash), isNull(users.oidcSubject))) : [];
    if (byPhone) {
      await tx
        .update(users)
        .set({ oidcSubject: identity.subject, ...(byPhone.residentId === null && record ? { residentId: record.id, displayName: record.fullName } : {}) })
        .where(eq(users.id, byPhone.id));
      await recordAudit(tx, who, { action: 'update', recordType: 'user', recordIds: [byPhone.id], fields: ['oidc_subject'], detail: { via: 'oidc' } });
      return byPhone.id;
    }
    const [created] = await tx
      .insert(users)
      .values({
        username: newUsername(),
        passwordHash: null,
        role: 'citizen',
        displayName: record?.fullName ?? identity.name ?? 'Học viên',
        provinceCode,
        residentId: record?.id ?? null,
        phoneHash,
        oidcSubject: identity.subject,
      })
      .returning({ id: users.id });
    if (!created) throw new AppError('INTERNAL');
    await recordAudit(tx, who, { action: 'create', recordType: 'user', recordIds: [created.id], detail: { via: 'oidc', linkedResidentId: record?.id ?? null } });
    return created.id;
  });
}

/**
 * A signed-in resident links their account to their registry record by typing their citizen ID
 * and birth date: both must match one record, which no other account holds.
 */
export async function linkOwnRecord(deps: AppDeps, actor: Actor, input: { citizenId: string; birthDate: string }): Promise<number> {
  if (actor.role !== 'citizen') throw new AppError('FORBIDDEN');
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: residents.id, fullName: residents.fullName, birthDate: residents.birthDate, unitCode: residents.unitCode, mergedIntoId: residents.mergedIntoId })
      .from(residents)
      .where(and(eq(residents.provinceCode, actor.provinceCode), eq(residents.citizenIdHash, deps.vault.hash(input.citizenId))));
    const matches = row !== undefined && row.mergedIntoId === null && row.birthDate === input.birthDate;
    await recordAudit(tx, actor, { action: matches ? 'link_record' : 'link_record_failed', recordType: 'resident', recordIds: matches ? [row.id] : [], unitCodes: matches ? [row.unitCode] : [] });
    // The same answer for "no such ID" and "wrong birth date": the form must not confirm that an ID exists.
    if (!matches) throw new AppError('RECORD_NOT_MATCHED');
    if (actor.residentId === row.id) return row.id;
    const [holder] = await tx.select({ id: users.id }).from(users).where(and(eq(users.provinceCode, actor.provinceCode), eq(users.residentId, row.id)));
    if (holder && holder.id !== actor.userId) throw new AppError('RECORD_LINKED_ELSEWHERE');
    await tx.update(users).set({ residentId: row.id, displayName: row.fullName }).where(eq(users.id, actor.userId));
    return row.id;
  });
}

/** Residents not linked to a record may say what name to print on their certificates. */
export async function renameResidentAccount(deps: AppDeps, actor: Actor, displayName: string): Promise<void> {
  if (actor.role !== 'citizen') throw new AppError('FORBIDDEN');
  if (actor.residentId !== null) throw new AppError('FORBIDDEN', [{ path: 'body.displayName', message: 'Tên lấy theo hồ sơ trong sổ của Thành phố' }]);
  await deps.db.update(users).set({ displayName: sql`${displayName}` }).where(eq(users.id, actor.userId));
  await recordAudit(deps.db, actor, { action: 'update', recordType: 'user', recordIds: [actor.userId], fields: ['display_name'] });
}
