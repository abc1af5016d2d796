import type { Store } from '../../indexer/store/store.ts';

/** Below this many allowed segments an exact scan beats HNSW with a filter callback. */
export const EXACT_SCAN_BELOW = 4000;

/** Dot product of two unit vectors = cosine similarity. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Dense candidates: HNSW over the whole index, or, when a filter leaves few segments,
 * an exact scan of their stored vectors.
 */
export function denseCandidates(
  store: Store,
  query: Float32Array,
  k: number,
  allowedIds: number[] | undefined,
): { id: number; similarity: number }[] {
  const index = store.vectors();
  if (!index) return [];
  if (allowedIds && allowedIds.length < EXACT_SCAN_BELOW) {
    const vecs = store.db.vectorsOfSegments(allowedIds);
    return [...vecs]
      .map(([id, v]) => ({ id, similarity: dot(query, v) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k);
  }
  const allow = allowedIds ? new Set(allowedIds) : undefined;
  return index.search(query, k, allow ? (label) => allow.has(label) : undefined).map((r) => ({ id: r.label, similarity: r.similarity }));
}
