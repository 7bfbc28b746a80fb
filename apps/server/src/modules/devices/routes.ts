import {
  AllocationCancel,
  AllocationCreate,
  AllocationPage,
  AllocationView,
  AllocationsQuery,
  DeliveryCreate,
  DeviceNeedPage,
  DeviceNeedsQuery,
  DeviceReportQuery,
  DeviceRequestCreate,
  DeviceRequestResult,
  DeviceSupportPublic,
  FollowUpRecord,
  HandoverRecord,
  HandoverSchedule,
  HandoverScheduled,
  IdParams,
  PledgeCancel,
  PledgeCreate,
  PledgeView,
  PledgesQuery,
  PriorityRule,
  PriorityRuleParams,
  PriorityRuleUpdate,
  SponsorCreate,
  SponsorDecision,
  SponsorPortal,
  SponsorRegistered,
  SponsorRegistration,
  SponsorsQuery,
  SponsorView,
  StockQuery,
  StockView,
} from '@cds/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/deps.ts';
import { XLSX_MEDIA_TYPE, actorOf, originOf, sendWorkbook } from '../../platform/http.ts';
import { allocateDevice, cancelAllocation, getAllocation, listAllocations } from './allocations.service.ts';
import { recordFollowUp, recordHandover, scheduleHandover } from './handover.service.ts';
import { createDeviceRequest, listDeviceNeeds } from './needs.service.ts';
import { listPriorityRules, updatePriorityRule } from './rules.service.ts';
import { cancelPledge, createPledge, createSponsor, listPledges, listSponsors, listStock, receiveDevices } from './sponsors.service.ts';
import { decideSponsor, registerSponsor } from './sponsor-registration.service.ts';
import { prepareUnitDeviceReport, publicDeviceSupport, sponsorPortal, writeSponsorReport, writeUnitDeviceReport } from './transparency.service.ts';

