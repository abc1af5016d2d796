/**
 * For a lookup the code has just made sure of (a key it set, a row it inserted): the value, or
 * an Error that names what was missing, instead of a TypeError further on.
 */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`internal: ${what} is missing`);
  return value;
}
