import type { VideoDetail } from '../../../../server/contract/api.ts';
import { ApiError, getSummary, getVideo } from '../api/client.ts';
import { activeCueIndex } from '../text/active-cue.ts';
import { YouTubePlayer } from './player.svelte.ts';

export type SummaryState =
  | { kind: 'idle' | 'loading' | 'missing' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; text: string };

/** One open episode: its transcript, the current moment, the player and the summary tab. */
export class EpisodeSession {
  #detail = $state<VideoDetail | null>(null);
  #error = $state<string | null>(null);
  #time = $state(0);
  #summary = $state<SummaryState>({ kind: 'idle' });
  #starts = $derived(this.#detail?.transcript.map((c) => c.start) ?? []);
  #active = $derived(activeCueIndex(this.#starts, this.#time));
  readonly player = new YouTubePlayer((t) => (this.#time = t));

  constructor(readonly id: string) {}

  get detail() { return this.#detail; }
  get error() { return this.#error; }
  /** The second the UI treats as "now": the player's position, or the last line or citation chosen. */
  get time() { return this.#time; }
  /** Index of the transcript line at `time` (-1 before the first). */
  get active() { return this.#active; }
  get summary() { return this.#summary; }

  async load(signal?: AbortSignal): Promise<void> {
    this.#error = null;
    try {
      this.#detail = await getVideo(this.id, signal);
    } catch (err) {
      if (!signal?.aborted) this.#error = (err as Error).message;
    }
  }

  /** Moves "now" to `seconds` and the player with it (the player catches up once it is ready). */
  seek(seconds: number): void {
    this.#time = seconds;
    this.player.seek(seconds);
  }

  async loadSummary(): Promise<void> {
    if (this.#summary.kind !== 'idle' && this.#summary.kind !== 'error') return;
    this.#summary = { kind: 'loading' };
    try {
      this.#summary = { kind: 'ready', text: summaryText(await getSummary(this.id)) };
    } catch (err) {
      this.#summary = err instanceof ApiError && err.status === 404 ? { kind: 'missing' } : { kind: 'error', message: (err as Error).message };
    }
  }
}

/** The summary's text: its shape is not in the contract yet, so accept `{summary}`, `{text}` or a string. */
function summaryText(body: unknown): string {
  if (typeof body === 'string') return body;
  const o = (body ?? {}) as Record<string, unknown>;
  for (const key of ['summary', 'text', 'answer']) if (typeof o[key] === 'string') return o[key];
  return '';
}
