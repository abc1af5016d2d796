import type { JobView } from '../../../../core/contract/api.ts';
import { ApiError, isAbort } from '../api/client.ts';
import { addVideos, listJobs, resumeJob, watchJob } from '../api/jobs.ts';
import { explainJobError, isLive, upsertJob } from '../text/jobs.ts';

const explain = (err: unknown) => (err instanceof ApiError ? explainJobError(err.status, err.message) : (err as Error).message);

/**
 * YouTube ingest jobs: the recent ones, the add form's request, and a live progress stream for
 * every job still running. App-wide, so progress keeps arriving while the reader is elsewhere.
 */
export class JobQueue {
  #jobs = $state<JobView[]>([]);
  #error = $state<string | null>(null);
  #adding = $state(false);
  #addError = $state<string | null>(null);
  #actionError = $state<{ id: number; message: string } | null>(null);
  /** Videos each job worked on (seen in its progress), to point at their errors afterwards. */
  #videos = $state<Record<number, string[]>>({});
  #watching = new Map<number, AbortController>();
  #loaded = false;

  /** `onFinished` runs when a watched job ends (the library reloads to show what it added). */
  constructor(private readonly onFinished: (job: JobView) => void = () => {}) {}

  get jobs() { return this.#jobs; }
  get error() { return this.#error; }
  get adding() { return this.#adding; }
  get addError() { return this.#addError; }
  get actionError() { return this.#actionError; }
  videosOf(id: number): readonly string[] { return this.#videos[id] ?? []; }

  /** Loads the recent jobs once (`force` again) and follows the live ones. */
  async load(force = false): Promise<void> {
    if (this.#loaded && !force) return;
    this.#loaded = true;
    this.#error = null;
    try {
      let jobs = await listJobs();
      // Views that arrived on a live stream meanwhile are newer than the list.
      for (const j of this.#jobs) if (this.#watching.has(j.id)) jobs = upsertJob(jobs, j);
      this.#jobs = jobs;
      for (const j of jobs) if (isLive(j)) this.#watch(j.id);
    } catch (err) {
      this.#loaded = false;
      // A server without the YouTube queue has no jobs to list: that is not an error worth showing.
      if (err instanceof ApiError && err.status === 404) this.#jobs = [];
      else this.#error = (err as Error).message;
    }
  }

  /** Starts a job for a URL or id; true when the server accepted it. */
  async add(source: string, lang?: string[]): Promise<boolean> {
    this.#adding = true;
    this.#addError = null;
    try {
      const id = await addVideos({ source, lang });
      this.#watch(id);
      return true;
    } catch (err) {
      this.#addError = explain(err);
      return false;
    } finally {
      this.#adding = false;
    }
  }

  async resume(id: number): Promise<void> {
    this.#actionError = null;
    try {
      await resumeJob(id);
      this.#watch(id);
    } catch (err) {
      this.#actionError = { id, message: explain(err) };
    }
  }

  /** Stops every live stream (the jobs keep running on the server). */
  stop(): void {
    for (const c of this.#watching.values()) c.abort();
    this.#watching.clear();
  }

  #watch(id: number): void {
    this.#watching.get(id)?.abort();
    const abort = new AbortController();
    this.#watching.set(id, abort);
    void this.#follow(id, abort);
  }

  async #follow(id: number, abort: AbortController): Promise<void> {
    try {
      for await (const ev of watchJob(id, abort.signal)) {
        if (ev.event === 'error') throw new Error(ev.data.error);
        this.#update(ev.data);
        if (ev.event === 'done') this.onFinished(ev.data);
      }
    } catch (err) {
      if (!isAbort(err) && !abort.signal.aborted) this.#actionError = { id, message: `Lost track of job ${id}: ${(err as Error).message}` };
    } finally {
      if (this.#watching.get(id) === abort) this.#watching.delete(id);
    }
  }

  #update(job: JobView): void {
    this.#jobs = upsertJob(this.#jobs, job);
    const seen = this.#videos[job.id] ?? [];
    const fresh = job.current.map((c) => c.videoId).filter((v) => !seen.includes(v));
    if (fresh.length) this.#videos = { ...this.#videos, [job.id]: [...seen, ...fresh] };
  }
}
