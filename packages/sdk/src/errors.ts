import type { ErrorCode } from '@switchboard/protocol';

/** What can go wrong on the client's side of the wire, beyond the server's own error codes. */
export type ClientErrorCode = ErrorCode | 'network' | 'timeout' | 'disconnected' | 'invalid_response' | 'closed';

/** Codes after which the same request may succeed later: the network, the server's load, an old token. */
const RETRYABLE = new Set<ClientErrorCode>([
  'network',
  'timeout',
  'disconnected',
  'invalid_response',
  'internal',
  'unavailable',
  'rate_limited',
  'token_expired',
  'token_invalid',
  'unauthenticated',
]);

/** Codes that mean "get a fresh access token and try again". */
export const REFRESHABLE = new Set<string>(['token_expired', 'token_invalid', 'unauthenticated']);

/**
 * Every SDK failure: the server's error `code` (REST problem+json or socket ack) or a client-side one
 * (`network`, `timeout`, `disconnected`, `invalid_response`, `closed`), and whether retrying can help.
 *
 * @example
 * ```ts
 * try { await client.api.conversations.get(id); }
 * catch (err) { if (err instanceof SwitchboardError && err.code === 'not_found') showGone(); }
 * ```
 */
export class SwitchboardError extends Error {
  readonly code: ClientErrorCode;
  readonly status?: number;
  readonly details?: unknown;
  readonly retryable: boolean;

  constructor(code: ClientErrorCode, message: string, opts: { status?: number; details?: unknown } = {}) {
    super(message);
    this.name = 'SwitchboardError';
    this.code = code;
    this.status = opts.status;
    this.details = opts.details;
    this.retryable = RETRYABLE.has(code) || (opts.status !== undefined && opts.status >= 500);
  }
}

/**
 * Wrap anything thrown into a SwitchboardError (a bare fetch failure becomes `network`).
 *
 * @example
 * ```ts
 * const e = toSwitchboardError(new TypeError('fetch failed')); // e.code === 'network'
 * ```
 */
export function toSwitchboardError(err: unknown): SwitchboardError {
  if (err instanceof SwitchboardError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SwitchboardError('network', message);
}
