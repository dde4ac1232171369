import { z } from 'zod';

/**
 * The catalogue of error codes every Switchboard transport speaks.
 *
 * A service throws `AppError(code, …)`; the HTTP layer answers with the `status` below and an
 * RFC 9457 problem+json body carrying `code`; the socket layer acks `{ ok: false, error: { code, message } }`.
 *
 * @example
 * ```ts
 * import { errorCatalogue } from '@switchboard/protocol';
 * errorCatalogue.not_found.status; // 404
 * ```
 */
export const errorCatalogue = {
  bad_request: { status: 400, title: 'Bad request' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  validation_failed: { status: 400, title: 'The request does not match the schema' },
  invalid_cursor: { status: 400, title: 'The cursor is not valid' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  invalid_credentials: { status: 401, title: 'Email or password is wrong' },
  token_invalid: { status: 401, title: 'The token is invalid' },
  token_expired: { status: 401, title: 'The token has expired' },
  session_revoked: { status: 401, title: 'The session has been revoked or has expired' },
  forbidden: { status: 403, title: 'You may not do this' },
  origin_not_allowed: { status: 403, title: 'This origin is not allowed' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  already_exists: { status: 409, title: 'Already exists' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  unknown_event: { status: 400, title: 'No such socket event' },
  too_many_tasks: { status: 429, title: 'Too many tasks queued or running' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
  llm_not_configured: {
    status: 501,
    title: 'This needs an LLM and none is configured (AI_PROVIDER, AI_BASE_URL, AI_MODEL)',
  },
  llm_failed: { status: 502, title: 'The LLM did not answer (timeout or error, after retries)' },
  file_type_refused: { status: 415, title: 'This kind of file is not accepted' },
  file_type_mismatch: { status: 415, title: 'The file name does not match its content' },
  image_too_large: { status: 422, title: 'The image has too many pixels' },
  file_not_ready: { status: 409, title: 'The file is not available yet (virus scan pending)' },
  file_quarantined: { status: 410, title: 'The file was found infected and is quarantined' },
  range_not_satisfiable: { status: 416, title: 'The requested range is outside the file' },
} as const satisfies Record<string, { status: number; title: string }>;

/** Every error code the API can answer with. */
export type ErrorCode = keyof typeof errorCatalogue;

export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export const ErrorCodeSchema = z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]);

/** One failing field of a `validation_failed` error. */
export const FieldIssueSchema = z.object({
  path: z.string().describe('Dotted path of the failing field, e.g. `body.email`'),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

/**
 * RFC 9457 problem details, as every failed REST call answers (`application/problem+json`).
 *
 * @example
 * ```json
 * { "type": "https://switchboard.dev/errors/validation_failed", "title": "The request does not match the schema",
 *   "status": 400, "code": "validation_failed", "detail": "body.email: Invalid email address",
 *   "instance": "/api/v1/users", "requestId": "4b1e…", "errors": [{ "path": "body.email", "message": "Invalid email address" }] }
 * ```
 */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: ErrorCodeSchema,
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(FieldIssueSchema).optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** The error half of a socket acknowledgement. */
export const SocketErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type SocketError = z.infer<typeof SocketErrorSchema>;

/**
 * Every client → server socket event is acknowledged with this shape.
 *
 * @example
 * ```ts
 * socket.emit('message.send', payload, (ack: Ack<Message>) => { if (!ack.ok) console.warn(ack.error.code); });
 * ```
 */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: SocketError };

/** The problem `type` URI of an error code. */
export function problemType(code: ErrorCode): string {
  return `https://switchboard.dev/errors/${code}`;
}
