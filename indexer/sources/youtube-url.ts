/**
 * Turns whatever a person pastes (a watch URL, a youtu.be link, a playlist or channel
 * URL, a bare id) into a typed reference. Pure: no network, no YouTube lookups.
 */

export type ChannelTab = 'videos' | 'streams' | 'podcasts' | 'shorts';

/** A channel is named by exactly one of handle (without the `@`), channelId, customName or user. */
export interface ChannelRef {
  kind: 'channel';
  handle?: string;
  channelId?: string;
  customName?: string;
  user?: string;
  /** The tab in the URL, or null when the URL names no listable tab (the lister then uses `videos`). */
  tab: ChannelTab | null;
}

export type YouTubeRef = { kind: 'video'; id: string } | { kind: 'playlist'; id: string } | ChannelRef;

/** The input is not something this module recognises as a YouTube video, playlist or channel. */
export class YouTubeRefError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`Not a YouTube video, playlist or channel (${reason}): ${JSON.stringify(input.slice(0, 200))}`);
    this.name = 'YouTubeRefError';
  }
}

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
// Real playlist ids are 13+ characters (PL…, UU…, OLAK5uy_…, RD…); the short ones (WL, LL) need sign-in.
const PLAYLIST_ID = /^[A-Za-z0-9_-]{12,64}$/;
const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
// Handles may use non-Latin letters since 2023; YouTube allows 3–30 characters.
const HANDLE = /^[\p{L}\p{M}\p{N}._·-]{3,30}$/u;
const LEGACY_NAME = /^[\p{L}\p{M}\p{N}._-]{1,100}$/u;
const BARE_PLAYLIST = /^(?:PL|UU|FL|OL|RD|UL|LL)[A-Za-z0-9_-]{10,62}$/;
const TABS: readonly string[] = ['videos', 'streams', 'podcasts', 'shorts'] satisfies ChannelTab[];
const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com']);
const EMBED_HOSTS = new Set(['youtube-nocookie.com', 'www.youtube-nocookie.com']);
const VIDEO_PATH_PREFIXES = new Set(['shorts', 'live', 'embed', 'v', 'e']);

/**
 * Parses a YouTube reference. A watch URL carrying both `v=` and `list=` is the video:
 * people share "the video I'm watching", which happens to sit in a playlist; to index the
 * playlist, paste the `/playlist?list=` URL (or a watch URL with only `list=`).
 * @throws YouTubeRefError for anything else, with the reason in the message.
 */
export function parseYouTubeRef(input: string): YouTubeRef {
  const text = input.trim();
  if (text === '') throw new YouTubeRefError(input, 'empty input');
  if (/\s/.test(text)) throw new YouTubeRefError(input, 'contains whitespace');
  if (VIDEO_ID.test(text)) return { kind: 'video', id: text };
  if (CHANNEL_ID.test(text)) return { kind: 'channel', channelId: text, tab: null };
  if (BARE_PLAYLIST.test(text)) return { kind: 'playlist', id: text };
  if (text.startsWith('@')) return channelFromSegments(input, ['', ...text.split('/')]);
  // A lone token with no dot or slash is a mistyped id, not a host name.
  if (/^[A-Za-z0-9_-]+$/.test(text)) throw new YouTubeRefError(input, `"${text}" is not an 11-character video id`);
  return parseUrl(input, toUrl(input, text));
}

/** The canonical https URL of a reference; `/navigation/resolve_url` accepts these for channels. */
export function youTubeRefUrl(ref: YouTubeRef): string {
  switch (ref.kind) {
    case 'video':
      return `https://www.youtube.com/watch?v=${ref.id}`;
    case 'playlist':
      return `https://www.youtube.com/playlist?list=${ref.id}`;
    case 'channel': {
      const base = ref.channelId
        ? `channel/${ref.channelId}`
        : ref.handle
          ? `@${encodeURIComponent(ref.handle)}`
          : ref.customName
            ? `c/${encodeURIComponent(ref.customName)}`
            : `user/${encodeURIComponent(ref.user ?? '')}`;
      return `https://www.youtube.com/${base}${ref.tab ? `/${ref.tab}` : ''}`;
    }
  }
}

