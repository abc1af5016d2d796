/**
 * Retrieval metrics for the evaluations. Pure: ranked hits and gold spans in, numbers out.
 * Relevance is binary; a query's hits are judged against time spans of one video.
 */

/** A gold answer location: a time range, and the moment a listener should land on. */
export interface GoldSpan {
  startMs: number;
  endMs: number;
  /** Where the answer starts (QMSum: span start; listener questions: the answer time). */
  anchorMs: number;
}

/** One evaluation question with where its answer is. */
export interface EvalQuery {
  id: string;
  q: string;
  videoId: string;
  gold: GoldSpan[];
  /** Listener questions: the half of the set the episode belongs to. */
  split?: 'tune' | 'test';
  /** Listener questions: paraphrase or named fact, computed from the gold window's words. */
  kind?: 'paraphrase' | 'named-fact';
  /** The share of the question's content words said in the gold window. */
  share?: number;
}

/** What a ranked hit needs for judging. */
export interface RankedHit {
  videoId: string;
  startMs: number;
  endMs: number;
}

/** The judged ranking of one query. */
export interface Judgement {
  relevant: boolean[];
  /** Relevant segments in the index: the size of an ideal ranking, for nDCG. */
  totalRelevant: number;
  /** |start of the first relevant hit − anchor of the gold span it overlaps|, when one was found. */
  distanceMs?: number;
}

/**
 * True when two time ranges share time. A zero-length range counts when it falls inside the
 * other; ranges that only touch do not, because consecutive cues share their boundary.
 */
export function overlaps(a: { startMs: number; endMs: number }, b: { startMs: number; endMs: number }): boolean {
  if (a.startMs === a.endMs) return a.startMs >= b.startMs && a.startMs <= b.endMs;
  if (b.startMs === b.endMs) return b.startMs >= a.startMs && b.startMs <= a.endMs;
  return a.startMs < b.endMs && b.startMs < a.endMs;
}

/** The gold spans a hit overlaps (none when it is in another video). */
export function matchingGold(hit: RankedHit, query: EvalQuery): GoldSpan[] {
  return hit.videoId === query.videoId ? query.gold.filter((g) => overlaps(hit, g)) : [];
}

/** Judges a ranking: relevance per hit and the landing distance of the first relevant hit. */
export function judge(hits: RankedHit[], query: EvalQuery, totalRelevant: number): Judgement {
  const relevant: boolean[] = [];
  let distanceMs: number | undefined;
  for (const hit of hits) {
    const gold = matchingGold(hit, query);
    relevant.push(gold.length > 0);
    if (gold.length && distanceMs === undefined) distanceMs = Math.min(...gold.map((g) => Math.abs(hit.startMs - g.anchorMs)));
  }
  return { relevant, totalRelevant, ...(distanceMs === undefined ? {} : { distanceMs }) };
}

/** 1 when a relevant hit is in the top `k`, else 0. */
export function successAt(relevant: boolean[], k: number): number {
  return relevant.slice(0, k).some(Boolean) ? 1 : 0;
}

/** 1 / rank of the first relevant hit within the top `k`, else 0. */
export function reciprocalRank(relevant: boolean[], k: number): number {
  const i = relevant.slice(0, k).indexOf(true);
  return i < 0 ? 0 : 1 / (i + 1);
}

/**
 * Binary nDCG@k: DCG over the hits divided by the DCG of an ideal ranking that puts
 * min(k, totalRelevant) relevant hits first. 0 when nothing is relevant.
 */
export function ndcgAt(relevant: boolean[], totalRelevant: number, k: number): number {
  const gain = (i: number) => 1 / Math.log2(i + 2);
  const top = relevant.slice(0, k);
  const dcg = top.reduce((sum, r, i) => sum + (r ? gain(i) : 0), 0);
  // Never let the ideal hold fewer relevant hits than were found, so nDCG stays within [0, 1].
  const idealCount = Math.min(k, Math.max(totalRelevant, top.filter(Boolean).length));
  let ideal = 0;
  for (let i = 0; i < idealCount; i++) ideal += gain(i);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Median of a list (mean of the middle two for even lengths); undefined for an empty list. */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Mean metrics over queries. */
export interface Summary {
  queries: number;
  s1: number;
  s5: number;
  s10: number;
  mrr10: number;
  ndcg10: number;
  /** Median landing distance in seconds over queries with a relevant hit in the top 10 (null if none). */
  medianDistanceS: number | null;
}

/** Averages the metrics over judged queries. */
export function summarize(judgements: Judgement[]): Summary {
  const n = judgements.length;
  const mean = (f: (j: Judgement) => number) => (n === 0 ? 0 : judgements.reduce((sum, j) => sum + f(j), 0) / n);
  const distances = judgements.flatMap((j) => (j.distanceMs === undefined || !successAt(j.relevant, 10) ? [] : [j.distanceMs / 1000]));
  return {
    queries: n,
    s1: mean((j) => successAt(j.relevant, 1)),
    s5: mean((j) => successAt(j.relevant, 5)),
    s10: mean((j) => successAt(j.relevant, 10)),
    mrr10: mean((j) => reciprocalRank(j.relevant, 10)),
    ndcg10: mean((j) => ndcgAt(j.relevant, j.totalRelevant, 10)),
    medianDistanceS: median(distances) ?? null,
  };
}
