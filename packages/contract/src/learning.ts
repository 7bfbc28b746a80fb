import { z } from 'zod';

/*
 * "Bình dân học vụ số": courses are content files (content/courses/<slug>/, see its README),
 * checked against these schemas when they load; then the learners' API.
 */

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'Chỉ chữ thường không dấu, số và gạch nối');
const ImagePath = z.string().regex(/^images\/[a-z0-9][a-z0-9-]*\.svg$/, 'Ảnh phải là images/<tên>.svg');

export const CourseFile = z.object({
  slug: Slug,
  title: z.string().min(3).max(80),
  summary: z.string().min(10).max(160),
  order: z.number().int().min(1),
  minutes: z.number().int().min(1).max(600),
  basicPath: z.boolean().default(false),
  cover: ImagePath.optional(),
  quiz: z.object({
    questionsPerAttempt: z.number().int().min(3).max(30),
    passPercent: z.number().int().min(50).max(100),
  }),
});
export type CourseFile = z.infer<typeof CourseFile>;

export const LessonFrontMatter = z.object({
  title: z.string().min(3).max(100),
  minutes: z.number().int().min(1).max(60),
  video: z
    .object({
      url: z.url({ protocol: /^https$/, error: 'Địa chỉ video phải bắt đầu bằng https://' }).optional(),
      caption: z.string().min(3).max(160),
    })
    .optional(),
});
export type LessonFrontMatter = z.infer<typeof LessonFrontMatter>;

export const QuizFile = z.object({
  questions: z
    .array(
      z.object({
        id: Slug,
        text: z.string().min(5).max(300),
        options: z
          .array(z.object({ text: z.string().min(1).max(200), correct: z.boolean().default(false) }))
          .min(3, 'Mỗi câu có 3 hoặc 4 phương án')
          .max(4, 'Mỗi câu có 3 hoặc 4 phương án')
          .refine((options) => options.filter((o) => o.correct).length === 1, 'Mỗi câu có đúng một phương án đúng'),
        explanation: z.string().min(5).max(400),
      }),
    )
    .min(5),
});
export type QuizFile = z.infer<typeof QuizFile>;

// --- API ---

export const CourseSummary = z.object({
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  order: z.number().int(),
  minutes: z.number().int(),
  basicPath: z.boolean(),
  coverUrl: z.string().nullable(),
  lessonCount: z.number().int(),
  /** The signed-in learner's standing; null when nobody is signed in. */
  progress: z
    .object({
      lessonsDone: z.number().int(),
      passed: z.boolean(),
      certificateCode: z.string().nullable(),
    })
    .nullable(),
});
export type CourseSummary = z.infer<typeof CourseSummary>;

export const CourseList = z.object({
  courses: z.array(CourseSummary),
  /** The basic-skills path: its courses and whether the learner has its certificate. */
  basicPath: z.object({ slugs: z.array(z.string()), certificateCode: z.string().nullable() }),
});
export type CourseList = z.infer<typeof CourseList>;

export const LessonOutline = z.object({
  index: z.number().int(),
  slug: z.string(),
  title: z.string(),
  minutes: z.number().int(),
  done: z.boolean(),
  /** Lessons are taken in order: a lesson opens once the one before it is done. */
  open: z.boolean(),
});
export type LessonOutline = z.infer<typeof LessonOutline>;

export const CourseDetail = CourseSummary.extend({
  lessons: z.array(LessonOutline),
  quiz: z.object({ questionsPerAttempt: z.number().int(), passPercent: z.number().int(), bankSize: z.number().int() }),
  bestScorePercent: z.number().int().nullable(),
  attempts: z.number().int(),
});
export type CourseDetail = z.infer<typeof CourseDetail>;

export const Lesson = z.object({
  courseSlug: z.string(),
  courseTitle: z.string(),
  index: z.number().int(),
  slug: z.string(),
  title: z.string(),
  minutes: z.number().int(),
  /** Rendered from the lesson's Markdown on the server; images point at /api/courses/<slug>/images/. */
  html: z.string(),
  /** The lesson as plain text, for read-aloud. */
  text: z.string(),
  video: z.object({ url: z.string().nullable(), caption: z.string() }).nullable(),
  previous: z.string().nullable(),
  next: z.string().nullable(),
  done: z.boolean(),
});
export type Lesson = z.infer<typeof Lesson>;

export const CourseParams = z.object({ slug: Slug });
export const LessonParams = z.object({ slug: Slug, lesson: Slug });

