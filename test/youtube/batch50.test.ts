/**
 * A batch of 50 YouTube videos with mixed failures finishes with every video accounted for:
 * offline YouTube, the real SQLite index, real HNSW and the real USE-lite embedder.
 *
 * RECORDED (shared/data/youtube-fixtures, see world.ts): every /player body served here (the
 * captioned GJLlxj_dtq8, F1xioXWb8CY and 2isYuQZMbdU, the no-captions iuevw6218F0, dsMFmonKDD4 and
 * Fjg5lYqvzUs, the scheduled live N-yVic7BbY0, age-restricted, unavailable, unplayable, the
 * PO-token variant and the bot check), the /next bodies of GJLlxj_dtq8 (its watch page),
 * 2isYuQZMbdU, iuevw6218F0 and N-yVic7BbY0, and the (synthetic-text) timedtext XML file.
 * The 50 ids are made up; a recording that names its video is served as a copy with only
 * `videoDetails.videoId` changed to the id asked for (the source rejects a response for another video).
 * CONSTRUCTED: the playlist pages (playlistBrowse), the get_transcript and json3 caption bodies
 * (test/fixtures/youtube), the private reason (mixedVideos), the transient HTTP failures (503,
 * 429, a dropped connection), the empty body a PO-token caption URL gets, the 404 for a video with
 * no recording, and the two transcript files indexed before the batch (which it must skip).
 * Only three caption bodies are served, so most videos share vectors and embedding stays cheap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { ingestTranscript } from '../../indexer/pipeline.ts';
import { parseYouTubeRef } from '../../indexer/sources/youtube-url.ts';
import type { ItemStatus } from '../../indexer/domain.ts';
import type { Store } from '../../indexer/store/store.ts';
import { openYouTubeJob, runYouTubeJob } from '../../indexer/youtube-ingest.ts';
import { search } from '../../core/retrieval/search.ts';
import { expectConsistent } from '../helpers/consistency.ts';
import { json, plain, recordedJson, type Handler, type Json } from './seam.ts';
import { IV, J, PL, botCheckPlayer, mixedVideos, offlineYouTube, playlistBrowse, recordingEmbedder, tempIndex, useLite } from './queue-helpers.ts';
import { recordedWorld } from './world.ts';

const PLAYLIST_URL = `https://www.youtube.com/playlist?list=${PL}`;
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

type Video = { player: Json; next?: Json };
type Body = 'panel' | 'json3' | 'xml';

/** A recording served as video `id`: a fresh copy whose videoDetails (if any) name `id`. */
function servedAs(id: string, player: () => Json, next?: () => Json): Video {
  const p = player();
  const details = p.videoDetails as Json | undefined;
  if (details) details.videoId = id;
  return { player: p, next: next?.() };
}

const surfaceGo = (id: string) => servedAs(id, () => recordedJson(`${J}youtube.innertube.json.static`), () => initialData());
const greatWar = (id: string) => servedAs(id, () => recordedJson(`${J}youtube_ww1_nl_en.innertube.json.static`));
const mrBeast = (id: string) => servedAs(id, () => recordedJson(`${IV}regular_mrbeast.player.json`), () => recordedJson(`${IV}regular_mrbeast.next.json`));
let watchPage: Json | undefined;
const initialData = () => (watchPage ??= mixedVideos().GJLlxj_dtq8!.next!);

interface Kind {
  /** 4 characters: ids are `b50_<code>_<nn>`. */
  code: string;
  count: number;
  status: Exclude<ItemStatus, 'queued'>;
  /** The recording served for the id; none: the seam answers 404. */
  video?: (id: string) => Video;
  /** The caption body an indexed video gets. */
  body?: Body;
  /** The /player answers before the recording, one per request; 'always' fails every request. */
  flaky?: { fail: () => Response; times: number | 'always' };
  /** The item's (and the index's) reason for anything not indexed. */
  reason?: RegExp;
}

