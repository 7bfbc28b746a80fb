import type { LearnerProfile } from '@cds/contract';
import { residents, units, users } from '@cds/db';
import { maskPhone } from '@cds/domain';
import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Actor } from './actor.ts';

/** A resident's own account as the learning site shows it: the name certificates carry, and the record it is linked to. */
export async function residentProfile(deps: AppDeps, actor: Actor): Promise<LearnerProfile> {
  if (actor.role !== 'citizen') throw new AppError('FORBIDDEN');
  const [user] = await deps.db.select({ displayName: users.displayName }).from(users).where(eq(users.id, actor.userId));
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (actor.residentId === null) return { displayName: user.displayName, linked: false, phone: null, unitName: null };
  const [record] = await deps.db
    .select({ phone: residents.phone, unitName: units.fullName })
    .from(residents)
    .innerJoin(units, eq(units.code, residents.unitCode))
    .where(and(eq(residents.provinceCode, actor.provinceCode), eq(residents.id, actor.residentId)));
  // One's own record is still personal data read from the registry: logged like any other read.
  await recordAudit(deps.db, actor, { action: 'read', recordType: 'resident', recordIds: [actor.residentId], fields: ['phone', 'unit'] });
  return { displayName: user.displayName, linked: true, phone: record?.phone ? maskPhone(record.phone) : null, unitName: record?.unitName ?? null };
}
