import {
  ConflictDecision,
  ConflictPage,
  ConflictView,
  ConflictsQuery,
  DeviceEnrol,
  DeviceEnrolled,
  DeviceView,
  FIELD_DEVICE_HEADER,
  FieldBundle,
  IdParams,
  NeedView,
  RefusalDecision,
  RefusalPage,
  RefusalView,
  RefusalsQuery,
  SyncBatch,
  SyncResult,
  UnitCode,
  VisitView,
} from '@cds/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http.ts';
import { fieldBundle } from './bundle.service.ts';
import { decideConflict, listConflicts } from './conflicts.service.ts';
import { deviceOf, enrolDevice, listDevices, revokeDevice, touchDevice } from './devices.service.ts';
import { decideRefusal, listRefusals } from './refusals.service.ts';
import { syncBatch } from './sync.service.ts';
import { closeNeed, householdNeedsOf, householdVisits } from './visits.service.ts';

const DeviceHeaders = z.object({ [FIELD_DEVICE_HEADER]: z.string().max(200).optional().describe('The token given at enrolment') });

/** The field app's devices, download and sync; refused sends, conflicts, visits and needs. */
export function fieldSyncRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['field'];
    app.post('/api/field/devices', { schema: { tags, summary: 'Enrol this phone or browser; the token is shown once', body: DeviceEnrol, response: { 200: DeviceEnrolled } } }, async (request) =>
      enrolDevice(deps, actorOf(request), request.body),
    );
    app.get(
      '/api/field/devices',
      {
        schema: {
          tags,
          summary: 'Devices of the people the reader oversees (their own for a volunteer)',
          querystring: z.object({ team: z.coerce.number().int().positive().optional(), unit: UnitCode.optional() }),
          response: { 200: z.array(DeviceView) },
        },
      },
      async (request) => listDevices(deps, actorOf(request), request.query),
    );
    app.post(
      '/api/field/devices/:id/revoke',
      { schema: { tags, summary: 'Stop a device syncing; what it sends later is kept for review', params: IdParams, response: { 200: DeviceView } } },
      async (request) => revokeDevice(deps, actorOf(request), request.params.id),
    );

    app.get(
      '/api/field/bundle',
      { schema: { tags, summary: "The households to visit and what a visit needs of each member (audited)", headers: DeviceHeaders, response: { 200: FieldBundle } } },
      async (request) => {
        const actor = actorOf(request);
        const device = await deviceOf(deps, actor, request.headers[FIELD_DEVICE_HEADER]);
        const bundle = await fieldBundle(deps, actor, device);
        await touchDevice(deps, device.id, null);
        return bundle;
      },
    );
    app.post(
      '/api/field/sync',
      {
        schema: { tags, summary: 'Send visits; each is stored, found a duplicate, or refused and kept', headers: DeviceHeaders, body: SyncBatch, response: { 200: SyncResult } },
        // A day's round offline can be a few hundred visits with their people: room for a full batch.
        bodyLimit: 4 * 1_048_576,
      },
      async (request) => {
        const actor = actorOf(request);
        const device = await deviceOf(deps, actor, request.headers[FIELD_DEVICE_HEADER]);
        return syncBatch(deps, actor, device, request.body);
      },
    );

    app.get('/api/field/refusals', { schema: { tags, summary: 'Refused sends kept for review', querystring: RefusalsQuery, response: { 200: RefusalPage } } }, async (request) =>
      listRefusals(deps, actorOf(request), request.query),
    );
    app.post(
      '/api/field/refusals/:id/decision',
      { schema: { tags, summary: 'Accept a kept send (stored as if sent) or dismiss it with a reason', params: IdParams, body: RefusalDecision, response: { 200: RefusalView } } },
      async (request) => decideRefusal(deps, actorOf(request), request.params.id, request.body),
    );

    app.get('/api/field/conflicts', { schema: { tags, summary: 'Visit values a newer fact contradicts', querystring: ConflictsQuery, response: { 200: ConflictPage } } }, async (request) =>
      listConflicts(deps, actorOf(request), request.query),
    );
    app.post(
      '/api/field/conflicts/:id/decision',
      { schema: { tags, summary: "Keep the newer fact, or accept the visit's value as a correction", params: IdParams, body: ConflictDecision, response: { 200: ConflictView } } },
      async (request) => decideConflict(deps, actorOf(request), request.params.id, request.body.decision),
    );

    app.get('/api/households/:id/visits', { schema: { tags, summary: "A household's visits, newest first", params: IdParams, response: { 200: z.array(VisitView) } } }, async (request) =>
      householdVisits(deps, actorOf(request), request.params.id),
    );
    app.get('/api/households/:id/needs', { schema: { tags, summary: "A household's needs noted at the door", params: IdParams, response: { 200: z.array(NeedView) } } }, async (request) =>
      householdNeedsOf(deps, actorOf(request), request.params.id),
    );
    app.post(
      '/api/needs/:id/close',
      { schema: { tags, summary: 'Close a need as met or cancelled', params: IdParams, body: z.object({ status: z.enum(['met', 'cancelled']) }), response: { 200: NeedView } } },
      async (request) => closeNeed(deps, actorOf(request), request.params.id, request.body.status),
    );
  };
}