const http = (status: number, headers: Record<string, string> = {}) => () => new Response('', { status, headers });
const dropped = () => {
  throw new TypeError('fetch failed: other side closed');
};

/** The planned batch: 23 indexed (6 of them after transient failures) and 27 that end otherwise. */
const PLAN: Kind[] = [
  { code: 'pane', count: 7, status: 'indexed', video: surfaceGo, body: 'panel' },
  { code: 'jsn3', count: 6, status: 'indexed', video: greatWar, body: 'json3' },
  { code: 'xml_', count: 5, status: 'indexed', video: mrBeast, body: 'xml' },
  { code: 't503', count: 2, status: 'indexed', video: greatWar, body: 'json3', flaky: { fail: http(503), times: 2 } },
  { code: 't429', count: 2, status: 'indexed', video: surfaceGo, body: 'panel', flaky: { fail: http(429, { 'retry-after': '1' }), times: 1 } },
  { code: 'tnet', count: 1, status: 'indexed', video: mrBeast, body: 'xml', flaky: { fail: dropped, times: 1 } },
  {
    code: 'nocp',
    count: 2,
    status: 'no_captions',
    video: (id) => servedAs(id, () => recordedJson(`${IV}regular_no-description.player.json`), () => recordedJson(`${IV}regular_no-description.next.json`)),
    reason: /^the video has no captions$/,
  },
  { code: 'tdis', count: 2, status: 'no_captions', video: (id) => servedAs(id, () => recordedJson(`${J}youtube_transcripts_disabled.innertube.json.static`)), reason: /^the video has no captions$/ },
  { code: 'tdi2', count: 1, status: 'no_captions', video: (id) => servedAs(id, () => recordedJson(`${J}youtube_transcripts_disabled2.innertube.json.static`)), reason: /^the video has no captions$/ },
  {
    code: 'live',
    count: 3,
    status: 'live_upcoming',
    video: (id) => servedAs(id, () => recordedJson(`${IV}scheduled_live_PBD-Podcast.player.json`), () => recordedJson(`${IV}scheduled_live_PBD-Podcast.next.json`)),
    reason: /^This live event will begin in 18 hours\.$/,
  },
  { code: 'age_', count: 3, status: 'age_restricted', video: (id) => servedAs(id, () => recordedJson(`${J}youtube_age_restricted.innertube.json.static`)), reason: /inappropriate for some users/ },
  { code: 'unav', count: 3, status: 'unavailable', video: (id) => servedAs(id, () => recordedJson(`${J}youtube_video_unavailable.innertube.json.static`)), reason: /^This video is unavailable$/ },
  { code: 'unpl', count: 2, status: 'unavailable', video: (id) => servedAs(id, () => recordedJson(`${J}youtube_unplayable.innertube.json.static`)), reason: /^Custom Reason — Sub Reason 1Sub Reason 2$/ },
  { code: 'priv', count: 3, status: 'private', video: (id) => servedAs(id, () => mixedVideos().private0000!.player), reason: /^This video is private$/ },
  { code: 'e404', count: 2, status: 'error', reason: /^HTTP 404 from \/youtubei\/v1\/player: seam: unknown video$/ },
  {
    code: 'epot',
    count: 2,
    status: 'error',
    video: (id) => servedAs(id, () => recordedJson(`${J}youtube_po_token_required.innertube.json.static`)),
    reason: /^captions exist \(en manual\) but could not be fetched: .*timedtext: json3: empty body \(the URL requires a PO token: exp=xpe\); xml: empty body \(the URL requires a PO token: exp=xpe\)$/,
  },
  { code: 'e503', count: 2, status: 'error', video: greatWar, flaky: { fail: http(503), times: 'always' }, reason: /^HTTP 503 from \/youtubei\/v1\/player after 5 attempts$/ },
  { code: 'file', count: 2, status: 'skipped', reason: /^already indexed from \/podcasts\/batch-file_\d\d\.vtt; not replaced by YouTube captions$/ },
];

