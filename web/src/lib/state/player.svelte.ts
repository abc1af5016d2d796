/** The IFrame Player API script; it defines `YT` and then calls `onYouTubeIframeAPIReady`. */
export const YT_API_URL = 'https://www.youtube.com/iframe_api';
/** How often the playing position is read: ~4×/s keeps the transcript highlight in step at little cost. */
export const POLL_MS = 250;
/** Give up on the API or the player after this long (offline, blocked by a filter…). */
export const LOAD_TIMEOUT_MS = 12_000;
/** After a seek, positions far from the target are stale answers from before it, for this long. */
export const SEEK_SETTLE_MS = 800;

/** The part of the YouTube IFrame API this app uses. */
interface YTPlayer {
  seekTo(seconds: number, allowSeekAhead: boolean): void;
  getCurrentTime(): number;
  destroy(): void;
}
interface YTNamespace {
  Player: new (
    el: HTMLElement,
    options: {
      videoId: string;
      width?: string;
      height?: string;
      playerVars?: Record<string, string | number>;
      events?: { onReady?: () => void; onError?: (e: { data: number }) => void };
    },
  ) => YTPlayer;
}
declare global {
  interface Window {
    YT?: YTNamespace;
    onYouTubeIframeAPIReady?: () => void;
  }
}

let apiLoad: Promise<YTNamespace> | null = null;

/** Loads the IFrame API once per page; a failed load can be retried later. */
function loadApi(): Promise<YTNamespace> {
  if (window.YT?.Player) return Promise.resolve(window.YT);
  apiLoad ??= new Promise<YTNamespace>((resolve, reject) => {
    const previous = window.onYouTubeIframeAPIReady;
    window.onYouTubeIframeAPIReady = () => {
      previous?.();
      if (window.YT?.Player) resolve(window.YT);
    };
    const script = document.createElement('script');
    script.src = YT_API_URL;
    script.async = true;
    script.onerror = () => reject(new Error('the YouTube player script could not be loaded'));
    document.head.append(script);
    setTimeout(() => reject(new Error('the YouTube player took too long to load')), LOAD_TIMEOUT_MS);
  }).catch((err: unknown) => {
    apiLoad = null;
    throw err;
  });
  return apiLoad;
}

export type PlayerStatus = 'loading' | 'ready' | 'unavailable';

/**
 * An embedded YouTube player: reports the playing position through `onTime` and seeks on demand.
 * When YouTube cannot be reached the status becomes `unavailable` and seeks are just remembered.
 */
export class YouTubePlayer {
  #status = $state<PlayerStatus>('loading');
  #player: YTPlayer | null = null;
  #pending: number | null = null;
  #lastPolled = -1;
  #seek: { to: number; at: number } | null = null;

  constructor(private readonly onTime: (seconds: number) => void) {}

  get status(): PlayerStatus {
    return this.#status;
  }

  /** Creates the player inside `el`; returns the clean-up. */
  mount(el: HTMLElement, youtubeId: string, start: number): () => void {
    let disposed = false;
    let poll: ReturnType<typeof setInterval> | undefined;
    const giveUp = setTimeout(() => this.#status !== 'ready' && (this.#status = 'unavailable'), LOAD_TIMEOUT_MS);
    this.#status = 'loading';
    loadApi().then(
      (YT) => {
        if (disposed) return;
        const target = document.createElement('div');
        el.replaceChildren(target);
        this.#player = new YT.Player(target, {
          videoId: youtubeId,
          width: '100%',
          height: '100%',
          playerVars: { start: Math.floor(start), playsinline: 1, rel: 0, modestbranding: 1 },
          events: {
            onReady: () => {
              if (disposed) return;
              this.#status = 'ready';
              if (this.#pending != null) this.#player?.seekTo(this.#pending, true);
              this.#pending = null;
              poll = setInterval(() => this.#poll(), POLL_MS);
            },
            onError: () => !disposed && this.#status !== 'ready' && (this.#status = 'unavailable'),
          },
        });
      },
      () => !disposed && (this.#status = 'unavailable'),
    );
    return () => {
      disposed = true;
      clearTimeout(giveUp);
      clearInterval(poll);
      this.#player?.destroy();
      this.#player = null;
    };
  }

  /** Seeks now if the player is ready, otherwise as soon as it is. */
  seek(seconds: number): void {
    this.#seek = { to: seconds, at: Date.now() };
    if (this.#status === 'ready' && this.#player) this.#player.seekTo(seconds, true);
    else this.#pending = seconds;
  }

  #poll(): void {
    const t = this.#player?.getCurrentTime();
    // Only changes are reported, and right after a seek the player may still answer the old
    // position, which must not pull the highlight back to where it was.
    if (typeof t !== 'number' || !Number.isFinite(t) || t === this.#lastPolled) return;
    const seek = this.#seek;
    if (seek && Date.now() - seek.at < SEEK_SETTLE_MS && Math.abs(t - seek.to) > 2) return;
    this.#lastPolled = t;
    this.onTime(t);
  }
}
