/** Answer text cut into plain runs and `[n]` citation markers. */
export type AnswerPart = { kind: 'text'; text: string } | { kind: 'cite'; n: number };

/** `[3]`, `[1, 2]`, `[1,2,5]`: one bracket with one or more source numbers. */
const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

/**
 * Splits an answer into text and citation parts. `[1, 2]` becomes two citations; a marker cut
 * off at the end of a streaming chunk (`[1` …) stays text until the rest arrives.
 */
export function splitCitations(answer: string): AnswerPart[] {
  const parts: AnswerPart[] = [];
  let pos = 0;
  for (const m of answer.matchAll(MARKER)) {
    const at = m.index ?? 0;
    if (at > pos) parts.push({ kind: 'text', text: answer.slice(pos, at) });
    for (const n of m[1].split(',')) parts.push({ kind: 'cite', n: Number(n.trim()) });
    pos = at + m[0].length;
  }
  if (pos < answer.length) parts.push({ kind: 'text', text: answer.slice(pos) });
  return parts;
}

/** Splits text on blank lines into paragraphs (model answers use them; single newlines stay inside). */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
