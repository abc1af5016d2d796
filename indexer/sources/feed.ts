/**
 * The podcast feed adapter: fetches an RSS/Atom feed and, per episode, its best
 * `<podcast:transcript>` and its `<podcast:chapters>`, through the same backoff as YouTube
 * (429/5xx/network errors retried with jitter; rate limiting that outlives the retries pauses
 * the job). Every failure is a FeedError carrying one of the queue's statuses.
 */
import { gunzipSync } from 'node:zlib';
import type { Cue, VideoMeta } from '../domain.ts';
import { ParseError } from '../domain.ts';
import { parseTranscript } from '../parse/detect.ts';
import { parsePodcastJson } from '../parse/podcast-json.ts';
import { TransientError, parseRetryAfter, withBackoff, BACKOFF_DEFAULTS, type BackoffOptions } from './backoff.ts';
import { FeedParseError, htmlTranscriptToText, parseChaptersJson, parseFeed, rankTranscripts, type Feed, type FeedEpisode, type FeedTranscript } from './feed-parse.ts';
import { REQUEST_TIMEOUT_MS } from './youtube-http.ts';
import { YouTubeError, type YouTubeStatus } from './youtube-errors.ts';

export const FEED_LIMITS = {
  // Big shows' feeds with full show notes reach tens of megabytes; beyond this it is not a feed.
  maxFeedBytes: 64 * 1024 * 1024,
  // A three-hour word-level JSON transcript is ~5 MB.
  maxTranscriptBytes: 32 * 1024 * 1024,
  maxChaptersBytes: 2 * 1024 * 1024,
};

/** `format` recorded on videos that came from a feed's transcript. */
export const FEED_FORMAT = 'feed';

/**
 * A failure of a feed or one of its episodes, with the queue's status. It is a YouTubeError
 * because the job queue (youtube-ingest.ts) acts on that type's statuses for every source.
 */
export class FeedError extends YouTubeError {
  constructor(status: YouTubeStatus, message: string, options: { cause?: unknown; meta?: VideoMeta & { chapters: [] }; httpStatus?: number } = {}) {
    super(status, message, options);
    this.name = 'FeedError';
  }
}

/** One feed episode ready for the pipeline. */
export interface FeedEpisodeContent {
  meta: VideoMeta;
  cues: Cue[];
  chapters: { title: string; startMs: number }[];
  track: { lang: string; kind: string };
}

export interface FeedSource {
  /**
   * The feed, fetched once per source (a job lists it, then takes its episodes from the same copy).
   * @throws FeedError
   */
  feed(feedUrl: string): Promise<Feed>;
  /**
   * Metadata, transcript and chapters of one episode of the feed.
   * @throws FeedError: `no_transcript` when the feed links none usable (meta set), `unavailable`
   * when the episode left the feed, `error` when the transcript could not be fetched or read
   */
  getEpisode(feedUrl: string, episodeId: string): Promise<FeedEpisodeContent>;
}

export interface FeedSourceOptions {
  fetch?: typeof fetch;
  /** Transcript languages in order of preference. */
  lang?: string[];
  now?: () => number;
  backoff?: Partial<BackoffOptions>;
}

