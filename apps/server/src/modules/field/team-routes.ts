import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../platform/deps.ts';

/** Teams, their areas and members, invites, quotas and progress. */
export function fieldTeamRoutes(_deps: AppDeps): FastifyPluginAsync {
  return async () => {};
}
