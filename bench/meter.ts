/**
 * An embedder wrapper for benchmarks: passes every call through and counts what went to the
 * encoder (calls, texts, characters), keeps the texts (so the ceiling can be measured on the same
 * texts without reading the index back), and measures how long nothing at all was queued for the
 * workers: pipeline bubbles, e.g. at file boundaries, where every worker must be idle.
 */
import { performance } from 'node:perf_hooks';
import type { Embedder } from '../indexer/embed/embedder.ts';

export class MeteredEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;
  calls = 0;
  texts = 0;
  chars = 0;
  largestCall = 0;
  /** Every text embedded, in call order. */
  readonly seen: string[] = [];
  private inFlight = 0;
  private idleSince: number | undefined;
  private idleMs = 0;
  private started: number | undefined;

  constructor(private readonly inner: Embedder) {
    this.id = inner.id;
    this.dimension = inner.dimension;
  }

  /** Starts the clock for idle time (before the first call, all time counts as idle). */
  start(): void {
    this.started = performance.now();
    this.idleSince = this.started;
  }

  /** Milliseconds since start() with no embed call in flight (so no text queued for any worker). */
  idleMsSoFar(): number {
    return this.idleMs + (this.idleSince !== undefined && this.started !== undefined ? performance.now() - this.idleSince : 0);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls++;
    this.texts += texts.length;
    this.largestCall = Math.max(this.largestCall, texts.length);
    for (const t of texts) {
      this.chars += t.length;
      this.seen.push(t);
    }
    if (this.inFlight++ === 0 && this.idleSince !== undefined) {
      this.idleMs += performance.now() - this.idleSince;
      this.idleSince = undefined;
    }
    try {
      return await this.inner.embed(texts);
    } finally {
      if (--this.inFlight === 0 && this.started !== undefined) this.idleSince = performance.now();
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Characters in a list of texts. */
export function charsOf(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + t.length, 0);
}
