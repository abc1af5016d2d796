/**
 * BM25 of the candidates, computed here as FTS5's bm25() computes it (fts5_aux.c), so that
 * scoring the ~100 dense candidates costs the same at 8 episodes as at 319: FTS5 would answer
 * `MATCH … AND rowid IN (…)` by walking every query word's whole list of segments, twice
 * (once to match, once for bm25's document counts).
 */
import { countTokens, ftsTokens } from '../../indexer/store/fts-tokenizer.ts';
import type { Store } from '../../indexer/store/store.ts';
import type { KeywordQuery } from './keyword.ts';

/** FTS5's bm25() constants (fts5_aux.c). */
export const FTS5_BM25 = { k1: 1.2, b: 0.75 };

/** FTS5's IDF of a phrase in `hits` of `rows` rows, floored at 1e-6 where the phrase is in over half. Pure. */
export function idf(rows: number, hits: number): number {
  const v = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return v <= 0 ? 1e-6 : v;
}

/**
 * FTS5's bm25() of one row: minus the sum over the query's phrases of
 * idf × f(k1 + 1) / (f + k1(1 − b + b·length/avgLength)). Lower is better, as in FTS5. Pure.
 */
export function bm25Score(counts: number[], idfs: number[], length: number, avgLength: number): number {
  const { k1, b } = FTS5_BM25;
  let score = 0;
  for (let i = 0; i < counts.length; i++) score += idfs[i] * ((counts[i] * (k1 + 1)) / (counts[i] + k1 * (1 - b + (b * length) / avgLength)));
  return -1 * score;
}

/**
 * BM25 of `segments` for the keyword query, as `IndexDb.keywordScores` gives it (segments the
 * query does not match are left out). Queries with quoted phrases, or a word the tokenizer
 * splits, go to FTS5: a phrase's document count is not in the index's vocabulary.
 */
export function candidateScores(store: Store, q: KeywordQuery, segments: { id: number; text: string }[]): Map<number, number> {
  if (!q.match || segments.length === 0) return new Map();
  const split = q.words.map(ftsTokens);
  if (q.phrases.length || split.some((t) => t.length !== 1)) return store.db.keywordScores(q.match, segments.map((s) => s.id));
  const tokens = split.map((t) => t[0]);
  const stats = store.keywordStatistics(tokens);
  const scores = new Map<number, number>();
  if (stats.rows === 0) return scores;
  const idfs = stats.docs.map((d) => idf(stats.rows, d));
  for (const s of segments) {
    const { length, counts } = countTokens(s.text, tokens);
    if (counts.some((c) => c > 0)) scores.set(s.id, bm25Score(counts, idfs, length, stats.avgLength));
  }
  return scores;
}
