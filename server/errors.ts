/** A domain error with the HTTP status it maps to. Routes throw it; one handler renders `{error}`. */
export class AppError extends Error {
  constructor(
    readonly code: 'bad_request' | 'not_found' | 'conflict' | 'payload_too_large' | 'unavailable' | 'internal',
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('not_found', 404, `${what} not found`);
export const badRequest = (message: string) => new AppError('bad_request', 400, message);
