import { availableParallelism } from 'node:os';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { COMPILED, packagePath } from '../package-root.ts';
import type { Embedder } from './embedder.ts';
import type { EmbedderSpec } from './spec.ts';

/** Texts per message: small enough to balance workers, large enough that messaging is noise. */
export const POOL_CHUNK = 8;

/**
 * Questions (calls of one text) waiting together go to a worker as one batch of up to this many:
 * the bundled encoder embeds 8 short questions at once in ~10.6 ms each against ~17 ms one by
 * one (measured on the 2-core machine of the README), so concurrent searches share the cost.
 */
export const QUESTION_BATCH = 8;

export interface PoolOptions {
  /**
   * Messages a worker holds at once (the one it computes and those waiting in its port). Unlimited
   * (the default) suits bulk ingest: a worker never waits for the main thread. The server uses 1,
   * so that work waits in the pool, where a question goes ahead of an answer's sentences and
   * questions that arrive together are embedded as one batch.
   */
  inFlight?: number;
}

interface Pending {
  resolve: (flat: Float32Array) => void;
  reject: (err: Error) => void;
}

/** A chunk of one embed call waiting for a worker. */
interface Queued extends Pending {
  texts: string[];
}

interface Slot {
  worker: Worker;
  busy: number;
  pending: Map<number, Pending>;
}

/**
 * Embeds on a pool of worker threads, one embedder per worker. The bundled encoder runs
 * single-threaded in WASM, so one worker per core is what makes ingest scale.
 */
export class EmbedderPool implements Embedder {
  private nextId = 0;
  private closed = false;
  /** Workers still loading their model (startFirst), terminated if the pool closes first. */
  private readonly starting = new Set<Worker>();
  /**
   * Settles when every worker asked for has joined: at once for `start`; for `startFirst`, once
   * the later workers are ready (rejects if one failed to start; the pool keeps working without it).
   */
  joined: Promise<void> = Promise.resolve();
  /** Calls of one text (questions), served first and batched together. */
  private readonly questions: Queued[] = [];
  /** Chunks of longer calls, in order. */
  private readonly chunks: Queued[] = [];

  private constructor(
    readonly id: string,
    readonly dimension: number,
    private readonly slots: Slot[],
    private readonly inFlight: number,
  ) {}

  /** Starts `size` workers (default: one per core) and waits until every one has loaded its model. */
  static async start(spec: EmbedderSpec, size = Math.max(1, availableParallelism()), options: PoolOptions = {}): Promise<EmbedderPool> {
    const ready = await Promise.allSettled(Array.from({ length: size }, () => startWorker(spec)));
    const ok = ready.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = ready.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failed) {
      await Promise.all(ok.map((w) => w.slot.worker.terminate()));
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    const slots = ok.map((w) => w.slot);
    const pool = new EmbedderPool(ok[0].id, ok[0].dimension, slots, Math.max(1, options.inFlight ?? Infinity));
    for (const slot of slots) pool.listen(slot);
    return pool;
  }

  /**
   * Starts `size` workers but resolves as soon as the first has loaded its model; the others start
   * behind it and take work as each becomes ready (`joined`). For a server: its first search waits
   * for one model load instead of `size` loads sharing the cores with the server's own start-up.
   */
  static async startFirst(spec: EmbedderSpec, size: number, options: PoolOptions = {}): Promise<EmbedderPool> {
    const first = await spawnWorker(spec).ready;
    const pool = new EmbedderPool(first.id, first.dimension, [first.slot], Math.max(1, options.inFlight ?? Infinity));
    pool.listen(first.slot);
    pool.joined = Promise.all(Array.from({ length: size - 1 }, () => pool.join(spec))).then(() => undefined);
    // A caller that never looks at `joined` must not see an unhandled rejection.
    pool.joined.catch(() => undefined);
    return pool;
  }

