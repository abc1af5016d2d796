import type { AnswerMode, AnswerPassage, AskEvent, Citation, Source } from '../../../../server/contract/api.ts';
import { ApiError, ask, isAbort, search, type Filters } from '../api/client.ts';
import type { HistoryMessage, Turn } from '../text/conversation.ts';
import { hitToSource } from '../text/sources.ts';
import { Conversation } from './conversation.svelte.ts';

export type AskStatus = 'idle' | 'searching' | 'streaming' | 'done' | 'error';

/** How many moments the search fallback lists. */
export const FALLBACK_RESULTS = 12;

const keyOf = (question: string, filters: Filters) => JSON.stringify([question.trim(), filters.channel, filters.from, filters.to, filters.video]);

/**
 * One question and its answer as it streams in, within a conversation of follow-ups. Lives above
 * the views, so going to an episode and back shows the same answer instead of asking again.
 */
export class AskSession {
  readonly conversation = new Conversation();
  #key = '';
  #question = $state('');
  #status = $state<AskStatus>('idle');
  #sources = $state<Source[]>([]);
  #answer = $state('');
  #citations = $state<Citation[]>([]);
  #passages = $state<AnswerPassage[]>([]);
  #covered = $state(true);
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
  /** The quoted passages of an offline answer, as they are chosen (best first). */
  get passages() { return this.#passages; }
  /** False when nothing in the library covers the question: the passages are only possibly related. */
  get covered() { return this.#covered; }
  get invalid() { return this.#invalid; }
  get mode() { return this.#mode; }
  get notice() { return this.#notice; }
  get error() { return this.#error; }
  get busy() { return this.#status === 'searching' || this.#status === 'streaming'; }
  /** A finished model or extractive answer can be followed up (plain search results cannot). */
  get canFollowUp() { return this.#status === 'done' && (this.#mode === 'llm' || this.#mode === 'extractive') && !!this.#answer; }

  /** Marks `question` as a follow-up to the answer on screen; the view then navigates to it. */
  followUp(question: string, filters: Filters): void {
    this.conversation.expectFollowUp(keyOf(question, filters));
  }

  /** Asks `question` unless it is the one already answered (or being answered) with the same filters. */
  async run(question: string, filters: Filters, { again = false } = {}): Promise<void> {
    const key = keyOf(question, filters);
    if (!again && key === this.#key && this.#status !== 'error') return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    // Asking the same question again (a retry) keeps its place in the conversation.
    const { history, turn } = key === this.#key ? { history: this.conversation.historyHere(), turn: null } : this.conversation.enter(key);
    this.#key = key;
    if (turn) return this.#restore(turn);
    this.#reset(question.trim());
    if (!this.#question) {
      this.#status = 'idle';
      return;
    }
    this.#status = 'searching';
    try {
      const stream = this.#canAsk === false ? null : await ask(this.#body(filters, history), abort.signal);
      this.#canAsk = stream !== null;
      if (stream) {
        for await (const ev of stream) this.#apply(ev);
        // A stream that ends without `done` (server restarted…) still leaves what arrived on screen.
        if (this.busy) this.#status = 'done';
        this.#remember(key);
      } else {
        await this.#searchOnly(filters, abort.signal);
      }
    } catch (err) {
      if (isAbort(err) || abort.signal.aborted) return;
      this.#fail(err);
    }
  }

  /** Forgets the current question and the conversation around it ("New question"). */
  clear(): void {
    this.#abort?.abort();
    this.#key = '';
    this.#reset('');
    this.conversation.clear();
  }

  #body(filters: Filters, history: HistoryMessage[]) {
    return { question: this.#question, ...filters, ...(history.length ? { history } : {}) };
  }

  #remember(key: string): void {
    const mode = this.#mode;
    if (this.#status !== 'done' || (mode !== 'llm' && mode !== 'extractive')) return;
    this.conversation.finish({
      key,
      question: this.#question,
      answer: this.#answer,
      citations: this.#citations,
      sources: this.#sources,
      invalid: this.#invalid,
      mode,
      notice: this.#notice,
      passages: this.#passages,
      covered: this.#covered,
    });
  }

  #restore(turn: Turn): void {
    this.#reset(turn.question);
    this.#answer = turn.answer;
    this.#citations = turn.citations;
    this.#sources = turn.sources;
    this.#invalid = turn.invalid;
    this.#passages = turn.passages;
    this.#covered = turn.covered;
    this.#mode = turn.mode;
    this.#notice = turn.notice;
    this.#status = 'done';
  }

  #reset(question: string): void {
    this.#question = question;
    this.#status = 'idle';
    this.#sources = [];
    this.#answer = '';
    this.#citations = [];
    this.#passages = [];
    this.#covered = true;
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
      case 'passage':
        this.#passages = [...this.#passages, ev.data.passage];
        this.#covered = ev.data.covered;
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
        this.#passages = ev.data.passages;
        this.#covered = ev.data.covered;
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
