import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../platform/deps.ts';

/** The field app's devices, download and sync; refused sends, conflicts, visits and needs. */
export function fieldSyncRoutes(_deps: AppDeps): FastifyPluginAsync {
  return async () => {};
}
