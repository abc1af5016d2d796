/** A run of text, flagged when it is a word that matched the query. */
export interface Piece {
  text: string;
  hit: boolean;
}

/** Words too common to be worth highlighting. */
const STOPWORDS = new Set(
  ('a an and are as at be but by can did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our so than that the their them then there these they this to was we ' +
    'were what when where which who whom why will with would you your about said say says').split(' '),
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
