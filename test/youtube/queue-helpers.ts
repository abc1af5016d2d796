/**
 * Shared setup of the queue, CLI and HTTP tests: an offline YouTube (world.ts's recordings plus
 * playlists built here), a temporary index, and an embedder that records what it embedded.
 * Playlist pages built by `playlistBrowse` are CONSTRUCTED (no real /browse recording exists);
 * they carry only the fields youtube-list.ts reads.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { createYouTubeSource, type YouTubeSourceOptions } from '../../indexer/sources/youtube.ts';
import { JobStore } from '../../indexer/store/jobs.ts';
import { Store } from '../../indexer/store/store.ts';
import { constructedJson, json, recordedJson, recordingSleep, type Handler, type Json, type SeamRequest } from './seam.ts';
import { IV, J, recordedVideos, recordedWorld } from './world.ts';

export const PL = 'PLconstructed0123456789AB';

export interface Listed {
  id: string;
  title?: string;
}

/** A CONSTRUCTED playlist page in the continuation-action shape; `next` is the following page's token. */
export function playlistPage(videos: Listed[], next?: string): Json {
  return {
    _comment: 'CONSTRUCTED in test code: only the fields youtube-list.ts reads',
    onResponseReceivedActions: [
      {
        appendContinuationItemsAction: {
          continuationItems: [
            ...videos.map((v) => ({ playlistVideoRenderer: { videoId: v.id, title: { runs: [{ text: v.title ?? v.id }] } } })),
            ...(next ? [{ continuationItemRenderer: { continuationEndpoint: { continuationCommand: { token: next } } } }] : []),
          ],
        },
      },
    ],
  };
}

/** /browse for playlist `id` served as `pages` (token `page-N` leads to page N). Reads `pages` on every call, so tests can change it. */
export function playlistBrowse(pages: () => Listed[][], id = PL): Handler {
  return (req: SeamRequest) => {
    const all = pages();
    const key = req.body?.continuation ?? req.body?.browseId;
    const n = key === `VL${id}` ? 0 : typeof key === 'string' && key.startsWith('page-') ? Number(key.slice(5)) : -1;
    if (!all[n]) return json({ error: { code: 400, message: `seam: no browse page ${String(key)}` } }, 400);
    return json(playlistPage(all[n], n + 1 < all.length ? `page-${n + 1}` : undefined));
  };
}

/** The three CONSTRUCTED fixture pages of youtube-pipeline.test.ts (test/fixtures/youtube/browse.playlist.*). */
export const fixturePlaylistBrowse: Handler = (req) => {
  const key = String(req.body?.continuation ?? req.body?.browseId);
  const name = { [`VL${PL}`]: 'page1', 'CONSTRUCTED-playlist-page2': 'page2', 'CONSTRUCTED-playlist-page3': 'page3' }[key];
  return name ? json(constructedJson(`browse.playlist.${name}.json`)) : json({ error: { code: 400 } }, 400);
};

/**
 * Every outcome a video can have, keyed by the id the seam answers for. Real recordings except
 * `private0000` (the real video_unavailable response with YouTube's private-video reason) and
 * `aaaaaaaaaa0` (no recording: the seam answers 404).
 */
export function mixedVideos(): Record<string, { player: Json; next?: Json }> {
  const privatePlayer = recordedJson(`${J}youtube_video_unavailable.innertube.json.static`);
  privatePlayer.playabilityStatus = { status: 'LOGIN_REQUIRED', reason: 'This video is private' };
  return {
    ...recordedVideos(),
    Njp5uhTorCo: { player: recordedJson(`${J}youtube_age_restricted.innertube.json.static`) },
    dsMFmonKDD4: { player: recordedJson(`${J}youtube_transcripts_disabled.innertube.json.static`) },
    unavail0000: { player: recordedJson(`${J}youtube_video_unavailable.innertube.json.static`) },
    unplayable0: { player: recordedJson(`${J}youtube_unplayable.innertube.json.static`) },
    private0000: { player: privatePlayer },
  };
}

/** The status each id of `mixedVideos` ends with. */
export const EXPECTED_STATUS: Record<string, string> = {
  GJLlxj_dtq8: 'indexed',
  F1xioXWb8CY: 'indexed',
  '2isYuQZMbdU': 'indexed',
  iuevw6218F0: 'no_captions',
  dsMFmonKDD4: 'no_captions',
  'N-yVic7BbY0': 'live_upcoming',
  Njp5uhTorCo: 'age_restricted',
  unavail0000: 'unavailable',
  unplayable0: 'unavailable',
  private0000: 'private',
  aaaaaaaaaa0: 'error',
};

/** The bot-check /player response (real recording). */
export const botCheckPlayer = () => recordedJson(`${J}youtube_request_blocked.innertube.json.static`);

export { IV, J };

/** A seam over the recorded world plus `browse`, and a source that never sleeps. */
export async function offlineYouTube(browse: Handler, videos = mixedVideos(), options: YouTubeSourceOptions = {}, overrides: Record<string, Handler> = {}) {
  const seam = recordedWorld({ '/youtubei/v1/browse': browse, ...overrides }, videos);
  const source = await createYouTubeSource({ fetch: seam.fetch, sleep: recordingSleep().sleep, random: () => 0.5, ...options });
  return { seam, source, playerRequests: () => seam.log.filter((r) => r.url.pathname === '/youtubei/v1/player').map((r) => String(r.body?.videoId)) };
}

/** Wraps an embedder to record every text it was asked to embed, and how many calls overlapped at most. */
export function recordingEmbedder(inner: Embedder): { embedder: Embedder; texts: string[]; maxInFlight: () => number } {
  const texts: string[] = [];
  let inFlight = 0;
  let max = 0;
  return {
    texts,
    maxInFlight: () => max,
    embedder: {
      id: inner.id,
      dimension: inner.dimension,
      embed: async (batch) => {
        texts.push(...batch);
        max = Math.max(max, ++inFlight);
        try {
          return await inner.embed(batch);
        } finally {
          inFlight--;
        }
      },
      close: async () => {},
    },
  };
}

let shared: Promise<Embedder> | undefined;
/** One USE-lite per test file (≈1 s to load); closed by the worker exiting. */
export const useLite = () => (shared ??= createUseLiteEmbedder());

/** A fresh index directory with its store and job tables. */
export function tempIndex(): { dir: string; store: Store; jobs: JobStore } {
  const dir = mkdtempSync(join(tmpdir(), 'episodic-yt-queue-'));
  const store = Store.open(dir);
  return { dir, store, jobs: new JobStore(store.db.sqlite) };
}
