/**
 * Text helpers shared by the transcript parsers: line splitting, entity decoding, tag
 * stripping, speech-length estimates, and the final clean-up every parser ends with.
 */
import type { Cue } from '../domain.ts';

/** Speaking rate used to estimate how long untimed text lasts; a common conversational pace. */
export const DEFAULT_WORDS_PER_MINUTE = 150;

/** Shortest duration given to an estimated cue, so a one-word line is still a visible moment. */
export const MIN_ESTIMATED_CUE_MS = 1000;

/** Splits text into lines, dropping a leading BOM; `lines[i]` is line `i + 1` of the file. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

/** 1-based line number of a character offset, for error messages in non-line-based formats. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
};

/** Decodes named, decimal and hex HTML entities once; unknown entities are left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const hex = body[1] === 'x' || body[1] === 'X';
      const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
      // A non-breaking space is layout, not content; everything else keeps its character.
      if (code === 0xa0) return ' ';
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

// Markup tags (`<i>`, `</c>`, `<font color="x">`, `<c.colorE5E5E5>`) and karaoke timestamps
// (`<00:00:01.000>`); a bare `<` in speech ("a < b") is left alone.
const TAG = /<\/?[A-Za-z][^<>]*>|<\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?>/g;

/** Removes inline markup tags and karaoke timestamps. */
export function stripTags(text: string): string {
  return text.includes('<') ? text.replace(TAG, '') : text;
}

/** Collapses whitespace runs (including non-breaking spaces) to one space and trims. */
export function normalizeSpace(text: string): string {
  const trimmed = text.trim();
  // Most caption lines are already clean; testing is three times cheaper than replacing.
  return /\s\s|[^\S ]/.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

/** Number of whitespace-separated words. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** Milliseconds a text takes to say at the given rate, never less than MIN_ESTIMATED_CUE_MS. */
export function estimateSpeechMs(text: string, wordsPerMinute = DEFAULT_WORDS_PER_MINUTE): number {
  return Math.max(MIN_ESTIMATED_CUE_MS, Math.round((countWords(text) * 60_000) / wordsPerMinute));
}

/** `{speaker}` when known, `{}` otherwise, so cues never carry `speaker: undefined`. */
export function speakerField(speaker: string | undefined): { speaker?: string } {
  return speaker ? { speaker } : {};
}

/**
 * The contract every parser returns: integer times with start <= end, non-empty trimmed
 * text, sorted by start (stable, so cues sharing a start keep file order).
 */
export function finishCues(cues: Cue[]): Cue[] {
  // Cues here are the parser's own fresh objects, so they are fixed up in place.
  for (const cue of cues) {
    cue.startMs = Math.max(0, Math.round(cue.startMs));
    cue.endMs = Math.max(cue.startMs, Math.round(cue.endMs));
    cue.text = normalizeSpace(cue.text);
  }
  return cues.filter((cue) => cue.text !== '').sort((a, b) => a.startMs - b.startMs);
}

/** Reason text for a file that yielded no cues, pointing at the first skipped cue if any. */
export function noCuesReason(kind: string, warnings: { line: number }[]): string {
  const first = warnings[0];
  return first
    ? `no usable ${kind} cues (${warnings.length} skipped, first at line ${first.line})`
    : `no ${kind} cues found`;
}
