import { z } from 'zod';
import { IsoDate, PageQuery, UnitCode, page } from './common.ts';

/*
 * "Bình dân học vụ số" for officials: competitions ("Cuộc đua": finish some courses between two
 * dates, for everyone of some units or for a list of staff), their standings by unit, and
 * learners' progress within an official's own units.
 */

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'Mã khoá học chỉ gồm chữ thường không dấu, số và gạch nối');

/** 'units': everyone aged 14+ living in the units; 'list': the people uploaded to the competition. */
export const CompetitionAudience = z.enum(['units', 'list']);
export type CompetitionAudience = z.infer<typeof CompetitionAudience>;

/** What a competition is, apart from who takes part: set at creation, changeable afterwards. */
const competitionFields = {
  title: z.string().trim().min(3, 'Tên cuộc thi quá ngắn').max(120, 'Tên cuộc thi tối đa 120 ký tự'),
  description: z.string().trim().max(1000, 'Mô tả tối đa 1.000 ký tự').optional(),
  startsOn: IsoDate,
  endsOn: IsoDate,
  /** Courses to finish; each must be in the catalogue (checked by the server). */
  courseSlugs: z
    .array(Slug)
    .min(1, 'Chọn ít nhất một khoá học')
    .max(20, 'Tối đa 20 khoá học')
    .refine((slugs) => new Set(slugs).size === slugs.length, 'Một khoá học được chọn hai lần'),
};
const endsAfterStart = (value: { startsOn: string; endsOn: string }, ctx: z.RefinementCtx) => {
  if (value.endsOn < value.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'Ngày kết thúc phải từ ngày bắt đầu trở đi' });
};

export const CompetitionCreate = z
  .object({
    ...competitionFields,
    audience: CompetitionAudience,
    /** Required for audience 'units'; ignored for 'list' (the list is uploaded afterwards). */
    unitCodes: z.array(UnitCode).max(200, 'Tối đa 200 đơn vị').optional(),
  })
  .superRefine((value, ctx) => {
    endsAfterStart(value, ctx);
    if (value.audience === 'units' && (value.unitCodes?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['unitCodes'], message: 'Chọn ít nhất một đơn vị tham gia' });
    }
  });
/** A competition's name, dates, description and courses changed; who takes part stays as made. */
export const CompetitionUpdate = z.object(competitionFields).superRefine(endsAfterStart);
export type CompetitionUpdate = z.infer<typeof CompetitionUpdate>;
export type CompetitionCreate = z.infer<typeof CompetitionCreate>;

/** One row of a pasted or uploaded staff list. Fields are checked row by row, so one bad row does not refuse the others. */
export const CompetitionMemberRow = z.object({
  fullName: z.string().max(120),
  phone: z.string().max(40),
  unitCode: z.string().max(20),
  agency: z.string().max(200).optional(),
});
export type CompetitionMemberRow = z.infer<typeof CompetitionMemberRow>;

export const CompetitionMembersUpload = z.object({
  rows: z.array(CompetitionMemberRow).min(1, 'Danh sách trống').max(5000, 'Tối đa 5.000 dòng mỗi lần gửi'),
});
export type CompetitionMembersUpload = z.infer<typeof CompetitionMembersUpload>;

export const MemberRowProblem = z.object({
  field: z.enum(['fullName', 'phone', 'unitCode', 'agency']),
  /** Vietnamese, naming the row and the field, for the person fixing the list. */
  message: z.string(),
});

export const RejectedMemberRow = z.object({
  /** 1-based, as in the pasted list. */
  row: z.number().int(),
  input: CompetitionMemberRow,
  problems: z.array(MemberRowProblem),
});
export type RejectedMemberRow = z.infer<typeof RejectedMemberRow>;

export const CompetitionMembersResult = z.object({
  accepted: z.number().int(),
  rejected: z.array(RejectedMemberRow),
  /** Members of the competition after this upload. */
  memberCount: z.number().int(),
});
export type CompetitionMembersResult = z.infer<typeof CompetitionMembersResult>;

