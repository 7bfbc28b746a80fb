import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { LearnerProgressItem, LearnerProgressList, LearnerProgressQuery, LearnerProgressSummary } from '@cds/contract';
import { units } from '@cds/db';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { vietnamDateTime, type AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { may, requireThat } from '../access/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { CourseCatalogue } from './course-files.ts';
import { coursesOf } from './courses.service.ts';

// Learners' progress for officials and instructors. A learner is any account that read a lesson,
// handed in a quiz or holds a course certificate; their unit is the unit of the registry record
// they linked. Unit officials and team leaders see learners whose record is in their units; the
// city sees the whole city, learners who never linked a record included (they have no unit).

const list = (values: readonly string[]) => (values.length === 0 ? sql`NULL` : sql.join(values.map((v) => sql`${v}`), sql`, `));

interface Filter {
  unit?: string | undefined;
  course?: string | undefined;
}

/** Learners the actor may see, as a condition over users u LEFT JOIN residents r. */
function learnerScope(actor: Actor): SQL {
  if (actor.role === 'city_admin') return sql`u.province_code = ${actor.provinceCode}`;
  if (actor.role === 'unit_official' || actor.role === 'team_leader') return sql`u.province_code = ${actor.provinceCode} AND r.unit_code IN (${list(actor.unitCodes)})`;
  return sql`false`;
}

/** Asking for a unit outside one's own is refused outright rather than answered with an empty list. */
function checkUnit(actor: Actor, unit: string | undefined): void {
  requireThat(may.readLearnerProgress(actor));
  if (unit && actor.role !== 'city_admin' && !actor.unitCodes.includes(unit)) throw new AppError('FORBIDDEN');
}

function learnersSql(actor: Actor, filter: Filter): SQL {
  const course = filter.course ? sql` AND x.course_slug = ${filter.course}` : sql``;
  return sql`SELECT u.id, coalesce(r.full_name, u.display_name) AS name, r.unit_code, un.name AS unit_name
    FROM users u LEFT JOIN residents r ON r.id = u.resident_id LEFT JOIN units un ON un.code = r.unit_code
    WHERE ${learnerScope(actor)} ${filter.unit ? sql`AND r.unit_code = ${filter.unit}` : sql``}
      AND (EXISTS (SELECT 1 FROM lesson_completions x WHERE x.user_id = u.id${course})
        OR EXISTS (SELECT 1 FROM quiz_attempts x WHERE x.user_id = u.id AND x.submitted_at IS NOT NULL${course})
        OR EXISTS (SELECT 1 FROM certificates x WHERE x.user_id = u.id AND x.kind = 'course'${course}))`;
}

interface LearnerRow extends Record<string, unknown> {
  id: string | number;
  name: string;
  unit_code: string | null;
  unit_name: string | null;
}

/** Lessons done per course (counting only lessons the course still has), passes and last activity, for some learners. */
async function progressOf(deps: AppDeps, catalogue: CourseCatalogue, rows: readonly LearnerRow[]): Promise<LearnerProgressItem[]> {
  const ids = rows.map((r) => Number(r.id));
  if (ids.length === 0) return [];
  const idList = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  const { rows: lessons } = await deps.db.execute<{ user_id: string | number; course_slug: string; lessons: string[]; last: string | Date | null }>(sql`
    SELECT user_id, course_slug, array_agg(lesson_slug) AS lessons, max(completed_at) AS last FROM lesson_completions WHERE user_id IN (${idList}) GROUP BY user_id, course_slug`);
  const { rows: passes } = await deps.db.execute<{ user_id: string | number; course_slug: string }>(sql`
    SELECT user_id, course_slug FROM certificates WHERE kind = 'course' AND user_id IN (${idList})`);
  const { rows: quizzes } = await deps.db.execute<{ user_id: string | number; course_slug: string; last: string | Date | null }>(sql`
    SELECT user_id, course_slug, max(submitted_at) AS last FROM quiz_attempts WHERE submitted_at IS NOT NULL AND user_id IN (${idList}) GROUP BY user_id, course_slug`);
  const key = (user: string | number, course: string) => `${Number(user)} ${course}`;
  const done = new Map(lessons.map((l) => [key(l.user_id, l.course_slug), new Set(l.lessons)]));
  const passed = new Set(passes.map((p) => key(p.user_id, p.course_slug)));
  const started = new Set([...done.keys(), ...passed, ...quizzes.map((q) => key(q.user_id, q.course_slug))]);
  const last = new Map<number, number>();
  for (const r of [...lessons, ...quizzes]) {
    if (r.last === null) continue;
    const t = new Date(r.last).getTime();
    const id = Number(r.user_id);
    if (t > (last.get(id) ?? 0)) last.set(id, t);
  }
  return rows.map((row) => {
    const id = Number(row.id);
    const courses = catalogue.courses
      .filter((c) => started.has(key(id, c.course.slug)))
      .map((c) => {
        const mine = done.get(key(id, c.course.slug));
        return { slug: c.course.slug, lessonCount: c.lessons.length, lessonsDone: c.lessons.filter((l) => mine?.has(l.slug)).length, passed: passed.has(key(id, c.course.slug)) };
      });
    const at = last.get(id);
    return {
      userId: id,
      name: row.name,
      unitCode: row.unit_code,
      unitName: row.unit_name,
      courses,
      coursesPassed: courses.filter((c) => c.passed).length,
      lastActivityAt: at === undefined ? null : new Date(at).toISOString(),
    };
  });
}

/** One page of learners in scope, by name; each read is audited with the learners' units. */
export async function listLearnerProgress(deps: AppDeps, actor: Actor, query: LearnerProgressQuery): Promise<LearnerProgressList> {
  checkUnit(actor, query.unit);
  const after = decodeCursor(query.cursor, ['string', 'number']);
  const { rows } = await deps.db.execute<LearnerRow>(sql`
    SELECT * FROM (${learnersSql(actor, query)}) l
    ${after ? sql`WHERE (l.name, l.id) > (${after[0]}, ${after[1]})` : sql``}
    ORDER BY l.name, l.id LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const items = await progressOf(deps, await coursesOf(deps), page);
  await recordAudit(deps.db, actor, {
    action: 'list',
    recordType: 'learner',
    recordIds: items.map((i) => i.userId),
    unitCodes: query.unit ? [query.unit] : items.flatMap((i) => (i.unitCode ? [i.unitCode] : [])),
    fields: ['name', 'unit', 'lessons', 'certificates', 'lastActivity'],
    detail: { course: query.course ?? null },
  });
  const lastRow = page.at(-1);
  return { items, next: rows.length > query.limit && lastRow ? encodeCursor([lastRow.name, Number(lastRow.id)]) : null };
}

/** Per course: learners in scope who started it and who passed it (counts only, for the chart). */
export async function learnerProgressSummary(deps: AppDeps, actor: Actor, unit: string | undefined): Promise<LearnerProgressSummary> {
  checkUnit(actor, unit);
  const catalogue = await coursesOf(deps);
  const { rows } = await deps.db.execute<{ course_slug: string | null; started: string | number; passed: string | number }>(sql`
    WITH l AS (${learnersSql(actor, { unit })}),
    s AS (SELECT user_id, course_slug FROM lesson_completions WHERE user_id IN (SELECT id FROM l)
      UNION SELECT user_id, course_slug FROM quiz_attempts WHERE submitted_at IS NOT NULL AND user_id IN (SELECT id FROM l)
      UNION SELECT user_id, course_slug FROM certificates WHERE kind = 'course' AND user_id IN (SELECT id FROM l)),
    p AS (SELECT DISTINCT user_id, course_slug FROM certificates WHERE kind = 'course' AND user_id IN (SELECT id FROM l))
    SELECT s.course_slug, count(DISTINCT s.user_id) AS started, count(DISTINCT p.user_id) AS passed
    FROM s LEFT JOIN p ON p.user_id = s.user_id AND p.course_slug = s.course_slug GROUP BY s.course_slug`);
  const { rows: total } = await deps.db.execute<{ n: string | number }>(sql`SELECT count(*) AS n FROM (${learnersSql(actor, { unit })}) l`);
  const byCourse = new Map(rows.filter((r) => r.course_slug !== null).map((r) => [r.course_slug as string, r]));
  const unitRows =
    actor.role === 'city_admin'
      ? await deps.db.select({ code: units.code, name: units.name }).from(units).where(eq(units.provinceCode, actor.provinceCode)).orderBy(asc(units.nameAscii))
      : await deps.db.select({ code: units.code, name: units.name }).from(units).where(and(inArray(units.code, [...actor.unitCodes, '-']))).orderBy(asc(units.nameAscii));
  return {
    learners: Number(total[0]?.n ?? 0),
    courses: catalogue.courses.map((c) => {
      const r = byCourse.get(c.course.slug);
      return { slug: c.course.slug, title: c.course.title, started: Number(r?.started ?? 0), passed: Number(r?.passed ?? 0) };
    }),
    units: unitRows,
  };
}

export interface PreparedProgressExport {
  deps: AppDeps;
  actor: Actor;
  filter: Filter;
  /** Every learner in the export, in its order: only ids are held, whatever the city's size. */
  learnerIds: number[];
  catalogue: CourseCatalogue;
}

/** The learners in scope (with the filters), in the export's order; writeProgressExport audits what it sends. */
export async function prepareProgressExport(deps: AppDeps, actor: Actor, filter: Filter): Promise<PreparedProgressExport> {
  checkUnit(actor, filter.unit);
  const { rows } = await deps.db.execute<{ id: string | number }>(sql`SELECT l.id FROM (${learnersSql(actor, filter)}) l ORDER BY l.unit_code NULLS LAST, l.name, l.id`);
  return { deps, actor, filter, learnerIds: rows.map((r) => Number(r.id)), catalogue: await coursesOf(deps) };
}

/**
 * Writes the workbook a page of learners at a time: names and progress are read as the rows go
 * out, so the export of a city's hundreds of thousands of learners is never held whole (it was
 * held whole, and cut at 100,000 learners).
 * Each page is logged before its rows are sent, naming exactly the learners in it: one log row
 * naming a whole city's learners would be hundreds of thousands of ids in one array (and in the
 * index auditors search), and would name learners who had left the scope before their page.
 * The pages of one export share an id in the log's detail.
 */
export async function writeProgressExport(prepared: PreparedProgressExport, output: Writable, pageSize = 1000): Promise<void> {
  const { deps, actor, filter, learnerIds, catalogue } = prepared;
  const exportId = randomUUID();
  const pages = Math.max(1, Math.ceil(learnerIds.length / pageSize));
  const logPage = (page: number, shown: readonly LearnerRow[]) =>
    recordAudit(deps.db, actor, {
      action: 'export',
      recordType: 'learner',
      recordIds: shown.map((r) => Number(r.id)),
      unitCodes: filter.unit ? [filter.unit] : [...new Set(shown.flatMap((r) => (r.unit_code ? [r.unit_code] : [])))],
      fields: ['name', 'unit', 'lessons', 'certificates', 'lastActivity'],
      detail: { course: filter.course ?? null, export: exportId, page, pages },
    });
  // An export of nobody is still an export someone asked for.
  if (learnerIds.length === 0) await logPage(1, []);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
  const sheet = workbook.addWorksheet('Tiến độ học tập', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  sheet.columns = [
    { header: 'Họ và tên', width: 28 },
    { header: 'Đơn vị', width: 22 },
    ...catalogue.courses.map((c) => ({ header: `${c.course.title} (bài đã học/${c.lessons.length})`, width: 18 })),
    { header: 'Số khoá đạt', width: 11 },
    { header: 'Hoạt động gần nhất', width: 20 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (let start = 0; start < learnerIds.length; start += pageSize) {
    // The download was cancelled (the response closed): no further page is read, or logged as sent.
    if (output.destroyed) return;
    const ids = learnerIds.slice(start, start + pageSize);
    // Read within the export's scope again: a learner who left it since the export began is left out, not shown.
    const { rows } = await deps.db.execute<LearnerRow>(sql`SELECT * FROM (${learnersSql(actor, filter)}) l WHERE l.id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const shown = ids.flatMap((id) => byId.get(id) ?? []);
    await logPage(start / pageSize + 1, shown);
    for (const item of await progressOf(deps, catalogue, shown)) {
      const byCourse = new Map(item.courses.map((c) => [c.slug, c]));
      sheet
        .addRow([
          item.name,
          item.unitName ?? 'Chưa liên kết hồ sơ',
          ...catalogue.courses.map((c) => {
            const p = byCourse.get(c.course.slug);
            return p ? `${p.lessonsDone}${p.passed ? ' – đạt' : ''}` : '';
          }),
          item.coursesPassed,
          item.lastActivityAt ? vietnamDateTime(new Date(item.lastActivityAt)) : '',
        ])
        .commit();
    }
  }
  sheet.commit();
  await workbook.commit();
}
