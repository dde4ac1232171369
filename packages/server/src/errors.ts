import { type ErrorCode, errorCatalogue } from '@switchboard/protocol';

/**
 * The one error a service throws. It names a code from the protocol's catalogue; the transports map it
 * to an HTTP status or a socket ack, so services never know which transport called them.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? errorCatalogue[code].title);
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
