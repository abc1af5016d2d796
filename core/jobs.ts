/**
 * YouTube ingest jobs: start, resume and read progress, with the core's error kinds (a bad
 * source is `invalid`, an unknown job `not_found`, the index locked by another writer or a
 * finished job `conflict`). The job manager runs the jobs; this only decides what a request means.
 */
import type { JobManager } from '../indexer/job-manager.ts';
import { parseYouTubeRef, YouTubeRefError } from '../indexer/sources/youtube-url.ts';
import { IndexLockedError } from '../indexer/store/lock.ts';
import type { JobProgress } from '../indexer/youtube-ingest.ts';
import { AddVideosRequest, JobId } from '../server/contract/api.ts';
import { conflict, invalid, notFound, parseInput } from './errors.ts';

/** Starting or resuming takes the index's write lock: another writer holding it is a conflict. */
function underLock<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof IndexLockedError) throw conflict(err.message);
    throw err;
  }
}

/** Starts (or rejoins) the job for a YouTube video, playlist or channel (`{source, lang?}`); returns its id. */
export function startJob(jobs: JobManager, input: unknown): number {
  const req = parseInput(AddVideosRequest, input);
  let ref;
  try {
    ref = parseYouTubeRef(req.source);
  } catch (err) {
    if (err instanceof YouTubeRefError) throw invalid(`source: ${err.message}`);
    throw err;
  }
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
export function listJobs(jobs: JobManager, limit?: number): JobProgress[] {
  return jobs.list(limit);
}
