import { describe, expect, it } from 'vitest';
import { YouTubeRefError, parseYouTubeRef, youTubeRefUrl, type YouTubeRef } from '../../indexer/sources/youtube-url.ts';

const V = 'dQw4w9WgXcQ';
const PL = 'PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf';
const UC = 'UCX6OQ3DkcsbYNE6H8uQQuVA';

const video = (id = V): YouTubeRef => ({ kind: 'video', id });
const playlist = (id = PL): YouTubeRef => ({ kind: 'playlist', id });

describe('parseYouTubeRef: accepted forms', () => {
  const cases: [string, YouTubeRef][] = [
    // bare ids
    [V, video()],
    [`  ${V}\n`, video()],
    ['a-b_c-d_e-f', video('a-b_c-d_e-f')],
    [PL, playlist()],
    [UC, { kind: 'channel', channelId: UC, tab: null }],
    ['@mkbhd', { kind: 'channel', handle: 'mkbhd', tab: null }],
    ['@mkbhd/streams', { kind: 'channel', handle: 'mkbhd', tab: 'streams' }],
    // watch URLs
    [`https://www.youtube.com/watch?v=${V}`, video()],
    [`http://youtube.com/watch?v=${V}`, video()],
    [`www.youtube.com/watch?v=${V}`, video()],
    [`youtube.com/watch?v=${V}`, video()],
    [`https://m.youtube.com/watch?v=${V}&feature=share`, video()],
    [`https://music.youtube.com/watch?v=${V}&si=abc`, video()],
    [`https://www.youtube.com/watch?feature=youtu.be&v=${V}&t=42s#comments`, video()],
    [`HTTPS://WWW.YOUTUBE.COM/watch?v=${V}`, video()],
    [`https://www.youtube.com./watch?v=${V}`, video()],
    // v= and list= together: the video wins (documented choice); list= alone is the playlist
    [`https://www.youtube.com/watch?v=${V}&list=${PL}&index=3`, video()],
    [`https://www.youtube.com/watch?list=${PL}`, playlist()],
    // short and special video paths
    [`https://youtu.be/${V}`, video()],
    [`youtu.be/${V}?si=xyz&t=10`, video()],
    [`https://youtu.be/${V}?list=${PL}`, video()],
    [`https://www.youtube.com/shorts/${V}`, video()],
    [`https://youtube.com/shorts/${V}?feature=share`, video()],
    [`https://www.youtube.com/live/${V}?si=abc`, video()],
    [`https://www.youtube.com/embed/${V}?start=30`, video()],
    [`https://www.youtube-nocookie.com/embed/${V}`, video()],
    [`https://www.youtube.com/v/${V}`, video()],
    // playlists
    [`https://www.youtube.com/playlist?list=${PL}`, playlist()],
    [`https://music.youtube.com/playlist?list=OLAK5uy_kKsr3mXf5G4QGlXVrRf_lCbDBiXdKB4jA`, playlist('OLAK5uy_kKsr3mXf5G4QGlXVrRf_lCbDBiXdKB4jA')],
    [`https://www.youtube.com/embed/videoseries?list=${PL}`, playlist()],
    // channels
    ['https://www.youtube.com/@MrBeast', { kind: 'channel', handle: 'MrBeast', tab: null }],
    ['youtube.com/@MrBeast/videos', { kind: 'channel', handle: 'MrBeast', tab: 'videos' }],
    ['https://www.youtube.com/@lexfridman/podcasts', { kind: 'channel', handle: 'lexfridman', tab: 'podcasts' }],
    ['https://www.youtube.com/@some.one-x_1/shorts', { kind: 'channel', handle: 'some.one-x_1', tab: 'shorts' }],
    ['https://www.youtube.com/@MrBeast/featured', { kind: 'channel', handle: 'MrBeast', tab: null }],
    ['https://www.youtube.com/@%E3%81%82%E3%81%84%E3%81%86', { kind: 'channel', handle: 'あいう', tab: null }],
    [`https://www.youtube.com/channel/${UC}`, { kind: 'channel', channelId: UC, tab: null }],
    [`https://m.youtube.com/channel/${UC}/streams`, { kind: 'channel', channelId: UC, tab: 'streams' }],
    ['https://www.youtube.com/c/LinusTechTips/videos', { kind: 'channel', customName: 'LinusTechTips', tab: 'videos' }],
    ['https://www.youtube.com/user/PewDiePie', { kind: 'channel', user: 'PewDiePie', tab: null }],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parseYouTubeRef(input)).toEqual(expected);
  });
});

