import { createHash, randomBytes } from 'node:crypto';
import { fieldDevices, users } from '@cds/db';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';

// The phones and browsers that run the field app. A sync needs the session and the device token:
// revoking a lost phone stops it syncing even while its session is still alive.

export interface DeviceView {
  id: number;
  userId: number;
  displayName: string;
  label: string;
  appVersion: string | null;
  enrolledAt: string;
  lastSyncAt: string | null;
  revokedAt: string | null;
}

export type DeviceRow = typeof fieldDevices.$inferSelect;

/** Only the hash is stored: a database dump does not let anyone sync as a volunteer. */
export const deviceTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

const unitList = (codes: readonly string[]) => (codes.length === 0 ? sql`NULL` : sql.join(codes.map((c) => sql`${c}`), sql`, `));

/**
 * Whose devices an actor oversees, as a condition on field_devices.user_id. Written here rather
 * than in access/policy.ts because it reads team membership, which policy sentences do not:
 * a city admin the city; a unit official the members of teams of their units; a team leader the
 * members of the teams they lead; anyone their own devices.
 */
function devicesOverseen(actor: Actor): SQL {
  const own = sql`${fieldDevices.userId} = ${actor.userId}`;
  switch (actor.role) {
    case 'city_admin':
      return sql`EXISTS (SELECT 1 FROM users u WHERE u.id = ${fieldDevices.userId} AND u.province_code = ${actor.provinceCode})`;
    case 'unit_official':
      return sql`(${own} OR EXISTS (SELECT 1 FROM team_members tm JOIN teams t ON t.id = tm.team_id
        WHERE tm.user_id = ${fieldDevices.userId} AND tm.removed_at IS NULL AND t.unit_code IN (${unitList(actor.unitCodes)})))`;
    case 'team_leader':
      return sql`(${own} OR EXISTS (SELECT 1 FROM team_members tm JOIN teams t ON t.id = tm.team_id
        WHERE tm.user_id = ${fieldDevices.userId} AND tm.removed_at IS NULL AND t.leader_user_id = ${actor.userId}))`;
    default:
      return own;
  }
}

function present(row: DeviceRow & { displayName: string }): DeviceView {
  return {
    id: row.id,
    userId: row.userId,
    displayName: row.displayName,
    label: row.label,
    appVersion: row.appVersion,
    enrolledAt: row.enrolledAt.toISOString(),
    lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function enrolDevice(deps: AppDeps, actor: Actor, input: { label: string; appVersion: string }): Promise<{ deviceId: number; deviceToken: string }> {
  requireThat(may.recordFacts(actor));
  const token = randomBytes(32).toString('base64url');
  return deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(fieldDevices)
      .values({ userId: actor.userId, tokenHash: deviceTokenHash(token), label: input.label, appVersion: input.appVersion, userAgent: actor.userAgent })
      .returning({ id: fieldDevices.id });
    if (!created) throw new AppError('INTERNAL');
    await recordAudit(tx, actor, { action: 'create', recordType: 'field_device', recordIds: [created.id], detail: { label: input.label, appVersion: input.appVersion } });
    return { deviceId: created.id, deviceToken: token };
  });
}

export interface DeviceFilter {
  team?: number | undefined;
  unit?: string | undefined;
}

export async function listDevices(deps: AppDeps, actor: Actor, filter: DeviceFilter): Promise<DeviceView[]> {
  const rows = await deps.db
    .select({ device: fieldDevices, displayName: users.displayName })
    .from(fieldDevices)
    .innerJoin(users, eq(users.id, fieldDevices.userId))
    .where(
      and(
        devicesOverseen(actor),
        filter.team
          ? sql`EXISTS (SELECT 1 FROM team_members tm WHERE tm.user_id = ${fieldDevices.userId} AND tm.team_id = ${filter.team} AND tm.removed_at IS NULL)`
          : undefined,
        filter.unit
          ? sql`EXISTS (SELECT 1 FROM team_members tm JOIN teams t ON t.id = tm.team_id
              WHERE tm.user_id = ${fieldDevices.userId} AND tm.removed_at IS NULL AND t.unit_code = ${filter.unit})`
          : undefined,
      ),
    )
    .orderBy(desc(fieldDevices.enrolledAt), desc(fieldDevices.id))
    .limit(2000);
  return rows.map((r) => present({ ...r.device, displayName: r.displayName }));
}

export async function revokeDevice(deps: AppDeps, actor: Actor, id: number): Promise<DeviceView> {
  const [found] = await deps.db
    .select({ device: fieldDevices, displayName: users.displayName })
    .from(fieldDevices)
    .innerJoin(users, eq(users.id, fieldDevices.userId))
    .where(and(eq(fieldDevices.id, id), devicesOverseen(actor)));
  if (!found) throw new AppError('NOT_FOUND');
  if (found.device.revokedAt) return present({ ...found.device, displayName: found.displayName });
  const updated = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(fieldDevices)
      .set({ revokedAt: new Date(), revokedBy: actor.userId })
      .where(and(eq(fieldDevices.id, id), sql`${fieldDevices.revokedAt} IS NULL`))
      .returning();
    await recordAudit(tx, actor, { action: 'revoke', recordType: 'field_device', recordIds: [id], detail: { userId: found.device.userId } });
    return row ?? found.device;
  });
  return present({ ...updated, displayName: found.displayName });
}

/**
 * The enrolled device a request comes from. A missing or unknown token, or one enrolled by
 * another user, is DEVICE_REQUIRED: a token taken from someone else's phone is worth nothing
 * without their session. A revoked device is returned: the caller decides what it may still do.
 */
export async function deviceOf(deps: AppDeps, actor: Actor, token: string | string[] | undefined): Promise<DeviceRow> {
  if (typeof token !== 'string' || token.length < 20 || token.length > 200) throw new AppError('DEVICE_REQUIRED');
  const [device] = await deps.db.select().from(fieldDevices).where(eq(fieldDevices.tokenHash, deviceTokenHash(token)));
  if (!device || device.userId !== actor.userId) throw new AppError('DEVICE_REQUIRED');
  return device;
}

export async function touchDevice(deps: AppDeps, deviceId: number, appVersion: string | null): Promise<void> {
  await deps.db
    .update(fieldDevices)
    .set({ lastSyncAt: new Date(), ...(appVersion !== null ? { appVersion: appVersion.slice(0, 40) } : {}) })
    .where(eq(fieldDevices.id, deviceId));
}
