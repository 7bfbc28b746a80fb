// Drizzle's view of migrations/20261202-07-learning.sql ("Bình dân học vụ số"); the SQL carries the constraints.
import { bigint, boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const id = (name = 'id') => bigint(name, { mode: 'number' });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const otpChallenges = pgTable('otp_challenges', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  phoneHash: text('phone_hash').notNull(),
  codeHash: text('code_hash').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
  expiresAt: at('expires_at').notNull(),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  consumedAt: at('consumed_at'),
  ip: text('ip'),
});

export const lessonCompletions = pgTable(
  'lesson_completions',
  {
    userId: id('user_id').notNull(),
    courseSlug: text('course_slug').notNull(),
    lessonSlug: text('lesson_slug').notNull(),
    completedAt: at('completed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.courseSlug, t.lessonSlug] })],
);

/** What one attempt showed: the drawn questions, each with its options in the order shown (indexes into the bank's options). */
export interface ShownQuestion {
  id: string;
  order: number[];
}
export interface GivenAnswer {
  questionId: string;
  optionKey: string;
}

export const quizAttempts = pgTable('quiz_attempts', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  userId: id('user_id').notNull(),
  courseSlug: text('course_slug').notNull(),
  shown: jsonb('shown').$type<ShownQuestion[]>().notNull(),
  startedAt: at('started_at').notNull().defaultNow(),
  submittedAt: at('submitted_at'),
  answers: jsonb('answers').$type<GivenAnswer[]>(),
  correct: integer('correct'),
  total: integer('total'),
  scorePercent: integer('score_percent'),
  passed: boolean('passed'),
});

export const certificates = pgTable('certificates', {
  code: text('code').primaryKey(),
  kind: text('kind', { enum: ['course', 'basic_path'] }).notNull(),
  courseSlug: text('course_slug'),
  userId: id('user_id').notNull(),
  provinceCode: text('province_code').notNull(),
  residentId: id('resident_id'),
  learnerName: text('learner_name').notNull(),
  nameVerified: boolean('name_verified').notNull().default(false),
  title: text('title').notNull(),
  issuedOn: date('issued_on', { mode: 'string' }).notNull(),
  issuedAt: at('issued_at').notNull().defaultNow(),
  attemptId: id('attempt_id'),
});

export const competitions = pgTable('competitions', {
  id: id().primaryKey().generatedAlwaysAsIdentity(),
  provinceCode: text('province_code').notNull(),
  title: text('title').notNull(),
  description: text('description'),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  courseSlugs: text('course_slugs').array().notNull(),
  audience: text('audience', { enum: ['units', 'list'] }).notNull(),
  createdBy: id('created_by'),
  createdAt: at('created_at').notNull().defaultNow(),
});

export const competitionUnits = pgTable(
  'competition_units',
  { competitionId: id('competition_id').notNull(), unitCode: text('unit_code').notNull() },
  (t) => [primaryKey({ columns: [t.competitionId, t.unitCode] })],
);

export const competitionMembers = pgTable(
  'competition_members',
  {
    competitionId: id('competition_id').notNull(),
    id: id().notNull().generatedAlwaysAsIdentity(),
    fullName: text('full_name').notNull(),
    phoneHash: text('phone_hash').notNull(),
    phoneLast4: text('phone_last4').notNull(),
    unitCode: text('unit_code').notNull(),
    agency: text('agency'),
  },
  (t) => [primaryKey({ columns: [t.competitionId, t.id] })],
);
