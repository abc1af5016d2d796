/** How much of a question's vocabulary a sentence holds, weighted by rarity. Pure. */
import { contentStems, stemWord, tokenize } from '../retrieval/keyword.ts';

/**
 * IDF-weighted share of the question's content words found in each sentence (0..1). Weights come
 * from the candidate sentences themselves, so a word every source repeats (the guest's name,
 * the show's topic) counts for little and the distinctive word decides.
 */
export function keywordOverlaps(question: string, sentences: string[]): number[] {
  const q = [...contentStems(question)];
  const sets = sentences.map((t) => new Set(tokenize(t).map(stemWord)));
  if (q.length === 0) return sentences.map(() => 0);
  const idf = q.map((w) => Math.log(1 + sets.length / (1 + sets.filter((s) => s.has(w)).length)));
  const total = idf.reduce((a, b) => a + b, 0) || 1;
  return sets.map((s) => q.reduce((sum, w, i) => sum + (s.has(w) ? idf[i] : 0), 0) / total);
}
