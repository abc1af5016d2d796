/**
 * Turns a user query into an FTS5 MATCH expression: quoted phrases must match exactly (AND),
 * the other words are OR-ed so BM25 ranks passages by how many and how rare the words are.
 */

/** Common English words that carry no topic; dropped from the keyword leg unless nothing else is left. */
export const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves say said says tell told think thought talk talked talking mention mentioned ' +
    'anything something everything thing things really also get got like know way lot much many make made us its'
  ).split(' '),
);

export interface KeywordQuery {
  /** The FTS5 expression, or null when the query has no searchable words. */
  match: string | null;
  terms: string[];
  phrases: string[];
  /** The words OR-ed in `match`: the terms and any spelling variants. */
  words: string[];
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Words of a text as the FTS tokenizer would see them (lower-cased letters and digits). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Crude suffix stripping so "robots"/"robot" and "training"/"trained" meet outside FTS. */
export function stemWord(word: string): string {
  return word.replace(/(ing|ed|es|s|ly)$/, '') || word;
}

/** Content words of a text (no stopwords, no one-letter words), stemmed. */
export function contentStems(text: string): Set<string> {
  return new Set(tokenize(text).filter((w) => !STOPWORDS.has(w) && w.length > 1).map(stemWord));
}

/** Share of `terms` (stemmed) that occur in `text`: how lexically the best passage matches. */
export function termCoverage(terms: string[], text: string): number {
  if (terms.length === 0) return 0;
  const words = new Set(tokenize(text).map(stemWord));
  return terms.filter((t) => words.has(stemWord(t))).length / terms.length;
}

/** Builds the keyword query. Pure. */
export function buildKeywordQuery(query: string): KeywordQuery {
  const phrases: string[] = [];
  const rest = query.replace(/"([^"]*)"/g, (_, p: string) => {
    const words = tokenize(p);
    if (words.length) phrases.push(words.join(' '));
    return ' ';
  });
  const words = [...new Set(tokenize(rest))];
  const content = words.filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d/.test(w)));
  const terms = content.length ? content : phrases.length ? [] : words;
  const parts: string[] = phrases.map(quote);
  if (terms.length) parts.push(`(${terms.map(quote).join(' OR ')})`);
  return { match: parts.length ? parts.join(' AND ') : null, terms, phrases, words: terms };
}

/**
 * Splits query terms into episode-level terms (they occur in some episode's title, guest or
 * channel) and passage-level terms. A guest's name selects the episode; matching it inside
 * passages only pulls up the introduction where the name is spoken.
 */
export function splitEpisodeTerms(terms: string[], titleVocabulary: Words): { episode: string[]; passage: string[] } {
  const episode = terms.filter((t) => hasWord(titleVocabulary, t));
  const passage = terms.filter((t) => !hasWord(titleVocabulary, t));
  return { episode, passage };
}

/** A set of words, or a map keyed by words. */
type Words = Pick<ReadonlySet<string>, 'has'>;

/** A term, its singular and its plural: the forms a title word may take. */
const wordForms = (term: string): string[] => [term, term.replace(/s$/, ''), `${term}s`];

/** Whether a set of words holds `term`, its singular or its plural. */
export function hasWord(words: Words, term: string): boolean {
  return wordForms(term).some((w) => words.has(w));
}

/**
 * The episodes a query's episode-level terms point at: those whose title, guests or channel hold
 * the most of the terms (at least half of them), when there are at most `max` of them; none when
 * the terms are shared by more (the show's name, a common title word). Pure.
 */
export function episodesNamed(terms: string[], titleIndex: ReadonlyMap<string, readonly string[]>, max: number): string[] {
  if (!terms.length) return [];
  const count = new Map<string, number>();
  for (const t of terms) {
    const ids = new Set(wordForms(t).flatMap((w) => titleIndex.get(w) ?? []));
    for (const id of ids) count.set(id, (count.get(id) ?? 0) + 1);
  }
  const most = Math.max(0, ...count.values());
  if (most < terms.length / 2) return [];
  const named = [...count].filter(([, n]) => n === most).map(([id]) => id);
  return named.length <= max ? named.sort() : [];
}

