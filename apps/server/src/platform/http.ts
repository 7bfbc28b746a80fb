import type { Me } from '@cds/contract';
import { PassThrough, type Writable } from 'node:stream';
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

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Streams a workbook as a download. Callers check access (and audit) before calling, so a refusal
 * is still a JSON error; a failure mid-stream ends the download rather than sending a broken file as whole.
 */
export function sendWorkbook(reply: FastifyReply, fileName: string, write: (output: Writable) => Promise<void>) {
  const output = new PassThrough();
  write(output).catch((error: unknown) => output.destroy(error as Error));
  reply.header('content-type', XLSX_MEDIA_TYPE).header('content-disposition', `attachment; filename="${fileName}"`);
  return reply.send(output);
}
