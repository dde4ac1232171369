import type { FieldIssue } from '@switchboard/protocol';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError } from './errors.js';

// Shared by both transports (http/errors.ts, socket/ack.ts), so neither imports the other.

function zodIssues(err: ZodError, prefix?: string): FieldIssue[] {
  return err.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: i.message,
  }));
}

function validationError(errors: FieldIssue[]): AppError {
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new AppError('validation_failed', detail, { errors });
}

/**
 * Turn anything thrown into an AppError. Known client mistakes get their code; everything else becomes
 * `internal`, and the caller logs the original.
 */
export function normalizeError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return validationError(zodIssues(err));
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext;
    return validationError(
      err.validation.map((v) => ({
        path: [context, ...v.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.') || '(root)',
        message: v.message ?? 'invalid',
      })),
    );
  }
  const fe = err as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('malformed_json', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', 'The request declares a JSON body but sends none');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', fe.message);
  }
  if (fe.statusCode === 429) return new AppError('rate_limited', fe.message);
  if (fe.statusCode === 404) return new AppError('not_found', fe.message);
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('bad_request', fe.message);
  }
  return new AppError('internal');
}
