import type { CompetitionUpdate, CompetitionView } from '@cds/contract';
import { competitions } from '@cds/db';
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { manages, present, visibleCompetition } from './competitions.service.ts';
import { coursesOf } from './courses.service.ts';

/**
 * Changes a competition's name, description, dates or courses, by whoever runs it. Who takes
 * part is not changed here: units are the audience's promise, and a list grows by upload. The
 * standings are computed from completions on each read, so new dates or courses apply at once.
 */
export async function updateCompetition(deps: AppDeps, actor: Actor, id: number, input: CompetitionUpdate): Promise<CompetitionView> {
  const { row, unitCodes } = await visibleCompetition(deps, actor, id);
  requireThat(manages(actor, row, unitCodes));
  const catalogue = await coursesOf(deps);
  const unknown = input.courseSlugs.filter((slug) => !catalogue.bySlug.has(slug));
  if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', unknown.map((slug) => ({ path: 'body.courseSlugs', message: `Không có khoá học "${slug}"` })));
  const changed = await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(competitions)
      .set({ title: input.title, description: input.description || null, startsOn: input.startsOn, endsOn: input.endsOn, courseSlugs: input.courseSlugs })
      .where(eq(competitions.id, id))
      .returning();
    if (!updated) throw new AppError('NOT_FOUND');
    const fields = (['title', 'description', 'startsOn', 'endsOn', 'courseSlugs'] as const).filter((k) => JSON.stringify(row[k]) !== JSON.stringify(updated[k]));
    await recordAudit(tx, actor, { action: 'update', recordType: 'competition', recordIds: [id], unitCodes, fields, detail: { title: input.title } });
    return updated;
  });
  return present(deps, actor, changed, unitCodes);
}
