/**
 * The persisted ingest queue end to end, offline: URL → listing → metadata → transcript →
 * segments → searchable, with a real index and the real USE-lite embedder. Video responses are
 * the real recordings (world.ts, queue-helpers.ts `mixedVideos`); playlist pages, transcript
 * bodies and the private-video reason are CONSTRUCTED (see each helper's comment).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { ingestTranscript } from '../../indexer/pipeline.ts';
import { parseYouTubeRef } from '../../indexer/sources/youtube-url.ts';
import type { VideoRow } from '../../indexer/store/db.ts';
import type { Store } from '../../indexer/store/store.ts';
import { openYouTubeJob, runYouTubeJob, shouldFetchOnRefresh, type JobProgress } from '../../indexer/youtube-ingest.ts';
import { search } from '../../core/retrieval/search.ts';
import { expectConsistent } from '../helpers/consistency.ts';
import { html, json, recorded, type Handler } from './seam.ts';
import {
  EXPECTED_STATUS,
  J,
  PL,
  botCheckPlayer,
  fixturePlaylistBrowse,
  mixedVideos,
  offlineYouTube,
  playlistBrowse,
  recordingEmbedder,
  tempIndex,
  useLite,
  type Listed,
} from './queue-helpers.ts';

const PLAYLIST_URL = `https://www.youtube.com/playlist?list=${PL}`;
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

async function setup(browse: Handler, videos = mixedVideos(), overrides: Record<string, Handler> = {}) {
  const index = tempIndex();
  stores.push(index.store);
  const rec = recordingEmbedder(await useLite());
  const yt = await offlineYouTube(browse, videos, {}, overrides);
  const deps = { store: index.store, embedder: rec.embedder as Embedder, source: yt.source, jobs: index.jobs };
  const run = async (input: string, options: Parameters<typeof runYouTubeJob>[2] = {}) => {
    const { job, resumed } = openYouTubeJob(index.jobs, parseYouTubeRef(input), 'add', Date.now());
    return { resumed, summary: await runYouTubeJob(deps, job.id, options) };
  };
  return { ...index, ...yt, texts: rec.texts, maxEmbedsInFlight: rec.maxInFlight, deps, run };
}

const itemStatuses = (s: Awaited<ReturnType<typeof setup>>, jobId: number) =>
  Object.fromEntries(s.jobs.items(jobId).map((i) => [i.videoId, i.status]));

describe('full chain: playlist URL → searchable index', () => {
  it('lists across continuations, indexes the captioned videos, records every other outcome, and search finds the words', async () => {
    const s = await setup(fixturePlaylistBrowse);
    const events: JobProgress[] = [];
    const { summary } = await s.run(`https://www.youtube.com/watch?list=${PL}`, { concurrency: 3, onProgress: (p) => events.push(p) });

    expect(summary).toMatchObject({ status: 'done', phase: 'finished', total: 6, done: 6, stopped: undefined, source: PLAYLIST_URL, kind: 'playlist' });
    expect(summary.counts).toMatchObject({ queued: 0, indexed: 3, no_captions: 1, live_upcoming: 1, error: 1 });
    expect(summary.run).toMatchObject({ added: 3, updated: 0, unchanged: 0 });
    expect(itemStatuses(s, summary.jobId)).toEqual({
      GJLlxj_dtq8: 'indexed',
      F1xioXWb8CY: 'indexed',
      '2isYuQZMbdU': 'indexed',
      iuevw6218F0: 'no_captions',
      aaaaaaaaaa0: 'error',
      'N-yVic7BbY0': 'live_upcoming',
    });

    // The index holds the videos with their YouTube metadata, and failures with their reasons.
    const surface = s.store.db.getVideo('GJLlxj_dtq8')!;
    expect(surface).toMatchObject({ status: 'indexed', title: 'Surface Go Review - It’s Awesome', channel: 'Dave2D', youtubeId: 'GJLlxj_dtq8', format: 'youtube', source: PLAYLIST_URL, track: { lang: 'en', kind: 'manual' } });
    expect(surface.chapters).toHaveLength(10);
    expect(s.store.db.cues('GJLlxj_dtq8')[0]).toEqual({ startMs: 0, endMs: 2400, text: 'So this is the Surface Go,' });
    expect(s.store.db.getVideo('iuevw6218F0')).toMatchObject({ status: 'no_captions', title: 'Chris Rea - Auberge', error: 'the video has no captions' });
    expect(s.store.db.getVideo('N-yVic7BbY0')).toMatchObject({ status: 'live_upcoming' });
    expect(s.store.db.getVideo('aaaaaaaaaa0')).toMatchObject({ status: 'error', title: '[Private video]' });
    expect(s.store.db.getVideo('aaaaaaaaaa0')!.error).toMatch(/HTTP 404/);
    expectConsistent(s.store);

    const hits = await search({ store: s.store, embedder: s.deps.embedder }, { q: 'Microsoft smallest Surface', k: 3 });
    expect(hits[0]).toMatchObject({ videoId: 'GJLlxj_dtq8', title: 'Surface Go Review - It’s Awesome', start: 0 });
    expect(hits[0].url).toMatch(/^https:\/\/www\.youtube\.com\/watch\?v=GJLlxj_dtq8/);
    const war = await search({ store: s.store, embedder: s.deps.embedder }, { q: 'White armies retreat autumn 1919', k: 1 });
    expect(war[0]?.videoId).toBe('F1xioXWb8CY');

    // Progress: listing first, then done climbing to total, current naming the videos in flight.
    expect(events[0]).toMatchObject({ phase: 'listing', done: 0 });
    const fetching = events.filter((e) => e.phase === 'fetching');
    expect(fetching.map((e) => e.done)).toEqual([...fetching.map((e) => e.done)].sort((a, b) => a - b));
    expect(fetching.some((e) => e.current.some((c) => c.videoId === 'GJLlxj_dtq8' && c.title === 'Surface Go Review - It’s Awesome'))).toBe(true);
    // Three videos fetched at once, but written (and embedded) one at a time.
    expect(Math.max(...fetching.map((e) => e.current.length))).toBe(3);
    expect(s.maxEmbedsInFlight()).toBe(1);
    expect(events.at(-1)).toMatchObject({ phase: 'finished', status: 'done', done: 6, total: 6 });

    // The playlist is followed for `episodic refresh`.
    expect(s.jobs.follows()).toEqual([expect.objectContaining({ source: PLAYLIST_URL, kind: 'playlist' })]);
  });
});

describe('a batch with every kind of failure', () => {
  it('accounts for every video, and a failure never stops the batch', async () => {
    const ids = Object.keys(EXPECTED_STATUS);
    const s = await setup(playlistBrowse(() => [ids.slice(0, 4), ids.slice(4, 8), ids.slice(8)].map((page) => page.map((id) => ({ id })))));
    const { summary } = await s.run(PLAYLIST_URL, { concurrency: 4 });
    expect(summary.status).toBe('done');
    expect(itemStatuses(s, summary.jobId)).toEqual(EXPECTED_STATUS);
    expect(summary.counts).toEqual({ queued: 0, indexed: 3, skipped: 0, no_captions: 2, no_transcript: 0, unavailable: 2, private: 1, age_restricted: 1, live_upcoming: 1, error: 1 });
    expect(summary.total).toBe(ids.length);
    for (const [id, status] of Object.entries(EXPECTED_STATUS)) expect(s.store.db.getVideo(id)?.status, id).toBe(status);
    expect(s.store.db.getVideo('private0000')!.error).toBe('This video is private');
    expect(s.store.db.getVideo('Njp5uhTorCo')!.error).toMatch(/inappropriate for some users/);
    for (const item of s.jobs.items(summary.jobId)) expect(item.attempts, item.videoId).toBe(1);
    expectConsistent(s.store);
  });

  it('a video indexed before keeps its status and content when a later fetch fails', async () => {
    let player: Handler | undefined = undefined; // set after the first run
    const s = await setup(playlistBrowse(() => [[{ id: 'F1xioXWb8CY' }]]), mixedVideos(), {
      '/youtubei/v1/player': (req) => (player ? player(req) : json(mixedVideos().F1xioXWb8CY!.player)),
    });
    await s.run(PLAYLIST_URL);
    player = () => json({ error: { code: 404, message: 'gone' } }, 404);
    const { summary } = await s.run(PLAYLIST_URL);
    expect(summary.counts.error).toBe(1);
    expect(s.store.db.getVideo('F1xioXWb8CY')).toMatchObject({ status: 'indexed', cueCount: 3 });
  });

  it('keeps a transcript indexed from a file instead of replacing it with captions', async () => {
    const s = await setup(playlistBrowse(() => [[{ id: 'GJLlxj_dtq8' }, { id: 'F1xioXWb8CY' }]]));
    const cues = [{ startMs: 0, endMs: 5000, text: 'a hand-corrected transcript of the Surface Go review' }];
    await ingestTranscript(s.deps, { meta: { id: 'GJLlxj_dtq8', title: 'Surface Go (file)' }, cues, source: '/podcasts/surface.vtt', format: 'vtt' });
    const { summary } = await s.run(PLAYLIST_URL);
    expect(itemStatuses(s, summary.jobId)).toEqual({ GJLlxj_dtq8: 'skipped', F1xioXWb8CY: 'indexed' });
    expect(s.jobs.items(summary.jobId)[0]!.error).toMatch(/already indexed from \/podcasts\/surface\.vtt/);
    expect(s.playerRequests()).toEqual(['F1xioXWb8CY']);
    expect(s.store.db.getVideo('GJLlxj_dtq8')).toMatchObject({ title: 'Surface Go (file)', format: 'vtt' });
  });

  it('a private playlist fails the job with the reason, and nothing is followed', async () => {
    const alert = { alerts: [{ alertRenderer: { type: 'ERROR', text: { simpleText: 'This playlist is private.' } } }] };
    const s = await setup(() => json(alert));
    const { summary } = await s.run(PLAYLIST_URL);
    expect(summary).toMatchObject({ status: 'failed', stopped: 'failed', total: 0 });
    expect(summary.message).toMatch(/could not list .* \(private\): This playlist is private\./);
    expect(s.jobs.follows()).toEqual([]);
  });
});

describe('blocked: the job pauses instead of hammering', () => {
  const ids: Listed[] = ['GJLlxj_dtq8', 'F1xioXWb8CY', '2isYuQZMbdU', 'iuevw6218F0', 'N-yVic7BbY0'].map((id) => ({ id }));

  it('a bot check pauses the job with a clear message and leaves the rest queued; resuming finishes it', async () => {
    let blockFrom = '2isYuQZMbdU';
    const videos = mixedVideos();
    const s = await setup(playlistBrowse(() => [ids]), videos, {
      '/youtubei/v1/player': (req) => {
        const id = String(req.body?.videoId);
        return json(id === blockFrom ? botCheckPlayer() : videos[id]!.player);
      },
    });
    const first = await s.run(PLAYLIST_URL, { concurrency: 1 });
    expect(first.summary).toMatchObject({ status: 'paused', stopped: 'blocked', done: 2, total: 5 });
    expect(first.summary.message).toMatch(/^paused: Sign in to confirm you’re not a bot.*cookies from a signed-in browser.*3 video\(s\) remain queued/);
    expect(itemStatuses(s, first.summary.jobId)).toEqual({ GJLlxj_dtq8: 'indexed', F1xioXWb8CY: 'indexed', '2isYuQZMbdU': 'queued', iuevw6218F0: 'queued', 'N-yVic7BbY0': 'queued' });
    const blockedItem = s.jobs.items(first.summary.jobId)[2]!;
    expect(blockedItem).toMatchObject({ attempts: 1 });
    expect(blockedItem.error).toMatch(/^blocked: Sign in to confirm/);
    // Nothing was requested after the block, and the blocked video has no status in the index.
    expect(s.playerRequests()).toEqual(['GJLlxj_dtq8', 'F1xioXWb8CY', '2isYuQZMbdU']);
    expect(s.store.db.getVideo('2isYuQZMbdU')).toBeUndefined();

    blockFrom = '';
    const second = await s.run(PLAYLIST_URL, { concurrency: 1 });
    expect(second.resumed).toBe(true);
    expect(second.summary.jobId).toBe(first.summary.jobId);
    expect(second.summary).toMatchObject({ status: 'done', done: 5, message: undefined });
    expect(s.playerRequests().slice(3)).toEqual(['2isYuQZMbdU', 'iuevw6218F0', 'N-yVic7BbY0']);
    expect(s.jobs.items(first.summary.jobId)[2]).toMatchObject({ status: 'indexed', attempts: 2, error: undefined });
  });

  it('a captcha page (real recording) while listing pauses before any video is fetched', async () => {
    const s = await setup(() => html(recorded(`${J}youtube_too_many_requests.html.static`), 429));
    const { summary } = await s.run(PLAYLIST_URL);
    expect(summary).toMatchObject({ status: 'paused', stopped: 'blocked', total: 0 });
    expect(summary.message).toMatch(/paused: .*(429|captcha)/i);
    expect(s.playerRequests()).toEqual([]);
    expect(s.jobs.get(summary.jobId)!.listedAt).toBeUndefined(); // listed again on resume
  });
});

describe('resume after an interrupted batch', () => {
  it('stops after N videos on abort, resumes the same job, and never fetches or embeds a finished video again', async () => {
    const ids: Listed[] = ['GJLlxj_dtq8', 'F1xioXWb8CY', '2isYuQZMbdU', 'iuevw6218F0', 'N-yVic7BbY0'].map((id) => ({ id }));
    const s = await setup(playlistBrowse(() => [ids.slice(0, 2), ids.slice(2)]));
    const controller = new AbortController();
    const first = await s.run(PLAYLIST_URL, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => p.done >= 2 && controller.abort(),
    });
    expect(first.summary).toMatchObject({ status: 'paused', stopped: 'interrupted', done: 2, total: 5 });
    expect(first.summary.message).toMatch(/interrupted; 3 video\(s\) remain queued/);
    expect(first.summary.run).toMatchObject({ added: 2 });
    const embeddedBefore = [...s.texts];
    expect(first.summary.run.embedded).toBe(embeddedBefore.length);

    const second = await s.run(PLAYLIST_URL, { concurrency: 2 });
    expect(second.resumed).toBe(true);
    expect(second.summary).toMatchObject({ status: 'done', done: 5, total: 5 });
    expect(second.summary.run).toMatchObject({ added: 1, updated: 0, unchanged: 0 });
    expect(second.summary.counts).toMatchObject({ indexed: 3, no_captions: 1, live_upcoming: 1 });
    // The first two were neither fetched nor embedded again; no text was ever embedded twice.
    expect(s.playerRequests()).toEqual(['GJLlxj_dtq8', 'F1xioXWb8CY', '2isYuQZMbdU', 'iuevw6218F0', 'N-yVic7BbY0']);
    expect(new Set(s.texts).size).toBe(s.texts.length);
    expect(first.summary.run.embedded + second.summary.run.embedded).toBe(s.texts.length);
    expectConsistent(s.store);

    // Adding the finished playlist again is a new job: videos are fetched again, but unchanged ones are not re-embedded.
    const third = await s.run(PLAYLIST_URL);
    expect(third.resumed).toBe(false);
    expect(third.summary.run).toMatchObject({ added: 0, updated: 0, unchanged: 3, embedded: 0 });
    expect(s.texts.length).toBe(first.summary.run.embedded + second.summary.run.embedded);
  });

  it('a job left running by a crash is picked up again', async () => {
    const s = await setup(playlistBrowse(() => [[{ id: 'F1xioXWb8CY' }]]));
    const { job } = openYouTubeJob(s.jobs, parseYouTubeRef(PLAYLIST_URL), 'add', 0);
    s.jobs.setStatus(job.id, 'running', undefined, 0);
    const { resumed, summary } = await s.run(PLAYLIST_URL);
    expect(resumed).toBe(true);
    expect(summary).toMatchObject({ jobId: job.id, status: 'done' });
  });

  it('a failure writing the index fails the job and leaves the video queued for a resume', async () => {
    const s = await setup(playlistBrowse(() => [[{ id: 'F1xioXWb8CY' }, { id: 'iuevw6218F0' }]]));
    const broken: Embedder = { ...s.deps.embedder, embed: async () => Promise.reject(new Error('disk full')) };
    const { job } = openYouTubeJob(s.jobs, parseYouTubeRef(PLAYLIST_URL), 'add', 0);
    const summary = await runYouTubeJob({ ...s.deps, embedder: broken }, job.id, { concurrency: 1 });
    expect(summary).toMatchObject({ status: 'failed', stopped: 'failed' });
    expect(summary.message).toMatch(/writing the index failed: disk full; 2 video\(s\) remain queued/);
    const resumed = await s.run(PLAYLIST_URL);
    expect(resumed.summary).toMatchObject({ jobId: job.id, status: 'done', counts: expect.objectContaining({ indexed: 1, no_captions: 1 }) });
  });
});

describe('backoff timing with an injected clock', () => {
  it('waits out 429s with jittered, Retry-After-honouring delays; a persistent 429 pauses the job as rate-limited', async () => {
    let t = 1_000_000;
    const waits: number[] = [];
    const clock = { now: () => t };
    const sleep = async (ms: number) => {
      waits.push(ms);
      t += ms;
    };
    let tooMany = 2;
    let retryAfter: Record<string, string> = { 'retry-after': '2' };
    const videos = mixedVideos();
    const player: Handler = (req) => {
      if (tooMany-- > 0) return new Response('', { status: 429, headers: retryAfter });
      return json(videos[String(req.body?.videoId)]!.player);
    };
    const index = tempIndex();
    stores.push(index.store);
    const yt = await offlineYouTube(playlistBrowse(() => [[{ id: 'F1xioXWb8CY' }, { id: 'iuevw6218F0' }]]), videos, { sleep, now: clock.now, random: () => 0.5 }, {
      '/youtubei/v1/player': player,
    });
    const deps = { store: index.store, embedder: await useLite(), source: yt.source, jobs: index.jobs, clock };
    const { job } = openYouTubeJob(index.jobs, parseYouTubeRef(PLAYLIST_URL), 'add', clock.now());
    const summary = await runYouTubeJob(deps, job.id, { concurrency: 1 });
    expect(summary.status).toBe('done');
    // Full jitter at random 0.5 would wait 500 then 1000 ms; Retry-After: 2 raises both to 2000.
    expect(waits).toEqual([2000, 2000]);
    expect(index.jobs.items(job.id)[0]).toMatchObject({ status: 'indexed', updatedAt: 1_004_000 });

    // Now every request is rate-limited: 5 attempts (waits 500, 1000, 2000, 4000), then the job pauses.
    tooMany = Infinity;
    retryAfter = {};
    const again = openYouTubeJob(index.jobs, parseYouTubeRef(PLAYLIST_URL), 'add', clock.now()).job;
    waits.length = 0;
    const start = t;
    const paused = await runYouTubeJob({ ...deps }, again.id, { concurrency: 1 });
    expect(waits).toEqual([500, 1000, 2000, 4000]);
    expect(t - start).toBe(7500);
    expect(paused).toMatchObject({ status: 'paused', stopped: 'blocked', updatedAt: start + 7500 });
    expect(paused.message).toMatch(/HTTP 429 .* after 5 attempts\. YouTube is rate-limiting this IP: wait before resuming/);
    expect(paused.counts).toMatchObject({ queued: 2 });
  });
});

describe('refresh', () => {
  const row = (status: VideoRow['status'], updatedAt: string) => ({ status, updatedAt }) as VideoRow;
  const now = Date.parse('2025-06-10T12:00:00Z');

  it('fetches new videos and retryable ones, not finished or final ones', () => {
    expect(shouldFetchOnRefresh(undefined, now)).toBe(true);
    expect(shouldFetchOnRefresh(row('indexed', '2020-01-01T00:00:00Z'), now)).toBe(false);
    expect(shouldFetchOnRefresh(row('no_captions', '2025-06-09T13:00:00Z'), now)).toBe(false); // 23 h ago
    expect(shouldFetchOnRefresh(row('no_captions', '2025-06-09T12:00:00Z'), now)).toBe(true); // a day ago
    expect(shouldFetchOnRefresh(row('live_upcoming', '2025-06-10T11:00:00Z'), now)).toBe(true);
    expect(shouldFetchOnRefresh(row('error', '2025-06-10T11:00:00Z'), now)).toBe(true);
    for (const status of ['private', 'unavailable', 'age_restricted'] as const) expect(shouldFetchOnRefresh(row(status, '2020-01-01T00:00:00Z'), now)).toBe(false);
  });

  it('a refresh job lists the playlist again and queues only what is new or retryable', async () => {
    let pages: Listed[][] = [[{ id: 'GJLlxj_dtq8' }, { id: 'iuevw6218F0' }, { id: 'private0000' }]];
    const s = await setup(playlistBrowse(() => pages));
    await s.run(PLAYLIST_URL);
    pages = [[{ id: 'F1xioXWb8CY', title: 'new upload' }], ...pages];
    const ref = parseYouTubeRef(PLAYLIST_URL);
    const soon = openYouTubeJob(s.jobs, ref, 'refresh', Date.now()).job;
    const r1 = await runYouTubeJob(s.deps, soon.id);
    expect(itemStatuses(s, r1.jobId)).toEqual({ F1xioXWb8CY: 'indexed' });
    expect(r1.mode).toBe('refresh');

    const later = openYouTubeJob(s.jobs, ref, 'refresh', Date.now()).job;
    const r2 = await runYouTubeJob({ ...s.deps, clock: { now: () => Date.now() + 25 * 3600_000 } }, later.id);
    expect(itemStatuses(s, r2.jobId)).toEqual({ iuevw6218F0: 'no_captions' }); // retried after a day
    expect(s.jobs.follows()[0]!.lastListedAt).toBeGreaterThan(Date.now());
  });
});