/** The keyword query with only the given terms (phrases kept). */
export function withTerms(q: KeywordQuery, terms: string[]): KeywordQuery {
  const parts: string[] = q.phrases.map(quote);
  if (terms.length) parts.push(`(${terms.map(quote).join(' OR ')})`);
  return { match: parts.length ? parts.join(' AND ') : null, terms, phrases: q.phrases, words: terms };
}

/**
 * Spelling variants for misheard names and terms. Speech recognition spells a rare name several
 * ways ("Oumuamua", "Umuamua", "Muamua"); a query word of at least `FUZZY.minLength` letters that
 * is rare in the index (or absent) also matches index words within a small edit distance that are
 * themselves rare. Common words are never expanded, and never expanded into.
 */
export const FUZZY = {
  minLength: 6,
  /** A word (or variant) in more segments than this is common, not a misspelt name. */
  maxDocs: 40,
  /** Edits allowed: 1 below `longFrom` letters, 2 from there on. */
  longFrom: 8,
  /** At most this many variants per word, closest first. */
  maxVariants: 4,
};

/** Levenshtein distance, or `limit + 1` as soon as it is known to exceed `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = new Int32Array(b.length + 1).map((_, j) => j);
  let cur = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Rare words of a vocabulary by length, built once per vocabulary object. */
const rareByLength = new WeakMap<Map<string, number>, Map<number, [string, number][]>>();

function rareWords(vocabulary: Map<string, number>, maxDocs: number): Map<number, [string, number][]> {
  let byLength = rareByLength.get(vocabulary);
  if (!byLength) {
    byLength = new Map();
    for (const [word, docs] of vocabulary) {
      if (docs > maxDocs || /\d/.test(word)) continue;
      (byLength.get(word.length) ?? byLength.set(word.length, []).get(word.length)!).push([word, docs]);
    }
    rareByLength.set(vocabulary, byLength);
  }
  return byLength;
}

/**
 * Index words (from `vocabulary`: word → segments holding it) that are likely misspellings of
 * `term`, closest first. `term` itself is not returned.
 */
export function spellingVariants(term: string, vocabulary: Map<string, number>, options = FUZZY): string[] {
  if (term.length < options.minLength || /\d/.test(term)) return [];
  const own = Math.max(vocabulary.get(term) ?? 0, vocabulary.get(stemWord(term)) ?? 0);
  if (own > options.maxDocs) return [];
  const limit = term.length >= options.longFrom ? 2 : 1;
  const byLength = rareWords(vocabulary, options.maxDocs);
  const found: { word: string; d: number; docs: number }[] = [];
  for (let len = Math.max(options.minLength - 1, term.length - limit); len <= term.length + limit; len++) {
    for (const [word, docs] of byLength.get(len) ?? []) {
      if (word === term || word === stemWord(term)) continue;
      const d = editDistance(term, word, limit);
      if (d <= limit) found.push({ word, d, docs });
    }
  }
  return found
    .sort((a, b) => a.d - b.d || b.docs - a.docs || (a.word < b.word ? -1 : 1))
    .slice(0, options.maxVariants)
    .map((f) => f.word);
}

/** The keyword query also matching `variants` (OR-ed with the terms); `terms` stays the user's words. */
export function withVariants(q: KeywordQuery, variants: string[]): KeywordQuery {
  const extra = variants.filter((v) => !q.terms.includes(v));
  if (extra.length === 0) return q;
  const parts: string[] = q.phrases.map(quote);
  const words = [...q.terms, ...extra];
  parts.push(`(${words.map(quote).join(' OR ')})`);
  return { ...q, match: parts.join(' AND '), words };
}
