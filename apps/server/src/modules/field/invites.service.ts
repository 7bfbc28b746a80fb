import { createHash, randomBytes } from 'node:crypto';
import { teamInvites, users } from '@cds/db';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { hashPassword, signIn, type SignedIn } from '../access/session.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findTeamInScope, insertMember, lockOpenTeam } from './teams.service.ts';

// Joining a team by QR code or link. The token is shown once, when made; only its SHA-256 is
// stored, so a copy of the database lets nobody join.

export type InviteStatus = 'active' | 'used' | 'expired' | 'revoked';
export interface InviteView {
  id: number;
  teamId: number;
  createdAt: string;
  expiresAt: string;
  maxUses: number;
  usedCount: number;
  status: InviteStatus;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

type InviteRow = typeof teamInvites.$inferSelect;

function present(row: InviteRow, now = new Date()): InviteView {
  const status: InviteStatus = row.revokedAt ? 'revoked' : row.usedCount >= row.maxUses ? 'used' : row.expiresAt <= now ? 'expired' : 'active';
  return {
    id: row.id,
    teamId: row.teamId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    maxUses: row.maxUses,
    usedCount: row.usedCount,
    status,
  };
}

export async function listInvites(deps: AppDeps, actor: Actor, teamId: number): Promise<InviteView[]> {
  const team = await findTeamInScope(deps, actor, teamId);
  requireThat(may.runTeam(actor, team));
  const rows = await deps.db.select().from(teamInvites).where(sql`${teamInvites.teamId} = ${teamId}`).orderBy(sql`${teamInvites.id} DESC`);
  return rows.map((row) => present(row));
}

export async function createInvite(
  deps: AppDeps,
  actor: Actor,
  teamId: number,
  input: { expiresInHours: number; maxUses: number },
): Promise<InviteView & { token: string; url: string }> {
  const team = await findTeamInScope(deps, actor, teamId);
  requireThat(may.runTeam(actor, team));
  const token = randomBytes(32).toString('base64url');
  const row = await deps.db.transaction(async (tx) => {
    await lockOpenTeam(tx, teamId);
    const [created] = await tx
      .insert(teamInvites)
      .values({
        teamId,
        tokenHash: tokenHash(token),
        createdBy: actor.userId,
        expiresAt: new Date(Date.now() + input.expiresInHours * 3600_000),
        maxUses: input.maxUses,
      })
      .returning();
    if (!created) throw new AppError('INTERNAL');
    await recordAudit(tx, actor, { action: 'create_invite', recordType: 'team', recordIds: [teamId], unitCodes: [team.unitCode], detail: { inviteId: created.id, maxUses: input.maxUses } });
    return created;
  });
  // In the fragment, not the query string: browsers do not send it to servers or put it in logs.
  return { ...present(row), token, url: `/field/join#${token}` };
}

export async function revokeInvite(deps: AppDeps, actor: Actor, inviteId: number): Promise<InviteView> {
  const [invite] = await deps.db.select().from(teamInvites).where(sql`${teamInvites.id} = ${inviteId}`);
  if (!invite) throw new AppError('NOT_FOUND');
  const team = await findTeamInScope(deps, actor, invite.teamId);
  requireThat(may.runTeam(actor, team));
  const row = await deps.db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(teamInvites)
      .set({ revokedAt: sql`COALESCE(${teamInvites.revokedAt}, now())`, revokedBy: sql`COALESCE(${teamInvites.revokedBy}, ${actor.userId})` })
      .where(sql`${teamInvites.id} = ${inviteId}`)
      .returning();
    if (!revoked) throw new AppError('NOT_FOUND');
    await recordAudit(tx, actor, { action: 'revoke_invite', recordType: 'team', recordIds: [team.id], unitCodes: [team.unitCode], detail: { inviteId } });
    return revoked;
  });
  return present(row);
}

/** What the person opening an invite is asked to join; no sign-in needed, INVITE_INVALID when unusable. */
export async function previewInvite(deps: AppDeps, token: string): Promise<{ teamName: string; unitName: string; expiresAt: string }> {
  const { rows } = await deps.db.execute<{ team_name: string; unit_name: string; expires_at: Date | string }>(sql`
    SELECT t.name AS team_name, u.full_name AS unit_name, i.expires_at
    FROM team_invites i JOIN teams t ON t.id = i.team_id JOIN units u ON u.code = t.unit_code
    WHERE i.token_hash = ${tokenHash(token)} AND i.revoked_at IS NULL AND i.expires_at > now()
      AND i.used_count < i.max_uses AND t.archived_at IS NULL`);
  const row = rows[0];
  if (!row) throw new AppError('INVITE_INVALID');
  return { teamName: row.team_name, unitName: row.unit_name, expiresAt: new Date(row.expires_at).toISOString() };
}

export interface JoinInput {
  token: string;
  displayName: string;
  username: string;
  password: string;
}

/**
 * Uses the invite, makes the volunteer's account, adds them to the team and signs them in. The
 * use is counted by the same UPDATE that checks the invite: a second use of a one-time invite,
 * even at the same moment, finds used_count = max_uses (PostgreSQL re-checks the row after the
 * first commits) and is refused. A refused account (name taken) rolls the use back.
 */
export async function joinTeam(deps: AppDeps, input: JoinInput, origin: { ip: string | null; userAgent: string | null }): Promise<SignedIn> {
  const passwordHash = await hashPassword(input.password);
  try {
    await deps.db.transaction(async (tx) => {
      const { rows } = await tx.execute<{ id: number; team_id: number; province_code: string; unit_code: string }>(sql`
        UPDATE team_invites i SET used_count = i.used_count + 1
        FROM teams t
        WHERE t.id = i.team_id AND i.token_hash = ${tokenHash(input.token)} AND i.revoked_at IS NULL AND i.expires_at > now()
          AND i.used_count < i.max_uses AND t.archived_at IS NULL
        RETURNING i.id, i.team_id, t.province_code, t.unit_code`);
      const invite = rows[0];
      if (!invite) throw new AppError('INVITE_INVALID');
      const [user] = await tx
        .insert(users)
        .values({ username: input.username, passwordHash, role: 'volunteer', displayName: input.displayName, provinceCode: invite.province_code })
        .returning({ id: users.id });
      if (!user) throw new AppError('INTERNAL');
      const teamId = Number(invite.team_id);
      await insertMember(tx, teamId, user.id, Number(invite.id));
      await recordAudit(
        tx,
        { userId: user.id, username: input.username, role: 'volunteer', ...origin },
        { action: 'join_team', recordType: 'team', recordIds: [teamId], unitCodes: [invite.unit_code], detail: { inviteId: Number(invite.id), userId: user.id } },
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('USERNAME_TAKEN');
    throw error;
  }
  return signIn(deps, input.username, input.password, origin);
}