/** Device support: needs and priority, sponsors and pledges, stock, allocation, handover, transparency. */
export function deviceSupportRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['devices'];
    app.get('/api/devices/priority-rules', { schema: { tags, summary: 'The priority rules for sponsored devices', response: { 200: z.array(PriorityRule) } } }, async (request) =>
      listPriorityRules(deps, actorOf(request)),
    );
    app.put(
      '/api/devices/priority-rules/:code',
      { schema: { tags, summary: 'Change a priority rule’s points, label or whether it applies (city)', params: PriorityRuleParams, body: PriorityRuleUpdate, response: { 200: PriorityRule } } },
      async (request) => updatePriorityRule(deps, actorOf(request), request.params.code, request.body),
    );
    app.get(
      '/api/devices/needs',
      { schema: { tags, summary: 'Households that need a device, by priority, in the caller’s area', querystring: DeviceNeedsQuery, response: { 200: DeviceNeedPage } } },
      async (request) => listDeviceNeeds(deps, actorOf(request), request.query),
    );
    app.post(
      '/api/devices/requests',
      { schema: { tags, summary: 'Ask for a device for a household (a resident for their own, or recorded by an official)', body: DeviceRequestCreate, response: { 200: DeviceRequestResult } } },
      async (request) => createDeviceRequest(deps, actorOf(request), request.body),
    );
    app.get(
      '/api/devices/sponsors',
      { schema: { tags, summary: 'Sponsors of the city, registrations waiting first', querystring: SponsorsQuery, response: { 200: z.array(SponsorView) } } },
      async (request) => listSponsors(deps, actorOf(request), request.query),
    );
    app.post(
      '/api/devices/sponsors/:id/decision',
      { schema: { tags, summary: 'Approve a sponsor’s registration (their login may sign in) or decline it with a reason (city)', params: IdParams, body: SponsorDecision, response: { 200: SponsorView } } },
      async (request) => decideSponsor(deps, actorOf(request), request.params.id, request.body),
    );
    app.post(
      '/api/public/sponsor-registrations',
      {
        schema: { tags: ['public'], summary: 'Register as a sponsor; the login works once the city approves', body: SponsorRegistration, response: { 200: SponsorRegistered } },
        // The database's count (three an hour per address, sponsor-registration.service.ts) is the
        // rule; this in-memory limit only stops a flood before each request pays for a password hash.
        config: { rateLimit: { max: 10, timeWindow: '1 hour', hook: 'preHandler' } },
      },
      async (request) => registerSponsor(deps, originOf(request), request.body),
    );
    app.post('/api/devices/sponsors', { schema: { tags, summary: 'Register a sponsor (city)', body: SponsorCreate, response: { 200: SponsorView } } }, async (request) =>
      createSponsor(deps, actorOf(request), request.body),
    );
    app.get(
      '/api/devices/pledges',
      { schema: { tags, summary: 'Pledges (a sponsor sees only their own)', querystring: PledgesQuery, response: { 200: z.array(PledgeView) } } },
      async (request) => listPledges(deps, actorOf(request), request.query),
    );
    app.post('/api/devices/pledges', { schema: { tags, summary: 'Pledge devices or money per device', body: PledgeCreate, response: { 200: PledgeView } } }, async (request) =>
      createPledge(deps, actorOf(request), request.body),
    );
    app.post(
      '/api/devices/pledges/:id/cancel',
      { schema: { tags, summary: 'Withdraw a pledge nothing has been received from, saying why (city)', params: IdParams, body: PledgeCancel, response: { 200: PledgeView } } },
      async (request) => cancelPledge(deps, actorOf(request), request.params.id, request.body.reason),
    );
    app.get('/api/devices/stock', { schema: { tags, summary: 'Devices units received and have left', querystring: StockQuery, response: { 200: z.array(StockView) } } }, async (request) =>
      listStock(deps, actorOf(request), request.query),
    );
    app.post(
      '/api/devices/deliveries',
      { schema: { tags, summary: 'Record devices of a pledge received by a unit', body: DeliveryCreate, response: { 200: StockView } } },
      async (request) => receiveDevices(deps, actorOf(request), request.body),
    );
    app.get(
      '/api/devices/allocations',
      { schema: { tags, summary: 'Allocations in the caller’s area, newest first', querystring: AllocationsQuery, response: { 200: AllocationPage } } },
      async (request) => listAllocations(deps, actorOf(request), request.query),
    );
    app.post(
      '/api/devices/allocations',
      { schema: { tags, summary: 'Allocate a device of the unit’s stock to a household', body: AllocationCreate, response: { 200: AllocationView } } },
      async (request) => allocateDevice(deps, actorOf(request), request.body),
    );
    app.get(
      '/api/devices/allocations/:id',
      { schema: { tags, summary: 'One allocation with its handover and follow-up', params: IdParams, response: { 200: AllocationView } } },
      async (request) => getAllocation(deps, actorOf(request), request.params.id),
    );
    app.post(
      '/api/devices/allocations/:id/cancel',
      { schema: { tags, summary: 'Cancel an allocation before the handover; the device returns to stock', params: IdParams, body: AllocationCancel, response: { 200: AllocationView } } },
      async (request) => cancelAllocation(deps, actorOf(request), request.params.id, request.body.reason),
    );
    app.post(
      '/api/devices/allocations/:id/schedule',
      { schema: { tags, summary: 'Schedule the handover and make the recipient’s one-time code', params: IdParams, body: HandoverSchedule, response: { 200: HandoverScheduled } } },
      async (request) => scheduleHandover(deps, actorOf(request), request.params.id, request.body),
    );
    app.post(
      '/api/devices/allocations/:id/handover',
      { schema: { tags, summary: 'Record the handover: IMEI, confirmation, photo; the device element becomes a fact', params: IdParams, body: HandoverRecord, response: { 200: AllocationView } } },
      async (request) => recordHandover(deps, actorOf(request), request.params.id, request.body),
    );
    app.post(
      '/api/devices/allocations/:id/follow-up',
      { schema: { tags, summary: 'Record whether the device is in use a month after the handover', params: IdParams, body: FollowUpRecord, response: { 200: AllocationView } } },
      async (request) => recordFollowUp(deps, actorOf(request), request.params.id, request.body),
    );
    app.get(
      '/api/devices/report.xlsx',
      { schema: { tags, summary: 'A unit’s device report (stock, allocations, handovers) as a workbook', querystring: DeviceReportQuery, produces: [XLSX_MEDIA_TYPE] } },
      async (request, reply) => {
        const report = await prepareUnitDeviceReport(deps, actorOf(request), request.query.unit);
        return sendWorkbook(reply, `thiet-bi-${report.unitCode}-${report.asOf}.xlsx`, (output) => writeUnitDeviceReport(report, output));
      },
    );
    app.get('/api/devices/portal', { schema: { tags, summary: 'The sponsor’s own pledges and where their devices went (counts only)', response: { 200: SponsorPortal } } }, async (request) =>
      sponsorPortal(deps, actorOf(request)),
    );
    app.get(
      '/api/devices/portal/report.xlsx',
      { schema: { tags, summary: 'The sponsor’s own report as a workbook', produces: [XLSX_MEDIA_TYPE] } },
      async (request, reply) => {
        const portal = await sponsorPortal(deps, actorOf(request));
        return sendWorkbook(reply, `tai-tro-thiet-bi-${portal.sponsor.id}-${deps.today()}.xlsx`, (output) => writeSponsorReport(portal, output));
      },
    );
    app.get(
      '/api/public/device-support',
      { schema: { tags: ['public'], summary: 'Device support in figures, by unit and sponsor; no sign-in, no personal data', response: { 200: DeviceSupportPublic } } },
      async () => publicDeviceSupport(deps),
    );
  };
}
