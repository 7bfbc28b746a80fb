import { householdNeeds, residents } from '@cds/db';
import { and, eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';

/**
 * "Ask for a home visit" on a resident's own page: a household need of kind return_visit, which
 * the unit's teams see with the needs raised at the door. One open request per household: asking
 * twice answers with the first.
 */
export async function requestHomeVisit(deps: AppDeps, actor: Actor, note: string | undefined): Promise<{ id: number; alreadyOpen: boolean }> {
  if (actor.role !== 'citizen') throw new AppError('FORBIDDEN');
  if (actor.residentId === null) throw new AppError('RECORD_NOT_MATCHED', undefined, 'Hãy liên kết tài khoản với hồ sơ của bạn trước khi đề nghị cán bộ đến nhà');
  const [me] = await deps.db
    .select({ householdId: residents.householdId, unitCode: residents.unitCode, provinceCode: residents.provinceCode })
    .from(residents)
    .where(and(eq(residents.provinceCode, actor.provinceCode), eq(residents.id, actor.residentId)));
  if (!me) throw new AppError('NOT_FOUND');
  return deps.db.transaction(async (tx) => {
    // Two taps at once are one request: the household's requests are looked at one at a time.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`visit-request:${me.provinceCode}:${me.householdId}`}, 0))`);
    const [open] = await tx
      .select({ id: householdNeeds.id })
      .from(householdNeeds)
      .where(and(eq(householdNeeds.provinceCode, me.provinceCode), eq(householdNeeds.householdId, me.householdId), eq(householdNeeds.kind, 'return_visit'), eq(householdNeeds.status, 'open')));
    if (open) return { id: open.id, alreadyOpen: true };
    const [row] = await tx
      .insert(householdNeeds)
      .values({
        provinceCode: me.provinceCode,
        householdId: me.householdId,
        residentId: actor.residentId,
        kind: 'return_visit',
        detail: `Người dân tự đề nghị trên trang Công dân số của tôi${note ? `: ${note}` : ''}`,
        unitCode: me.unitCode,
      })
      .returning({ id: householdNeeds.id });
    if (!row) throw new AppError('INTERNAL');
    await recordAudit(tx, actor, { action: 'create', recordType: 'household', recordIds: [me.householdId], unitCodes: [me.unitCode], fields: ['household_needs'], detail: { needId: row.id, kind: 'return_visit' } });
    return { id: row.id, alreadyOpen: false };
  });
}
