import { CoreError, type ErrorKind } from '../core/errors.ts';

type AppErrorCode = 'bad_request' | 'not_found' | 'conflict' | 'payload_too_large' | 'unavailable' | 'internal';

const KIND_OF: Record<AppErrorCode, ErrorKind> = {
  bad_request: 'invalid',
  not_found: 'not_found',
  conflict: 'conflict',
  payload_too_large: 'too_large',
  unavailable: 'unavailable',
  internal: 'internal',
};

/**
 * A domain error with the HTTP status it maps to. Routes throw it; one handler renders `{error}`.
 * It is a CoreError of the matching kind, so the CLI and the MCP server read it like any other.
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

export const notFound = (what: string) => new AppError('not_found', 404, `${what} not found`);
export const badRequest = (message: string) => new AppError('bad_request', 400, message);
