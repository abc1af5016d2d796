import type { Health, VideoSummary } from '../../../../core/contract/api.ts';
import { deleteVideo, getHealth, listVideos } from '../api/client.ts';

/** The list of episodes (for the Library view and the Ask filters), loaded once and on demand again. */
export class Library {
  #videos = $state<VideoSummary[]>([]);
  #health = $state<Health | null>(null);
  #loading = $state(false);
  #error = $state<string | null>(null);
  #loaded = false;

  get videos() {
    return this.#videos;
  }
  get health() {
    return this.#health;
  }
  get loading() {
    return this.#loading;
  }
  get error() {
    return this.#error;
  }

  #channels = $derived([...new Set(this.#videos.map((v) => v.channel).filter((c): c is string => !!c))].sort());

  /** Distinct channel names, for the channel filter. */
  get channels() {
    return this.#channels;
  }

  byId(id: string): VideoSummary | undefined {
    return this.#videos.find((v) => v.id === id);
  }

  /** Loads the list unless it is already here (`force` reloads). */
  async load(force = false): Promise<void> {
    if ((this.#loaded && !force) || this.#loading) return;
    this.#loading = true;
    this.#error = null;
    try {
      const [videos, health] = await Promise.all([listVideos(), getHealth()]);
      this.#videos = videos;
      this.#health = health;
      this.#loaded = true;
    } catch (err) {
      this.#error = (err as Error).message;
    } finally {
      this.#loading = false;
    }
  }

  /** Removes an episode on the server, then reloads the list; returns the error message on failure. */
  async remove(id: string): Promise<string | null> {
    try {
      await deleteVideo(id);
    } catch (err) {
      return (err as Error).message;
    }
    this.#videos = this.#videos.filter((v) => v.id !== id);
    await this.load(true);
    return null;
  }
}
