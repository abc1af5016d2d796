/**
 * The HTTP adapter's vocabulary for errors: an AppError carries the status it is shown with.
 * The core throws CoreErrors with a kind; every router ends with `httpErrors`, which turns them
 * into AppErrors (HTTP_STATUS), so a router works on its own, whatever error handler follows.
 */
import type { ErrorRequestHandler } from 'express';
import { CoreError, HTTP_STATUS, type ErrorKind } from '../core/errors.ts';

type AppErrorCode = 'bad_request' | 'not_found' | 'conflict' | 'payload_too_large' | 'unavailable' | 'internal';

const KIND_OF: Record<AppErrorCode, ErrorKind> = {
  bad_request: 'invalid',
  not_found: 'not_found',
  conflict: 'conflict',
  payload_too_large: 'too_large',
  unavailable: 'unavailable',
  internal: 'internal',
};
const CODE_OF = Object.fromEntries(Object.entries(KIND_OF).map(([code, kind]) => [kind, code])) as Record<ErrorKind, AppErrorCode>;

/**
 * An error with the HTTP status it maps to; one handler renders it as `{error}`. It is a
 * CoreError of the matching kind, so code that reads kinds reads it like any other.
 */
export class AppError extends CoreError {
  constructor(
    readonly code: AppErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(KIND_OF[code], message);
    this.name = 'AppError';
  }
}

/** A core error as the HTTP error of its kind; an internal one, or anything else, unchanged (a 500). */
export function toHttpError(err: unknown): unknown {
  if (!(err instanceof CoreError) || err instanceof AppError || err.kind === 'internal') return err;
  return new AppError(CODE_OF[err.kind], HTTP_STATUS[err.kind], err.message);
}

/** Ends every router: passes errors on in the HTTP vocabulary. */
export const httpErrors: ErrorRequestHandler = (err, _req, _res, next) => {
  next(toHttpError(err));
};
