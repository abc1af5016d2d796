/**
 * getVideo against real recorded YouTube responses (shared/data/youtube-fixtures) replayed
 * through a fetch seam. Constructed, not recorded (no real recording exists; see the files'
 * `_comment`): the get_transcript bodies and the json3 body in test/fixtures/youtube. The
 * timedtext XML is jdepoix's real fixture file, whose text is synthetic.
 */
import { describe, expect, it } from 'vitest';
import { createYouTubeSource } from '../../indexer/sources/youtube.ts';
import { recordingSleep } from './seam.ts';
import { SURFACE_GO_PANEL_PARAMS, recordedVideos, recordedWorld } from './world.ts';

const source = (seam: ReturnType<typeof recordedWorld>, lang?: string[]) =>
  createYouTubeSource({ fetch: seam.fetch, lang, sleep: recordingSleep().sleep, random: () => 0.5 });

type CaptionList = { captionTracks: { kind?: string; languageCode: string }[] };
const captionList = (player: Record<string, unknown>) =>
  (player.captions as { playerCaptionsTracklistRenderer: CaptionList }).playerCaptionsTracklistRenderer;

describe('createYouTubeSource', () => {
  it('makes no request at creation (no sw.js_data, config or player JS)', async () => {
    const seam = recordedWorld();
    await source(seam);
    expect(seam.log).toEqual([]);
  });
});

describe('cookies', () => {
  it('sends the cookie (and youtubei.js its SAPISIDHASH) to InnerTube and to timedtext', async () => {
    const seam = recordedWorld();
    const cookies = 'SAPISID=abc/def; SID=xyz';
    const yt = await createYouTubeSource({ fetch: seam.fetch, cookies, sleep: recordingSleep().sleep });
    await yt.getVideo('F1xioXWb8CY');
    const [player, , timedtext] = seam.log;
    expect(player!.headers.get('cookie')).toBe(cookies);
    expect(player!.headers.get('authorization')).toMatch(/^SAPISIDHASH \d+_[0-9a-f]{40}/);
    expect(timedtext!.url.pathname).toBe('/api/timedtext');
    expect(timedtext!.headers.get('cookie')).toBe(cookies);
  });
});

