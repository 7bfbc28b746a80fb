import { randomBytes } from 'node:crypto';
import { certificates, competitionMembers, competitions, competitionUnits, facts, lessonCompletions, residents, users } from '@cds/db';
import { certificateCodeFrom } from '@cds/domain';
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { coursesOf } from '../modules/learning/courses.service.ts';
import type { AppDeps } from '../platform/deps.ts';
import { DEMO_UNITS } from './demo-data.ts';

/** A small deterministic generator, so every demo database shows the same figures. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const dayBefore = (today: string, days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
const dayAfter = (today: string, days: number) => dayBefore(today, -days);

/** Learners per demo unit, and how far they tend to get. */
const LEARNERS: readonly { unit: (typeof DEMO_UNITS)[number]; count: number; keen: number }[] = [
  { unit: DEMO_UNITS[0], count: 260, keen: 0.7 },
  { unit: DEMO_UNITS[1], count: 180, keen: 0.55 },
  { unit: DEMO_UNITS[2], count: 120, keen: 0.4 },
];

/**
 * "Bình dân học vụ số" for the officials' pages: residents of the demo units who learn (lessons
 * and certificates over the last three weeks), a competition for the three units and one for a
 * list of ward staff, most of whom have signed in with their phone. Run once, on a new database;
 * does nothing when a competition exists.
 */
