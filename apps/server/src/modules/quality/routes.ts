import { UnitDataQuality, UnitParams } from '@cds/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http.ts';
import { getUnitDataQuality } from './quality.service.ts';

export function qualityRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['units'];
    app.get(
      '/api/units/:code/data-quality',
      {
        schema: {
          tags,
          summary: 'Data quality of a unit: completeness, suspected duplicates, households without head or members, rows waiting for a person',
          params: UnitParams,
          response: { 200: UnitDataQuality },
        },
      },
      async (request) => getUnitDataQuality(deps, actorOf(request), request.params.code),
    );
  };
}
