/**
 * Runs ingest jobs (YouTube and podcast feeds) inside a long-lived process (the HTTP server): one job at a time,
 * since the index has a single writer, holding the index's write lock while any job runs, and
 * fanning progress out to watchers (the SSE stream). Each job opens and runs through
 * core/ingest.ts, as `episodic add` does in the foreground.
 */
import type { Embedder } from '../indexer/embed/embedder.ts';
import type { FeedSource } from '../indexer/sources/feed.ts';
import type { YouTubeSource } from '../indexer/sources/youtube.ts';
import type { Job } from '../indexer/store/jobs.ts';
import type { Store } from '../indexer/store/store.ts';
import { toProgress, type Clock } from '../indexer/youtube-ingest.ts';
import { present } from '../indexer/present.ts';
import { openIngestJob, runIngestJob, type IngestRef, type JobProgress } from './ingest.ts';

export interface JobManagerDeps {
  store: Store;
  embedder: Embedder;
  /** Builds the YouTube source for one run (caption languages may differ per request). */
  createSource: (options: { lang?: string[] }) => Promise<YouTubeSource>;
  /** Builds the feed source for one run (transcript languages may differ per request). */
  createFeedSource?: (options: { lang?: string[] }) => FeedSource;
  /** Takes the index's write lock and returns its release; throws when another process writes. */
  acquireLock: () => () => void;
  /**
   * Starts the embedder jobs write with (e.g. a worker thread, so embedding a long video does not
   * stall searches on the main thread); started when the queue starts, closed when it drains.
   * Without it, or when it fails to start, jobs use `embedder`.
   */
  startIngestEmbedder?: () => Promise<Embedder>;
  concurrency?: number;
  clock?: Clock;
}

export interface JobManager {
  /**
   * Opens the job for `ref` (resuming an unfinished one) and queues it to run here. Returns at
   * once; a job already queued or running is returned as is.
   * @throws IndexLockedError when another process holds the write lock
   */
  start(ref: IngestRef, options?: { lang?: string[] }): Job;
  /** Queues an existing unfinished job again; undefined when there is no such job. */
  resume(id: number, options?: { lang?: string[] }): Job | undefined;
  /** The latest progress of a job (live while it runs here, else from the database). */
  progress(id: number): JobProgress | undefined;
  /** The newest jobs, with live progress for the ones running here. */
  list(limit?: number): JobProgress[];
  /**
   * Reports the current progress, then every change until the job stops running here (or the
   * signal fires). Resolves with the last progress; undefined when the job does not exist.
   */
  watch(id: number, onProgress: (p: JobProgress) => void, signal?: AbortSignal): Promise<JobProgress | undefined>;
  /** Stops taking videos, lets the running job write what it fetched, and releases the lock. */
  close(): Promise<void>;
}

export function createJobManager(deps: JobManagerDeps): JobManager {
  const jobs = deps.store.jobs;
  const now = () => (deps.clock ?? Date).now();
  const waiting: { id: number; lang?: string[] }[] = [];
  const latest = new Map<number, JobProgress>();
  const listeners = new Map<number, Set<(p: JobProgress) => void>>();
  let active: { id: number; controller: AbortController } | undefined;
  let release: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let closed = false;

  const isLive = (id: number) => active?.id === id || waiting.some((w) => w.id === id);
  const publish = (p: JobProgress) => {
    if (p.phase === 'finished') latest.delete(p.jobId);
    else latest.set(p.jobId, p);
    for (const listener of [...(listeners.get(p.jobId) ?? [])]) listener(p);
  };

  const runOne = async (next: { id: number; lang?: string[] }, embedder: Embedder) => {
    const controller = new AbortController();
    active = { id: next.id, controller };
    let finished = false;
    try {
      const source = await deps.createSource({ lang: next.lang });
      const feeds = deps.createFeedSource?.({ lang: next.lang });
      await runIngestJob({ store: deps.store, embedder, source, feeds, jobs, clock: deps.clock }, next.id, {
        concurrency: deps.concurrency,
        signal: controller.signal,
        onProgress: (p) => {
          finished = p.phase === 'finished';
          publish(p);
        },
      });
    } catch (err) {
      jobs.setStatus(next.id, 'failed', `job failed: ${err instanceof Error ? err.message : String(err)}`, now());
    } finally {
      active = undefined;
      if (!finished) publish(toProgress(present(jobs.get(next.id), `job ${next.id}`), 'finished'));
    }
  };

  const drain = async () => {
    try {
      while (waiting.length > 0 && !closed) {
        const own = await deps.startIngestEmbedder?.().catch(() => undefined);
        try {
          for (let next = waiting.shift(); next && !closed; next = waiting.shift()) await runOne(next, own ?? deps.embedder);
        } finally {
          await own?.close().catch(() => {});
        }
      }
    } finally {
      // No await between the last look at the queue and here, so a job queued meanwhile cannot be stranded.
      release?.();
      release = undefined;
      loop = undefined;
    }
  };

  /** Takes the write lock (if no job holds it yet) before touching the queue, so a refusal changes nothing. */
  const withLock = (open: () => Job | undefined, lang: string[] | undefined): Job | undefined => {
    if (closed) throw new Error('the job manager is shutting down');
    release ??= deps.acquireLock();
    try {
      const job = open();
      return job && enqueue(job, lang);
    } finally {
      if (!loop) {
        release?.();
        release = undefined;
      }
    }
  };

  const enqueue = (job: Job, lang: string[] | undefined): Job => {
    if (isLive(job.id)) return job;
    jobs.setStatus(job.id, 'queued', active ? `waiting for job ${active.id}` : undefined, now());
    const queued = present(jobs.get(job.id), `job ${job.id}`);
    waiting.push({ id: job.id, lang });
    publish(toProgress(queued, 'waiting'));
    loop ??= drain();
    return queued;
  };

  const progress = (id: number): JobProgress | undefined => {
    const live = latest.get(id);
    if (live) return live;
    const job = jobs.get(id);
    return job && toProgress(job, 'finished');
  };

  return {
    start(ref, options = {}) {
      return present(withLock(() => openIngestJob(jobs, ref, 'add', now()).job, options.lang), 'the job just opened');
    },
    resume(id, options = {}) {
      const job = jobs.get(id);
      if (!job || job.status === 'done') return undefined;
      return withLock(() => job, options.lang);
    },
    progress,
    list(limit = 50) {
      return jobs.recent(limit).map((job) => latest.get(job.id) ?? toProgress(job, 'finished'));
    },
    watch(id, onProgress, signal) {
      const first = progress(id);
      if (!first) return Promise.resolve(undefined);
      onProgress(first);
      if (!isLive(id) || signal?.aborted) return Promise.resolve(first);
      return new Promise((resolve) => {
        const set = listeners.get(id) ?? new Set();
        listeners.set(id, set);
        let last = first;
        const end = () => {
          set.delete(listener);
          if (set.size === 0) listeners.delete(id);
          signal?.removeEventListener('abort', end);
          resolve(last);
        };
        const listener = (p: JobProgress) => {
          last = p;
          onProgress(p);
          if (p.phase === 'finished') end();
        };
        set.add(listener);
        signal?.addEventListener('abort', end, { once: true });
      });
    },
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) publish(toProgress(present(jobs.get(w.id), `job ${w.id}`), 'finished'));
      active?.controller.abort();
      await loop;
    },
  };
}