export async function seedDemoLearning(deps: AppDeps): Promise<{ learners: number; competitions: number }> {
  const [existing] = await deps.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(competitions);
  if ((existing?.n ?? 0) > 0) return { learners: 0, competitions: 0 };
  const catalogue = await coursesOf(deps);
  const pick = (slugs: string[]) => slugs.filter((s) => catalogue.bySlug.has(s));
  const raceCourses = pick(['vneid', 'dich-vu-cong-truc-tuyen']);
  const staffCourses = pick(['ai-trong-doi-song']);
  const main = raceCourses.length > 0 ? raceCourses : catalogue.courses.slice(0, 2).map((c) => c.course.slug);
  const staff = staffCourses.length > 0 ? staffCourses : main.slice(0, 1);
  if (main.length === 0) return { learners: 0, competitions: 0 };

  const today = deps.today();
  const random = generator(2026);
  const adultBorn = Number(today.slice(0, 4)) - 18;
  let learners = 0;
  let phoneSerial = 0;
  const staffPhones: { phone: string; fullName: string; unitCode: string; signedIn: boolean }[] = [];

  for (const plan of LEARNERS) {
    const people = await deps.db
      .select({ id: residents.id, fullName: residents.fullName, provinceCode: residents.provinceCode })
      .from(residents)
      .where(and(eq(residents.unitCode, plan.unit), eq(residents.status, 'living'), isNull(residents.mergedIntoId), lte(residents.birthYear, adultBorn)))
      .orderBy(asc(residents.id))
      .limit(plan.count * 3);
    // Every third adult, so learners spread over households.
    const chosen = people.filter((_, i) => i % 3 === 1).slice(0, plan.count);
    for (const person of chosen) {
      // A few learners are also ward staff who signed in with their phone (matched to the staff list below).
      const staffer = plan.unit !== DEMO_UNITS[2] && random() < 0.12;
      const phone = staffer ? `0909${String(100000 + ++phoneSerial).slice(-6)}` : null;
      const [user] = await deps.db
        .insert(users)
        .values({ username: `hocvien-${person.id}`, role: 'citizen', displayName: person.fullName, provinceCode: person.provinceCode, residentId: person.id, residentLink: 'phone', phoneHash: phone ? deps.vault.hash(phone) : null })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (!user) continue;
      learners++;
      if (phone) staffPhones.push({ phone, fullName: person.fullName, unitCode: plan.unit, signedIn: true });
      const courses = staffer ? [...staff, ...main] : main;
      const keen = staffer ? 0.95 : plan.keen;
      let skillsStated = false;
      for (const [k, slug] of courses.entries()) {
        const course = catalogue.bySlug.get(slug);
        if (!course) continue;
        // Fewer go on to each next course; keen units further.
        if (random() > keen * (k === 0 ? 1.15 : 0.85)) break;
        const startDay = 1 + Math.floor(random() * 19);
        const reach = random() < 0.6 ? course.lessons.length : 1 + Math.floor(random() * course.lessons.length);
        const rows = course.lessons.slice(0, reach).map((lesson, j) => ({
          userId: user.id,
          courseSlug: slug,
          lessonSlug: lesson.slug,
          completedAt: new Date(Date.parse(`${dayBefore(today, Math.max(0, startDay - j))}T${String(8 + (j % 12)).padStart(2, '0')}:15:00+07:00`)),
        }));
        if (rows.length > 0) await deps.db.insert(lessonCompletions).values(rows).onConflictDoNothing();
        if (reach === course.lessons.length && random() < 0.8) {
          const code = certificateCodeFrom(randomBytes(7));
          const issuedOn = dayBefore(today, Math.max(0, startDay - reach));
          await deps.db.insert(certificates).values({
            code,
            kind: 'course',
            courseSlug: slug,
            userId: user.id,
            provinceCode: person.provinceCode,
            residentId: person.id,
            learnerName: person.fullName,
            title: course.course.title,
            issuedOn,
          });
          // What a first pass records in the registry (certificates.service.ts), written directly
          // like the rest of the demo: main.ts rebuilds the figures afterwards.
          if (skillsStated) continue;
          skillsStated = true;
          await deps.db.insert(facts).values({
            provinceCode: person.provinceCode,
            residentId: person.id,
            indicator: 'basic_skills_trained',
            value: 'true',
            sourceKind: 'course',
            sourceRef: `chứng nhận ${code}`,
            statedBy: user.id,
            observedOn: issuedOn,
          });
        }
      }
    }
  }

  const [race] = await deps.db
    .insert(competitions)
    .values({
      provinceCode: deps.config.provinceCode,
      title: 'Cuộc đua “Bình dân học vụ số” – đợt 1',
      description: 'Mỗi người dân từ 14 tuổi hoàn thành hai khoá: định danh điện tử VNeID và dịch vụ công trực tuyến.',
      startsOn: dayBefore(today, 21),
      endsOn: dayAfter(today, 20),
      courseSlugs: main,
      audience: 'units',
    })
    .returning({ id: competitions.id });
  if (race) await deps.db.insert(competitionUnits).values(DEMO_UNITS.map((unitCode) => ({ competitionId: race.id, unitCode })));

  // Staff who have not signed in yet: on the list, not matched to a learner.
  for (let i = 0; i < 8; i++) {
    staffPhones.push({ phone: `0908${String(200000 + i).slice(-6)}`, fullName: ['Nguyễn Thị Hoa', 'Trần Văn Hùng', 'Lê Thị Mai', 'Phạm Văn Nam', 'Hoàng Thị Lan', 'Vũ Văn Long', 'Đặng Thị Thu', 'Bùi Văn Tài'][i] ?? 'Cán bộ', unitCode: i % 2 === 0 ? DEMO_UNITS[0] : DEMO_UNITS[1], signedIn: false });
  }
  const [list] = await deps.db
    .insert(competitions)
    .values({
      provinceCode: deps.config.provinceCode,
      title: 'Cuộc đua luyện AI của cán bộ phường',
      description: 'Cán bộ, công chức hai phường hoàn thành khoá “AI trong đời sống”.',
      startsOn: dayBefore(today, 14),
      endsOn: dayAfter(today, 14),
      courseSlugs: staff,
      audience: 'list',
    })
    .returning({ id: competitions.id });
  if (list && staffPhones.length > 0) {
    await deps.db
      .insert(competitionMembers)
      .values(staffPhones.map((s) => ({ competitionId: list.id, fullName: s.fullName, phoneHash: deps.vault.hash(s.phone), phoneLast4: s.phone.slice(-4), unitCode: s.unitCode, agency: `UBND ${s.unitCode === DEMO_UNITS[0] ? 'phường Sài Gòn' : 'phường Bến Thành'}` })))
      .onConflictDoNothing();
  }
  return { learners, competitions: 2 };
}
