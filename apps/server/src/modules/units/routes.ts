import {
  Neighbourhood,
  NeighbourhoodCreateBody,
  NeighbourhoodList,
  NeighbourhoodMergeBody,
  NeighbourhoodParams,
  NeighbourhoodRenameBody,
  UnitDetail,
  UnitList,
  UnitParams,
  UnitsQuery,
} from '@cds/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http.ts';
import { addNeighbourhood, getUnit, listNeighbourhoods, listUnits, mergeNeighbourhood, renameNeighbourhood } from './units.service.ts';

export function unitRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['units'];
    app.get('/api/units', { schema: { tags, summary: 'Units the reader may see, with registry counts', querystring: UnitsQuery, response: { 200: UnitList } } }, async (request) =>
      listUnits(deps, actorOf(request), request.query),
    );
    app.get('/api/units/:code', { schema: { tags, summary: 'One unit, with the wards it was formed from', params: UnitParams, response: { 200: UnitDetail } } }, async (request) =>
      getUnit(deps, actorOf(request), request.params.code),
    );
    app.get(
      '/api/units/:code/neighbourhoods',
      { schema: { tags, summary: 'Neighbourhoods (khu phố / ấp) of a unit', params: UnitParams, response: { 200: NeighbourhoodList } } },
      async (request) => ({ items: await listNeighbourhoods(deps, actorOf(request), request.params.code) }),
    );
    app.post(
      '/api/units/:code/neighbourhoods',
      { schema: { tags, summary: 'Add a neighbourhood', params: UnitParams, body: NeighbourhoodCreateBody, response: { 200: Neighbourhood } } },
      async (request) => addNeighbourhood(deps, actorOf(request), request.params.code, request.body.name),
    );
    app.patch(
      '/api/neighbourhoods/:id',
      { schema: { tags, summary: 'Rename a neighbourhood', params: NeighbourhoodParams, body: NeighbourhoodRenameBody, response: { 200: Neighbourhood } } },
      async (request) => renameNeighbourhood(deps, actorOf(request), request.params.id, request.body.name),
    );
    app.post(
      '/api/neighbourhoods/:id/merge',
      {
        schema: {
          tags,
          summary: 'Merge a neighbourhood into another of the same unit; its households move',
          params: NeighbourhoodParams,
          body: NeighbourhoodMergeBody,
          response: { 200: Neighbourhood },
        },
      },
      async (request) => mergeNeighbourhood(deps, actorOf(request), request.params.id, request.body.intoId),
    );
  };
}