/** The ids in playlist order: the kinds interleaved, so every page and every stretch of the run mixes outcomes. */
function plannedIds(): { id: string; kind: Kind }[] {
  const out: { id: string; kind: Kind }[] = [];
  for (let round = 0; out.length < PLAN.reduce((n, k) => n + k.count, 0); round++) {
    for (const kind of PLAN) if (round < kind.count) out.push({ id: `b50_${kind.code}_${String(round + 1).padStart(2, '0')}`, kind });
  }
  return out;
}

const PLANNED = plannedIds();
const KIND = new Map(PLANNED.map((p) => [p.id, p.kind]));
const IDS = PLANNED.map((p) => p.id);
const idsOf = (pred: (k: Kind) => boolean) => PLANNED.filter((p) => pred(p.kind)).map((p) => p.id);
const PLANNED_COUNTS: Record<ItemStatus, number> = { queued: 0, indexed: 0, skipped: 0, no_captions: 0, no_transcript: 0, unavailable: 0, private: 0, age_restricted: 0, live_upcoming: 0, error: 0 };
for (const p of PLANNED) PLANNED_COUNTS[p.kind.status]++;
/** HTTP /player requests each video takes to reach its end in one run (a skipped one takes none). */
const playerRequestsFor = (k: Kind) => (k.status === 'skipped' ? 0 : k.flaky ? (k.flaky.times === 'always' ? 5 : k.flaky.times + 1) : 1);

/** The words each caption body is found by. */
const QUERY: Record<Body, string> = {
  panel: 'Microsoft smallest Surface',
  json3: 'White armies retreat autumn 1919',
  xml: 'not the original transcript, made up for testing',
};

async function setup() {
  const index = tempIndex();
  stores.push(index.store);
  const rec = recordingEmbedder(await useLite());
  const videos: Record<string, Video> = {};
  for (const { id, kind } of PLANNED) if (kind.video) videos[id] = kind.video(id);

  const state = { blocking: false, blockAt: '' };
  const requests = new Map<string, number>();
  const player: Handler = (req) => {
    const id = String(req.body?.videoId);
    const n = (requests.get(id) ?? 0) + 1;
    requests.set(id, n);
    // Once the bot check starts, YouTube serves it for every video until it lets us through again.
    if (id === state.blockAt) state.blocking = true;
    if (state.blocking) return json(botCheckPlayer());
    const flaky = KIND.get(id)?.flaky;
    if (flaky && (flaky.times === 'always' || n <= flaky.times)) return flaky.fail();
    const video = videos[id];
    return video ? json(video.player) : json({ error: { code: 404, message: 'seam: unknown video' } }, 404);
  };
  // A PO-token caption URL (exp=xpe) gets an empty body, as YouTube answers it; the rest as world.ts serves them.
  const world = recordedWorld();
  const timedtext: Handler = (req) => (req.url.searchParams.get('exp')?.includes('xpe') ? plain('') : world.fetch(req.url.href));

  const waits: number[] = [];
  const pages: { id: string }[][] = [];
  for (let i = 0; i < IDS.length; i += 8) pages.push(IDS.slice(i, i + 8).map((id) => ({ id })));
  const yt = await offlineYouTube(playlistBrowse(() => pages), videos, { sleep: async (ms) => void waits.push(ms) }, {
    '/youtubei/v1/player': player,
    '/api/timedtext': timedtext,
  });
  const deps = { store: index.store, embedder: rec.embedder as Embedder, source: yt.source, jobs: index.jobs };

  // Two of the listed videos were indexed from transcript files before the batch.
  for (const id of idsOf((k) => k.status === 'skipped')) {
    const cues = [{ startMs: 0, endMs: 6000, text: `hand-corrected notes ${id}: the lighthouse keeper rows out at dawn` }];
    await ingestTranscript(deps, { meta: { id, title: `Hand-corrected file ${id}` }, cues, source: `/podcasts/batch-${id.slice(-7)}.vtt`, format: 'vtt' });
  }
  const run = async (options: Parameters<typeof runYouTubeJob>[2] = {}) => {
    const { job, resumed } = openYouTubeJob(index.jobs, parseYouTubeRef(PLAYLIST_URL), 'add', Date.now());
    return { resumed, summary: await runYouTubeJob(deps, job.id, { concurrency: 3, ...options }) };
  };
  return { ...index, ...yt, deps, run, state, waits, texts: rec.texts };
}

