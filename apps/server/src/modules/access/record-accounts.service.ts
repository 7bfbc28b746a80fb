import type { RecordAccount } from '@cds/contract';
import { refusedRecordLinks, residents, users } from '@cds/db';
import { and, asc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { withdrawAccountSkillFacts } from '../learning/certificates.service.ts';
import type { Actor } from './actor.ts';
import { may, requireThat } from './policy.ts';
import { lockRecordLinks } from './resident-accounts.ts';

// Officials and residents' own accounts. A resident links their learning-site account to their
// registry record by a phone only that record holds, or by typing their citizen ID and birth
// date: probably them, not proven, so the account cannot reveal the full ID or phone. At the
// ward office an official who has seen the person's papers confirms the link, or removes a link
// that names the wrong person.

type Db = Pick<AppDeps['db'], 'select'>;

function present(row: { id: number; residentLink: string | null }): RecordAccount {
  // An account linked before links had kinds was linked by an official (20261202-09-resident-link.sql).
  const link = (row.residentLink ?? 'official') as RecordAccount['link'];
  return { userId: row.id, link, verified: link === 'oidc' || link === 'official' };
}

/**
 * Residents' accounts holding some records, by record. An account may hold a record since merged
 * into one of them: it acts as the kept record's holder (session.service.ts, ownRecord), so it
 * is shown there; one holding the kept record itself comes first. Staff accounts are not shown.
 */
async function holdersOf(db: Db, provinceCode: string, residentIds: readonly number[]) {
  if (residentIds.length === 0) return [];
  const ids = [...residentIds];
  const merged = alias(residents, 'merged');
  return db
    .select({ id: users.id, residentLink: users.residentLink, heldId: users.residentId, keptId: sql<number>`coalesce(${merged.mergedIntoId}, ${users.residentId})`.mapWith(Number) })
    .from(users)
    .leftJoin(merged, and(eq(merged.provinceCode, users.provinceCode), eq(merged.id, users.residentId), isNotNull(merged.mergedIntoId)))
    .where(
      and(
        eq(users.provinceCode, provinceCode),
        eq(users.role, 'citizen'),
        or(inArray(users.residentId, ids), inArray(merged.mergedIntoId, ids)),
      ),
    )
    .orderBy(sql`${merged.id} IS NOT NULL`, asc(users.id));
}

/** The accounts holding some records, by record. */
export async function recordAccounts(db: Db, provinceCode: string, residentIds: readonly number[]): Promise<Map<number, RecordAccount>> {
  const found = new Map<number, RecordAccount>();
  for (const holder of await holdersOf(db, provinceCode, residentIds)) if (!found.has(holder.keptId)) found.set(holder.keptId, present(holder));
  return found;
}

type Tx = Parameters<Parameters<AppDeps['db']['transaction']>[0]>[0];

/** The record, if the official works in its unit, and the account holding it, under the record's link lock. */
async function heldRecord(tx: Tx, actor: Actor, residentId: number) {
  requireThat(may.editRegistry(actor));
  const [record] = await tx
    .select({ id: residents.id, unitCode: residents.unitCode, provinceCode: residents.provinceCode, mergedIntoId: residents.mergedIntoId })
    .from(residents)
    .where(and(eq(residents.provinceCode, actor.provinceCode), eq(residents.id, residentId)));
  // Another ward's record is answered as one that does not exist; so is a record merged away (its account shows on the record kept).
  if (!record || record.mergedIntoId !== null || !may.workInUnit(actor, record.unitCode)) throw new AppError('NOT_FOUND');
  // Nobody vouches for their own link.
  if (actor.residentId === record.id) throw new AppError('FORBIDDEN', undefined, 'Không tự xác nhận hay gỡ liên kết tài khoản với hồ sơ của chính mình');
  await lockRecordLinks(tx, record.provinceCode, record.id);
  const [holder] = await holdersOf(tx, record.provinceCode, [record.id]);
  if (!holder) throw new AppError('NOT_FOUND', undefined, 'Hồ sơ này chưa gắn với tài khoản học tập nào');
  return { record, holder };
}

/** The official has seen the person's papers: the account's link becomes verified. */
export async function confirmRecordAccount(deps: AppDeps, actor: Actor, residentId: number): Promise<RecordAccount> {
  return deps.db.transaction(async (tx) => {
    const { record, holder } = await heldRecord(tx, actor, residentId);
    const before = present(holder);
    if (before.verified) return before;
    await tx.update(users).set({ residentLink: 'official' }).where(eq(users.id, holder.id));
    await recordAudit(tx, actor, {
      action: 'link_confirmed',
      recordType: 'resident',
      recordIds: [record.id],
      unitCodes: [record.unitCode],
      fields: ['resident_link'],
      detail: { account: holder.id, before: before.link },
    });
    return present({ id: holder.id, residentLink: 'official' });
  });
}

/**
 * The account is not this person's: it lets go of the record, and what its passes said of the
 * record is withdrawn. The account itself stays; its holder can link their own record.
 */
export async function unlinkRecordAccount(deps: AppDeps, actor: Actor, residentId: number, reason: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const { record, holder } = await heldRecord(tx, actor, residentId);
    await tx.update(users).set({ residentId: null, residentLink: null }).where(eq(users.id, holder.id));
    // Not again by the same phone or a typed ID: only proof from the identity provider, or an official, links it back.
    await tx
      .insert(refusedRecordLinks)
      .values({ provinceCode: record.provinceCode, residentId: record.id, userId: holder.id, refusedBy: actor.userId, reason })
      .onConflictDoUpdate({ target: [refusedRecordLinks.provinceCode, refusedRecordLinks.residentId, refusedRecordLinks.userId], set: { refusedBy: actor.userId, reason, refusedAt: new Date() } });
    await withdrawAccountSkillFacts(tx, actor, { userId: holder.id, provinceCode: record.provinceCode }, `Cán bộ gỡ liên kết tài khoản: ${reason}`);
    await recordAudit(tx, actor, {
      action: 'link_removed',
      recordType: 'resident',
      recordIds: [record.id],
      unitCodes: [record.unitCode],
      fields: ['resident_id'],
      detail: { account: holder.id, link: present(holder).link, reason },
    });
  });
}
