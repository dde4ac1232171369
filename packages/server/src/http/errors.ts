import { type FieldIssue, type Problem, problemType } from '@switchboard/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { normalizeError } from '../normalize-error.js';

export { normalizeError } from '../normalize-error.js';

export function toProblem(appErr: AppError, request: FastifyRequest): Problem {
  const errors = (appErr.details as { errors?: FieldIssue[] } | undefined)?.errors;
  return {
    type: problemType(appErr.code),
    title: appErr.code === 'internal' ? 'Internal server error' : appErr.message,
    status: appErr.status,
    code: appErr.code,
    ...(appErr.code === 'internal' ? {} : { detail: appErr.message }),
    instance: request.url.split('?')[0],
    requestId: request.id,
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, appErr: AppError): FastifyReply {
  const problem = toProblem(appErr, reply.request);
  reply.server.platform.metrics.errors.inc({ code: appErr.code });
  const retryAfter = (appErr.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

/** Fastify's error handler: problem+json for every failure; internals only in the log. */
export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appErr = normalizeError(err);
  if (appErr.code === 'internal') request.log.error({ err }, 'unhandled error');
  else request.log.info({ code: appErr.code }, appErr.message);
  return sendProblem(reply, appErr);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, new AppError('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
}