export function createFeedSource(options: FeedSourceOptions = {}): FeedSource {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const langs = options.lang?.length ? options.lang : ['en'];
  const feeds = new Map<string, Promise<Feed>>();
  const get = (url: string, what: string, maxBytes: number) => fetchText({ fetch: fetchFn, now, backoff: options.backoff ?? {} }, url, what, maxBytes);

  const feed = (feedUrl: string): Promise<Feed> => {
    let p = feeds.get(feedUrl);
    if (!p) {
      p = get(feedUrl, 'feed', FEED_LIMITS.maxFeedBytes).then((text) => {
        try {
          return parseFeed(text, feedUrl);
        } catch (err) {
          if (err instanceof FeedParseError) throw new FeedError('error', `${feedUrl} is not a feed we can read: ${err.message}`, { cause: err });
          throw err;
        }
      });
      // A failed fetch is not remembered: a retry (resume) fetches again.
      p.catch(() => feeds.delete(feedUrl));
      feeds.set(feedUrl, p);
    }
    return p;
  };

  return {
    feed,
    async getEpisode(feedUrl, episodeId) {
      const show = await feed(feedUrl);
      const episode = show.episodes.find((e) => e.id === episodeId);
      if (!episode) throw new FeedError('unavailable', `episode ${episodeId} is no longer in ${feedUrl}`);
      const meta = episodeMeta(show, episode);
      const { ranked, available } = rankTranscripts(episode, langs);
      if (ranked.length === 0) {
        const why = available.length ? `no transcript in ${langs.join(', ')}; available: ${available.join(', ')}` : 'the feed links no transcript for this episode';
        throw new FeedError('no_transcript', why, { meta: { ...meta, chapters: [] } });
      }
      const problems: string[] = [];
      // Whether every transcript that could be read was untimed: then there is none to cite.
      let untimedOnly = true;
      for (const t of ranked) {
        let text: string;
        try {
          text = await get(t.url, 'transcript', FEED_LIMITS.maxTranscriptBytes);
        } catch (err) {
          if (err instanceof FeedError && err.status === 'blocked') throw err;
          problems.push((err as Error).message);
          untimedOnly = false;
          continue;
        }
        const parsed = parseFeedTranscript(t, text);
        if ('problem' in parsed) {
          problems.push(parsed.problem);
          untimedOnly &&= parsed.untimed;
          continue;
        }
        const chapters = episode.chapters ? await fetchChapters(get, episode.chapters.url) : [];
        const labelled = [...new Set(parsed.cues.flatMap((c) => (c.speaker ? [c.speaker] : [])))];
        const cast = episode.persons.filter((p) => p.group === 'cast').map((p) => p.name);
        const speakers = [...new Set([...cast, ...labelled])];
        return {
          meta: { ...meta, ...(speakers.length ? { speakers } : {}) },
          cues: parsed.cues,
          chapters,
          track: { lang: t.language ?? episode.language ?? 'und', kind: parsed.format },
        };
      }
      // Every linked transcript failed: say why for each, and keep the episode listed.
      throw new FeedError(untimedOnly ? 'no_transcript' : 'error', problems.join('; '), { meta: { ...meta, chapters: [] } });
    },
  };
}

/** What the index stores about an episode, whether or not it has a transcript. */
export function episodeMeta(show: Feed, episode: FeedEpisode): VideoMeta {
  const cast = episode.persons.filter((p) => p.group === 'cast').map((p) => p.name);
  return {
    id: episode.id,
    title: episode.title,
    channel: show.title,
    url: episode.link,
    publishedAt: episode.publishedAt,
    durationMs: episode.durationMs,
    description: episode.description,
    thumbnail: episode.image,
    audioUrl: episode.enclosure?.url,
    ...(cast.length ? { speakers: cast } : {}),
  };
}

/** A file name whose extension tells the format detector what the host said the type is. */
function nameFor(t: FeedTranscript): string {
  const ext: Record<string, string> = {
    'text/vtt': 'vtt',
    'application/x-subrip': 'srt',
    'application/srt': 'srt',
    'text/srt': 'srt',
    'text/x-srt': 'srt',
    'application/json': 'json',
    'text/plain': 'txt',
    'text/html': 'txt',
  };
  const fromUrl = /\.([a-z0-9]{2,5})$/i.exec(new URL(t.url).pathname)?.[1];
  return `transcript.${ext[t.type] ?? fromUrl ?? 'txt'}`;
}

/** Reads a fetched transcript by its declared type and its content; untimed text is refused (nothing to cite). */
export function parseFeedTranscript(t: FeedTranscript, text: string): { cues: Cue[]; format: string } | { problem: string; untimed: boolean } {
  const name = nameFor(t);
  try {
    if (t.type === 'application/json') {
      try {
        return { cues: parsePodcastJson(text, t.url).cues, format: 'podcast-json' };
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
        // Some hosts serve other JSON caption shapes under the same type: let detection try.
      }
    }
    const body = t.type === 'text/html' || /^\s*<(!doctype html|html|p|div|cite|time)\b/i.test(text) ? htmlTranscriptToText(text) : text;
    const parsed = parseTranscript(name, body);
    return { cues: parsed.cues, format: parsed.format };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    const untimed = t.type === 'text/html' || t.type === 'text/plain';
    return { problem: `transcript ${t.url} (${t.type || 'no type'}): ${untimed ? 'no timings to cite' : err.reason}`, untimed };
  }
}

