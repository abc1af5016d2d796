/**
 * The ingest queue runner: lists a YouTube video, playlist or channel, or a podcast feed, into a
 * persisted job, fetches its videos a few at a time and writes them to the index one at a time.
 * Every video ends with a status; a block pauses the whole job with the rest still queued; an
 * interrupted or paused job resumes where it stopped (finished videos are not fetched or
 * embedded again). What differs per source is behind QueueSource (feeds: feed-queue.ts).
 */
import type { Embedder } from './embed/embedder.ts';
import { SAVE_EVERY_MS } from './ingest.ts';
import type { ItemStatus, JobMode, JobPhase, VideoMeta } from './domain.ts';
import { feedQueue } from './feed-queue.ts';
import { ingestTranscript, type TranscriptInput } from './pipeline.ts';
import type { FeedSource } from './sources/feed.ts';
import type { IngestRef } from './sources/ingest-ref.ts';
import type { YouTubeSource } from './sources/youtube.ts';
import { YouTubeError, toYouTubeError } from './sources/youtube-errors.ts';
import { DEFAULT_CHANNEL_TAB } from './sources/youtube-list.ts';
import { parseYouTubeRef, youTubeRefUrl } from './sources/youtube-url.ts';
import type { VideoRow } from './store/db.ts';
import type { Follow, Job, JobItem, JobStore } from './store/jobs.ts';
import type { Store } from './store/store.ts';
import { present } from './present.ts';

export const INGEST_DEFAULTS = {
  // Four videos in flight keep a batch moving while one waits on its transcript, without the
  // request rate of a scraper (each video is 2–4 requests).
  concurrency: 4,
  // YouTube's automatic captions usually appear within hours of upload; a day is a safe wait.
  retryNoCaptionsAfterMs: 24 * 60 * 60 * 1000,
  // Listed videos are written to the job in batches, so a 5000-video channel is not 5000 commits.
  listBatch: 100,
};

/** `format` recorded on videos that came from YouTube captions; anything else came from a file. */
export const YOUTUBE_FORMAT = 'youtube';

export interface Clock {
  now(): number;
}

export interface YouTubeIngestDeps {
  store: Store;
  embedder: Embedder;
  source: YouTubeSource;
  /** Feed jobs read their feed through it; without it they fail with a clear message. */
  feeds?: FeedSource;
  /** Defaults to `store.jobs`. */
  jobs?: JobStore;
  clock?: Clock;
}


export interface JobProgress {
  jobId: number;
  kind: Job['kind'];
  mode: JobMode;
  source: string;
  status: Job['status'];
  phase: JobPhase;
  /** Items no longer queued. */
  done: number;
  total: number;
  counts: Record<ItemStatus, number>;
  /** Videos being fetched or written right now. */
  current: { videoId: string; title?: string }[];
  message?: string;
  createdAt: number;
  updatedAt: number;
}

/** Why a run stopped before every item was done. */
export type StopReason = 'blocked' | 'interrupted' | 'failed';

export interface JobSummary extends JobProgress {
  stopped?: StopReason;
  /** What this run did (a resumed job counts only its own work). */
  run: { added: number; updated: number; unchanged: number; segments: number; embedded: number };
}

export interface RunOptions {
  concurrency?: number;
  /** Stops taking new videos; the ones in flight are finished and written. */
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
}

/** The canonical URL a job is keyed by: a channel without a tab is its uploads tab; a feed its URL. */
function jobSource(ref: IngestRef): string {
  if (ref.kind === 'feed') return ref.url;
  return youTubeRefUrl(ref.kind === 'channel' ? { ...ref, tab: ref.tab ?? DEFAULT_CHANNEL_TAB } : ref);
}

/** The unfinished job for `ref` (to resume), or a new one. */
export function openYouTubeJob(jobs: JobStore, ref: IngestRef, mode: JobMode, now: number): { job: Job; resumed: boolean } {
  const source = jobSource(ref);
  const existing = jobs.findUnfinished(source);
  if (existing) return { job: existing, resumed: true };
  return { job: jobs.create({ kind: ref.kind, mode, source }, now), resumed: false };
}

/**
 * Whether `episodic refresh` should fetch a listed video again, given what the index holds.
 * Final failures (private, unavailable, age-restricted) are left alone; `add` retries them.
 */
export function shouldFetchOnRefresh(row: VideoRow | undefined, now: number, retryNoCaptionsAfterMs = INGEST_DEFAULTS.retryNoCaptionsAfterMs): boolean {
  if (!row) return true;
  switch (row.status) {
    case 'indexed':
    case 'private':
    case 'unavailable':
    case 'age_restricted':
      return false;
    case 'no_captions':
    case 'no_transcript':
      // Captions and feed transcripts often appear some hours after the episode does.
      return now - Date.parse(row.updatedAt) >= retryNoCaptionsAfterMs;
    case 'live_upcoming':
    case 'pending':
    case 'blocked':
    case 'error':
      return true;
  }
}

