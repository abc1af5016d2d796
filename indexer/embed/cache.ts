/**
 * Remembers the vectors of recent texts. A server embeds the same short texts again and again:
 * the question once for search and once to rank answer sentences, and the sentences of popular
 * passages for every question that lands on them.
 */
import type { Embedder } from './embedder.ts';

export interface CachedEmbedder extends Embedder {
  readonly stats: { hits: number; misses: number; size: number };
}

/** Wraps `inner` with a least-recently-used cache of up to `maxEntries` texts. Callers get copies. */
export function cachedEmbedder(inner: Embedder, maxEntries: number): CachedEmbedder {
  const cache = new Map<string, Float32Array>();
  let hits = 0;
  let misses = 0;
  return {
    id: inner.id,
    dimension: inner.dimension,
    get stats() {
      return { hits, misses, size: cache.size };
    },
    async embed(texts: string[]): Promise<Float32Array[]> {
      const out: (Float32Array | undefined)[] = texts.map((t) => {
        const v = cache.get(t);
        if (!v) return undefined;
        cache.delete(t); // re-insert: a Map iterates in insertion order, so the oldest is first
        cache.set(t, v);
        return v.slice();
      });
      const missing = [...new Set(texts.filter((_, i) => !out[i]))];
      hits += texts.length - missing.length; // a text repeated within one call is computed once too
      misses += missing.length;
      if (missing.length > 0) {
        const vectors = await inner.embed(missing);
        const fresh = new Map(missing.map((t, i) => [t, vectors[i]]));
        texts.forEach((t, i) => {
          out[i] ??= fresh.get(t)?.slice();
        });
        for (const [t, v] of fresh) {
          cache.delete(t);
          cache.set(t, v);
        }
        // Oldest first: a Map iterates in insertion order.
        for (const oldest of cache.keys()) {
          if (cache.size <= maxEntries) break;
          cache.delete(oldest);
        }
      }
      return out as Float32Array[];
    },
    close: () => inner.close(),
  };
}