  private async join(spec: EmbedderSpec): Promise<void> {
    const { worker, ready } = spawnWorker(spec);
    this.starting.add(worker);
    try {
      const { slot } = await ready;
      if (this.closed) return;
      this.slots.push(slot);
      this.listen(slot);
      this.dispatch();
    } finally {
      this.starting.delete(worker);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  /** True once `close` was called: a later worker that then fails to join was ended on purpose. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Embeds texts spread over the workers; similar lengths go together so batches pad little. */
  async embed(texts: string[]): Promise<Float32Array[]> {
    if (this.closed) throw new Error('embedder pool is closed');
    const order = texts.map((t, i) => i).sort((a, b) => texts[a].length - texts[b].length);
    const out: Float32Array[] = new Array(texts.length);
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < order.length; i += POOL_CHUNK) {
      const idx = order.slice(i, i + POOL_CHUNK);
      jobs.push(
        this.send(idx.map((k) => texts[k])).then((flat) => {
          idx.forEach((k, j) => (out[k] = flat.slice(j * this.dimension, (j + 1) * this.dimension)));
        }),
      );
    }
    await Promise.all(jobs);
    return out;
  }

  /**
   * Each worker's event-loop utilisation (its busy share of the time) since `since`, or since it
   * started: Node's own accounting, read from this thread without a message to the workers.
   */
  utilization(since?: readonly EventLoopUtilization[]): EventLoopUtilization[] {
    return this.slots.map((s, i) => s.worker.performance.eventLoopUtilization(since?.[i]));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('embedder pool is closed');
    for (const q of this.questions.splice(0).concat(this.chunks.splice(0))) q.reject(err);
    await Promise.all([...this.slots.map((s) => s.worker), ...this.starting].map((w) => w.terminate()));
  }

  private send(texts: string[]): Promise<Float32Array> {
    return new Promise<Float32Array>((resolve, reject) => {
      (texts.length === 1 ? this.questions : this.chunks).push({ texts, resolve, reject });
      this.dispatch();
    });
  }

  /** Hands waiting work to workers with room (the least busy first): questions first, as batches. */
  private dispatch(): void {
    while (this.questions.length || this.chunks.length) {
      const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (slot.busy >= this.inFlight) return;
      const batch = this.questions.length ? this.questions.splice(0, QUESTION_BATCH) : this.chunks.splice(0, 1);
      const id = this.nextId++;
      slot.busy++;
      slot.pending.set(id, {
        resolve: (flat) => {
          let at = 0;
          for (const q of batch) {
            const end = at + q.texts.length * this.dimension;
            q.resolve(batch.length === 1 ? flat : flat.subarray(at, end));
            at = end;
          }
        },
        reject: (err) => batch.forEach((q) => q.reject(err)),
      });
      slot.worker.postMessage({ id, texts: batch.flatMap((q) => q.texts) });
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
      this.dispatch();
    });
    const failAll = (err: Error) => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
    };
    slot.worker.on('error', failAll);
    slot.worker.on('exit', (code) => {
      if (!this.closed) failAll(new Error(`embedding worker exited with code ${code}`));
    });
  }
}

function startWorker(spec: EmbedderSpec): Promise<{ slot: Slot; id: string; dimension: number }> {
  return spawnWorker(spec).ready;
}

/** A new worker, and when it has loaded its model (rejects if it fails or exits first). */
function spawnWorker(spec: EmbedderSpec): { worker: Worker; ready: Promise<{ slot: Slot; id: string; dimension: number }> } {
  // Compiled: the bundle's own worker entry; from sources: a plain-JS entry that registers tsx.
  const entry = COMPILED ? pathToFileURL(packagePath('dist/indexer/embed/worker.js')) : new URL('./worker-entry.mjs', import.meta.url);
  const worker = new Worker(entry, { workerData: spec });
  const ready = new Promise<{ slot: Slot; id: string; dimension: number }>((resolve, reject) => {
    const done = () => {
      worker.off('error', onError);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    const onMessage = (msg: { type: 'ready'; id: string; dimension: number } | { type: 'failed'; message: string }) => {
      done();
      if (msg.type === 'ready') resolve({ slot: { worker, busy: 0, pending: new Map() }, id: msg.id, dimension: msg.dimension });
      else reject(new Error(`embedding worker failed to start: ${msg.message}`));
    };
    const onError = (err: Error) => {
      done();
      reject(new Error(`embedding worker failed to start: ${err.message}`));
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`embedding worker exited with code ${code} before it was ready`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
  return { worker, ready };
}
