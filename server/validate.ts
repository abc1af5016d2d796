import type { z } from 'zod';
import { badRequest } from './errors.ts';

/** Parses input with a schema; failures become a 400 naming the field, never a stack trace. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw badRequest(`${where}${issue.message}`);
}
