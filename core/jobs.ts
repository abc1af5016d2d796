/**
 * Ingest jobs (YouTube videos, playlists, channels and podcast feeds): start, resume, list and
 * watch progress, with the core's error kinds (a bad source is `invalid`, an unknown job
 * `not_found`, the index locked by another writer or a finished job `conflict`). The job manager
 * runs the jobs; this only decides what a request means and how progress reads in the contract.
 */
import type { JobManager } from './job-manager.ts';
import { AddVideosRequest, JobId, type JobView } from './contract/api.ts';
import { conflict, notFound, parseInput } from './errors.ts';
import { parseIngestSource, type JobProgress } from './ingest.ts';
import { underLock } from './lock.ts';

/** A job's progress as the contract shows it. */
export function jobView(p: JobProgress): JobView {
  return {
    id: p.jobId,
    kind: p.kind,
    mode: p.mode,
    source: p.source,
    status: p.status,
    phase: p.phase,
    done: p.done,
    total: p.total,
    counts: p.counts,
    current: p.current.map((c) => ({ videoId: c.videoId, title: c.title ?? null })),
    message: p.message ?? null,
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
  };
}

/** Starts (or rejoins) the job for a YouTube reference or a feed URL (`{source, lang?}`); returns its id. */
export function startJob(jobs: JobManager, input: unknown): number {
  const req = parseInput(AddVideosRequest, input);
  const ref = parseIngestSource(req.source, 'source');
  return underLock(() => jobs.start(ref, { lang: req.lang }).id);
}

/** The latest progress of a job; `not_found` when there is none with this id. */
export function jobProgress(jobs: JobManager, id: unknown): JobProgress {
  const jobId = parseInput(JobId, id);
  const p = jobs.progress(jobId);
  if (!p) throw notFound(`job ${jobId}`);
  return p;
}

/** Queues a paused or interrupted job again; `conflict` when it is already done. */
export function resumeJob(jobs: JobManager, id: unknown): number {
  const jobId = jobProgress(jobs, id).jobId;
  const resumed = underLock(() => jobs.resume(jobId));
  if (!resumed) throw conflict(`job ${jobId} is already done`);
  return jobId;
}

/** The newest jobs, live progress for the ones running. */
export function listJobs(jobs: JobManager, limit?: number): JobView[] {
  return jobs.list(limit).map(jobView);
}

/**
 * Reports a job's progress now and on every change until it stops running here or `signal`
 * fires; `finished` tells the last report. `not_found` for an unknown job (before any report).
 */
export async function watchJob(jobs: JobManager, id: unknown, onView: (view: JobView, finished: boolean) => void, signal?: AbortSignal): Promise<void> {
  const jobId = jobProgress(jobs, id).jobId;
  await jobs.watch(jobId, (p) => onView(jobView(p), p.phase === 'finished'), signal);
}
