/**
 * Failure statuses from the real recorded error responses (jdepoix /player recordings, consent
 * and captcha HTML pages, iv-org scheduled-live and no-captions recordings). Constructed here:
 * the "private" response (the real video_unavailable recording with the private reason that
 * YouTube sends), transient 5xx/network failures, and deliberately unknown-shaped bodies.
 */
import { describe, expect, it } from 'vitest';
import { createYouTubeSource } from '../../indexer/sources/youtube.ts';
import { YouTubeBlockedError, type YouTubeStatus } from '../../indexer/sources/youtube-errors.ts';
import { html, json, plain, recorded, recordedJson, recordingSleep, rejection, type Handler, type Json } from './seam.ts';
import { IV, J, recordedVideos, recordedWorld } from './world.ts';

function setup(overrides: Record<string, Handler> = {}, extraVideos: Record<string, { player: Json; next?: Json }> = {}) {
  const seam = recordedWorld(overrides, { ...recordedVideos(), ...extraVideos });
  const clock = recordingSleep();
  const yt = createYouTubeSource({ fetch: seam.fetch, sleep: clock.sleep, random: () => 0.5, now: () => 0 });
  return { seam, waits: clock.waits, getVideo: async (id: string) => (await yt).getVideo(id) };
}

const privatePlayer = (): Json => {
  const player = recordedJson(`${J}youtube_video_unavailable.innertube.json.static`);
  player.playabilityStatus = { status: 'LOGIN_REQUIRED', reason: 'This video is private', messages: ['If the owner of this video has granted you access, please sign in.'] };
  return player;
};

describe('statuses from real recorded /player responses', () => {
  const cases: [string, string, Json, YouTubeStatus, RegExp, string | undefined][] = [
    ['age restricted', 'Njp5uhTorCo', recordedJson(`${J}youtube_age_restricted.innertube.json.static`), 'age_restricted', /inappropriate for some users/, 'Njp5uhTorCo'],
    ['bot check', 'GJLlxj_dtq8', recordedJson(`${J}youtube_request_blocked.innertube.json.static`), 'blocked', /Sign in to confirm you’re not a bot/, undefined],
    ['unplayable (CUSTOM)', 'GJLlxj_dtq8', recordedJson(`${J}youtube_unplayable.innertube.json.static`), 'unavailable', /^Custom Reason — Sub Reason 1Sub Reason 2$/, undefined],
    ['unavailable', 'GJLlxj_dtq8', recordedJson(`${J}youtube_video_unavailable.innertube.json.static`), 'unavailable', /^This video is unavailable$/, undefined],
    ['transcripts disabled', 'dsMFmonKDD4', recordedJson(`${J}youtube_transcripts_disabled.innertube.json.static`), 'no_captions', /no captions/, 'dsMFmonKDD4'],
    ['transcripts disabled 2', 'Fjg5lYqvzUs', recordedJson(`${J}youtube_transcripts_disabled2.innertube.json.static`), 'no_captions', /no captions/, 'Fjg5lYqvzUs'],
    ['scheduled live', 'N-yVic7BbY0', recordedJson(`${IV}scheduled_live_PBD-Podcast.player.json`), 'live_upcoming', /begin in 18 hours/, 'N-yVic7BbY0'],
    ['no captions (music video)', 'iuevw6218F0', recordedJson(`${IV}regular_no-description.player.json`), 'no_captions', /no captions/, 'iuevw6218F0'],
    ['private (constructed from a recording)', 'GJLlxj_dtq8', privatePlayer(), 'private', /This video is private/, undefined],
  ];
  it.each(cases)('%s → %s', async (_name, id, player, status, message, metaId) => {
    const { seam, getVideo } = setup({}, { [id]: { player } });
    const err = await rejection(getVideo(id));
    expect(err.status).toBe(status);
    expect(err.message).toMatch(message);
    expect(err.meta?.id).toBe(metaId);
    expect(err instanceof YouTubeBlockedError).toBe(status === 'blocked');
    // A classified /player failure is final: nothing is retried or fetched after it, except the
    // watch page that completes the metadata of a no-captions video.
    expect(seam.paths()).toEqual(status === 'no_captions' ? ['/youtubei/v1/player', '/youtubei/v1/next'] : ['/youtubei/v1/player']);
  });

  it('keeps the metadata of a video without captions', async () => {
    const err = await rejection(setup().getVideo('iuevw6218F0'));
    expect(err.meta).toMatchObject({ title: 'Chris Rea - Auberge', channel: 'ChrisReaVideos', publishedAt: '2012-05-21T07:01:37-07:00' });
    expect(err.meta?.description).toBeUndefined();
  });

  it('reports a PO-token caption URL (real recording) as an error, not as "no captions"', async () => {
    const player = recordedJson(`${J}youtube_po_token_required.innertube.json.static`);
    const { getVideo } = setup({ '/api/timedtext': () => plain('') }, { GJLlxj_dtq8: { player } });
    const err = await rejection(getVideo('GJLlxj_dtq8'));
    expect(err.status).toBe('error');
    expect(err.message).toMatch(/captions exist \(en manual\) but could not be fetched/);
    expect(err.message).toMatch(/json3: empty body \(the URL requires a PO token: exp=xpe\); xml: empty body/);
    expect(err.meta?.title).toBe('Surface Go Review - It’s Awesome');
  });
});

