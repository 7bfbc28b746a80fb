import {
  FieldProgress,
  IdParams,
  InviteCreate,
  InviteCreated,
  InvitePreview,
  InviteView,
  JoinRequest,
  LoginResponse,
  MemberAssignment,
  ProgressQuery,
  QuotaSet,
  QuotaView,
  TeamCandidate,
  TeamAreasAdd,
  TeamCreate,
  TeamDetail,
  TeamHouseholdPage,
  TeamHouseholdsQuery,
  TeamSummary,
  TeamUpdate,
  TeamsQuery,
} from '@cds/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/deps.ts';
import { actorOf, originOf, setSessionCookie } from '../../platform/http.ts';
import { createInvite, joinTeam, listInvites, previewInvite, revokeInvite } from './invites.service.ts';
import { fieldProgress } from './progress.service.ts';
import { listQuotas, setQuota } from './quotas.service.ts';
import { addTeamAreas, listTeamHouseholds, removeTeamArea } from './team-areas.service.ts';
import { assignTeamHouseholds } from './team-assignments.service.ts';
import { addMember, createTeam, getTeam, listCandidates, listTeams, removeMember, updateTeam } from './teams.service.ts';

const Id = z.coerce.number().int().positive();
const MemberParams = z.object({ id: Id, userId: Id });
const AreaParams = z.object({ id: Id, areaId: Id });

/** Teams, their areas and members, invites, quotas and progress. */
export function fieldTeamRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['field'];
    app.get('/api/teams', { schema: { tags, summary: 'Teams the caller may see', querystring: TeamsQuery, response: { 200: z.array(TeamSummary) } } }, async (request) =>
      listTeams(deps, actorOf(request), request.query),
    );
    app.post('/api/teams', { schema: { tags, summary: 'Set up a team in a unit', body: TeamCreate, response: { 200: TeamDetail } } }, async (request) =>
      createTeam(deps, actorOf(request), request.body),
    );
    app.get('/api/teams/:id', { schema: { tags, summary: 'A team with its members and areas', params: IdParams, response: { 200: TeamDetail } } }, async (request) =>
      getTeam(deps, actorOf(request), request.params.id),
    );
    app.patch('/api/teams/:id', { schema: { tags, summary: 'Rename a team, change its leader, or archive it', params: IdParams, body: TeamUpdate, response: { 200: TeamDetail } } }, async (request) =>
      updateTeam(deps, actorOf(request), request.params.id, request.body),
    );
    app.get(
      '/api/teams/:id/candidates',
      {
        schema: {
          tags,
          summary: 'Volunteers and team leaders of the city who may be added to the team',
          params: IdParams,
          querystring: z.object({ q: z.string().max(100).optional() }),
          response: { 200: z.array(TeamCandidate) },
        },
      },
      async (request) => listCandidates(deps, actorOf(request), request.params.id, request.query.q),
    );
    app.post(
      '/api/teams/:id/members',
      { schema: { tags, summary: 'Add a member', params: IdParams, body: z.object({ userId: z.number().int().positive() }), response: { 200: TeamDetail } } },
      async (request) => addMember(deps, actorOf(request), request.params.id, request.body.userId),
    );
    app.delete(
      '/api/teams/:id/members/:userId',
      { schema: { tags, summary: 'Remove a member; the households the team gave them are taken back', params: MemberParams, response: { 200: TeamDetail } } },
      async (request) => removeMember(deps, actorOf(request), request.params.id, request.params.userId),
    );
    app.post(
      '/api/teams/:id/areas',
      { schema: { tags, summary: 'Give the team neighbourhoods or households of its unit', params: IdParams, body: TeamAreasAdd, response: { 200: TeamDetail } } },
      async (request) => addTeamAreas(deps, actorOf(request), request.params.id, request.body),
    );
    app.delete(
      '/api/teams/:id/areas/:areaId',
      { schema: { tags, summary: 'Take an area back; assignments outside the remaining areas end', params: AreaParams, response: { 200: TeamDetail } } },
      async (request) => removeTeamArea(deps, actorOf(request), request.params.id, request.params.areaId),
    );
    app.get(
      '/api/teams/:id/households',
      { schema: { tags, summary: "The team's households, who has each and its last visit (logged)", params: IdParams, querystring: TeamHouseholdsQuery, response: { 200: TeamHouseholdPage } } },
      async (request) => listTeamHouseholds(deps, actorOf(request), request.params.id, request.query),
    );
    app.post(
      '/api/teams/:id/assignments',
      {
        schema: {
          tags,
          summary: 'Give team households to a member (userId null takes them back)',
          params: IdParams,
          body: MemberAssignment,
          response: { 200: z.object({ assigned: z.number() }) },
        },
      },
      async (request) => assignTeamHouseholds(deps, actorOf(request), request.params.id, request.body),
    );

    app.get('/api/teams/:id/invites', { schema: { tags, summary: "The team's invites", params: IdParams, response: { 200: z.array(InviteView) } } }, async (request) =>
      listInvites(deps, actorOf(request), request.params.id),
    );
    app.post(
      '/api/teams/:id/invites',
      { schema: { tags, summary: 'Make an invite (QR code or link); the token is shown only now', params: IdParams, body: InviteCreate, response: { 200: InviteCreated } } },
      async (request) => createInvite(deps, actorOf(request), request.params.id, request.body),
    );
    app.post('/api/invites/:id/revoke', { schema: { tags, summary: 'Revoke an invite', params: IdParams, response: { 200: InviteView } } }, async (request) =>
      revokeInvite(deps, actorOf(request), request.params.id),
    );
    // Guessing tokens is hopeless (256 bits), but both answer without a session: slowed like sign-in.
    const inviteRateLimit = { max: deps.config.loginRatePerMinute, timeWindow: '1 minute' };
    app.get(
      '/api/field/invites/preview',
      {
        schema: { tags, summary: 'What an invite asks to join (no sign-in needed)', querystring: z.object({ token: z.string().min(20).max(200) }), response: { 200: InvitePreview } },
        config: { rateLimit: inviteRateLimit },
      },
      async (request) => previewInvite(deps, request.query.token),
    );
    app.post(
      '/api/field/join',
      {
        schema: { tags, summary: 'Join a team by invite: makes a volunteer account and signs it in', body: JoinRequest, response: { 200: LoginResponse } },
        config: { rateLimit: inviteRateLimit },
      },
      async (request, reply) => {
        const result = await joinTeam(deps, request.body, originOf(request));
        setSessionCookie(reply, result.token, deps.config.cookieSecure, deps.config.sessionMaxHours * 3600);
        return { user: result.me, csrfToken: result.csrfToken };
      },
    );

    app.get('/api/teams/:id/quotas', { schema: { tags, summary: "The team's quotas and how far each is", params: IdParams, response: { 200: z.array(QuotaView) } } }, async (request) =>
      listQuotas(deps, actorOf(request), request.params.id),
    );
    app.put('/api/teams/:id/quotas', { schema: { tags, summary: 'Set a quota for the team or one member', params: IdParams, body: QuotaSet, response: { 200: QuotaView } } }, async (request) =>
      setQuota(deps, actorOf(request), request.params.id, request.body),
    );
    app.get('/api/field/progress', { schema: { tags, summary: 'Campaign progress in the caller’s area (aggregates)', querystring: ProgressQuery, response: { 200: FieldProgress } } }, async (request) =>
      fieldProgress(deps, actorOf(request), request.query),
    );
  };
}
