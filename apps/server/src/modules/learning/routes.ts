import {
  AttemptParams,
  CertificateCodeParams,
  CertificatePublic,
  CourseDetail,
  CourseList,
  CourseParams,
  Lesson,
  LessonParams,
  LessonProgressResult,
  MyCertificates,
  QuizAnswers,
  QuizAttempt,
  QuizResult,
  VisitRequestBody,
  VisitRequestResult,
} from '@cds/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/deps.ts';
import { actorOf, originOf } from '../../platform/http.ts';
import { siteOrigin } from '../access/resident-routes.ts';
import { certificatePdf, myCertificates, verifyCertificate } from './certificates.service.ts';
import { completeLesson, courseDetail, courseImage, listCourses, readLesson } from './courses.service.ts';
import { requestHomeVisit } from './home-visit.service.ts';
import { startQuiz, submitQuiz } from './quiz.service.ts';

/** "Bình dân học vụ số": courses and lessons (readable without signing in where allowed), quizzes, certificates. */
export function learningRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['learning'];
    app.get('/api/courses', { schema: { tags, summary: 'The courses, with the signed-in learner’s progress', response: { 200: CourseList } } }, async (request) =>
      listCourses(deps, request.actor),
    );
    app.get('/api/courses/:slug', { schema: { tags, summary: 'A course: lessons (in order), quiz, progress', params: CourseParams, response: { 200: CourseDetail } } }, async (request) =>
      courseDetail(deps, request.actor, request.params.slug),
    );
    app.get(
      '/api/courses/:slug/lessons/:lesson',
      { schema: { tags, summary: 'A lesson; the first of each course is open to all, the others in order to signed-in learners', params: LessonParams, response: { 200: Lesson } } },
      async (request) => readLesson(deps, request.actor, request.params.slug, request.params.lesson),
    );
    app.post(
      '/api/courses/:slug/lessons/:lesson/complete',
      { schema: { tags, summary: 'Mark a lesson read; the next one opens', params: LessonParams, response: { 200: LessonProgressResult } } },
      async (request) => completeLesson(deps, actorOf(request), request.params.slug, request.params.lesson),
    );
    app.get(
      '/api/courses/:slug/images/:file',
      { schema: { tags, summary: 'A course picture (SVG)', params: z.object({ slug: CourseParams.shape.slug, file: z.string().regex(/^[a-z0-9][a-z0-9-]*\.svg$/) }) } },
      async (request, reply) => {
        const image = await courseImage(deps, request.params.slug, request.params.file);
        // Pictures change only with a deployment; the CSP keeps an SVG opened on its own from running anything.
        return reply
          .type('image/svg+xml')
          .header('cache-control', 'public, max-age=86400')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(image);
      },
    );
    app.post('/api/courses/:slug/quiz', { schema: { tags, summary: 'Start the quiz, or take up the open attempt', params: CourseParams, response: { 200: QuizAttempt } } }, async (request) =>
      startQuiz(deps, actorOf(request), request.params.slug),
    );
    app.post(
      '/api/courses/:slug/quiz/:attemptId/submit',
      { schema: { tags, summary: 'Hand in the answers; a pass issues the certificate', params: AttemptParams, body: QuizAnswers, response: { 200: QuizResult } } },
      async (request) => submitQuiz(deps, actorOf(request), request.params.slug, request.params.attemptId, request.body),
    );
    app.post(
      '/api/learn/visit-request',
      { schema: { tags, summary: "A resident asks for help at home; it joins the unit's field queue", body: VisitRequestBody, response: { 200: VisitRequestResult } } },
      async (request) => requestHomeVisit(deps, actorOf(request), request.body.note),
    );
    app.get('/api/certificates', { schema: { tags, summary: 'The signed-in learner’s certificates', response: { 200: MyCertificates } } }, async (request) => ({
      certificates: await myCertificates(deps, actorOf(request)),
    }));
    app.get(
      '/api/certificates/:code/verify',
      {
        schema: { tags, summary: 'Public check of a certificate code: 200 with what it states, 404 for any code not issued', params: CertificateCodeParams, response: { 200: CertificatePublic } },
        config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      },
      async (request) => verifyCertificate(deps, request.params.code, originOf(request)),
    );
    app.get(
      '/api/certificates/:code/pdf',
      { schema: { tags, summary: 'One’s own certificate as PDF, with the QR code to the public check', params: CertificateCodeParams } },
      async (request, reply) => {
        const { code, pdf } = await certificatePdf(deps, actorOf(request), request.params.code, siteOrigin(deps, request));
        return reply.type('application/pdf').header('content-disposition', `attachment; filename="chung-nhan-${code}.pdf"`).send(pdf);
      },
    );
  };
}
