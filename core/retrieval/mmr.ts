/**
 * Maximal marginal relevance: picks items that are relevant and unlike the ones already
 * picked, so one long episode cannot fill every source slot. Pure.
 */
export const MMR_DEFAULTS = {
  /** 1 = pure relevance, 0 = pure diversity. 0.7 keeps relevance first while breaking up near-repeats. */
  lambda: 0.7,
  /** Treat two windows of the same episode as at least this similar, so other episodes get a turn. */
  sameVideoSimilarity: 0.5,
} as const;

export interface MmrItem {
  id: number;
  videoId: string;
  relevance: number;
  vector?: Float32Array;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Returns up to `k` items in MMR order. Relevance should be on a 0..1 scale. */
export function mmr<T extends MmrItem>(items: T[], k: number, lambda: number = MMR_DEFAULTS.lambda, sameVideo: number = MMR_DEFAULTS.sameVideoSimilarity): T[] {
  const picked: T[] = [];
  const rest = [...items];
  while (picked.length < k && rest.length) {
    let best = 0;
    let bestScore = -Infinity;
    rest.forEach((item, i) => {
      let maxSim = 0;
      for (const p of picked) {
        const sim = Math.max(item.vector && p.vector ? cosine(item.vector, p.vector) : 0, item.videoId === p.videoId ? sameVideo : 0);
        if (sim > maxSim) maxSim = sim;
      }
      const score = lambda * item.relevance - (1 - lambda) * maxSim;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    picked.push(rest.splice(best, 1)[0]);
  }
  return picked;
}
