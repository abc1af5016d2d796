/**
 * Lists the videos behind a playlist or channel tab through InnerTube /browse, following
 * continuation tokens to the end.
 */
import type { InnertubeCall } from './youtube-captions.ts';
import { YouTubeError } from './youtube-errors.ts';
import { arr, dig, rec, str, text, walk, type Json } from './youtube-json.ts';
import { youTubeRefUrl, type ChannelRef, type ChannelTab, type YouTubeRef } from './youtube-url.ts';

export interface ListedVideo {
  id: string;
  title?: string;
}

/** A runaway guard: 2000 pages of ~100 items is far beyond any real channel or playlist. */
export const MAX_LIST_PAGES = 2000;

/** The tab listed when a channel URL names none: uploads, without shorts or past streams. */
export const DEFAULT_CHANNEL_TAB: ChannelTab = 'videos';

/**
 * Yields every video of `ref` once, in YouTube's order (newest first for channel tabs).
 * A video ref yields just itself, without a request.
 * @throws YouTubeError: 'unavailable' / 'private' when YouTube says the list does not exist or is private
 */
export async function* listVideos(call: InnertubeCall, ref: YouTubeRef): AsyncGenerator<ListedVideo> {
  if (ref.kind === 'video') {
    yield { id: ref.id };
    return;
  }
  const first = ref.kind === 'playlist' ? await playlistPage(call, ref.id) : await channelTab(call, ref);
  if (!first) return;
  throwOnAlert(first, ref.kind);
  const seen = new Set<string>();
  const tokens = new Set<string>();
  let page: Json = first;
  for (let n = 1; ; n++) {
    const { videos, token } = readPage(page);
    for (const video of videos) {
      if (seen.has(video.id)) continue;
      seen.add(video.id);
      yield video;
    }
    // A repeated token would loop forever; YouTube has been seen to hand the same one back.
    if (!token || tokens.has(token) || n >= MAX_LIST_PAGES) return;
    tokens.add(token);
    page = await call('/browse', { continuation: token });
  }
}

async function playlistPage(call: InnertubeCall, id: string): Promise<Json> {
  try {
    return await call('/browse', { browseId: `VL${id}` });
  } catch (err) {
    // InnerTube rejects an unknown playlist id with 400/404 rather than an alert.
    if (err instanceof YouTubeError && (err.httpStatus === 400 || err.httpStatus === 404)) {
      throw new YouTubeError('unavailable', `playlist ${id}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/** The first page of the channel's tab, or undefined when the channel has no such tab. */
async function channelTab(call: InnertubeCall, ref: ChannelRef): Promise<Json | undefined> {
  const browseId = ref.channelId ?? (await resolveChannelId(call, ref));
  const home = await call('/browse', { browseId });
  throwOnAlert(home, 'channel');
  const wanted = ref.tab ?? DEFAULT_CHANNEL_TAB;
  for (const tab of arr(dig(home, 'contents', 'twoColumnBrowseResultsRenderer', 'tabs'))) {
    const renderer = rec(dig(tab, 'tabRenderer'));
    const url = str(dig(renderer, 'endpoint', 'commandMetadata', 'webCommandMetadata', 'url')) ?? '';
    if (!url.endsWith(`/${wanted}`)) continue;
    if (renderer?.selected === true && renderer.content) return home;
    const endpoint = rec(dig(renderer, 'endpoint', 'browseEndpoint'));
    if (!str(endpoint?.browseId)) throw new YouTubeError('error', `channel ${browseId}: "${wanted}" tab has no browse endpoint`);
    return call('/browse', { browseId: endpoint?.browseId, params: endpoint?.params });
  }
  return undefined;
}

async function resolveChannelId(call: InnertubeCall, ref: ChannelRef): Promise<string> {
  const url = youTubeRefUrl({ ...ref, tab: null });
  let response: Json;
  try {
    response = await call('/navigation/resolve_url', { url });
  } catch (err) {
    if (err instanceof YouTubeError && err.httpStatus === 404) throw new YouTubeError('unavailable', `no channel at ${url}`, { cause: err });
    throw err;
  }
  const browseId = str(dig(response, 'endpoint', 'browseEndpoint', 'browseId'));
  if (!browseId?.startsWith('UC')) throw new YouTubeError('unavailable', `${url} does not resolve to a channel`);
  return browseId;
}

/** YouTube answers a missing or private list with 200 and an ERROR alert instead of items. */
function throwOnAlert(page: Json, what: string): void {
  for (const alert of arr(page.alerts)) {
    const r = rec(dig(alert, 'alertRenderer')) ?? rec(dig(alert, 'alertWithButtonRenderer'));
    if (r?.type !== 'ERROR') continue;
    const message = text(r.text) || `${what} unavailable`;
    throw new YouTubeError(/private/i.test(message) ? 'private' : 'unavailable', message);
  }
}

/**
 * Videos and the next continuation token of one browse page. Only the main column and
 * continuation actions are read, so sidebars and related shelves never leak in.
 */
function readPage(page: Json): { videos: ListedVideo[]; token?: string } {
  const videos: ListedVideo[] = [];
  let token: string | undefined;
  const roots = [page.contents, page.onResponseReceivedActions, page.onResponseReceivedEndpoints];
  walk(roots, (key, value) => {
    if (key === 'continuationItemRenderer') {
      walk(value, (k, v) => {
        if (k === 'continuationCommand') token = str(rec(v)?.token) ?? token;
      });
      return false;
    }
    const video = videoFrom(key, rec(value));
    if (video) videos.push(video);
    return video === undefined;
  });
  return { videos, token };
}

/** The shapes a listed video takes: playlist rows, grid/list renderers, shorts, and 2025's lockup view models. */
function videoFrom(key: string, r: Json | undefined): ListedVideo | undefined {
  if (!r) return undefined;
  let id: string | undefined;
  let title = '';
  switch (key) {
    case 'playlistVideoRenderer':
    case 'videoRenderer':
    case 'gridVideoRenderer':
      id = str(r.videoId);
      title = text(r.title);
      break;
    case 'reelItemRenderer':
      id = str(r.videoId);
      title = text(r.headline);
      break;
    case 'shortsLockupViewModel':
      id = str(dig(r, 'onTap', 'innertubeCommand', 'reelWatchEndpoint', 'videoId'));
      title = text(dig(r, 'overlayMetadata', 'primaryText'));
      break;
    case 'lockupViewModel':
      if (r.contentType !== 'LOCKUP_CONTENT_TYPE_VIDEO') return undefined;
      id = str(r.contentId);
      title = text(dig(r, 'metadata', 'lockupMetadataViewModel', 'title'));
      break;
    default:
      return undefined;
  }
  if (!id) return undefined;
  return title ? { id, title } : { id };
}
