import type { AnswerMode, AnswerPassage, AskEvent, Citation, Source } from '../../../../core/contract/api.ts';
import { ApiError, ask, isAbort, search, type Filters } from '../api/client.ts';
import { historyOf, type HistoryMessage, type Turn } from '../text/conversation.ts';
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

  /** The earlier questions of the conversation on screen, then its current one: a follow-up's thread in the URL. */
  get thread(): string[] {
    return [...this.conversation.chain, this.#question].filter(Boolean);
  }

  /**
   * Asks `question` (after the earlier questions `thread` of its conversation) unless it is the one
   * already answered, or being answered, with the same filters and thread.
   */
  async run(question: string, filters: Filters, { again = false, thread = [] as readonly string[] } = {}): Promise<void> {
    const chain = thread.map((q) => keyOf(q, filters));
    const key = JSON.stringify([chain, keyOf(question, filters)]);
    if (!again && key === this.#key && this.#status !== 'error') return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    const sameQuestion = key === this.#key;
    this.#key = key;
    let placed = sameQuestion ? null : this.conversation.enter(chain, keyOf(question, filters));
    if (placed && 'rebuild' in placed) {
      // A reload or a shared link: ask the earlier questions again, each after the ones before it.
      this.#reset(question.trim());
      this.#status = 'searching';
      this.#notice = `Restoring the conversation (${thread.length} earlier question${thread.length === 1 ? '' : 's'})…`;
      try {
        this.conversation.adopt(await this.#rebuild(thread, filters, abort.signal));
      } catch (err) {
        if (isAbort(err) || abort.signal.aborted) return;
        return this.#fail(err);
      }
      placed = this.conversation.enter(chain, keyOf(question, filters));
    }
    // Asking the same question again (a retry) keeps its place in the conversation.
    const { history, turn } = placed && !('rebuild' in placed) ? placed : { history: this.conversation.historyHere(), turn: null };
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
        this.#remember(keyOf(question, filters));
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

  #body(filters: Filters, history: HistoryMessage[], question = this.#question) {
    return { question, ...filters, ...(history.length ? { history } : {}) };
  }

  /** The turns of `questions`, each asked with the ones before it as history, off screen. */
  async #rebuild(questions: readonly string[], filters: Filters, signal: AbortSignal): Promise<Turn[]> {
    const turns: Turn[] = [];
    for (const question of questions) {
      const stream = await ask(this.#body(filters, historyOf(turns), question), signal);
      if (!stream) break; // a server without answers: nothing to rebuild the thread from
      for await (const ev of stream) {
        if (ev.event === 'error') throw new ApiError(500, ev.data.error);
        if (ev.event !== 'done' || (ev.data.mode !== 'llm' && ev.data.mode !== 'extractive')) continue;
        const d = ev.data;
        turns.push({ key: keyOf(question, filters), question, answer: d.answer, citations: d.citations, sources: d.sources, invalid: [], mode: d.mode, notice: d.notice, passages: d.passages ?? [], covered: d.covered ?? true });
      }
    }
    return turns;
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