export const CompetitionStatus = z.enum(['upcoming', 'active', 'ended']);
export type CompetitionStatus = z.infer<typeof CompetitionStatus>;

export const CompetitionView = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: CompetitionStatus,
  courses: z.array(z.object({ slug: z.string(), title: z.string() })),
  audience: CompetitionAudience,
  /** The audience's units; for a list, the units its members belong to. */
  units: z.array(z.object({ code: z.string(), name: z.string() })),
  memberCount: z.number().int(),
  /** Whether the reader may change it (upload members). */
  canManage: z.boolean(),
});
export type CompetitionView = z.infer<typeof CompetitionView>;

export const CompetitionList = z.object({ items: z.array(CompetitionView) });
export type CompetitionList = z.infer<typeof CompetitionList>;

/** Counts for one unit or for all; rates are percentages rounded to one decimal. */
export const StandingCounts = z.object({
  /** The denominator: residents aged 14+ living in the unit, or the unit's listed members. */
  audience: z.number().int(),
  /** Did a lesson or handed in a quiz of the competition's courses between its dates. */
  participants: z.number().int(),
  /** Hold the certificate of every course of the competition, issued by its end date. */
  finishers: z.number().int(),
  participationRate: z.number(),
  completionRate: z.number(),
});
export type StandingCounts = z.infer<typeof StandingCounts>;

export const UnitStanding = StandingCounts.extend({
  unitCode: z.string(),
  unitName: z.string(),
  /** 1 = best: completion rate, then participation rate, then finishers, then participants. */
  rank: z.number().int(),
});
export type UnitStanding = z.infer<typeof UnitStanding>;

export const CompetitionStandings = z.object({
  competition: CompetitionView,
  /** The day the figures stand at (today, or the end date once it has passed). */
  asOf: z.string(),
  /** In unit order (by name). */
  units: z.array(UnitStanding),
  totals: StandingCounts,
  /** The units by rank. */
  leaderboard: z.array(UnitStanding),
});
export type CompetitionStandings = z.infer<typeof CompetitionStandings>;

/** For the residents' learning site: counts and rates only, never a name. */
export const PublicCompetition = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: CompetitionStatus,
  courses: z.array(z.object({ slug: z.string(), title: z.string() })),
  totals: StandingCounts,
  leaderboard: z.array(UnitStanding),
});
export type PublicCompetition = z.infer<typeof PublicCompetition>;
export const PublicCompetitionList = z.object({ items: z.array(PublicCompetition) });
export type PublicCompetitionList = z.infer<typeof PublicCompetitionList>;

// --- Learners' progress ---

export const LearnerProgressQuery = PageQuery.extend({
  unit: UnitCode.optional(),
  course: Slug.optional(),
});
export type LearnerProgressQuery = z.infer<typeof LearnerProgressQuery>;

export const LearnerCourseProgress = z.object({
  slug: z.string(),
  lessonsDone: z.number().int(),
  lessonCount: z.number().int(),
  passed: z.boolean(),
});

export const LearnerProgressItem = z.object({
  userId: z.number().int(),
  /** The registry name for a linked learner, otherwise the name they gave. */
  name: z.string(),
  unitCode: z.string().nullable(),
  unitName: z.string().nullable(),
  /** Courses the learner has started, in catalogue order. */
  courses: z.array(LearnerCourseProgress),
  coursesPassed: z.number().int(),
  lastActivityAt: z.string().nullable(),
});
export type LearnerProgressItem = z.infer<typeof LearnerProgressItem>;

export const LearnerProgressList = page(LearnerProgressItem);
export type LearnerProgressList = z.infer<typeof LearnerProgressList>;

export const LearnerProgressSummaryQuery = z.object({ unit: UnitCode.optional() });

/** Per course, for the chart: how many learners in scope started it and how many passed. */
export const LearnerProgressSummary = z.object({
  learners: z.number().int(),
  courses: z.array(z.object({ slug: z.string(), title: z.string(), started: z.number().int(), passed: z.number().int() })),
  /** Units the reader may filter by. */
  units: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type LearnerProgressSummary = z.infer<typeof LearnerProgressSummary>;
