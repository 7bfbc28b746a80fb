import type { CourseDetail, CourseList, CourseSummary, Lesson } from '@cds/contract';
import { certificates, lessonCompletions, quizAttempts } from '@cds/db';
import { openLessons, quizOpen } from '@cds/domain';
import { and, eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../access/actor.ts';
import { BUNDLED_COURSES_DIR, loadCourseFiles, type CourseCatalogue, type LoadedCourse } from './course-files.ts';

const loaded = new Map<string, Promise<CourseCatalogue>>();

/** Courses are read once per folder: they change with a deployment, not per request. */
export function coursesOf(deps: Pick<AppDeps, 'config'>): Promise<CourseCatalogue> {
  const dir = deps.config.coursesDir ?? BUNDLED_COURSES_DIR;
  let catalogue = loaded.get(dir);
  if (!catalogue) {
    catalogue = loadCourseFiles(dir);
    loaded.set(dir, catalogue);
    catalogue.catch(() => loaded.delete(dir));
  }
  return catalogue;
}

export async function findCourse(deps: AppDeps, slug: string): Promise<LoadedCourse> {
  const course = (await coursesOf(deps)).bySlug.get(slug);
  if (!course) throw new AppError('NOT_FOUND', [{ path: 'params.slug', message: `Không có khoá học "${slug}"` }]);
  return course;
}

/** The lessons a learner has finished, per course. */
export async function lessonsDoneBy(deps: AppDeps, userId: number, courseSlug?: string): Promise<Map<string, Set<string>>> {
  const rows = await deps.db
    .select({ course: lessonCompletions.courseSlug, lesson: lessonCompletions.lessonSlug })
    .from(lessonCompletions)
    .where(courseSlug ? and(eq(lessonCompletions.userId, userId), eq(lessonCompletions.courseSlug, courseSlug)) : eq(lessonCompletions.userId, userId));
  const done = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = done.get(row.course) ?? new Set<string>();
    set.add(row.lesson);
    done.set(row.course, set);
  }
  return done;
}

async function certificateCodes(deps: AppDeps, userId: number): Promise<{ byCourse: Map<string, string>; path: string | null }> {
  const rows = await deps.db.select({ code: certificates.code, kind: certificates.kind, course: certificates.courseSlug }).from(certificates).where(eq(certificates.userId, userId));
  const byCourse = new Map<string, string>();
  let path: string | null = null;
  for (const row of rows) {
    if (row.kind === 'basic_path') path = row.code;
    else if (row.course) byCourse.set(row.course, row.code);
  }
  return { byCourse, path };
}

function summary(course: LoadedCourse, progress: CourseSummary['progress']): CourseSummary {
  const c = course.course;
  return {
    slug: c.slug,
    title: c.title,
    summary: c.summary,
    order: c.order,
    minutes: c.minutes,
    basicPath: c.basicPath,
    coverUrl: c.cover ? `/api/courses/${c.slug}/${c.cover}` : null,
    lessonCount: course.lessons.length,
    progress,
  };
}

export async function listCourses(deps: AppDeps, actor: Actor | null): Promise<CourseList> {
  const catalogue = await coursesOf(deps);
  const done = actor ? await lessonsDoneBy(deps, actor.userId) : null;
  const codes = actor ? await certificateCodes(deps, actor.userId) : null;
  return {
    courses: catalogue.courses.map((course) => {
      const slug = course.course.slug;
      const finished = done?.get(slug);
      const code = codes?.byCourse.get(slug) ?? null;
      return summary(
        course,
        actor ? { lessonsDone: course.lessons.filter((l) => finished?.has(l.slug)).length, passed: code !== null, certificateCode: code } : null,
      );
    }),
    basicPath: { slugs: catalogue.basicPath, certificateCode: codes?.path ?? null },
  };
}

