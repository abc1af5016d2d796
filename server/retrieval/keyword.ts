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
  return { match: parts.length ? parts.join(' AND ') : null, terms, phrases };
}

/**
 * Splits query terms into episode-level terms (they occur in some episode's title, guest or
 * channel) and passage-level terms. A guest's name selects the episode; matching it inside
 * passages only pulls up the introduction where the name is spoken.
 */
export function splitEpisodeTerms(terms: string[], titleVocabulary: Set<string>): { episode: string[]; passage: string[] } {
  const episode = terms.filter((t) => hasWord(titleVocabulary, t));
  const passage = terms.filter((t) => !hasWord(titleVocabulary, t));
  return { episode, passage };
}

/** Whether a set of words holds `term`, its singular or its plural. */
export function hasWord(words: Set<string>, term: string): boolean {
  return words.has(term) || words.has(term.replace(/s$/, '')) || words.has(`${term}s`);
}

/** The keyword query with only the given terms (phrases kept). */
export function withTerms(q: KeywordQuery, terms: string[]): KeywordQuery {
  const parts: string[] = q.phrases.map(quote);
  if (terms.length) parts.push(`(${terms.map(quote).join(' OR ')})`);
  return { match: parts.length ? parts.join(' AND ') : null, terms, phrases: q.phrases };
}
