import { describe, expect, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { charsOf, MeteredEmbedder } from '../../bench/meter.ts';
import { percentile } from '../../bench/load.ts';

/** An embedder that answers after `ms` with zero vectors. */
function slowEmbedder(ms: number): Embedder {
  return {
    id: 'fake',
    dimension: 2,
    embed: (texts) => new Promise((r) => setTimeout(() => r(texts.map(() => new Float32Array(2))), ms)),
    close: async () => {},
  };
}

describe('bench meter', () => {
  it('counts calls, texts and characters, keeps the texts and passes results through', async () => {
    const m = new MeteredEmbedder(slowEmbedder(1));
    m.start();
    const out = await m.embed(['ab', 'cde']);
    await m.embed(['f']);
    expect(out).toHaveLength(2);
    expect([m.id, m.dimension, m.calls, m.texts, m.chars, m.largestCall]).toEqual(['fake', 2, 2, 3, 6, 2]);
    expect(m.seen).toEqual(['ab', 'cde', 'f']);
    expect(charsOf(m.seen)).toBe(6);
  });

  it('counts as idle only the time with no call in flight', async () => {
    const m = new MeteredEmbedder(slowEmbedder(60));
    m.start();
    // Two overlapping calls: busy for ~60 ms, then idle for ~60 ms.
    await Promise.all([m.embed(['a']), m.embed(['b'])]);
    const busyEnd = m.idleMsSoFar();
    await new Promise((r) => setTimeout(r, 60));
    const idle = m.idleMsSoFar() - busyEnd;
    expect(busyEnd).toBeLessThan(30);
    expect(idle).toBeGreaterThanOrEqual(50);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
    expect(percentile([], 50)).toBe(0);
  });
});
