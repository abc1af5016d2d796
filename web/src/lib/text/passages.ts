import type { AnswerPassage } from '../../../../core/contract/api.ts';

/** Passages shown before "Show more": the best passage and the next ones up to this many. */
export const INITIAL_PASSAGES = 3;

/** One episode of an offline answer: named once, its passages in answer (marker) order. */
export interface PassageGroup {
  videoId: string;
  title: string;
  publishedAt: string | null;
  /** A source number of the episode, to find its thumbnail among the sources. */
  n: number;
  passages: AnswerPassage[];
}

/** Groups passages by episode in order of each episode's first (best) passage. Pure. */
export function groupPassages(passages: readonly AnswerPassage[]): PassageGroup[] {
  const groups: PassageGroup[] = [];
  for (const p of [...passages].sort((a, b) => a.marker - b.marker)) {
    const g = groups.find((x) => x.videoId === p.videoId);
    if (g) g.passages.push(p);
    else groups.push({ videoId: p.videoId, title: p.title, publishedAt: p.publishedAt, n: p.n, passages: [p] });
  }
  return groups;
}

/**
 * The groups cut to the first `limit` passages (whole groups stay in order, the last one cut),
 * and how many passages are left for "Show more".
 */
export function firstPassages(groups: readonly PassageGroup[], limit: number): { shown: PassageGroup[]; hidden: number } {
  const shown: PassageGroup[] = [];
  let left = limit;
  let hidden = 0;
  for (const g of groups) {
    if (left <= 0) {
      hidden += g.passages.length;
      continue;
    }
    const take = g.passages.slice(0, left);
    shown.push({ ...g, passages: take });
    hidden += g.passages.length - take.length;
    left -= take.length;
  }
  return { shown, hidden };
}
