/**
 * The YouTube adapter: lists the videos of a playlist or channel and fetches one video's
 * metadata and transcript. youtubei.js supplies the InnerTube session (client context, API
 * key, cookie auth); we read the raw JSON ourselves so that every YouTube failure maps onto
 * a YouTubeError status and an unknown response shape degrades to status 'error'.
 */
import type { Cue } from '../domain.ts';
import type { BackoffOptions } from './backoff.ts';
import {
  captionTracks,
  chooseTrack,
  cuesFromBaseUrl,
  cuesFromPanel,
  transcriptParams,
  type InnertubeCall,
} from './youtube-captions.ts';
import { YouTubeBlockedError, YouTubeError, classifyPlayability, toYouTubeError } from './youtube-errors.ts';
import { guardedFetch } from './youtube-http.ts';
import { rec, str } from './youtube-json.ts';
import { listVideos, type ListedVideo } from './youtube-list.ts';
import { buildMeta, type YouTubeVideoMeta } from './youtube-meta.ts';
import type { YouTubeRef } from './youtube-url.ts';
import { present } from '../present.ts';

export interface YouTubeSourceOptions {
  /** Every request goes through it, youtubei.js's included: the seam for tests and for proxying. */
  fetch?: typeof fetch;
  /** Caption languages in order of preference. */
  lang?: string[];
  /** A Cookie header value (see cookies.ts); signs requests in, which gets past consent walls. */
  cookies?: string;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  backoff?: Partial<Pick<BackoffOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'onRetry'>>;
}

export interface YouTubeVideo {
  meta: YouTubeVideoMeta;
  track: { lang: string; kind: 'manual' | 'asr' };
  cues: Cue[];
  /** Which step of the fallback chain produced the cues. */
  via: 'transcript_panel' | 'timedtext';
}

export interface YouTubeSource {
  /**
   * Every video of a playlist or channel tab, following continuations to the end.
   * @throws YouTubeError (YouTubeBlockedError when the whole queue should pause)
   */
  listVideos(ref: YouTubeRef): AsyncGenerator<ListedVideo>;
  /**
   * Metadata and transcript of one video.
   * @throws YouTubeError only; `meta` is set on it when the metadata was read before the failure
   */
  getVideo(id: string): Promise<YouTubeVideo>;
}

/** Default caption language preference. */
export const DEFAULT_LANGS = ['en'];

/**
 * Creates the source. Makes no request: the session is generated locally and the player JS,
 * which only matters for deciphering media URLs, is not fetched.
 */
export async function createYouTubeSource(options: YouTubeSourceOptions = {}): Promise<YouTubeSource> {
  const fetchFn = guardedFetch({
    fetch: options.fetch ?? globalThis.fetch,
    backoff: { ...options.backoff, sleep: options.sleep, random: options.random },
    now: options.now ?? Date.now,
  });
  // Loaded here: youtubei.js is the biggest library Episodic uses, and only YouTube needs it.
  const { Innertube } = await import('youtubei.js');
  const yt = await Innertube.create({
    fetch: fetchFn,
    cookie: options.cookies || undefined,
    lang: 'en', // the interface language; dates in the watch page are parsed as English
    retrieve_player: false,
    generate_session_locally: true,
    retrieve_innertube_config: false,
    enable_session_cache: false,
  });
  const call: InnertubeCall = async (endpoint, body) => {
    const res = await yt.actions.execute(endpoint, { ...body, parse: false });
    const data = rec(res.data);
    if (!data) throw new YouTubeError('error', `${endpoint}: response is not a JSON object`);
    return data;
  };
  const getText = async (url: string) => {
    const headers: Record<string, string> = { 'Accept-Language': 'en' };
    if (options.cookies) headers.Cookie = options.cookies;
    return (await fetchFn(url, { headers })).text();
  };
  const langs = options.lang && options.lang.length > 0 ? options.lang : DEFAULT_LANGS;

  return {
    async *listVideos(ref) {
      try {
        yield* listVideos(call, ref);
      } catch (err) {
        throw toYouTubeError(err, `listing ${ref.kind}`);
      }
    },
    async getVideo(id) {
      try {
        return await fetchVideo(call, getText, langs, id);
      } catch (err) {
        throw toYouTubeError(err, `video ${id}`);
      }
    },
  };
}

async function fetchVideo(call: InnertubeCall, getText: (url: string) => Promise<string>, langs: string[], id: string): Promise<YouTubeVideo> {
  if (!/^[A-Za-z0-9_-]{11}$/.test(id)) throw new YouTubeError('error', `"${id}" is not a YouTube video id`);
  const player = await call('/player', { videoId: id, racyCheckOk: true, contentCheckOk: true });
  const failure = classifyPlayability(player);
  if (failure) throw withMeta(failure, buildMeta(id, player, undefined));
  const reportedId = str(rec(player.videoDetails)?.videoId);
  if (reportedId !== id) throw new YouTubeError('error', `player response is for ${reportedId ?? 'no video'}, not ${id}`);

  // The watch page only adds chapters, a date fallback and the transcript panel; without it the
  // timedtext URL still works, so only a block is fatal here.
  let nextProblem = '';
  const next = await call('/next', { videoId: id }).catch((err: unknown) => {
    if (err instanceof YouTubeBlockedError) throw err;
    nextProblem = `watch page: ${err instanceof Error ? err.message : String(err)}`;
    return undefined;
  });
  const meta = present(buildMeta(id, player, next), `the video details of ${id}`);

  const tracks = captionTracks(player);
  if (tracks.length === 0) throw new YouTubeError('no_captions', 'the video has no captions', { meta });
  const track = chooseTrack(tracks, langs);
  if (!track) {
    const available = tracks.map((t) => (t.kind === 'asr' ? `${t.lang} (auto)` : t.lang)).join(', ');
    throw new YouTubeError('no_captions', `no captions in ${langs.join(', ')}; available: ${available}`, { meta });
  }
  const done = (cues: Cue[], via: YouTubeVideo['via']): YouTubeVideo => ({ meta, track: { lang: track.lang, kind: track.kind }, cues, via });

  const problems = nextProblem ? [nextProblem] : [];
  const params = transcriptParams(next);
  if (params) {
    const cues = await attempt(() => cuesFromPanel(call, params, track, tracks.length), 'transcript panel', problems);
    if (cues) return done(cues, 'transcript_panel');
  } else if (next) {
    problems.push('watch page has no transcript panel');
  }
  const cues = await attempt(() => cuesFromBaseUrl(getText, track), 'timedtext', problems);
  if (cues) return done(cues, 'timedtext');
  throw new YouTubeError('error', `captions exist (${track.lang} ${track.kind}) but could not be fetched: ${problems.join('; ')}`, { meta });
}

/** Runs one step of the transcript chain; a block aborts the chain, any other failure is noted. */
async function attempt(step: () => Promise<Cue[]>, name: string, problems: string[]): Promise<Cue[] | undefined> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof YouTubeBlockedError) throw err;
    problems.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function withMeta(err: YouTubeError, meta: YouTubeVideoMeta | undefined): YouTubeError {
  if (!meta || err instanceof YouTubeBlockedError) return err;
  return new YouTubeError(err.status, err.message, { meta });
}
