import type { AnswerMode, AskEvent, Citation, Source } from '../../../../server/contract/api.ts';
import { ApiError, ask, isAbort, search, type Filters } from '../api/client.ts';
import { hitToSource } from '../text/sources.ts';

export type AskStatus = 'idle' | 'searching' | 'streaming' | 'done' | 'error';

/** How many moments the search fallback lists. */
export const FALLBACK_RESULTS = 12;

const keyOf = (question: string, filters: Filters) => JSON.stringify([question.trim(), filters.channel, filters.from, filters.to, filters.video]);

/**
 * One question and its answer as it streams in. Lives above the views, so going to an
 * episode and back shows the same answer instead of asking again.
 */
export class AskSession {
  #key = '';
  #question = $state('');
  #status = $state<AskStatus>('idle');
  #sources = $state<Source[]>([]);
  #answer = $state('');
  #citations = $state<Citation[]>([]);
  #invalid = $state<number[]>([]);
  #mode = $state<AnswerMode | 'search' | null>(null);
  #notice = $state<string | null>(null);
  #error = $state<string | null>(null);
  /** Null until the first ask tells whether this server has /api/ask. */
  #canAsk: boolean | null = null;
  #abort: AbortController | null = null;

  get question() { return this.#question; }
  get status() { return this.#status; }
  get sources() { return this.#sources; }
  get answer() { return this.#answer; }
  get citations() { return this.#citations; }
  get invalid() { return this.#invalid; }
  get mode() { return this.#mode; }
  get notice() { return this.#notice; }
  get error() { return this.#error; }
  get busy() { return this.#status === 'searching' || this.#status === 'streaming'; }

  /** Asks `question` unless it is the one already answered (or being answered) with the same filters. */
  async run(question: string, filters: Filters, { again = false } = {}): Promise<void> {
    const key = keyOf(question, filters);
    if (!again && key === this.#key && this.#status !== 'error') return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#key = key;
    this.#reset(question.trim());
    if (!this.#question) {
      this.#status = 'idle';
      return;
    }
    this.#status = 'searching';
    try {
      const stream = this.#canAsk === false ? null : await ask({ question: this.#question, ...filters }, abort.signal);
      this.#canAsk = stream !== null;
      if (stream) {
        for await (const ev of stream) this.#apply(ev);
        // A stream that ends without `done` (server restarted…) still leaves what arrived on screen.
        if (this.busy) this.#status = 'done';
      } else {
        await this.#searchOnly(filters, abort.signal);
      }
    } catch (err) {
      if (isAbort(err) || abort.signal.aborted) return;
      this.#fail(err);
    }
  }

  /** Forgets the current question (e.g. the input was cleared). */
  clear(): void {
    this.#abort?.abort();
    this.#key = '';
    this.#reset('');
  }

  #reset(question: string): void {
    this.#question = question;
    this.#status = 'idle';
    this.#sources = [];
    this.#answer = '';
    this.#citations = [];
    this.#invalid = [];
    this.#mode = null;
    this.#notice = null;
    this.#error = null;
  }

  async #searchOnly(filters: Filters, signal: AbortSignal): Promise<void> {
    const hits = await search(this.#question, filters, FALLBACK_RESULTS, signal);
    this.#sources = hits.map(hitToSource);
    this.#mode = 'search';
    this.#notice = 'This server cannot write answers yet, so these are the best-matching moments.';
    this.#status = 'done';
  }

  #apply(ev: AskEvent): void {
    switch (ev.event) {
      case 'sources':
        this.#sources = ev.data.sources;
        this.#mode = ev.data.mode;
        this.#status = 'streaming';
        return;
      case 'delta':
        this.#answer += ev.data.text;
        this.#status = 'streaming';
        return;
      case 'citations':
        this.#citations = ev.data.citations;
        this.#invalid = ev.data.invalid;
        return;
      case 'done':
        this.#answer = ev.data.answer;
        this.#sources = ev.data.sources;
        this.#citations = ev.data.citations;
        this.#mode = ev.data.mode;
        this.#notice = ev.data.notice;
        this.#status = 'done';
        return;
      case 'error':
        this.#fail(new ApiError(500, ev.data.error));
        return;
      default: {
        const never: never = ev;
        return never;
      }
    }
  }

  #fail(err: unknown): void {
    this.#error = err instanceof Error && err.message ? err.message : 'Something went wrong while answering.';
    this.#status = 'error';
  }
}
