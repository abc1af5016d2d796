/**
 * listVideos over /browse. No real browse or resolve_url recording exists, so every page here is
 * CONSTRUCTED (test/fixtures/youtube/browse.*.json, resolve_url.channel.json; each says so in
 * `_comment`) in the shape youtubei.js 18's parsers read. Listed ids are the recorded videos'.
 */
import { describe, expect, it } from 'vitest';
import { createYouTubeSource, type YouTubeSource } from '../../indexer/sources/youtube.ts';
import { YouTubeBlockedError } from '../../indexer/sources/youtube-errors.ts';
import { parseYouTubeRef } from '../../indexer/sources/youtube-url.ts';
import { constructedJson, createSeam, json, recordingSleep, rejection, type Handler, type Json, type SeamRequest } from './seam.ts';

const PL = 'PLconstructed0123456789AB';
const CH = 'UCX6OQ3DkcsbYNE6H8uQQuVA';

/** /browse by browseId+params or continuation token, like InnerTube. */
function browse(pages: Record<string, Json | (() => Response)>): Handler {
  return (req: SeamRequest) => {
    const b = req.body ?? {};
    const key = typeof b.continuation === 'string' ? b.continuation : `${String(b.browseId)}${b.params ? `?${String(b.params)}` : ''}`;
    const page = pages[key];
    if (!page) return json({ error: { code: 400, message: `seam: no browse page ${key}` } }, 400);
    return typeof page === 'function' ? page() : json(page);
  };
}

const playlistPages = () => ({
  [`VL${PL}`]: constructedJson('browse.playlist.page1.json'),
  'CONSTRUCTED-playlist-page2': constructedJson('browse.playlist.page2.json'),
  'CONSTRUCTED-playlist-page3': constructedJson('browse.playlist.page3.json'),
});

const channelPages = () => ({
  [CH]: constructedJson('browse.channel.home.json'),
  [`${CH}?EgZ2aWRlb3PyBgQKAjoA`]: constructedJson('browse.channel.videos.json'),
  'CONSTRUCTED-videos-page2': constructedJson('browse.channel.videos.page2.json'),
  [`${CH}?EgdzdHJlYW1z8gYECgJ6AA%3D%3D`]: constructedJson('browse.channel.streams.json'),
});

const resolve: Handler = (req) =>
  req.body?.url === 'https://www.youtube.com/@MrBeast'
    ? json(constructedJson('resolve_url.channel.json'))
    : json({ error: { code: 404, message: 'Requested entity was not found.' } }, 404);

async function setup(pages: Record<string, Json | (() => Response)>) {
  const seam = createSeam({ '/youtubei/v1/browse': browse(pages), '/youtubei/v1/navigation/resolve_url': resolve });
  const yt = await createYouTubeSource({ fetch: seam.fetch, sleep: recordingSleep().sleep });
  return { seam, yt };
}

async function collect(yt: YouTubeSource, input: string) {
  const out: { id: string; title?: string }[] = [];
  for await (const v of yt.listVideos(parseYouTubeRef(input))) out.push(v);
  return out;
}