describe('parseYouTubeRef: junk is refused with a reason', () => {
  const junk: [string, RegExp][] = [
    ['', /empty input/],
    ['   ', /empty input/],
    [`${V} ${V}`, /whitespace/],
    ['dQw4w9WgXc', /not an 11-character video id/], // 10 characters
    ['dQw4w9WgXcQQ', /not an 11-character video id/], // 12 characters
    ['dQw4w9WgX$Q', /unknown host|not a URL/], // invalid character
    [`https://www.youtube.com/watch?v=dQw4w9WgXc`, /invalid video id "dQw4w9WgXc"/],
    [`https://www.youtube.com/watch?v=dQw4w9WgXcQQ`, /invalid video id/],
    [`https://www.youtube.com/watch?v=dQw4w9W%20XcQ`, /invalid video id/],
    [`https://youtu.be/dQw4w9WgX!Q`, /invalid video id/],
    ['https://youtu.be/', /invalid video id ""/],
    [`javascript:alert(1)//youtube.com/watch?v=${V}`, /unsupported scheme "javascript:"/],
    [`JavaScript:alert('${V}')`, /unsupported scheme/],
    [`data:text/html,${V}`, /unsupported scheme "data:"/],
    [`file:///etc/passwd`, /unsupported scheme "file:"/],
    [`https://vimeo.com/${V}`, /unknown host "vimeo.com"/],
    [`https://youtube.com.evil.example/watch?v=${V}`, /unknown host/],
    [`https://notyoutube.com/watch?v=${V}`, /unknown host/],
    [`https://www.youtube.com@evil.example/watch?v=${V}`, /credentials/], // userinfo trick: the real host is evil.example
    [`https://user:pw@www.youtube.com/watch?v=${V}`, /credentials/],
    ['https://www.youtube.com/', /no video, playlist or channel/],
    ['https://www.youtube.com/watch', /without v= or list=/],
    ['https://www.youtube.com/playlist', /without list=/],
    ['https://www.youtube.com/playlist?list=WL', /invalid playlist id "WL"/],
    ['https://www.youtube.com/playlist?list=PL<script>', /invalid playlist id/],
    ['https://www.youtube.com/feed/subscriptions', /unrecognised path "\/feed"/],
    ['https://www.youtube.com/results?search_query=podcast', /unrecognised path/],
    ['https://www.youtube.com/PewDiePie', /unrecognised path/],
    ['https://www.youtube.com/@ab', /invalid handle/],
    ['https://www.youtube.com/@a<b>c', /invalid handle/],
    ['https://www.youtube.com/channel/UCshort', /invalid channel id/],
    ['https://www.youtube.com/channel/', /invalid channel id/],
    ['https://www.youtube.com/c/', /invalid channel name/],
    ['http://[::1', /not a URL/],
  ];
  it.each(junk)('%j', (input, reason) => {
    let caught: unknown;
    try {
      parseYouTubeRef(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(YouTubeRefError);
    expect((caught as YouTubeRefError).message).toMatch(reason);
    expect((caught as YouTubeRefError).input).toBe(input);
  });
});

describe('youTubeRefUrl', () => {
  it('round-trips every kind through its canonical URL', () => {
    const refs: YouTubeRef[] = [
      video(),
      playlist(),
      { kind: 'channel', handle: 'MrBeast', tab: 'streams' },
      { kind: 'channel', channelId: UC, tab: null },
      { kind: 'channel', customName: 'LinusTechTips', tab: 'videos' },
      { kind: 'channel', user: 'PewDiePie', tab: null },
      { kind: 'channel', handle: 'あいう', tab: null },
    ];
    for (const ref of refs) expect(parseYouTubeRef(youTubeRefUrl(ref))).toEqual(ref);
    expect(youTubeRefUrl({ kind: 'channel', handle: 'MrBeast', tab: null })).toBe('https://www.youtube.com/@MrBeast');
  });
});
