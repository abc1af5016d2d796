/**
 * Answer text cut into plain runs and citation chips. `marker` counts the chips from 0 in
 * order of appearance over the whole answer, which is how the server numbers its citations.
 */
export type AnswerPart = { kind: 'text'; text: string } | { kind: 'cite'; n: number; marker: number };

/** `[3]`, `[1, 2]`, `[1;2]`: one bracket with one or more source numbers (as the server reads them). */
const MARKER = /\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;

/**
 * Splits an answer into paragraphs (on blank lines) of text and citation parts. `[1, 2]` becomes
 * two chips; a marker cut off at the end of a streaming chunk (`[1` …) stays text until the rest arrives.
 */
export function splitAnswer(answer: string): AnswerPart[][] {
  let marker = 0;
  return paragraphs(answer).map((para) => {
    const parts: AnswerPart[] = [];
    let pos = 0;
    for (const m of para.matchAll(MARKER)) {
      const at = m.index ?? 0;
      if (at > pos) parts.push({ kind: 'text', text: para.slice(pos, at) });
      for (const n of m[1].split(/[,;]/)) parts.push({ kind: 'cite', n: Number(n.trim()), marker: marker++ });
      pos = at + m[0].length;
    }
    if (pos < para.length) parts.push({ kind: 'text', text: para.slice(pos) });
    return parts;
  });
}

/** Splits text on blank lines into paragraphs (model answers use them; single newlines stay inside). */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The citation behind chip `marker` (citing `n`) of a cited statement, else its first citation of `n`. */
export function pointCitation<C extends { marker: number; n: number }>(n: number, marker: number, citations: readonly C[]): C | undefined {
  return citations.find((c) => c.marker === marker && c.n === n) ?? citations.find((c) => c.n === n);
}
