/**
 * The one error the application core throws. It says what kind of failure it is, not how an
 * interface shows it: the HTTP error handler, the CLI and the MCP server each map the kind to
 * their own vocabulary (a status, an exit code, a tool error) through the tables below.
 */
import type { z } from 'zod';

export const ERROR_KINDS = ['invalid', 'not_found', 'conflict', 'too_large', 'unavailable', 'internal'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export class CoreError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

export const invalid = (message: string) => new CoreError('invalid', message);
export const notFound = (what: string) => new CoreError('not_found', `${what} not found`);
export const conflict = (message: string) => new CoreError('conflict', message);
export const unavailable = (message: string) => new CoreError('unavailable', message);

/** The HTTP status of each kind (the Express error handler's mapping). */
export const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
  internal: 500,
};

/**
 * The CLI's exit code for each kind, from the README's table (cli/errors.ts): 2 for input the
 * user must correct (as for a bad option), 3 when the environment is in the way (another writer,
 * a service down), 1 for an unknown item or anything else.
 */
export const EXIT_CODE: Record<ErrorKind, 1 | 2 | 3> = {
  invalid: 2,
  not_found: 1,
  conflict: 3,
  too_large: 2,
  unavailable: 3,
  internal: 1,
};

/** Parses input with a schema; a failure becomes an `invalid` error naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw invalid(`${where}${issue.message}`);
}
