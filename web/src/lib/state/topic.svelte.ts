import type { TopicSummary } from '../../../../core/contract/api.ts';
import { ApiError, isAbort } from '../api/client.ts';
import { summarizeTopic } from '../api/summaries.ts';
import type { TopicFilters } from '../route.ts';

export type TopicStatus = 'idle' | 'loading' | 'done' | 'error';

const keyOf = (topic: string, f: TopicFilters) => JSON.stringify([topic.trim(), f.channel, f.from, f.to]);

/**
 * One topic overview. Lives above the views, so opening an episode from the timeline and
 * coming Back shows the same overview instead of computing it again.
 */
export class TopicSession {
  #key = '';
  #topic = $state('');
  #status = $state<TopicStatus>('idle');
  #result = $state<TopicSummary | null>(null);
  #error = $state<string | null>(null);
  #abort: AbortController | null = null;

  get topic() { return this.#topic; }
  get status() { return this.#status; }
  get result() { return this.#result; }
  get error() { return this.#error; }

  /** Summarises `topic` unless it is the one already shown (or on its way) with the same filters. */
  async run(topic: string, filters: TopicFilters, { again = false } = {}): Promise<void> {
    const key = keyOf(topic, filters);
    if (!again && key === this.#key && this.#status !== 'error') return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#key = key;
    this.#topic = topic.trim();
    this.#result = null;
    this.#error = null;
    if (!this.#topic) {
      this.#status = 'idle';
      return;
    }
    this.#status = 'loading';
    try {
      this.#result = await summarizeTopic({ topic: this.#topic, ...filters }, abort.signal);
      this.#status = 'done';
    } catch (err) {
      if (isAbort(err) || abort.signal.aborted) return;
      this.#error =
        err instanceof ApiError && err.status === 404 && /no such API endpoint/i.test(err.message)
          ? 'This server cannot summarise topics yet.'
          : (err as Error).message || 'Something went wrong while summarising the topic.';
      this.#status = 'error';
    }
  }
}