describe('getVideo: metadata and transcript', () => {
  it('reads the 9-track video: metadata, chapters, manual English via the transcript panel', async () => {
    const seam = recordedWorld();
    const video = await (await source(seam)).getVideo('GJLlxj_dtq8');

    expect(video.meta).toMatchObject({
      id: 'GJLlxj_dtq8',
      youtubeId: 'GJLlxj_dtq8',
      title: 'Surface Go Review - It’s Awesome',
      channel: 'Dave2D',
      channelId: 'UCVYamHliCI9rw1tHR1xbkfw',
      durationMs: 316_000,
      publishedAt: '2018-08-02', // player has no microformat: from the watch page's "Aug 2, 2018"
      thumbnail: 'https://i.ytimg.com/vi/GJLlxj_dtq8/sddefault.jpg',
    });
    expect(video.meta.description).toMatch(/^Dave2D review of the Microsoft Surface Go/);
    expect(video.meta.chapters).toHaveLength(10);
    expect(video.meta.chapters[0]).toEqual({ title: 'Build Quality', startMs: 39_160 });
    expect(video.meta.chapters.at(-1)).toEqual({ title: 'Ports', startMs: 254_709 });

    expect(video.track).toEqual({ lang: 'en', kind: 'manual' });
    expect(video.via).toBe('transcript_panel');
    // Section headers are chapter titles, not speech; the blank segment is dropped.
    expect(video.cues).toEqual([
      { startMs: 0, endMs: 2400, text: 'So this is the Surface Go,' },
      { startMs: 2400, endMs: 5100, text: "Microsoft's smallest Surface." },
      { startMs: 5100, endMs: 8000, text: "I've been using it for a week." },
      { startMs: 39_160, endMs: 43_000, text: 'The build quality is excellent.' },
    ]);
    // The panel opened on ASR, so the manual track was requested through the language menu.
    const transcriptCalls = seam.log.filter((r) => r.url.pathname === '/youtubei/v1/get_transcript').map((r) => r.body?.params);
    expect(transcriptCalls).toEqual([SURFACE_GO_PANEL_PARAMS, 'CONSTRUCTED-reload-en']);
    expect(seam.paths()).toEqual(['/youtubei/v1/player', '/youtubei/v1/next', '/youtubei/v1/get_transcript', '/youtubei/v1/get_transcript']);
    expect(seam.log[0]!.body).toMatchObject({ videoId: 'GJLlxj_dtq8', context: { client: { clientName: 'WEB' } } });
  });

  it('takes ASR when the panel is already on it and ASR is the only track of the language', async () => {
    const videos = recordedVideos();
    const tracks = captionList(videos.GJLlxj_dtq8!.player);
    tracks.captionTracks = tracks.captionTracks.filter((t) => !(t.languageCode === 'en' && t.kind !== 'asr'));
    const seam = recordedWorld({}, videos);
    const video = await (await source(seam)).getVideo('GJLlxj_dtq8');
    expect(video.track).toEqual({ lang: 'en', kind: 'asr' });
    expect(video.cues.map((c) => c.text)).toEqual(['so this is the surface go', 'microsofts smallest surface', "and i've been using it for a week"]);
    expect(seam.paths().filter((p) => p.endsWith('get_transcript'))).toHaveLength(1);
  });

  it('follows the language priority to German and falls back to timedtext (json3 empty, then XML)', async () => {
    const seam = recordedWorld();
    const video = await (await source(seam, ['fr', 'de', 'en'])).getVideo('GJLlxj_dtq8');
    expect(video.track).toEqual({ lang: 'de', kind: 'manual' });
    expect(video.via).toBe('timedtext');
    expect(video.cues.map((c) => c.text)).toEqual([
      'Hey, this is just a test',
      'this is not the original transcript',
      'just something shorter, I made up for testing',
    ]);
    const timedtext = seam.log.filter((r) => r.url.pathname === '/api/timedtext').map((r) => r.url.searchParams);
    expect(timedtext.map((q) => [q.get('lang'), q.get('fmt')])).toEqual([
      ['de', 'json3'],
      ['de', null],
    ]);
  });

  it('uses the json3 caption URL when the watch page (/next) is missing', async () => {
    const seam = recordedWorld();
    const video = await (await source(seam)).getVideo('F1xioXWb8CY');
    expect(video.via).toBe('timedtext');
    expect(video.track).toEqual({ lang: 'en', kind: 'manual' });
    expect(video.cues).toEqual([
      { startMs: 1200, endMs: 4500, text: 'In the autumn of 1919' },
      { startMs: 4500, endMs: 7300, text: 'the White armies are in retreat.' },
      { startMs: 7400, endMs: 11_500, text: "I'm Indy Neidell." },
    ]);
    expect(video.meta).toMatchObject({ title: 'The Tide Is Turning - Russian Civil War Fall 1919 I THE GREAT WAR 1919', chapters: [] });
    expect(video.meta.publishedAt).toBeUndefined();
  });

  it('reads the microformat publish date of the iv-org MrBeast recording', async () => {
    const video = await (await source(recordedWorld())).getVideo('2isYuQZMbdU');
    expect(video.meta).toMatchObject({
      channel: 'MrBeast',
      channelId: 'UCX6OQ3DkcsbYNE6H8uQQuVA',
      publishedAt: '2022-08-04T12:59:59-07:00',
      durationMs: 930_000,
      thumbnail: 'https://i.ytimg.com/vi/2isYuQZMbdU/maxresdefault.jpg',
    });
    // Its panel params are real but no get_transcript recording exists, so the seam refuses them
    // and the chain falls through to timedtext.
    expect(video.via).toBe('timedtext');
  });
});
