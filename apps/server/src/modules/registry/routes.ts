import {
  DistinctBody,
  DistinctPairList,
  DistinctPairView,
  DistinctPairsQuery,
  DistinctParams,
  FactCreateBody,
  FactView,
  HouseholdCreateBody,
  HouseholdDetail,
  HouseholdList,
  HouseholdSummary,
  HouseholdUpdateBody,
  HouseholdsQuery,
  IdParams,
  OrganisationCreateBody,
  OrganisationList,
  OrganisationView,
  OrganisationsQuery,
  RecordAccount,
  RecordAccountUnlinkBody,
  ResidentCreateBody,
  ResidentDetail,
  ResidentList,
  ResidentMergeBody,
  ResidentMergeList,
  ResidentMergeView,
  ResidentMergesQuery,
  ResidentUpdateBody,
  ResidentsQuery,
  RevealBody,
  RevealResponse,
  UnitCode,
} from '@cds/contract';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.ts';
import { XLSX_MEDIA_TYPE, actorOf, sendWorkbook } from '../../platform/http.ts';
import { confirmRecordAccount, unlinkRecordAccount } from '../access/record-accounts.service.ts';
import { prepareUnitExport, writeUnitExport } from './export.service.ts';
import { listResidentFacts, recordResidentFact } from './facts.service.ts';
import { createHousehold, getHousehold, listHouseholds, updateHousehold } from './households.service.ts';
import { listDistinctPairs, listResidentMerges, markDistinct, mergeResidents, undoResidentMerge, unmarkDistinct } from './merges.service.ts';
import { createOrganisation, listOrganisations } from './organisations.service.ts';
import { createResident, getResident, revealResidentField, searchResidents, updateResident } from './residents.service.ts';

