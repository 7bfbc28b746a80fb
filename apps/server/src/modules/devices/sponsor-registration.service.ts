import type { SponsorDecision, SponsorRegistration, SponsorView } from '@cds/contract';
import { sponsors, users } from '@cds/db';
import { normalisePhone } from '@cds/domain';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppDeps } from '../../platform/deps.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { hashPassword, type RequestOrigin } from '../access/session.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { sponsorView } from './sponsors.service.ts';

// Sponsors register themselves on the public site; the city approves or declines. A registration
// is only a request: its login cannot sign in and it cannot pledge until the city approves it, so
// a flood of fake registrations costs the city a queue to clear, never a wrong public figure.

/** Registrations one address may send in an hour (whatever became of them). */
const PER_ADDRESS_PER_HOUR = 3;
/** Registrations waiting in the whole city beyond which new ones are refused for now. */
const PENDING_IN_CITY = 500;

export async function registerSponsor(deps: AppDeps, origin: RequestOrigin, input: z.infer<typeof SponsorRegistration>): Promise<{ id: number; status: 'pending' }> {
  const phone = normalisePhone(input.contactPhone);
  if (!phone.ok) throw invalid('body.contactPhone', phone.message);
  const province = deps.config.provinceCode;
  const hour = new Date(Date.now() - 3_600_000);
  const [counts] = await deps.db
    .select({
      // Registrations only (the city's own entries have created_by); no address known counts as one address.
      fromAddress: sql<number>`count(*) FILTER (WHERE ${sponsors.registeredIp} IS NOT DISTINCT FROM ${origin.ip} AND ${sponsors.createdAt} > ${hour} AND ${sponsors.createdBy} IS NULL)::int`,
      pending: sql<number>`count(*) FILTER (WHERE ${sponsors.status} = 'pending')::int`,
    })
    .from(sponsors)
    .where(and(eq(sponsors.provinceCode, province), gt(sponsors.createdAt, new Date(Date.now() - 90 * 86_400_000))));
  if ((counts?.fromAddress ?? 0) >= PER_ADDRESS_PER_HOUR || (counts?.pending ?? 0) >= PENDING_IN_CITY) throw new AppError('TOO_MANY_REQUESTS');
  const [taken] = await deps.db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${input.username})`);
  if (taken) throw invalid('body.username', 'Tên đăng nhập này đã có người dùng; chọn tên khác');
  const passwordHash = await hashPassword(input.password);
  try {
    return await deps.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ username: input.username, passwordHash, role: 'sponsor', displayName: input.name, provinceCode: province, disabled: true })
        .returning({ id: users.id });
      if (!user) throw new AppError('INTERNAL');
      const [row] = await tx
        .insert(sponsors)
        .values({
          provinceCode: province,
          kind: input.kind,
          name: input.name,
          taxCode: input.taxCode ?? null,
          contactName: input.contactName,
          contactPhone: phone.value,
          contactEmail: input.contactEmail ?? null,
          showPublicly: input.showPublicly,
          intent: input.intent ?? null,
          userId: user.id,
          status: 'pending',
          registeredIp: origin.ip,
        })
        .returning({ id: sponsors.id });
      if (!row) throw new AppError('INTERNAL');
      await recordAudit(tx, { userId: null, username: input.username, role: null, ...origin }, { action: 'create', recordType: 'sponsor', recordIds: [row.id], fields: ['registration'] });
      return { id: row.id, status: 'pending' as const };
    });
  } catch (error) {
    // Two registrations of one username at once: the second loses on users_username_idx.
    if (isUniqueViolation(error)) throw invalid('body.username', 'Tên đăng nhập này đã có người dùng; chọn tên khác');
    throw error;
  }
}

/** The city approves a registration (its login may now sign in) or declines it with a reason. */
export async function decideSponsor(deps: AppDeps, actor: Actor, id: number, decision: z.infer<typeof SponsorDecision>): Promise<SponsorView> {
  requireThat(may.manageSponsors(actor));
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: sponsors.status, userId: sponsors.userId })
      .from(sponsors)
      .where(and(eq(sponsors.id, id), eq(sponsors.provinceCode, actor.provinceCode)))
      .for('update');
    if (!row) throw new AppError('NOT_FOUND');
    if (row.status !== 'pending') throw new AppError('ALREADY_DECIDED');
    const approved = decision.decision === 'approve';
    await tx
      .update(sponsors)
      .set({ status: approved ? 'active' : 'declined', decidedBy: actor.userId, decidedAt: new Date(), declineReason: approved ? null : decision.reason })
      .where(eq(sponsors.id, id));
    if (approved && row.userId !== null) await tx.update(users).set({ disabled: false }).where(eq(users.id, row.userId));
    await recordAudit(tx, actor, {
      action: 'update',
      recordType: 'sponsor',
      recordIds: [id],
      fields: ['status'],
      detail: approved ? { status: 'active' } : { status: 'declined', reason: decision.reason },
    });
  });
  return sponsorView(deps, actor, id);
}
