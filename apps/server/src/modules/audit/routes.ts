import { AuditList, AuditQuery } from '@cds/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http.ts';
import { searchAudit } from './audit.service.ts';

export function auditRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/audit',
      { schema: { tags: ['audit'], summary: 'Search the audit log (auditors and city admins)', querystring: AuditQuery, response: { 200: AuditList } } },
      async (request) => searchAudit(deps, actorOf(request), request.query),
    );
  };
}