export async function courseDetail(deps: AppDeps, actor: Actor | null, slug: string): Promise<CourseDetail> {
  const course = await findCourse(deps, slug);
  const done = actor ? ((await lessonsDoneBy(deps, actor.userId, slug)).get(slug) ?? new Set<string>()) : new Set<string>();
  const slugs = course.lessons.map((l) => l.slug);
  const open = openLessons(slugs, done);
  let attempts = 0;
  let best: number | null = null;
  let code: string | null = null;
  if (actor) {
    const [row] = await deps.db
      .select({ attempts: sql<number>`count(*) FILTER (WHERE ${quizAttempts.submittedAt} IS NOT NULL)`.mapWith(Number), best: sql<number | null>`max(${quizAttempts.scorePercent})` })
      .from(quizAttempts)
      .where(and(eq(quizAttempts.userId, actor.userId), eq(quizAttempts.courseSlug, slug)));
    attempts = row?.attempts ?? 0;
    best = row?.best ?? null;
    code = (await certificateCodes(deps, actor.userId)).byCourse.get(slug) ?? null;
  }
  return {
    ...summary(course, actor ? { lessonsDone: slugs.filter((s) => done.has(s)).length, passed: code !== null, certificateCode: code } : null),
    lessons: course.lessons.map((l, i) => ({ index: l.index, slug: l.slug, title: l.title, minutes: l.minutes, done: done.has(l.slug), open: actor ? (open[i] ?? false) : i === 0 })),
    quiz: { questionsPerAttempt: course.course.quiz.questionsPerAttempt, passPercent: course.course.quiz.passPercent, bankSize: course.quiz.questions.length },
    bestScorePercent: best === null ? null : Number(best),
    attempts,
  };
}

/**
 * One lesson. Lessons are taken in order: a learner opens a lesson once the one before it is
 * done. Without signing in, the first lesson of every course can be read, as a taste.
 */
export async function readLesson(deps: AppDeps, actor: Actor | null, slug: string, lessonSlug: string): Promise<Lesson> {
  const course = await findCourse(deps, slug);
  const at = course.lessons.findIndex((l) => l.slug === lessonSlug);
  const lesson = course.lessons[at];
  if (!lesson) throw new AppError('NOT_FOUND', [{ path: 'params.lesson', message: `Khoá học không có bài "${lessonSlug}"` }]);
  const done = actor ? ((await lessonsDoneBy(deps, actor.userId, slug)).get(slug) ?? new Set<string>()) : new Set<string>();
  if (at > 0) {
    if (!actor) throw new AppError('UNAUTHENTICATED', undefined, 'Hãy đăng nhập để học tiếp và lưu tiến độ');
    if (!openLessons(course.lessons.map((l) => l.slug), done)[at]) throw new AppError('LESSON_LOCKED');
  }
  return {
    courseSlug: slug,
    courseTitle: course.course.title,
    index: lesson.index,
    slug: lesson.slug,
    title: lesson.title,
    minutes: lesson.minutes,
    html: lesson.html,
    text: lesson.text,
    video: lesson.video,
    previous: course.lessons[at - 1]?.slug ?? null,
    next: course.lessons[at + 1]?.slug ?? null,
    done: done.has(lesson.slug),
  };
}

/** Marks a lesson read; the next one opens. Saved per learner, so another device resumes here. */
export async function completeLesson(deps: AppDeps, actor: Actor, slug: string, lessonSlug: string) {
  const course = await findCourse(deps, slug);
  const slugs = course.lessons.map((l) => l.slug);
  const at = slugs.indexOf(lessonSlug);
  if (at < 0) throw new AppError('NOT_FOUND', [{ path: 'params.lesson', message: `Khoá học không có bài "${lessonSlug}"` }]);
  const done = (await lessonsDoneBy(deps, actor.userId, slug)).get(slug) ?? new Set<string>();
  if (!openLessons(slugs, done)[at]) throw new AppError('LESSON_LOCKED');
  await deps.db.insert(lessonCompletions).values({ userId: actor.userId, courseSlug: slug, lessonSlug }).onConflictDoNothing();
  done.add(lessonSlug);
  return { lessonsDone: slugs.filter((s) => done.has(s)).length, lessonCount: slugs.length, next: quizOpen(slugs, done) ? null : (slugs.find((s) => !done.has(s)) ?? null) };
}

export async function courseImage(deps: AppDeps, slug: string, file: string): Promise<Buffer> {
  const image = (await findCourse(deps, slug)).images.get(`images/${file}`);
  if (!image) throw new AppError('NOT_FOUND');
  return image;
}
