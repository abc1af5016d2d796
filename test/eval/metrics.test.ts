import { describe, expect, it } from 'vitest';
import { judge, median, ndcgAt, overlaps, reciprocalRank, successAt, summarize, type EvalQuery } from '../../eval/metrics.ts';

const F = false;
const T = true;

describe('rank metrics', () => {
  it('Success@k is 1 when a relevant hit is in the top k', () => {
    expect(successAt([F, T, F], 1)).toBe(0);
    expect(successAt([F, T, F], 2)).toBe(1);
    expect(successAt([F, F, F], 10)).toBe(0);
    expect(successAt([], 10)).toBe(0);
  });

  it('reciprocal rank counts only the first relevant hit within k', () => {
    expect(reciprocalRank([T, T], 10)).toBe(1);
    expect(reciprocalRank([F, F, T, T], 10)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRank([...Array(10).fill(F), T], 10)).toBe(0);
  });

  it('nDCG@k divides by the ideal ranking of min(k, totalRelevant) hits', () => {
    // One relevant segment, found at rank 2: (1/log2 3) / 1.
    expect(ndcgAt([F, T], 1, 10)).toBeCloseTo(1 / Math.log2(3), 12);
    // Two relevant, at ranks 1 and 3: (1 + 1/2) / (1 + 1/log2 3) = 1.5 / 1.63093 = 0.91972.
    expect(ndcgAt([T, F, T], 2, 10)).toBeCloseTo(0.91972, 5);
    // Twelve relevant in the index: the ideal is ten relevant hits.
    const ideal10 = Array.from({ length: 10 }, (_, i) => 1 / Math.log2(i + 2)).reduce((a, b) => a + b);
    expect(ndcgAt([T], 12, 10)).toBeCloseTo(1 / ideal10, 12);
    expect(ndcgAt(Array(10).fill(T), 12, 10)).toBeCloseTo(1, 12);
    expect(ndcgAt([F, F], 0, 10)).toBe(0);
  });

  it('nDCG never exceeds 1 when totalRelevant undercounts', () => {
    expect(ndcgAt([T, T], 1, 10)).toBeCloseTo(1, 12);
  });

  it('median handles odd, even and empty lists', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

describe('judging hits against gold spans', () => {
  const query: EvalQuery = { id: 'q', q: 'budget', videoId: 'a', gold: [{ startMs: 120_000, endMs: 130_000, anchorMs: 120_000 }] };

  it('needs shared time; ranges that only touch do not overlap', () => {
    expect(overlaps({ startMs: 0, endMs: 10 }, { startMs: 10, endMs: 20 })).toBe(false);
    expect(overlaps({ startMs: 0, endMs: 11 }, { startMs: 10, endMs: 20 })).toBe(true);
    expect(overlaps({ startMs: 15, endMs: 15 }, { startMs: 10, endMs: 20 })).toBe(true);
    expect(overlaps({ startMs: 10, endMs: 20 }, { startMs: 25, endMs: 25 })).toBe(false);
  });

  it('marks hits of the right video that overlap, and measures the landing distance of the first', () => {
    const hits = [
      { videoId: 'a', startMs: 0, endMs: 50_000 },
      { videoId: 'b', startMs: 120_000, endMs: 170_000 },
      { videoId: 'a', startMs: 100_000, endMs: 150_000 },
      { videoId: 'a', startMs: 125_000, endMs: 175_000 },
    ];
    const j = judge(hits, query, 2);
    expect(j.relevant).toEqual([F, F, T, T]);
    expect(j.distanceMs).toBe(20_000);
    expect(j.totalRelevant).toBe(2);
  });

  it('summarizes means over queries and the median distance over queries with a hit in the top 10', () => {
    const s = summarize([
      { relevant: [T], totalRelevant: 1, distanceMs: 4000 },
      { relevant: [F, F, F, F, F, T], totalRelevant: 1, distanceMs: 10_000 },
      { relevant: [F, F], totalRelevant: 1 },
      { relevant: [F, T], totalRelevant: 1, distanceMs: 30_000 },
    ]);
    expect(s.queries).toBe(4);
    expect(s.s1).toBe(0.25);
    expect(s.s5).toBe(0.5);
    expect(s.s10).toBe(0.75);
    expect(s.mrr10).toBeCloseTo((1 + 1 / 6 + 0 + 1 / 2) / 4, 12);
    expect(s.ndcg10).toBeCloseTo((1 + 1 / Math.log2(7) + 0 + 1 / Math.log2(3)) / 4, 12);
    expect(s.medianDistanceS).toBe(10);
  });
});