type Setup = Awaited<ReturnType<typeof setup>>;
const statuses = (s: Setup, jobId: number) => Object.fromEntries(s.jobs.items(jobId).map((i) => [i.videoId, i.status]));
const countBy = (ids: string[]) => ids.reduce<Record<string, number>>((m, id) => ({ ...m, [id]: (m[id] ?? 0) + 1 }), {});

/** Every item has its planned final status, and the index says the same, with a reason for every failure. */
function expectAllAccountedFor(s: Setup, jobId: number) {
  const items = s.jobs.items(jobId);
  expect(items.map((i) => i.videoId)).toEqual(IDS);
  expect(items.map((i) => i.position)).toEqual(IDS.map((_, i) => i));
  expect(statuses(s, jobId)).toEqual(Object.fromEntries(PLANNED.map((p) => [p.id, p.kind.status])));
  expect(s.jobs.counts(jobId)).toEqual(PLANNED_COUNTS);

  for (const item of items) {
    const kind = KIND.get(item.videoId)!;
    const row = s.store.db.getVideo(item.videoId);
    if (kind.status === 'indexed') {
      expect(item.error, item.videoId).toBeUndefined();
      expect(row, item.videoId).toMatchObject({ status: 'indexed', format: 'youtube', source: PLAYLIST_URL, youtubeId: item.videoId, track: { lang: 'en' } });
      expect(row!.segmentCount, item.videoId).toBeGreaterThan(0);
      expect(s.store.db.segmentsOf(item.videoId)).toHaveLength(row!.segmentCount);
      expect(s.store.db.cues(item.videoId)).toHaveLength(row!.cueCount);
      continue;
    }
    // A human-readable reason on the item, and the same one on the video in the index.
    expect(item.error, item.videoId).toMatch(kind.reason!);
    expect(item.error, item.videoId).not.toMatch(/\[object |undefined|null|NaN/);
    if (kind.status === 'skipped') {
      expect(row, item.videoId).toMatchObject({ status: 'indexed', format: 'vtt', title: `Hand-corrected file ${item.videoId}` });
    } else {
      expect(row, item.videoId).toMatchObject({ id: item.videoId, status: kind.status, error: item.error, segmentCount: 0 });
      expect(s.store.db.segmentsOf(item.videoId), item.videoId).toEqual([]);
    }
  }
  expectConsistent(s.store);
}

/** Each caption body's words find exactly the videos that got that body, ahead of every other video. */
async function expectSearchable(s: Setup) {
  for (const body of Object.keys(QUERY) as Body[]) {
    const hits = await search({ store: s.store, embedder: s.deps.embedder }, { q: QUERY[body], k: 60 });
    const videosInOrder = [...new Set(hits.map((h) => h.videoId))];
    const expected = idsOf((k) => k.body === body);
    expect(new Set(videosInOrder.slice(0, expected.length)), body).toEqual(new Set(expected));
  }
  const [file] = await search({ store: s.store, embedder: s.deps.embedder }, { q: 'lighthouse keeper rows out at dawn', k: 1 });
  expect(idsOf((k) => k.status === 'skipped')).toContain(file?.videoId);
}

describe('a batch of 50 YouTube videos with mixed failures', () => {
  it('finishes with every video accounted for; running it again or refreshing fetches and duplicates nothing', async () => {
    const s = await setup();
    const embeddedBefore = s.texts.length; // the two transcript files
    const { summary } = await s.run();

    expect(summary).toMatchObject({ status: 'done', stopped: undefined, message: undefined, total: 50, done: 50, kind: 'playlist', source: PLAYLIST_URL });
    expect(summary.counts).toEqual(PLANNED_COUNTS);
    expect(PLANNED_COUNTS).toEqual({ queued: 0, indexed: 23, skipped: 2, no_captions: 5, unavailable: 5, private: 3, age_restricted: 3, live_upcoming: 3, error: 6, no_transcript: 0 });
    expect(summary.run).toMatchObject({ added: 23, updated: 0, unchanged: 0 });
    expectAllAccountedFor(s, summary.jobId);
    // One job-level attempt per video; the HTTP retries stay inside it.
    for (const item of s.jobs.items(summary.jobId)) expect(item.attempts, item.videoId).toBe(1);
    expect(countBy(s.playerRequests())).toEqual(Object.fromEntries(PLANNED.filter((p) => p.kind.status !== 'skipped').map((p) => [p.id, playerRequestsFor(p.kind)])));
    // Injected sleeps (full jitter at random 0.5): 503 twice (500, 1000) ×2, 429 with Retry-After: 1 (1000) ×2,
    // a dropped connection (500), 503 until given up (500, 1000, 2000, 4000) ×2.
    expect([...s.waits].sort((a, b) => a - b)).toEqual([500, 500, 500, 500, 500, 1000, 1000, 1000, 1000, 1000, 1000, 2000, 2000, 4000, 4000]);
    expect(s.seam.unrouted).toEqual([]);
    // Three caption bodies, each text embedded once however many videos share it.
    expect(new Set(s.texts).size).toBe(s.texts.length);
    expect(summary.run.embedded).toBe(s.texts.length - embeddedBefore);
    expect(summary.run.segments).toBe(idsOf((k) => k.status === 'indexed').reduce((n, id) => n + s.store.db.getVideo(id)!.segmentCount, 0));
    await expectSearchable(s);

    // Running the finished job again is a no-op: no request, no embedding, nothing written.
    const stats = s.store.db.stats();
    expect(stats).toMatchObject({ videos: 50, indexed: 25 });
    const logLength = s.seam.log.length;
    const texts = s.texts.length;
    const again = await runYouTubeJob(s.deps, summary.jobId, { concurrency: 3 });
    expect(again).toMatchObject({ jobId: summary.jobId, status: 'done', total: 50, done: 50, counts: PLANNED_COUNTS });
    expect(again.run).toEqual({ added: 0, updated: 0, unchanged: 0, segments: 0, embedded: 0 });
    expect(s.seam.log.length).toBe(logLength);

    // A refresh lists the playlist again and fetches only what may have changed (upcoming lives and errors).
    const refresh = openYouTubeJob(s.jobs, parseYouTubeRef(PLAYLIST_URL), 'refresh', Date.now());
    expect(refresh.resumed).toBe(false);
    const before = s.playerRequests().length;
    const refreshed = await runYouTubeJob(s.deps, refresh.job.id, { concurrency: 3 });
    const retryable = idsOf((k) => k.status === 'live_upcoming' || k.status === 'error');
    expect(refreshed).toMatchObject({ status: 'done', mode: 'refresh', total: retryable.length, done: retryable.length });
    expect(statuses(s, refreshed.jobId)).toEqual(Object.fromEntries(retryable.map((id) => [id, KIND.get(id)!.status])));
    expect(countBy(s.playerRequests().slice(before))).toEqual(Object.fromEntries(retryable.map((id) => [id, playerRequestsFor(KIND.get(id)!)])));
    expect(refreshed.run).toEqual({ added: 0, updated: 0, unchanged: 0, segments: 0, embedded: 0 });
    expect(s.texts.length).toBe(texts);
    expect(s.store.db.stats()).toEqual(stats);
    // The add job's record is untouched, and the index is still whole and searchable.
    expectAllAccountedFor(s, summary.jobId);
    await expectSearchable(s);
  });

  it('a bot check mid-batch pauses it with every video finished or still queued; resuming finishes all 50', async () => {
    const s = await setup();
    const blockAt = IDS[25]!;
    s.state.blockAt = blockAt;
    const first = await s.run();

    expect(first.summary).toMatchObject({ status: 'paused', stopped: 'blocked', total: 50 });
    const items = s.jobs.items(first.summary.jobId);
    expect(items.map((i) => i.videoId)).toEqual(IDS);
    const queued = items.filter((i) => i.status === 'queued');
    expect(first.summary.done).toBe(50 - queued.length);
    expect(first.summary.counts.queued).toBe(queued.length);
    expect(first.summary.message).toMatch(
      new RegExp(`^paused: Sign in to confirm you’re not a bot\\b.*cookies from a signed-in browser.*${queued.length} video\\(s\\) remain queued`),
    );
    // Paused instead of hammering: only the videos already in flight (concurrency 3) met the bot check;
    // most of the first half is done and the rest was never requested.
    const blocked = queued.filter((i) => i.attempts > 0);
    expect(blocked.length).toBeGreaterThanOrEqual(1);
    expect(blocked.length).toBeLessThanOrEqual(3);
    expect(first.summary.done).toBeGreaterThanOrEqual(20);
    expect(queued.length - blocked.length).toBeGreaterThanOrEqual(20);

    const requested = new Set(s.playerRequests());
    expect(requested.has(blockAt)).toBe(true);
    for (const item of items) {
      const kind = KIND.get(item.videoId)!;
      if (item.status !== 'queued') {
        // Finished: with its planned outcome, fetched in this run (unless it was the skipped file).
        expect(item.status, item.videoId).toBe(kind.status);
        expect(item.attempts, item.videoId).toBe(1);
        expect(requested.has(item.videoId), item.videoId).toBe(kind.status !== 'skipped');
      } else if (requested.has(item.videoId)) {
        // Hit the bot check: still queued, with the reason, and nothing about it in the index.
        expect(item, item.videoId).toMatchObject({ attempts: 1, error: expect.stringMatching(/^blocked: Sign in to confirm you’re not a bot/) });
        expect(s.store.db.getVideo(item.videoId), item.videoId).toBeUndefined();
      } else {
        // Never reached.
        expect(item, item.videoId).toMatchObject({ attempts: 0, error: undefined });
        if (kind.status !== 'skipped') expect(s.store.db.getVideo(item.videoId), item.videoId).toBeUndefined();
      }
    }
    expect(statuses(s, first.summary.jobId)[blockAt]).toBe('queued');
    expectConsistent(s.store);

    // YouTube lets us through again: the same add resumes the job and fetches only what was left.
    s.state.blocking = false;
    s.state.blockAt = '';
    const before = s.playerRequests().length;
    const second = await s.run();
    expect(second.resumed).toBe(true);
    expect(second.summary).toMatchObject({ jobId: first.summary.jobId, status: 'done', stopped: undefined, message: undefined, total: 50, done: 50 });
    expect(second.summary.counts).toEqual(PLANNED_COUNTS);
    const refetched = new Set(s.playerRequests().slice(before));
    expect(refetched).toEqual(new Set(queued.map((i) => i.videoId).filter((id) => KIND.get(id)!.status !== 'skipped')));
    expectAllAccountedFor(s, first.summary.jobId);
    for (const item of s.jobs.items(first.summary.jobId)) {
      const wasBlocked = queued.some((q) => q.videoId === item.videoId && q.attempts === 1);
      expect(item.attempts, item.videoId).toBe(wasBlocked ? 2 : 1);
    }
    expect(new Set(s.texts).size).toBe(s.texts.length);
    await expectSearchable(s);
  });
});
