import { randomUUID } from 'node:crypto';
import { fieldVisits } from '@cds/db';
import type { LightMyRequestResponse } from 'fastify';
import { PROVINCE, type Session, type TestContext } from '../../test/test-app.ts';

// Test helpers shared by the field team tests.

/** DELETE with the session's cookie and CSRF token (the shared Session has no delete). */
export function del(ctx: TestContext, session: Session, url: string): Promise<LightMyRequestResponse> {
  return ctx.app.inject({ method: 'DELETE', url, cookies: { cds_session: session.cookie }, headers: { 'x-csrf-token': session.csrfToken } });
}

export interface VisitInput {
  householdId: number;
  userId: number;
  teamId: number | null;
  unitCode: string;
  visitedAt: string;
  outcome?: 'done' | 'nobody_home' | 'refused' | 'moved_away';
  peopleHelped?: number;
  actionsDone?: number;
  peopleFound?: number;
}

/** A stored visit, written directly: the sync side that stores visits is tested on its own. */
export async function insertVisit(ctx: TestContext, input: VisitInput): Promise<number> {
  const [row] = await ctx.deps.db
    .insert(fieldVisits)
    .values({
      provinceCode: PROVINCE,
      clientVisitId: randomUUID(),
      contentHash: randomUUID(),
      householdId: input.householdId,
      userId: input.userId,
      teamId: input.teamId,
      unitCode: input.unitCode,
      visitedAt: new Date(input.visitedAt),
      outcome: input.outcome ?? 'done',
      consent: true,
      peopleHelped: input.peopleHelped ?? 0,
      actionsDone: input.actionsDone ?? 0,
      peopleFound: input.peopleFound ?? 0,
      payload: {},
    })
    .returning({ id: fieldVisits.id });
  if (!row) throw new Error('no visit');
  return row.id;
}
