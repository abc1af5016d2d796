/**
 * Defensive readers for InnerTube JSON. YouTube reshapes these responses without notice, so
 * every read tolerates a missing or differently typed field and yields undefined instead of throwing.
 */

export type Json = Record<string, unknown>;

/** The value as a plain object, or undefined. */
export function rec(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** The value as an array, or an empty array. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The value as a non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A numeric field YouTube sends as a string ("316") or a number; undefined when not a finite number. */
export function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Follows a path of keys and indexes; undefined as soon as a step is missing. */
export function dig(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = rec(cur)?.[key];
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Text from the three shapes YouTube uses: {simpleText}, {runs:[{text}]}, {content}; '' otherwise. */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  const r = rec(v);
  if (!r) return '';
  if (typeof r.simpleText === 'string') return r.simpleText;
  if (typeof r.content === 'string') return r.content;
  return arr(r.runs)
    .map((run) => (typeof rec(run)?.text === 'string' ? (rec(run)?.text as string) : ''))
    .join('');
}

/**
 * Visits every key→value pair under `root` in document order (pre-order). Returning false
 * from the visitor skips that value's subtree. InnerTube JSON is ~50 levels deep at most.
 */
export function walk(root: unknown, visit: (key: string, value: unknown) => unknown): void {
  if (Array.isArray(root)) {
    for (const item of root) walk(item, visit);
    return;
  }
  const r = rec(root);
  if (!r) return;
  for (const [key, value] of Object.entries(r)) {
    if (visit(key, value) !== false) walk(value, visit);
  }
}