export function toProgress(job: Job, phase: JobPhase, current: JobProgress['current'] = []): JobProgress {
  return {
    jobId: job.id,
    kind: job.kind,
    mode: job.mode,
    source: job.source,
    status: job.status,
    phase,
    done: job.total - job.counts.queued,
    total: job.total,
    counts: job.counts,
    current,
    message: job.message,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** What the runner needs from one kind of source, for one job. */
export interface QueueSource {
  /** Every item of the job's source, in order. @throws anything; mapped by toYouTubeError */
  list(): AsyncIterable<{ videoId: string; title?: string }>;
  /** Set when the source is followed by `episodic refresh` once listed. */
  follow?: Follow['kind'];
  /** One item ready for the pipeline. @throws YouTubeError (FeedError) with its status */
  fetch(item: JobItem): Promise<TranscriptInput>;
  /** Why an item already in the index is left alone, if it is. */
  skip(existing: VideoRow | undefined): string | undefined;
  /** The row recorded for an item that failed before its metadata was read. */
  placeholder(item: JobItem): VideoMeta;
  /** The pause message for a block. */
  blockedMessage(err: YouTubeError, hint: string): string;
}

function youTubeQueue(source: YouTubeSource, jobSourceUrl: string): QueueSource {
  const ref = parseYouTubeRef(jobSourceUrl);
  return {
    async *list() {
      for await (const v of source.listVideos(ref)) yield { videoId: v.id, title: v.title };
    },
    follow: ref.kind === 'video' ? undefined : ref.kind,
    async fetch(item) {
      const video = await source.getVideo(item.videoId);
      return { meta: video.meta, cues: video.cues, source: jobSourceUrl, format: YOUTUBE_FORMAT, chapters: video.meta.chapters, track: video.track };
    },
    skip(existing) {
      // Someone indexed this video from a transcript file (often better than captions): keep it.
      if (existing?.status !== 'indexed' || existing.format === YOUTUBE_FORMAT) return undefined;
      return `already indexed from ${existing.source ?? 'a transcript file'}; not replaced by YouTube captions`;
    },
    placeholder: (item) => ({ id: item.videoId, youtubeId: item.videoId, url: `https://www.youtube.com/watch?v=${item.videoId}`, title: item.title ?? `YouTube video ${item.videoId}` }),
    blockedMessage,
  };
}

type Fetched = { input: TranscriptInput } | { err: YouTubeError } | { skip: string };

/**
 * Runs (or resumes) job `jobId` until every item is done, YouTube blocks us, the signal fires
 * or writing the index fails. Never throws for a video's failure; the job's row says how it ended.
 * @throws only if the job does not exist
 */
export async function runYouTubeJob(deps: YouTubeIngestDeps, jobId: number, options: RunOptions = {}): Promise<JobSummary> {
  const { store, embedder, source } = deps;
  const jobs = deps.jobs ?? store.jobs;
  const now = () => (deps.clock ?? Date).now();
  const initial = jobs.get(jobId);
  if (!initial) throw new Error(`no job ${jobId}`);
  if (initial.kind === 'feed' && !deps.feeds) throw new Error(`job ${jobId} is a feed, and no feed source was given`);
  const queueSource = initial.kind === 'feed' ? feedQueue(present(deps.feeds, 'the feed source'), initial.source) : youTubeQueue(source, initial.source);
  const current = new Map<string, { videoId: string; title?: string }>();
  const run: JobSummary['run'] = { added: 0, updated: 0, unchanged: 0, segments: 0, embedded: 0 };
  let phase: JobPhase = 'listing';
  const emit = () => options.onProgress?.(toProgress(present(jobs.get(jobId), `job ${jobId}`), phase, [...current.values()]));
  const finish = (status: Job['status'], message: string | undefined, stopped?: StopReason): JobSummary => {
    store.save();
    jobs.setStatus(jobId, status, message, now());
    phase = 'finished';
    const summary: JobSummary = { ...toProgress(present(jobs.get(jobId), `job ${jobId}`), phase), stopped, run };
    options.onProgress?.(summary);
    return summary;
  };
  const remaining = () => jobs.counts(jobId).queued;
  const resumeHint = () => `${remaining()} video(s) remain queued; run the same add again to resume`;

  jobs.setStatus(jobId, 'running', undefined, now());
  if (initial.listedAt === undefined) {
    emit();
    const batch: { videoId: string; title?: string }[] = [];
    const flush = () => {
      const listed = batch.splice(0);
      const known = initial.mode === 'refresh' ? store.db.videosByIds(listed.map((v) => v.videoId)) : undefined;
      jobs.addItems(jobId, known ? listed.filter((v) => shouldFetchOnRefresh(known.get(v.videoId), now())) : listed, now());
      emit();
    };
    try {
      for await (const v of queueSource.list()) {
        batch.push(v);
        if (batch.length >= INGEST_DEFAULTS.listBatch) flush();
        if (options.signal?.aborted) {
          flush();
          return finish('paused', `interrupted while listing; ${resumeHint()}`, 'interrupted');
        }
      }
      flush();
    } catch (err) {
      flush();
      const e = toYouTubeError(err, `listing ${initial.source}`);
      if (e.status === 'blocked') return finish('paused', queueSource.blockedMessage(e, resumeHint()), 'blocked');
      return finish('failed', `could not list ${initial.source} (${e.status}): ${e.message}`, 'failed');
    }
    jobs.markListed(jobId, now());
    if (queueSource.follow) {
      jobs.follow(initial.source, queueSource.follow, now());
      jobs.markFollowListed(initial.source, now());
    }
  }

  phase = 'fetching';
  emit();
  const queue = jobs.items(jobId, 'queued');
  let blocked: YouTubeError | undefined;
  let fatal: unknown;
  const stopping = () => blocked !== undefined || fatal !== undefined || options.signal?.aborted === true;
  // SQLite has one writer and the HNSW index is saved whole: fetch in parallel, write in turn.
  let writing: Promise<unknown> = Promise.resolve();
  const serially = (fn: () => Promise<void>): Promise<void> => {
    const next = writing.then(fn);
    writing = next.catch(() => undefined);
    return next;
  };
  let lastSave = now();

  const record = async (item: JobItem, fetched: Fetched): Promise<void> => {
    if ('skip' in fetched) {
      jobs.recordAttempt(jobId, item.videoId, 'skipped', fetched.skip, now());
    } else if ('input' in fetched) {
      const outcome = await ingestTranscript({ store, embedder }, fetched.input);
      run[outcome.status]++;
      run.segments += outcome.segments;
      run.embedded += outcome.embedded;
      jobs.recordAttempt(jobId, item.videoId, 'indexed', undefined, now());
    } else {
      const { err } = fetched;
      if (err.status === 'blocked') {
        blocked ??= err;
        jobs.recordAttempt(jobId, item.videoId, 'queued', `blocked: ${err.message}`, now());
        return;
      }
      // A video indexed earlier keeps its status and content; the job item records this failure.
      if (store.db.getVideo(item.videoId)?.status !== 'indexed') {
        const meta = err.meta ?? queueSource.placeholder(item);
        store.db.setVideoStatus(meta, err.status, err.message, initial.source);
      }
      jobs.recordAttempt(jobId, item.videoId, err.status, err.message, now());
    }
    if (now() - lastSave >= SAVE_EVERY_MS) {
      store.save();
      lastSave = now();
    }
  };

  const fetchItem = async (item: JobItem): Promise<Fetched> => {
    const skip = queueSource.skip(store.db.getVideo(item.videoId));
    if (skip) return { skip };
    try {
      return { input: await queueSource.fetch(item) };
    } catch (err) {
      return { err: toYouTubeError(err, `video ${item.videoId}`) };
    }
  };

  const worker = async () => {
    while (!stopping()) {
      const item = queue.shift();
      if (!item) return;
      current.set(item.videoId, { videoId: item.videoId, title: item.title });
      emit();
      const fetched = await fetchItem(item);
      try {
        await serially(() => record(item, fetched));
      } catch (err) {
        fatal ??= err;
      }
      current.delete(item.videoId);
      emit();
    }
  };
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? INGEST_DEFAULTS.concurrency));
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  if (fatal !== undefined) {
    const message = fatal instanceof Error ? fatal.message : String(fatal);
    return finish('failed', `stopped: writing the index failed: ${message}; ${resumeHint()}`, 'failed');
  }
  if (blocked) return finish('paused', queueSource.blockedMessage(blocked, resumeHint()), 'blocked');
  if (remaining() > 0) return finish('paused', `interrupted; ${resumeHint()}`, 'interrupted');
  return finish('done', undefined);
}

function blockedMessage(err: YouTubeError, hint: string): string {
  const why = err.httpStatus === 429 ? 'YouTube is rate-limiting this IP: wait before resuming' : 'YouTube refused the requests (bot check or consent wall): cookies from a signed-in browser usually get past it';
  return `paused: ${err.message}. ${why}. ${hint}`;
}
