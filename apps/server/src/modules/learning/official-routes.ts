import {
  CompetitionCreate,
  CompetitionList,
  CompetitionMembersResult,
  CompetitionMembersUpload,
  CompetitionStandings,
  CompetitionUpdate,
  CompetitionView,
  IdParams,
  LearnerProgressList,
  LearnerProgressQuery,
  LearnerProgressSummary,
  LearnerProgressSummaryQuery,
  PublicCompetitionList,
} from '@cds/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.ts';
import { XLSX_MEDIA_TYPE, actorOf, sendWorkbook } from '../../platform/http.ts';
import {
  addCompetitionMembers,
  competitionStandings,
  createCompetition,
  getCompetition,
  listCompetitions,
  prepareCompetitionReport,
  publicCompetitions,
  writeCompetitionReport,
} from './competitions.service.ts';
import { updateCompetition } from './competition-edit.service.ts';
import { learnerProgressSummary, listLearnerProgress, prepareProgressExport, writeProgressExport } from './learner-progress.service.ts';

/** Officials' side of the learning site: competitions and their standings, learners' progress, exports. */
export function learningOfficialRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['learning'];
    app.get('/api/competitions', { schema: { tags, summary: 'Competitions touching the reader’s units (the city’s for city staff)', response: { 200: CompetitionList } } }, async (request) => ({
      items: await listCompetitions(deps, actorOf(request)),
    }));
    app.post('/api/competitions', { schema: { tags, summary: 'Create a competition for some units, or for a list uploaded afterwards', body: CompetitionCreate, response: { 200: CompetitionView } } }, async (request) =>
      createCompetition(deps, actorOf(request), request.body),
    );
    app.get('/api/competitions/:id', { schema: { tags, summary: 'A competition', params: IdParams, response: { 200: CompetitionView } } }, async (request) =>
      getCompetition(deps, actorOf(request), request.params.id),
    );
    app.patch(
      '/api/competitions/:id',
      { schema: { tags, summary: 'Change a competition’s name, description, dates or courses (who runs it)', params: IdParams, body: CompetitionUpdate, response: { 200: CompetitionView } } },
      async (request) => updateCompetition(deps, actorOf(request), request.params.id, request.body),
    );
    app.post(
      '/api/competitions/:id/members',
      {
        schema: { tags, summary: 'Add people to a list competition; bad rows come back with reasons, good rows are kept', params: IdParams, body: CompetitionMembersUpload, response: { 200: CompetitionMembersResult } },
        // 5,000 rows of a pasted list fit well within 2 MB.
        bodyLimit: 2 * 1024 * 1024,
      },
      async (request) => addCompetitionMembers(deps, actorOf(request), request.params.id, request.body),
    );
    app.get('/api/competitions/:id/standings', { schema: { tags, summary: 'Participation and completion by unit, totals and leaderboard', params: IdParams, response: { 200: CompetitionStandings } } }, async (request) =>
      competitionStandings(deps, actorOf(request), request.params.id),
    );
    app.get(
      '/api/competitions/:id/report.xlsx',
      { schema: { tags, summary: 'The standings (and, for a list, its members’ progress) as Excel (logged as an export)', params: IdParams, produces: [XLSX_MEDIA_TYPE] } },
      async (request, reply) => {
        const prepared = await prepareCompetitionReport(deps, actorOf(request), request.params.id);
        return sendWorkbook(reply, `cuoc-thi-${request.params.id}-${prepared.standings.asOf}.xlsx`, (output) => writeCompetitionReport(prepared, output));
      },
    );
    // Anyone may ask, and each answer aggregates whole units: a minute-old answer is served to all
    // (standings move by the day), and one address may not ask more than a few times a minute.
    let cached: { at: number; items: Promise<Awaited<ReturnType<typeof publicCompetitions>>> } | null = null;
    app.get(
      '/api/public/competitions',
      {
        schema: { tags, summary: 'Running and recent competitions with unit standings: counts and rates, no names', response: { 200: PublicCompetitionList } },
        config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      },
      async () => {
        if (!cached || Date.now() - cached.at > 60_000) {
          const items = publicCompetitions(deps);
          cached = { at: Date.now(), items };
          items.catch(() => (cached = null));
        }
        return { items: await cached.items };
      },
    );

    app.get('/api/learning/progress', { schema: { tags, summary: 'Learners in the reader’s units by name, with lessons and certificates (logged)', querystring: LearnerProgressQuery, response: { 200: LearnerProgressList } } }, async (request) =>
      listLearnerProgress(deps, actorOf(request), request.query),
    );
    app.get(
      '/api/learning/progress/summary',
      { schema: { tags, summary: 'Per course: learners in scope who started and who passed', querystring: LearnerProgressSummaryQuery, response: { 200: LearnerProgressSummary } } },
      async (request) => learnerProgressSummary(deps, actorOf(request), request.query.unit),
    );
    app.get(
      '/api/learning/progress.xlsx',
      { schema: { tags, summary: 'Learners’ progress as Excel (logged as an export)', querystring: LearnerProgressQuery.pick({ unit: true, course: true }), produces: [XLSX_MEDIA_TYPE] } },
      async (request, reply) => {
        const prepared = await prepareProgressExport(deps, actorOf(request), request.query);
        return sendWorkbook(reply, `tien-do-hoc-tap-${request.query.unit ?? 'tat-ca'}-${deps.today()}.xlsx`, (output) => writeProgressExport(prepared, output));
      },
    );
  };
}
