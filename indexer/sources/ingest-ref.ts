/**
 * What `episodic add` and `POST /api/videos` accept besides files: a YouTube reference, or the
 * URL of a podcast feed (any other http(s) URL). Pure: no network.
 */
import { parseYouTubeRef, YouTubeRefError, type YouTubeRef } from './youtube-url.ts';

export interface FeedRef {
  kind: 'feed';
  /** The URL as added (normalised by URL), which keys the job and the follow. */
  url: string;
}

export type IngestRef = YouTubeRef | FeedRef;

/** The input is neither a YouTube reference nor a feed URL. */
export class IngestRefError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'IngestRefError';
  }
}

const YOUTUBE_HOST = /(^|\.)(youtube\.com|youtu\.be|youtube-nocookie\.com)\.?$/i;

/**
 * Reads a YouTube reference, or else an http(s) URL as a feed. A YouTube URL that does not parse
 * keeps YouTube's reason (it is not a feed).
 * @throws IngestRefError with the reason
 */
export function parseIngestRef(input: string): IngestRef {
  try {
    return parseYouTubeRef(input);
  } catch (err) {
    if (!(err instanceof YouTubeRefError)) throw err;
    const text = input.trim();
    let url: URL | undefined;
    try {
      url = /^https?:\/\//i.test(text) ? new URL(text) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || YOUTUBE_HOST.test(url.hostname)) {
      throw new IngestRefError(input, `${err.message}; a podcast feed is added by its http(s) URL`);
    }
    return { kind: 'feed', url: url.href };
  }
}