function toUrl(input: string, text: string): URL {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text);
  // Anything with a scheme other than http(s) (javascript:, data:, file:) is refused outright.
  if (scheme && !/^https?:\/\//i.test(text)) throw new YouTubeRefError(input, `unsupported scheme "${scheme[1]}:"`);
  try {
    return new URL(scheme ? text : `https://${text}`);
  } catch {
    throw new YouTubeRefError(input, 'not a URL or id');
  }
}

function parseUrl(input: string, url: URL): YouTubeRef {
  if (url.username || url.password) throw new YouTubeRefError(input, 'URL carries credentials');
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const segments = url.pathname.split('/').map(safeDecode);
  if (host === 'youtu.be') return video(input, segments[1]);
  if (EMBED_HOSTS.has(host)) return fromEmbed(input, url, segments);
  if (!YOUTUBE_HOSTS.has(host)) throw new YouTubeRefError(input, `unknown host "${host}"`);

  const first = segments[1] ?? '';
  const list = url.searchParams.get('list');
  if (first === 'watch') {
    const v = url.searchParams.get('v');
    if (v !== null) return video(input, v);
    if (list !== null) return playlist(input, list);
    throw new YouTubeRefError(input, 'watch URL without v= or list=');
  }
  if (first === 'playlist') {
    if (list === null) throw new YouTubeRefError(input, 'playlist URL without list=');
    return playlist(input, list);
  }
  if (first === 'embed') return fromEmbed(input, url, segments);
  if (VIDEO_PATH_PREFIXES.has(first)) return video(input, segments[2]);
  return channelFromSegments(input, segments);
}

function fromEmbed(input: string, url: URL, segments: string[]): YouTubeRef {
  const list = url.searchParams.get('list');
  if (segments[2] === 'videoseries' && list !== null) return playlist(input, list);
  return video(input, segments[2]);
}

function channelFromSegments(input: string, segments: string[]): ChannelRef {
  const [, first = '', second = '', third = ''] = segments;
  if (first.startsWith('@')) {
    const handle = first.slice(1);
    if (!HANDLE.test(handle)) throw new YouTubeRefError(input, `invalid handle "@${handle}"`);
    return { kind: 'channel', handle, tab: tab(second) };
  }
  if (first === 'channel') {
    if (!CHANNEL_ID.test(second)) throw new YouTubeRefError(input, `invalid channel id "${second}"`);
    return { kind: 'channel', channelId: second, tab: tab(third) };
  }
  if (first === 'c' || first === 'user') {
    if (!LEGACY_NAME.test(second)) throw new YouTubeRefError(input, `invalid channel name "${second}"`);
    return first === 'c'
      ? { kind: 'channel', customName: second, tab: tab(third) }
      : { kind: 'channel', user: second, tab: tab(third) };
  }
  throw new YouTubeRefError(input, first ? `unrecognised path "/${first}"` : 'no video, playlist or channel in URL');
}

function tab(segment: string): ChannelTab | null {
  // Other tabs (featured, about, playlists, community) still name the channel; listing uses `videos`.
  return TABS.includes(segment) ? (segment as ChannelTab) : null;
}

function video(input: string, id: string | undefined): YouTubeRef {
  if (id === undefined || !VIDEO_ID.test(id)) {
    throw new YouTubeRefError(input, `invalid video id "${id ?? ''}" (expected 11 characters of A-Z a-z 0-9 _ -)`);
  }
  return { kind: 'video', id };
}

function playlist(input: string, id: string): YouTubeRef {
  if (!PLAYLIST_ID.test(id)) throw new YouTubeRefError(input, `invalid playlist id "${id}"`);
  return { kind: 'playlist', id };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
