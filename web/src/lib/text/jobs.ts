import type { JobView } from '../../../../core/contract/api.ts';
import { youtubeIdFromUrl } from './time.ts';

type ItemStatus = keyof JobView['counts'];

/** How each per-video outcome reads in a sentence ("3 indexed · 1 without captions"). */
const ITEM_LABELS: Record<ItemStatus, string> = {
  queued: 'waiting',
  indexed: 'indexed',
  skipped: 'already indexed',
  no_captions: 'without captions',
  no_transcript: 'without a transcript',
  unavailable: 'unavailable',
  private: 'private',
  age_restricted: 'age-restricted',
  live_upcoming: 'live or upcoming',
  error: 'failed',
};
/** Outcomes shown in this order; the ones after `skipped` are problems. */
const ORDER: ItemStatus[] = ['indexed', 'skipped', 'queued', 'no_captions', 'no_transcript', 'unavailable', 'private', 'age_restricted', 'live_upcoming', 'error'];
const FINE = new Set<ItemStatus>(['indexed', 'skipped', 'queued']);

export interface JobCount {
  status: ItemStatus;
  n: number;
  label: string;
  problem: boolean;
}

/** The job's non-zero per-video counts, successes first. */
export function jobCounts(job: JobView): JobCount[] {
  return ORDER.filter((s) => (job.counts[s] ?? 0) > 0).map((s) => ({ status: s, n: job.counts[s] ?? 0, label: ITEM_LABELS[s], problem: !FINE.has(s) }));
}

export type Tone = 'busy' | 'ok' | 'warn' | 'bad';

/** A short verdict on the job: still working, paused, failed, or how the finished run went. */
export function jobOutcome(job: JobView): { label: string; tone: Tone } {
  switch (job.status) {
    case 'queued':
      return { label: 'Waiting to start', tone: 'busy' };
    case 'running':
      return { label: job.phase === 'listing' ? 'Listing videos…' : 'Fetching captions…', tone: 'busy' };
    case 'paused':
      return { label: 'Paused', tone: 'warn' };
    case 'failed':
      return { label: 'Failed', tone: 'bad' };
    case 'done': {
      const indexed = job.counts.indexed ?? 0;
      const problems = jobCounts(job).filter((c) => c.problem).reduce((n, c) => n + c.n, 0);
      if (job.total === 0) return { label: 'Finished: no videos found', tone: 'warn' };
      if (problems === 0) return { label: indexed ? 'Done' : 'Done: nothing new', tone: 'ok' };
      return indexed ? { label: 'Done, with problems', tone: 'warn' } : { label: 'Finished: nothing added', tone: 'bad' };
    }
    default: {
      const never: never = job.status;
      return never;
    }
  }
}

/** Jobs whose progress can still change here (worth a live stream). */
export const isLive = (job: JobView) => job.status === 'queued' || job.status === 'running';

/** Jobs that stopped before every video was done and can be picked up again. */
export const canResume = (job: JobView) => job.status === 'paused' || job.status === 'failed';

/** Puts `job` in the list (replacing the older view of it), newest job first. */
export function upsertJob(jobs: readonly JobView[], job: JobView): JobView[] {
  return [job, ...jobs.filter((j) => j.id !== job.id)].sort((a, b) => b.id - a.id);
}

/** `"en, de-DE"` → `["en", "de-DE"]`; blank → undefined (the server's default languages). */
export function parseLangs(text: string): string[] | undefined {
  const langs = text.split(/[\s,;]+/).filter(Boolean);
  return langs.length ? langs : undefined;
}

const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;

/** A failed POST /api/videos (or resume) explained for a person: what happened and what to do. */
export function explainJobError(status: number, message: string): string {
  switch (status) {
    case 400:
      return `That is not something Episodic can add. ${message.replace(/^source:\s*/, '')}`;
    case 403:
      return `Not allowed: ${message}`;
    case 404:
    case 405:
      return 'This server cannot add YouTube videos (it runs without the YouTube queue).';
    case 409:
      // 409 is also "this job is already done" (resume): only a held lock means "busy".
      return /writing to this index|lock/i.test(message) ? `The index is busy: ${message}.` : sentence(message);
    default:
      return message;
  }
}

/**
 * The videos a job is known to have worked on: the ones seen in its live progress, and for a
 * single-video job the video its source names (so a finished job can still point at its error).
 */
export function jobVideoIds(job: JobView, seen: readonly string[]): string[] {
  const ids = [...seen];
  if (job.kind === 'video') {
    const id = youtubeIdFromUrl(job.source) ?? (/^[A-Za-z0-9_-]{11}$/.test(job.source) ? job.source : null);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
