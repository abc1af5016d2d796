/**
 * The offline answer: the transcript sentences that best answer the question, from different
 * sources where possible, each quoted and cited. Pure apart from the scores the caller supplies.
 */
import { endsSentence, wordCount } from '../../indexer/segment/windows.ts';
import { contentStems, stemWord, tokenize } from '../retrieval/keyword.ts';
import type { AskSource } from './sources.ts';

export const EXTRACTIVE_DEFAULTS = {
  /** Sentences in the answer. */
  maxSentences: 4,
  /** Keyword-ranked sentences that get an embedding score too. */
  embedCandidates: 24,
  /** Weight of semantic similarity vs. keyword overlap. */
  semanticWeight: 0.5,
  /** A question is usually the host asking, not the answer. */
  questionPenalty: 0.6,
  /** Sentences shorter than this get the next sentence too, so the quote makes sense alone. */
  minWords: 14,
  /** A second sentence from an already used source must beat the others by this factor. */
  sameSourcePenalty: 0.75,
} as const;

export interface Sentence {
  n: number;
  /** Index of the first cue of the sentence inside the source. */
  cue: number;
  startMs: number;
  text: string;
  /** Rank of the source (0 = best). */
  rank: number;
}

/** Joins a source's cues into sentences (cues are fragments in Whisper/caption transcripts). */
export function sentencesOf(source: AskSource, rank: number): Sentence[] {
  const out: Sentence[] = [];
  let current: Sentence | undefined;
  source.cues.forEach((cue, i) => {
    if (!current) current = { n: source.n, cue: i, startMs: cue.startMs, text: cue.text, rank };
    else current.text = `${current.text} ${cue.text}`;
    if (endsSentence(cue.text) || wordCount(current.text) >= 40) {
      out.push(current);
      current = undefined;
    }
  });
  if (current) out.push(current);
  return out;
}

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

/** Combined relevance of a sentence: keyword overlap, semantic similarity, source rank, form. */
export function sentenceScore(s: Sentence, overlap: number, similarity: number | undefined): number {
  const o = EXTRACTIVE_DEFAULTS;
  const base = similarity === undefined ? overlap : (1 - o.semanticWeight) * overlap + o.semanticWeight * similarity;
  const rankBoost = 1 / (1 + 0.15 * s.rank);
  const form = s.text.trim().endsWith('?') ? o.questionPenalty : 1;
  const tooShort = wordCount(s.text) < 5 ? 0.5 : 1;
  return base * rankBoost * form * tooShort;
}

/** Picks the answer sentences: best first, preferring sources not used yet. */
export function pickSentences(scored: { sentence: Sentence; score: number }[], max: number = EXTRACTIVE_DEFAULTS.maxSentences): Sentence[] {
  const picked: Sentence[] = [];
  const used = new Set<number>();
  const pool = [...scored];
  while (picked.length < max && pool.length) {
    let best = -1;
    let bestScore = 0;
    pool.forEach((c, i) => {
      const s = c.score * (used.has(c.sentence.n) ? EXTRACTIVE_DEFAULTS.sameSourcePenalty : 1);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    });
    if (best < 0) break;
    const [{ sentence }] = pool.splice(best, 1);
    if (picked.some((p) => p.n === sentence.n && Math.abs(p.cue - sentence.cue) < 3)) continue;
    picked.push(sentence);
    used.add(sentence.n);
  }
  return picked;
}

/** Extends a short sentence with the one after it in the same source. */
export function withContext(s: Sentence, all: Sentence[]): string {
  if (wordCount(s.text) >= EXTRACTIVE_DEFAULTS.minWords) return s.text;
  const i = all.indexOf(s);
  const next = all[i + 1];
  return next && next.n === s.n ? `${s.text} ${next.text}` : s.text;
}

/** Writes the answer text with one cited quote per line. */
export function composeExtractive(picked: { sentence: Sentence; text: string }[], sources: AskSource[]): string {
  if (picked.length === 0) return 'The indexed episodes do not seem to answer this. Try other words, or look at the sources below.';
  const byN = new Map(sources.map((s) => [s.n, s]));
  const lines = picked.map(({ sentence, text }) => {
    const src = byN.get(sentence.n)!;
    // No clock in the text: the citation chip carries the exact resolved moment.
    return `• “${text.trim()}” — ${src.title} [${sentence.n}]`;
  });
  return `Here is what was said in the episodes (quoted from the transcripts):\n\n${lines.join('\n')}`;
}