export function registryRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['registry'];
    app.get('/api/households', { schema: { tags, summary: "A unit's households, keyset-paged", querystring: HouseholdsQuery, response: { 200: HouseholdList } } }, async (request) =>
      listHouseholds(deps, actorOf(request), request.query),
    );
    app.get('/api/households/:id', { schema: { tags, summary: 'A household with its members and their four elements', params: IdParams, response: { 200: HouseholdDetail } } }, async (request) =>
      getHousehold(deps, actorOf(request), request.params.id),
    );
    app.post('/api/households', { schema: { tags, summary: 'Register a household', body: HouseholdCreateBody, response: { 200: HouseholdSummary } } }, async (request) =>
      createHousehold(deps, actorOf(request), request.body),
    );
    app.patch(
      '/api/households/:id',
      { schema: { tags, summary: 'Change a household', params: IdParams, body: HouseholdUpdateBody, response: { 200: HouseholdSummary } } },
      async (request) => updateHousehold(deps, actorOf(request), request.params.id, request.body),
    );

    app.get('/api/residents', { schema: { tags, summary: 'Search residents by name or ID digits, keyset-paged', querystring: ResidentsQuery, response: { 200: ResidentList } } }, async (request) =>
      searchResidents(deps, actorOf(request), request.query),
    );
    app.get(
      '/api/residents/export.xlsx',
      {
        schema: {
          tags,
          summary: "A unit's residents as an Excel workbook, masked as on screen (logged as an export)",
          querystring: z.object({ unit: UnitCode }),
          produces: [XLSX_MEDIA_TYPE],
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        // Authorisation and the audit record come before any byte is sent.
        const prepared = await prepareUnitExport(deps, actor, request.query.unit);
        return sendWorkbook(reply, `nhan-khau-${request.query.unit}-${deps.today()}.xlsx`, (output) => writeUnitExport(deps, actor, prepared, output));
      },
    );
    app.get('/api/residents/:id', { schema: { tags, summary: 'A resident with the four elements and the facts behind them', params: IdParams, response: { 200: ResidentDetail } } }, async (request) =>
      getResident(deps, actorOf(request), request.params.id),
    );
    app.post('/api/residents', { schema: { tags, summary: 'Register a resident in a household', body: ResidentCreateBody, response: { 200: ResidentDetail } } }, async (request) =>
      createResident(deps, actorOf(request), request.body),
    );
    app.patch(
      '/api/residents/:id',
      { schema: { tags, summary: 'Change a resident', params: IdParams, body: ResidentUpdateBody, response: { 200: ResidentDetail } } },
      async (request) => updateResident(deps, actorOf(request), request.params.id, request.body),
    );
    app.get(
      '/api/residents/:id/facts',
      { schema: { tags, summary: 'Every fact recorded about a resident, newest first', params: IdParams, response: { 200: z.object({ items: z.array(FactView) }) } } },
      async (request) => ({ items: await listResidentFacts(deps, actorOf(request), request.params.id) }),
    );
    app.post(
      '/api/residents/:id/facts',
      { schema: { tags, summary: 'Record a fact (a correction names the fact it corrects)', params: IdParams, body: FactCreateBody, response: { 200: FactView } } },
      async (request) => recordResidentFact(deps, actorOf(request), request.params.id, request.body),
    );
    app.post(
      '/api/residents/:id/reveal',
      { schema: { tags, summary: 'Show one full citizen ID or phone number (logged)', params: IdParams, body: RevealBody, response: { 200: RevealResponse } } },
      async (request) => ({ field: request.body.field, value: await revealResidentField(deps, actorOf(request), request.params.id, request.body.field) }),
    );
    // The resident's learning-site account, seen to by an official of the unit (record-accounts.service.ts).
    app.post(
      '/api/residents/:id/account/confirm',
      { schema: { tags, summary: 'Confirm that the account holding this record is the person’s (papers seen in person)', params: IdParams, response: { 200: RecordAccount } } },
      async (request) => confirmRecordAccount(deps, actorOf(request), request.params.id),
    );
    app.post(
      '/api/residents/:id/account/unlink',
      { schema: { tags, summary: 'Remove the link of an account that is not this person’s; its passes’ facts on the record are withdrawn', params: IdParams, body: RecordAccountUnlinkBody, response: { 200: z.object({ ok: z.literal(true) }) } } },
      async (request) => {
        await unlinkRecordAccount(deps, actorOf(request), request.params.id, request.body.reason);
        return { ok: true as const };
      },
    );

    // Suspected duplicates, decided by an official (merges.service.ts); every decision can be undone.
    app.post(
      '/api/residents/:id/merge',
      {
        schema: {
          tags,
          summary: 'Merge this resident into another record (same person): it leaves every list, its facts show on the record kept',
          params: IdParams,
          body: ResidentMergeBody,
          response: { 200: ResidentMergeView },
        },
      },
      async (request) => mergeResidents(deps, actorOf(request), request.params.id, request.body),
    );
    app.post(
      '/api/resident-merges/:id/undo',
      { schema: { tags, summary: 'Undo a merge: the merged record comes back exactly as it was', params: IdParams, response: { 200: ResidentMergeView } } },
      async (request) => undoResidentMerge(deps, actorOf(request), request.params.id),
    );
    app.get(
      '/api/resident-merges',
      { schema: { tags, summary: 'Merges touching one unit, newest first', querystring: ResidentMergesQuery, response: { 200: ResidentMergeList } } },
      async (request) => ({ items: await listResidentMerges(deps, actorOf(request), request.query) }),
    );
    app.post(
      '/api/residents/:id/distinct',
      {
        schema: {
          tags,
          summary: 'Mark two suspected duplicates as two different people (the data quality view stops listing the pair)',
          params: IdParams,
          body: DistinctBody,
          response: { 200: DistinctPairView },
        },
      },
      async (request) => markDistinct(deps, actorOf(request), request.params.id, request.body.otherResidentId),
    );
    app.get(
      '/api/resident-distinct-pairs',
      { schema: { tags, summary: 'Standing "two different people" marks with a record in one unit', querystring: DistinctPairsQuery, response: { 200: DistinctPairList } } },
      async (request) => ({ items: await listDistinctPairs(deps, actorOf(request), request.query) }),
    );
    app.delete(
      '/api/residents/:id/distinct/:otherId',
      { schema: { tags, summary: 'Withdraw a "two different people" mark', params: DistinctParams, response: { 200: DistinctPairView } } },
      async (request) => unmarkDistinct(deps, actorOf(request), request.params.id, request.params.otherId),
    );

    app.get('/api/organisations', { schema: { tags, summary: 'Organisations of a unit', querystring: OrganisationsQuery, response: { 200: OrganisationList } } }, async (request) =>
      listOrganisations(deps, actorOf(request), request.query),
    );
    app.post('/api/organisations', { schema: { tags, summary: 'Register an organisation', body: OrganisationCreateBody, response: { 200: OrganisationView } } }, async (request) =>
      createOrganisation(deps, actorOf(request), request.body),
    );
  };
}
