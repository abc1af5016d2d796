import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedEmbedder } from '../../indexer/embed/cache.ts';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';

let useLite: Embedder;
/** What reached the real encoder, call by call. */
let calls: string[][];
let counted: Embedder;

beforeAll(async () => {
  useLite = await createUseLiteEmbedder();
  counted = {
    id: useLite.id,
    dimension: useLite.dimension,
    embed: (texts) => {
      calls.push(texts);
      return useLite.embed(texts);
    },
    close: async () => {},
  };
});
afterAll(() => useLite.close());

describe('cachedEmbedder', () => {
  it('returns the same vectors as the encoder, computing each distinct text once', async () => {
    calls = [];
    const cache = cachedEmbedder(counted, 10);
    const first = await cache.embed(['what is consciousness', 'free will', 'what is consciousness']);
    const second = await cache.embed(['free will', 'the simulation hypothesis', 'what is consciousness']);
    expect(calls).toEqual([['what is consciousness', 'free will'], ['the simulation hypothesis']]);
    const direct = await useLite.embed(['what is consciousness', 'free will', 'the simulation hypothesis']);
    expect(first.map((v) => Array.from(v))).toEqual([direct[0], direct[1], direct[0]].map((v) => Array.from(v)));
    expect(second.map((v) => Array.from(v))).toEqual([direct[1], direct[2], direct[0]].map((v) => Array.from(v)));
    expect(cache.stats).toEqual({ hits: 3, misses: 3, size: 3 });
    expect(cache.id).toBe('use-lite');
    expect(cache.dimension).toBe(512);
  });

  it('evicts the least recently used text and hands out copies callers may change', async () => {
    calls = [];
    const cache = cachedEmbedder(counted, 2);
    const [a] = await cache.embed(['alpha']);
    await cache.embed(['beta']);
    await cache.embed(['alpha']); // alpha is now the most recent
    await cache.embed(['gamma']); // evicts beta
    a.fill(0);
    const [again] = await cache.embed(['alpha']);
    expect(Math.hypot(...again)).toBeCloseTo(1, 5);
    await cache.embed(['beta']);
    expect(calls).toEqual([['alpha'], ['beta'], ['gamma'], ['beta']]);
    expect(cache.stats.size).toBe(2);
  });
});
