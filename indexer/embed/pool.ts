import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Embedder } from './embedder.ts';
import type { EmbedderSpec } from './spec.ts';

/** Texts per message: small enough to balance workers, large enough that messaging is noise. */
export const POOL_CHUNK = 8;

interface Pending {
  resolve: (flat: Float32Array) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
  pending: Map<number, Pending>;
}

interface Queued extends Pending {
  texts: string[];
}

/**
 * Chunks posted to a worker before it finishes the current one: two keep it busy while the main
 * thread is away (a long SQLite write) yet let a later question overtake queued bulk work.
 */
const IN_FLIGHT_PER_WORKER = 2;
/** Calls this small (a search query) go ahead of larger ones waiting for a worker. */
const URGENT_TEXTS = 2;

/**
 * Embeds on a pool of worker threads, one embedder per worker. The bundled encoder runs
 * single-threaded in WASM, so one worker per core is what makes ingest scale.
 */
export class EmbedderPool implements Embedder {
  private nextId = 0;
  private closed = false;
  private readonly urgent: Queued[] = [];
  private readonly queued: Queued[] = [];

  private constructor(
    readonly id: string,
    readonly dimension: number,
    private readonly slots: Slot[],
  ) {}

  /** Starts `size` workers (default: one per core) and waits until every one has loaded its model. */
  static async start(spec: EmbedderSpec, size = Math.max(1, availableParallelism())): Promise<EmbedderPool> {
    const ready = await Promise.allSettled(Array.from({ length: size }, () => startWorker(spec)));
    const ok = ready.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = ready.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failed) {
      await Promise.all(ok.map((w) => w.slot.worker.terminate()));
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    const slots = ok.map((w) => w.slot);
    const pool = new EmbedderPool(ok[0].id, ok[0].dimension, slots);
    for (const slot of slots) pool.listen(slot);
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /**
   * Embeds texts spread over the workers; similar lengths go together so batches pad little.
   * Small calls (a search query) are served before chunks of larger calls still waiting.
   */
  async embed(texts: string[]): Promise<Float32Array[]> {
    if (this.closed) throw new Error('embedder pool is closed');
    const order = texts.map((t, i) => i).sort((a, b) => texts[a].length - texts[b].length);
    const out: Float32Array[] = new Array(texts.length);
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < order.length; i += POOL_CHUNK) {
      const idx = order.slice(i, i + POOL_CHUNK);
      jobs.push(
        this.send(idx.map((k) => texts[k]), texts.length <= URGENT_TEXTS).then((flat) => {
          idx.forEach((k, j) => (out[k] = flat.slice(j * this.dimension, (j + 1) * this.dimension)));
        }),
      );
    }
    await Promise.all(jobs);
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closed = new Error('embedder pool is closed');
    for (const q of this.urgent.splice(0).concat(this.queued.splice(0))) q.reject(closed);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private send(texts: string[], urgent: boolean): Promise<Float32Array> {
    return new Promise<Float32Array>((resolve, reject) => {
      (urgent ? this.urgent : this.queued).push({ texts, resolve, reject });
      this.pump();
    });
  }

  /** Posts waiting chunks, urgent first, to the least busy workers with room. */
  private pump(): void {
    if (this.slots.every((s) => s.busy === Number.POSITIVE_INFINITY)) {
      const dead = new Error('every embedding worker has exited');
      for (const q of this.urgent.splice(0).concat(this.queued.splice(0))) q.reject(dead);
      return;
    }
    for (;;) {
      const next = this.urgent[0] ?? this.queued[0];
      if (!next) return;
      const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (slot.busy >= IN_FLIGHT_PER_WORKER) return;
      (this.urgent.length > 0 ? this.urgent : this.queued).shift();
      const id = this.nextId++;
      slot.busy++;
      slot.pending.set(id, { resolve: next.resolve, reject: next.reject });
      slot.worker.postMessage({ id, texts: next.texts });
    }
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (msg: { type: string; id: number; flat?: Float32Array; message?: string }) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      slot.busy--;
      if (msg.type === 'result' && msg.flat) p.resolve(msg.flat);
      else p.reject(new Error(`embedding failed in worker: ${msg.message ?? 'unknown error'}`));
      this.pump();
    });
    const failAll = (err: Error) => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      // A dead worker takes no more work; what waits would wait forever, so it fails too.
      slot.busy = Number.POSITIVE_INFINITY;
      this.pump();
    };
    slot.worker.on('error', failAll);
    slot.worker.on('exit', (code) => {
      if (!this.closed) failAll(new Error(`embedding worker exited with code ${code}`));
    });
  }
}

function startWorker(spec: EmbedderSpec): Promise<{ slot: Slot; id: string; dimension: number }> {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: spec });
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { type: string; id?: string; dimension?: number; message?: string }) => {
      worker.off('error', onError);
      worker.off('message', onMessage);
      if (msg.type === 'ready') resolve({ slot: { worker, busy: 0, pending: new Map() }, id: msg.id!, dimension: msg.dimension! });
      else reject(new Error(`embedding worker failed to start: ${msg.message}`));
    };
    const onError = (err: Error) => reject(new Error(`embedding worker failed to start: ${err.message}`));
    worker.on('message', onMessage);
    worker.once('error', onError);
  });
}