describe('listVideos: playlists', () => {
  it('follows continuations (plain and commandExecutor-wrapped) to the end, once per video, main column only', async () => {
    const { seam, yt } = await setup(playlistPages());
    const videos = await collect(yt, `https://www.youtube.com/playlist?list=${PL}`);
    expect(videos).toEqual([
      { id: 'GJLlxj_dtq8', title: 'Surface Go Review - It’s Awesome' },
      { id: 'F1xioXWb8CY', title: 'The Tide Is Turning' },
      { id: '2isYuQZMbdU', title: 'I Gave My 100,000,000th Subscriber An Island' },
      { id: 'iuevw6218F0', title: 'Chris Rea - Auberge' },
      { id: 'aaaaaaaaaa0', title: '[Private video]' }, // listed; getVideo reports its status
      { id: 'N-yVic7BbY0', title: 'Home Team | PBD Podcast | Ep. 241' },
    ]);
    expect(seam.log.map((r) => r.body?.browseId ?? r.body?.continuation)).toEqual([`VL${PL}`, 'CONSTRUCTED-playlist-page2', 'CONSTRUCTED-playlist-page3']);
  });

  it('stops when YouTube hands back a token it already gave', async () => {
    const pages = playlistPages();
    pages['CONSTRUCTED-playlist-page3'] = constructedJson('browse.playlist.page2.json'); // points at page3 again
    const { seam, yt } = await setup(pages);
    expect(await collect(yt, PL)).toHaveLength(5);
    expect(seam.log).toHaveLength(3);
  });

  it('maps alerts and refusals to unavailable / private', async () => {
    const alert = (text: string) => ({ alerts: [{ alertWithButtonRenderer: { type: 'ERROR', text: { simpleText: text } } }] });
    const { yt } = await setup({ [`VL${PL}`]: alert('The playlist does not exist.'), [`VLPLprivate00000000000`]: alert('This playlist is private.') });
    expect((await rejection(collect(yt, PL))).status).toBe('unavailable');
    expect((await rejection(collect(yt, 'PLprivate00000000000'))).status).toBe('private');
    const missing = await rejection(collect(yt, 'PLmissing00000000000')); // the seam answers 400, like InnerTube
    expect(missing.status).toBe('unavailable');
    expect(missing.message).toMatch(/playlist PLmissing00000000000: HTTP 400/);
  });

  it('a block on a continuation page propagates as YouTubeBlockedError', async () => {
    const pages: Record<string, Json | (() => Response)> = playlistPages();
    pages['CONSTRUCTED-playlist-page2'] = () => json({}, 429);
    const { yt } = await setup(pages);
    const seen: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const v of yt.listVideos(parseYouTubeRef(PL))) seen.push(v.id);
      })(),
    );
    expect(err).toBeInstanceOf(YouTubeBlockedError);
    expect(seen).toHaveLength(3); // the first page was delivered before the block
  });
});

describe('listVideos: channels', () => {
  it('resolves a handle, opens the videos tab by default and follows it to the end', async () => {
    const { seam, yt } = await setup(channelPages());
    const videos = await collect(yt, 'https://www.youtube.com/@MrBeast');
    // The playlist lockup, the home-page shelf and the sort chip's token are not videos of the tab.
    expect(videos).toEqual([
      { id: '2isYuQZMbdU', title: 'I Gave My 100,000,000th Subscriber An Island' },
      { id: 'Vid0000000B', title: 'Lockup video' },
      { id: 'Vid0000000C', title: 'Older video' },
      { id: 'Vid0000000D', title: 'Oldest video' },
    ]);
    expect(seam.paths()).toEqual(['/youtubei/v1/navigation/resolve_url', '/youtubei/v1/browse', '/youtubei/v1/browse', '/youtubei/v1/browse']);
    expect(seam.log[2]!.body).toMatchObject({ browseId: CH, params: 'EgZ2aWRlb3PyBgQKAjoA' });
  });

  it('lists the streams tab of a /channel/ URL without resolving it', async () => {
    const { seam, yt } = await setup(channelPages());
    expect(await collect(yt, `https://www.youtube.com/channel/${CH}/streams`)).toEqual([{ id: 'N-yVic7BbY0', title: 'Home Team | PBD Podcast | Ep. 241' }]);
    expect(seam.paths()).not.toContain('/youtubei/v1/navigation/resolve_url');
  });

  it('a channel without the requested tab lists nothing', async () => {
    const { yt } = await setup(channelPages());
    expect(await collect(yt, 'https://www.youtube.com/@MrBeast/podcasts')).toEqual([]);
  });

  it('an unknown handle is unavailable', async () => {
    const { yt } = await setup(channelPages());
    const err = await rejection(collect(yt, 'https://www.youtube.com/@nobody_here'));
    expect(err.status).toBe('unavailable');
    expect(err.message).toMatch(/no channel at https:\/\/www\.youtube\.com\/@nobody_here/);
  });

  it('a video ref lists itself without a request', async () => {
    const { seam, yt } = await setup({});
    expect(await collect(yt, 'https://youtu.be/GJLlxj_dtq8')).toEqual([{ id: 'GJLlxj_dtq8' }]);
    expect(seam.log).toEqual([]);
  });
});
