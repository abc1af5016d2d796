/** A run of text, flagged when it is a word that matched the query. */
export interface Piece {
  text: string;
  hit: boolean;
}

/**
 * Words too common to be worth highlighting: function words, and the verbs and fillers of
 * conversation ("think", "getting", "really") that light up every other line of a transcript.
 */
const STOPWORDS = new Set(
  ('a an and are as at be but by can did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our so than that the their them then there these they this to was we ' +
    'were what when where which who whom why will with would you your about said say says ' +
    'think thinks thinking thought get gets getting got go goes going gone know knows knowing knew ' +
    'like just really very much many lot lots thing things stuff something anything kind sort ' +
    'mean means yeah yes okay ok well also even still actually maybe talk talked talking tell told ' +
    'want wants make makes made way ways one ones some any all more most other been being could ' +
    'should us he she him her his they’re it’s don’t i’m you’re that’s').split(' '),
);

/** Shortest query word highlighted on its own, and shortest one that also matches longer words. */
export const MIN_TERM = 2;
export const MIN_PREFIX = 4;

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** The distinct, lower-cased content words of a query. */
export function queryTerms(query: string): string[] {
  const words = (query.toLowerCase().match(WORD) ?? []).filter((w) => w.length >= MIN_TERM && !STOPWORDS.has(w));
  return [...new Set(words)];
}

function matches(word: string, terms: readonly string[]): boolean {
  const w = word.toLowerCase();
  // "evolution" also lights up "evolutionary"; short terms must match whole words.
  return terms.some((t) => w === t || (t.length >= MIN_PREFIX && w.startsWith(t)));
}

/**
 * Splits `text` into pieces so the matched words can be wrapped in `<mark>` by the template:
 * no markup is ever built from the text itself. Adjacent pieces never share a `hit` value.
 */
export function highlightPieces(text: string, terms: readonly string[]): Piece[] {
  if (terms.length === 0 || text === '') return text === '' ? [] : [{ text, hit: false }];
  const pieces: Piece[] = [];
  const push = (s: string, hit: boolean) => {
    if (!s) return;
    const last = pieces[pieces.length - 1];
    if (last && last.hit === hit && !hit) last.text += s;
    else pieces.push({ text: s, hit });
  };
  let pos = 0;
  for (const m of text.matchAll(WORD)) {
    const at = m.index ?? 0;
    if (!matches(m[0], terms)) continue;
    push(text.slice(pos, at), false);
    push(m[0], true);
    pos = at + m[0].length;
  }
  push(text.slice(pos), false);
  return pieces;
}

/** Longest quote shown on a source card; longer ones are cut around the first matched word. */
export const EXCERPT_CHARS = 320;

/**
 * Cuts `text` to about `max` characters so the first matched word is in view (a source window
 * can be a long passage whose match sits at the end), with `…` where text was dropped.
 */
export function excerpt(text: string, terms: readonly string[], max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  const pieces = highlightPieces(text, terms);
  const first = pieces.findIndex((p) => p.hit);
  const at = first === -1 ? 0 : pieces.slice(0, first).reduce((n, p) => n + p.text.length, 0);
  let start = Math.max(0, Math.min(at - Math.floor(max / 4), text.length - max));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space === -1 || space > at ? start : space + 1;
  }
  let end = Math.min(text.length, start + max);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > at) end = space;
  }
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}
