import type { Me } from '@cds/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../modules/access/actor.ts';
import { AppError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    me: Me | null;
    sessionToken: string | null;
    csrfToken: string | null;
  }
}

export const SESSION_COOKIE = 'cds_session';

/** The signed-in actor, or UNAUTHENTICATED. Every personal route starts here. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return request.actor;
}

export function originOf(request: FastifyRequest) {
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent.slice(0, 300) : null };
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean, maxAgeSeconds: number) {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: maxAgeSeconds });
}
