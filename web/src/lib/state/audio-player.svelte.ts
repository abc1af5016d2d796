import type { PlayerStatus } from './player.svelte.ts';

/**
 * The `<audio>` player of a feed episode, with the same surface as the YouTube player: reports
 * the playing position through `onTime` (on `timeupdate` and after each seek) and seeks on
 * demand, remembering a seek asked for before the audio's metadata has loaded.
 */
export class AudioPlayer {
  #status = $state<PlayerStatus>('loading');
  #el: HTMLAudioElement | null = null;
  #pending: number | null = null;

  constructor(private readonly onTime: (seconds: number) => void) {}

  get status(): PlayerStatus {
    return this.#status;
  }

  /** Takes over `el`, starting at `start` seconds; returns the clean-up. */
  mount(el: HTMLAudioElement, start: number): () => void {
    this.#el = el;
    this.#status = 'loading';
    this.#pending ??= start > 0 ? start : null;
    const ready = () => {
      this.#status = 'ready';
      if (this.#pending != null) el.currentTime = this.#pending;
      this.#pending = null;
    };
    const report = () => {
      if (Number.isFinite(el.currentTime)) this.onTime(el.currentTime);
    };
    const failed = () => (this.#status = 'unavailable');
    el.addEventListener('loadedmetadata', ready);
    el.addEventListener('timeupdate', report);
    el.addEventListener('seeked', report);
    el.addEventListener('error', failed);
    if (el.readyState >= HTMLMediaElement.HAVE_METADATA) ready();
    return () => {
      el.removeEventListener('loadedmetadata', ready);
      el.removeEventListener('timeupdate', report);
      el.removeEventListener('seeked', report);
      el.removeEventListener('error', failed);
      if (this.#el === el) this.#el = null;
    };
  }

  /** Seeks now if the audio's length is known, otherwise as soon as it is. Does not start playback. */
  seek(seconds: number): void {
    const el = this.#el;
    if (el && el.readyState >= HTMLMediaElement.HAVE_METADATA) el.currentTime = seconds;
    else this.#pending = seconds;
  }
}