export const LessonProgressResult = z.object({ lessonsDone: z.number().int(), lessonCount: z.number().int(), next: z.string().nullable() });

export const QuizQuestion = z.object({
  id: z.string(),
  text: z.string(),
  /** In the order shown to this learner for this attempt; `key` is what an answer names. */
  options: z.array(z.object({ key: z.string(), text: z.string() })),
});

export const QuizAttempt = z.object({
  id: z.number().int(),
  courseSlug: z.string(),
  passPercent: z.number().int(),
  questions: z.array(QuizQuestion),
});
export type QuizAttempt = z.infer<typeof QuizAttempt>;

export const QuizAnswers = z.object({
  answers: z.array(z.object({ questionId: z.string().min(1).max(80), optionKey: z.string().min(1).max(8) })).max(30),
});
export type QuizAnswers = z.infer<typeof QuizAnswers>;

export const QuizResult = z.object({
  attemptId: z.number().int(),
  correct: z.number().int(),
  total: z.number().int(),
  scorePercent: z.number().int(),
  passed: z.boolean(),
  /**
   * Each question, right or not, with why. The right option is named only once the quiz is passed:
   * a failed try that handed out every answer would pass the next one for the learner.
   */
  review: z.array(
    z.object({
      questionId: z.string(),
      text: z.string(),
      chosenKey: z.string().nullable(),
      correctKey: z.string().nullable(),
      correctText: z.string().nullable(),
      right: z.boolean(),
      explanation: z.string(),
    }),
  ),
  /** Issued by this attempt (or earlier, for a course passed before). */
  certificateCode: z.string().nullable(),
  /** Issued when this pass completed the basic-skills path. */
  pathCertificateCode: z.string().nullable(),
});
export type QuizResult = z.infer<typeof QuizResult>;

export const AttemptParams = z.object({ slug: Slug, attemptId: z.coerce.number().int().positive() });

/** Certificate codes: CDS-XXXX-XXXX-XXXX in Crockford base32, the last character a check character. */
export const CertificateCodeParams = z.object({ code: z.string().min(4).max(40) });

export const CertificatePublic = z.object({
  code: z.string(),
  /** The name as issued: the verifier compares it with the person in front of them. */
  learnerName: z.string(),
  title: z.string(),
  kind: z.enum(['course', 'basic_path']),
  issuedOn: z.string(),
  issuer: z.string(),
  /** The name came from the learner's registry record; otherwise the learner typed it. */
  nameVerified: z.boolean(),
});
export type CertificatePublic = z.infer<typeof CertificatePublic>;

export const MyCertificates = z.object({ certificates: z.array(CertificatePublic) });

// --- Residents' sign-in and their own record ---

export const OtpRequestBody = z.object({ phone: z.string().trim().min(1, 'Chưa nhập số điện thoại').max(30) });
export const OtpRequestResult = z.object({
  /** The number the code went to, masked: the resident sees that they typed it right. */
  sentTo: z.string(),
  expiresInSeconds: z.number().int(),
  resendInSeconds: z.number().int(),
});
export const OtpVerifyBody = z.object({
  phone: z.string().trim().min(1, 'Chưa nhập số điện thoại').max(30),
  code: z.string().trim().regex(/^\d{6}$/, 'Mã gồm 6 chữ số'),
});

export const SignInProviders = z.object({
  otp: z.boolean(),
  /** The city's OpenID Connect provider, when one is configured. */
  oidc: z.object({ label: z.string(), startUrl: z.string() }).nullable(),
});

export const LinkRecordBody = z.object({
  citizenId: z.string().trim().regex(/^\d{12}$/, 'Số định danh cá nhân gồm 12 chữ số'),
  birthDate: z.iso.date({ error: 'Ngày sinh viết YYYY-MM-DD' }),
});
export const LearnerProfileBody = z.object({ displayName: z.string().trim().min(2, 'Tên quá ngắn').max(80) });

export const LearnerProfile = z.object({
  displayName: z.string(),
  /** Linked to a registry record: the name then comes from the registry and cannot be edited here. */
  linked: z.boolean(),
  phone: z.string().nullable(),
  unitName: z.string().nullable(),
});
export type LearnerProfile = z.infer<typeof LearnerProfile>;

/** A resident asks for an official or volunteer to come and help at home (the unit's field queue). */
export const VisitRequestBody = z.object({ note: z.string().trim().max(500, 'Ghi chú tối đa 500 ký tự').optional() });
export const VisitRequestResult = z.object({ id: z.number().int(), alreadyOpen: z.boolean() });