async function fetchChapters(get: (url: string, what: string, max: number) => Promise<string>, url: string): Promise<{ title: string; startMs: number }[]> {
  try {
    return parseChaptersJson(await get(url, 'chapters', FEED_LIMITS.maxChaptersBytes));
  } catch (err) {
    // Chapters are a nicety; a block still pauses the job like any other request would.
    if (err instanceof FeedError && err.status === 'blocked') throw err;
    return [];
  }
}

interface FetchDeps {
  fetch: typeof fetch;
  now: () => number;
  backoff: Partial<BackoffOptions>;
}

/**
 * GETs a URL as text: redirects followed, gzip undone (by Content-Encoding, or a gzipped file
 * served as is), the charset honoured. 429/5xx/network errors are retried with backoff.
 * @throws FeedError: `blocked` for rate limiting that outlived the retries, `unavailable` for
 * 404/410, `error` otherwise
 */
export async function fetchText(deps: FetchDeps, url: string, what: string, maxBytes: number): Promise<string> {
  const maxAttempts = deps.backoff.maxAttempts ?? BACKOFF_DEFAULTS.maxAttempts;
  try {
    return await withBackoff(() => fetchOnce(deps, url, what, maxBytes), deps.backoff);
  } catch (err) {
    if (!(err instanceof TransientError)) throw err;
    const message = `${err.message} after ${maxAttempts} attempts`;
    if (err.kind === 'rate_limited') throw new FeedError('blocked', message, { cause: err, httpStatus: err.options.httpStatus });
    throw new FeedError('error', message, { cause: err, httpStatus: err.options.httpStatus });
  }
}

async function fetchOnce(deps: FetchDeps, url: string, what: string, maxBytes: number): Promise<string> {
  let res: Response;
  try {
    res = await deps.fetch(url, {
      headers: { Accept: what === 'feed' ? 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8' : '*/*', 'Accept-Encoding': 'gzip, deflate' },
      redirect: 'follow',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new TransientError('network', `network error fetching the ${what} ${url}: ${(err as Error).message}`, { cause: err });
  }
  if (res.status === 429) {
    await res.body?.cancel();
    throw new TransientError('rate_limited', `HTTP 429 from the ${what} ${url}`, { httpStatus: 429, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), deps.now()) });
  }
  if (res.status >= 500) {
    await res.body?.cancel();
    throw new TransientError('server', `HTTP ${res.status} from the ${what} ${url}`, { httpStatus: res.status });
  }
  if (!res.ok) {
    await res.body?.cancel();
    const status = res.status === 404 || res.status === 410 ? 'unavailable' : 'error';
    throw new FeedError(status, `HTTP ${res.status} from the ${what} ${url}`, { httpStatus: res.status });
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new FeedError('error', `the ${what} ${url} is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  let bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > maxBytes) throw new FeedError('error', `the ${what} ${url} is over the ${maxBytes}-byte limit`);
  // A gzipped file served without Content-Encoding (feed.xml.gz) arrives still compressed.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (err) {
      throw new FeedError('error', `the ${what} ${url} is gzip that does not unpack: ${(err as Error).message}`);
    }
  }
  return decode(bytes, res.headers.get('content-type'));
}

/** Bytes to text by the Content-Type charset, else the XML declaration's encoding, else UTF-8. */
function decode(bytes: Buffer, contentType: string | null): string {
  const fromHeader = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  const fromXml = /^(?:\uFEFF)?<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(bytes.subarray(0, 200).toString('latin1'))?.[1];
  for (const label of [fromHeader, fromXml, 'utf-8']) {
    if (!label) continue;
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // An unknown label: try the next.
    }
  }
  return bytes.toString('utf8');
}