describe('HTML walls and rate limits (real recorded pages)', () => {
  it('the consent page is a block, not retried', async () => {
    const { seam, waits, getVideo } = setup({ '/youtubei/v1/player': () => html(recorded(`${J}youtube_consent_page.html.static`)) });
    const err = await rejection(getVideo('GJLlxj_dtq8'));
    expect(err).toBeInstanceOf(YouTubeBlockedError);
    expect(err.message).toMatch(/consent wall/);
    expect(seam.log).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('the consent page variant without a consent version is a block too', async () => {
    const { getVideo } = setup({ '/youtubei/v1/player': () => html(recorded(`${J}youtube_consent_page_invalid.html.static`)) });
    expect(await rejection(getVideo('GJLlxj_dtq8'))).toBeInstanceOf(YouTubeBlockedError);
  });

  it('an ordinary HTML page (the real watch page) where JSON was expected is an error, not a block', async () => {
    const { getVideo } = setup({ '/youtubei/v1/player': () => html(recorded(`${J}youtube.html.static`)) });
    const err = await rejection(getVideo('GJLlxj_dtq8'));
    expect(err.status).toBe('error');
    expect(err).not.toBeInstanceOf(YouTubeBlockedError);
  });

  it('a redirect to consent.youtube.com is a block', async () => {
    const redirected = () => {
      const res = html('<html></html>');
      Object.defineProperty(res, 'url', { value: 'https://consent.youtube.com/m?continue=https%3A%2F%2Fwww.youtube.com' });
      return res;
    };
    const err = await rejection(setup({ '/youtubei/v1/player': redirected }).getVideo('GJLlxj_dtq8'));
    expect(err).toBeInstanceOf(YouTubeBlockedError);
    expect(err.message).toMatch(/redirected to the consent wall/);
  });

  it('the captcha page served with 200 is a block', async () => {
    const { getVideo } = setup({ '/youtubei/v1/player': () => html(recorded(`${J}youtube_too_many_requests.html.static`)) });
    const err = await rejection(getVideo('GJLlxj_dtq8'));
    expect(err).toBeInstanceOf(YouTubeBlockedError);
    expect(err.message).toMatch(/captcha/);
  });

  it('429 is retried with backoff, then reported as blocked', async () => {
    const { seam, waits, getVideo } = setup({ '/youtubei/v1/player': () => html(recorded(`${J}youtube_too_many_requests.html.static`), 429) });
    const err = await rejection(getVideo('GJLlxj_dtq8'));
    expect(err).toBeInstanceOf(YouTubeBlockedError);
    expect(err.httpStatus).toBe(429);
    expect(err.message).toBe('HTTP 429 from /youtubei/v1/player after 5 attempts');
    expect(seam.log).toHaveLength(5);
    expect(waits).toEqual([500, 1000, 2000, 4000]); // random 0.5 × 1 s·2ⁿ
  });

  it('a block in the middle of the transcript chain is not swallowed as a per-video error', async () => {
    const { getVideo } = setup({ '/api/timedtext': () => html('', 429, { 'retry-after': '1' }) });
    const err = await rejection(getVideo('F1xioXWb8CY'));
    expect(err).toBeInstanceOf(YouTubeBlockedError);
  });
});

describe('transient failures', () => {
  it('retries a 503 and a network error, then succeeds', async () => {
    let calls = 0;
    const player = recordedVideos().F1xioXWb8CY!.player;
    const { waits, getVideo } = setup({
      '/youtubei/v1/player': () => {
        calls++;
        if (calls === 1) return json({ error: { code: 503 } }, 503);
        if (calls === 2) throw new TypeError('fetch failed');
        return json(player);
      },
    });
    const video = await getVideo('F1xioXWb8CY');
    expect(video.cues).toHaveLength(3);
    expect(calls).toBe(3);
    expect(waits).toEqual([500, 1000]);
  });

  it('a 5xx that never clears becomes an error with the attempt count', async () => {
    const { getVideo } = setup({ '/youtubei/v1/player': () => json({}, 502) });
    const err = await rejection(getVideo('F1xioXWb8CY'));
    expect(err.status).toBe('error');
    expect(err.message).toBe('HTTP 502 from /youtubei/v1/player after 5 attempts');
  });
});

describe('unknown-shaped responses become status error, never a crash', () => {
  const player = (body: Response | (() => Response)): Record<string, Handler> => ({
    '/youtubei/v1/player': typeof body === 'function' ? body : () => body.clone(),
  });
  const cases: [string, Record<string, Handler>, RegExp][] = [
    ['empty object', player(json({})), /no playabilityStatus/],
    ['array', player(json([])), /response is not a JSON object/],
    ['not JSON', player(() => plain('<<garbage>>')), /video GJLlxj_dtq8: .*JSON/],
    ['new playability status', player(json({ playabilityStatus: { status: 'SOMETHING_NEW' } })), /unexpected playability status SOMETHING_NEW/],
    ['another video', player(() => json(recordedVideos().F1xioXWb8CY!.player)), /player response is for F1xioXWb8CY, not GJLlxj_dtq8/],
    ['404', player(json({ error: { code: 404, message: 'Requested entity was not found.' } }, 404)), /HTTP 404 from \/youtubei\/v1\/player: Requested entity was not found/],
    [
      'odd transcript panel and caption bodies',
      { '/youtubei/v1/get_transcript': () => json({ actions: [{ surprise: true }] }), '/api/timedtext': () => plain('{"events": 7}') },
      /transcript panel: no language menu; timedtext: en\.json3: no "events" array: not json3; en\.xml:1: no <transcript> element/,
    ],
  ];
  it.each(cases)('%s', async (_name, routes, message) => {
    const err = await rejection(setup(routes).getVideo('GJLlxj_dtq8'));
    expect(err.status).toBe('error');
    expect(err.message).toMatch(message);
  });

  it('refuses a malformed id without a request', async () => {
    const { seam, getVideo } = setup();
    const err = await rejection(getVideo('not-an-id'));
    expect(err.status).toBe('error');
    expect(seam.log).toEqual([]);
  });
});
