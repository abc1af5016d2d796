import type { EpisodeSummary } from '../../../../core/contract/api.ts';
import { ApiError, isAbort } from '../api/client.ts';
import { getSummary } from '../api/summaries.ts';

export type SummaryStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Why a summary could not be had, for a person. */
function explain(err: unknown): string {
  if (err instanceof ApiError && err.status === 404 && /no such API endpoint/i.test(err.message)) return 'This server cannot summarise episodes yet.';
  return err instanceof Error && err.message ? err.message : 'Something went wrong while summarising.';
}

/**
 * One episode's summary: loaded when the tab is first opened, regenerated on demand. While a
 * regeneration runs the previous summary stays on screen.
 */
export class SummaryLoader {
  #status = $state<SummaryStatus>('idle');
  #summary = $state<EpisodeSummary | null>(null);
  #error = $state<string | null>(null);
  #abort: AbortController | null = null;

  constructor(readonly videoId: string) {}

  get status() { return this.#status; }
  get summary() { return this.#summary; }
  get error() { return this.#error; }
  get loading() { return this.#status === 'loading'; }

  /** Loads the summary unless it is here or on its way; `refresh` asks the server to write it again. */
  async load({ refresh = false } = {}): Promise<void> {
    if (!refresh && (this.#status === 'ready' || this.#status === 'loading')) return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#status = 'loading';
    this.#error = null;
    try {
      this.#summary = await getSummary(this.videoId, { refresh }, abort.signal);
      this.#status = 'ready';
    } catch (err) {
      if (isAbort(err) || abort.signal.aborted) return;
      this.#error = explain(err);
      this.#status = 'error';
    }
  }

  /** Gives up on a summary still being written (the episode was closed). */
  cancel(): void {
    this.#abort?.abort();
    if (this.#status === 'loading') this.#status = this.#summary ? 'ready' : 'idle';
  }
}
