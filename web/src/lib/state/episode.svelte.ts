import type { VideoDetail } from '../../../../core/contract/api.ts';
import { ApiError, getVideo } from '../api/client.ts';
import { activeCueIndex } from '../text/active-cue.ts';
import { AudioPlayer } from './audio-player.svelte.ts';
import { YouTubePlayer } from './player.svelte.ts';
import { SummaryLoader } from './summary.svelte.ts';

/** One open episode: its transcript, the current moment, the player and the summary tab. */
export class EpisodeSession {
  #detail = $state<VideoDetail | null>(null);
  #error = $state<string | null>(null);
  #missing = $state(false);
  #time = $state(0);
  #starts = $derived(this.#detail?.transcript.map((c) => c.start) ?? []);
  #active = $derived(activeCueIndex(this.#starts, this.#time));
  readonly player = new YouTubePlayer((t) => (this.#time = t));
  /** A feed episode's `<audio>`; only one of the two players is ever mounted. */
  readonly audio = new AudioPlayer((t) => (this.#time = t));
  readonly summary: SummaryLoader;

  constructor(readonly id: string) {
    this.summary = new SummaryLoader(id);
  }

  get detail() { return this.#detail; }
  get error() { return this.#error; }
  /** The server has no such episode (trying again will not help). */
  get missing() { return this.#missing; }
  /** The second the UI treats as "now": the player's position, or the last line or citation chosen. */
  get time() { return this.#time; }
  /** Index of the transcript line at `time` (-1 before the first). */
  get active() { return this.#active; }

  async load(signal?: AbortSignal): Promise<void> {
    this.#error = null;
    try {
      this.#detail = await getVideo(this.id, signal);
    } catch (err) {
      if (signal?.aborted) return;
      this.#error = (err as Error).message;
      this.#missing = err instanceof ApiError && err.status === 404;
    }
  }

  /** Moves "now" to `seconds` and the player with it (the player catches up once it is ready). */
  seek(seconds: number): void {
    this.#time = seconds;
    this.player.seek(seconds);
    this.audio.seek(seconds);
  }
}
