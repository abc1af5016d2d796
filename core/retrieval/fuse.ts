/**
 * Hybrid fusion of the keyword (BM25) and dense (cosine) legs. Pure.
 *
 * Min-max normalised weighted blend, not RRF: on QMSum, RRF k=60 lost to keyword-only while a
 * min-max blend matched or beat it (../shared/BASELINES.md). The best weight differs between
 * lexical and paraphrased questions; `FUSION_DEFAULTS` is the value the evaluation chose.
 */
export const FUSION_DEFAULTS = {
  /** Fixed weight of the keyword leg when not adaptive; the dense leg gets 1 - keywordWeight. */
  keywordWeight: 0.5,
  /**
   * Adaptive weight = base + slope × (share of the query's words in the best keyword passage):
   * questions worded like the transcript (QMSum) lean on BM25, paraphrases on the encoder.
   * Chosen on QMSum val and our listener questions; the optimum is flat around these values.
   */
  adaptiveBase: 0.25,
  adaptiveSlope: 0.5,
  /** Two hits of one video overlapping by more than this share of the shorter are near-duplicates. */
  duplicateOverlap: 0.5,
} as const;

export interface Candidate {
  id: number;
  videoId: string;
  startMs: number;
  endMs: number;
  /** BM25 as FTS5 reports it (lower is better), undefined when the keyword leg did not match. */
  bm25?: number;
  /** Cosine similarity to the query, undefined when the dense leg was not run. */
  similarity?: number;
}

export interface Scored extends Candidate {
  score: number;
  keywordScore: number;
  denseScore: number;
}

/** Scales values to [0, 1]; a leg where all values are equal maps them to 1. Missing values score 0. */
export function minMax(values: (number | undefined)[]): number[] {
  const present = values.filter((v): v is number => v !== undefined);
  if (present.length === 0) return values.map(() => 0);
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  return values.map((v) => (v === undefined ? 0 : hi === lo ? 1 : (v - lo) / (hi - lo)));
}

/** The keyword weight for a query whose best keyword passage holds `coverage` (0..1) of its words. */
export function adaptiveKeywordWeight(coverage: number, base: number = FUSION_DEFAULTS.adaptiveBase, slope: number = FUSION_DEFAULTS.adaptiveSlope): number {
  return base + slope * Math.min(1, Math.max(0, coverage));
}

/** Blends the two legs and sorts by fused score (ties: earlier segment id first, for stability). */
export function fuse(candidates: Candidate[], keywordWeight: number = FUSION_DEFAULTS.keywordWeight): Scored[] {
  const hasKeyword = candidates.some((c) => c.bm25 !== undefined);
  const hasDense = candidates.some((c) => c.similarity !== undefined);
  // A leg that found nothing must not dilute the other.
  const wk = !hasDense ? 1 : !hasKeyword ? 0 : keywordWeight;
  const kw = minMax(candidates.map((c) => (c.bm25 === undefined ? undefined : -c.bm25)));
  const dn = minMax(candidates.map((c) => c.similarity));
  return candidates
    .map((c, i) => ({ ...c, keywordScore: kw[i], denseScore: dn[i], score: wk * kw[i] + (1 - wk) * dn[i] }))
    .sort((a, b) => b.score - a.score || a.id - b.id);
}

/** Share of the shorter range covered by the intersection of two time ranges. */
export function overlapShare(a: { startMs: number; endMs: number }, b: { startMs: number; endMs: number }): number {
  const inter = Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs);
  const shorter = Math.min(a.endMs - a.startMs, b.endMs - b.startMs);
  if (inter <= 0) return 0;
  return shorter <= 0 ? 1 : inter / shorter;
}

/** Keeps the best of overlapping windows of the same video, in score order, up to `k`. */
export function collapseOverlaps<T extends Scored>(sorted: T[], k: number, threshold: number = FUSION_DEFAULTS.duplicateOverlap): T[] {
  const kept: T[] = [];
  for (const hit of sorted) {
    if (kept.length >= k) break;
    if (kept.some((h) => h.videoId === hit.videoId && overlapShare(h, hit) > threshold)) continue;
    kept.push(hit);
  }
  return kept;
}
