/**
 * The job endpoints over a real HTTP server: POST /api/videos starts an in-process job, the SSE
 * stream is read for real, and mutations are refused from other machines or with a wrong token.
 * YouTube is the offline seam (recorded /player responses, CONSTRUCTED playlist pages).
 */
import express, { type ErrorRequestHandler } from 'express';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobManager, type JobManager } from '../../core/job-manager.ts';
import { createYouTubeSource } from '../../indexer/sources/youtube.ts';
import { YouTubeError } from '../../indexer/sources/youtube-errors.ts';
import { acquireWriteLock } from '../../indexer/store/lock.ts';
import type { Store } from '../../indexer/store/store.ts';
import { JobEvent, JobView } from '../../core/contract/api.ts';
import { AppError } from '../../server/errors.ts';
import { jobRoutes, mutationRefusal } from '../../server/routes/jobs.ts';
import { json, recordingSleep, type Handler } from './seam.ts';
import { PL, botCheckPlayer, mixedVideos, playlistBrowse, tempIndex, useLite } from './queue-helpers.ts';
import { recordedWorld } from './world.ts';

const TOKEN = 'correct-horse-battery-staple';
const PLAYLIST = `https://www.youtube.com/playlist?list=${PL}`;
const OTHER = 'PLconstructedOTHER0123456';

/** Mirrors server/app.ts's handler: AppError → {error} with its status. */
const errors: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof AppError) res.status(err.status).json({ error: err.message });
  else res.status(500).json({ error: 'internal error' });
};

/** Holds every /player response until opened, so the test can watch a job mid-flight. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

let store: Store;
let dir: string;
let manager: JobManager;
let server: Server;
let base: string;
let port: number;
let playerGate = gate();
let blocked = new Set<string>();
const pages = [[{ id: 'GJLlxj_dtq8' }, { id: 'F1xioXWb8CY' }], [{ id: 'iuevw6218F0' }, { id: 'private0000' }]];

beforeAll(async () => {
  ({ store, dir } = tempIndex());
  const videos = mixedVideos();
  const player: Handler = async (req) => {
    await playerGate.opened;
    const id = String(req.body?.videoId);
    return json(blocked.has(id) ? botCheckPlayer() : videos[id]!.player);
  };
  // Two playlists: PL (pages above) and OTHER (one video), for the waiting-job test.
  const main = playlistBrowse(() => pages);
  const other = playlistBrowse(() => [[{ id: '2isYuQZMbdU' }]], OTHER);
  const browse: Handler = (req) => (req.body?.browseId === `VL${OTHER}` ? other(req) : main(req));
  const routed = recordedWorld({ '/youtubei/v1/player': player, '/youtubei/v1/browse': browse }, videos);
  manager = createJobManager({
    store,
    embedder: await useLite(),
    createSource: ({ lang }) => createYouTubeSource({ fetch: routed.fetch, lang, sleep: recordingSleep().sleep, random: () => 0.5 }),
    acquireLock: () => acquireWriteLock(dir),
    concurrency: 2,
  });
  const app = express();
  app.use(express.json());
  app.use(jobRoutes({ jobs: manager, adminToken: TOKEN }));
  app.use(errors);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '0.0.0.0', () => resolve(s));
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  playerGate.open();
  await manager?.close();
  await new Promise((r) => server?.close(r));
  store?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}, at = base) =>
  fetch(`${at}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Reads an SSE response to its end, parsing every frame against the contract. */
async function readEvents(res: Response, onEvent: (e: JobEvent) => void = () => {}): Promise<JobEvent[]> {
  const events: JobEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (frame.startsWith(':')) continue; // heartbeat
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = frame
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      const parsed = JobEvent.parse({ event, data: JSON.parse(data) });
      events.push(parsed);
      onEvent(parsed);
    }
  }
  return events;
}

describe('POST /api/videos → job → SSE progress', () => {
  it('starts a job (202), streams its progress for real, and ends with a done event', async () => {
    playerGate = gate();
    const res = await post('/api/videos', { source: PLAYLIST, lang: ['en'] });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: number };
    expect(res.headers.get('location')).toBe(`/api/jobs/${jobId}`);

    const stream = await fetch(`${base}/api/jobs/${jobId}/events`);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readEvents(stream, (e) => {
      // Let the videos through once the stream has shown a video in flight.
      if (e.event === 'progress' && e.data.current.length > 0) playerGate.open();
    });
    const kinds = events.map((e) => e.event);
    expect(kinds.at(-1)).toBe('done');
    expect(kinds.slice(0, -1).every((k) => k === 'progress')).toBe(true);
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data as JobView);
    expect(progress.some((p) => p.phase === 'fetching' && p.current.some((c) => c.videoId === 'GJLlxj_dtq8'))).toBe(true);
    const done = events.at(-1)!.data as JobView;
    expect(done).toMatchObject({ id: jobId, status: 'done', phase: 'finished', done: 4, total: 4, source: PLAYLIST, message: null });
    expect(done.counts).toMatchObject({ indexed: 2, no_captions: 1, private: 1, queued: 0 });

    const view = JobView.parse(await (await fetch(`${base}/api/jobs/${jobId}`)).json());
    expect(view).toMatchObject({ status: 'done', done: 4, total: 4 });
    expect(store.db.getVideo('GJLlxj_dtq8')?.status).toBe('indexed');
    // The write lock is held only while a job runs.
    expect(existsSync(join(dir, 'write.lock'))).toBe(false);

    // A finished job's stream is one done event.
    expect((await readEvents(await fetch(`${base}/api/jobs/${jobId}/events`))).map((e) => e.event)).toEqual(['done']);
  });

  it('a second job waits for the first; GET /api/jobs lists both', async () => {
    playerGate = gate();
    const first = (await (await post('/api/videos', { source: PLAYLIST })).json()) as { jobId: number };
    const second = (await (await post('/api/videos', { source: `https://www.youtube.com/playlist?list=${OTHER}` })).json()) as { jobId: number };
    // The same source again is the same job.
    expect(((await (await post('/api/videos', { source: `https://www.youtube.com/watch?list=${PL}` })).json()) as { jobId: number }).jobId).toBe(first.jobId);
    const waiting = JobView.parse(await (await fetch(`${base}/api/jobs/${second.jobId}`)).json());
    expect(waiting).toMatchObject({ status: 'queued', phase: 'waiting', message: `waiting for job ${first.jobId}` });
    const list = (await (await fetch(`${base}/api/jobs`)).json()) as { jobs: JobView[] };
    expect(list.jobs.slice(0, 2).map((j) => j.id)).toEqual([second.jobId, first.jobId]);
    playerGate.open();
    const events = await readEvents(await fetch(`${base}/api/jobs/${second.jobId}/events`));
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'done', counts: expect.objectContaining({ indexed: 1 }) } });
  });

  it('a blocked job pauses; POST /api/jobs/:id/resume finishes it', async () => {
    playerGate = gate();
    playerGate.open();
    blocked = new Set(['F1xioXWb8CY']);
    const { jobId } = (await (await post('/api/videos', { source: 'F1xioXWb8CY' })).json()) as { jobId: number };
    const paused = (await readEvents(await fetch(`${base}/api/jobs/${jobId}/events`))).at(-1)!.data as JobView;
    expect(paused).toMatchObject({ status: 'paused', counts: expect.objectContaining({ queued: 1 }) });
    expect(paused.message).toMatch(/not a bot/);
    blocked = new Set();
    const res = await post(`/api/jobs/${jobId}/resume`, {});
    expect(res.status).toBe(202);
    const done = (await readEvents(await fetch(`${base}/api/jobs/${jobId}/events`))).at(-1)!.data as JobView;
    expect(done).toMatchObject({ status: 'done', counts: expect.objectContaining({ indexed: 1 }) });
    expect((await post(`/api/jobs/${jobId}/resume`, {})).status).toBe(409);
  });
});

describe('validation and conflicts', () => {
  it('refuses bad input with {error}', async () => {
    // Any other http(s) URL is a podcast feed (test/e2e/feed-audio.test.ts); other schemes are refused.
    const bad = await post('/api/videos', { source: 'ftp://vimeo.com/123' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^source: Not a YouTube video, playlist or channel \(unsupported scheme "ftp:"\).*; a podcast feed is added by its http\(s\) URL$/);
    expect((await post('/api/videos', {})).status).toBe(400);
    expect((await post('/api/videos', { source: PLAYLIST, lang: ['en; rm -rf'] })).status).toBe(400);
    // A cross-site form post arrives as text/plain: no JSON body, no job.
    const form = await fetch(`${base}/api/videos`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `source=${PLAYLIST}` });
    expect(form.status).toBe(400);
    expect((await fetch(`${base}/api/jobs/999999`)).status).toBe(404);
    expect((await fetch(`${base}/api/jobs/abc`)).status).toBe(400);
    expect((await fetch(`${base}/api/jobs/999999/events`)).status).toBe(404);
  });

  it('answers 409 while another process holds the index write lock', async () => {
    writeFileSync(join(dir, 'write.lock'), String(process.ppid)); // a live process that is not us
    try {
      const res = await post('/api/videos', { source: 'GJLlxj_dtq8' });
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: string }).error).toMatch(/another Episodic process \(pid \d+\) is writing/);
    } finally {
      rmSync(join(dir, 'write.lock'));
    }
  });
});

describe('who may start jobs', () => {
  it('mutationRefusal: loopback, proxies, browsers on other origins, tokens', () => {
    const loop = { remoteAddress: '127.0.0.1' };
    expect(mutationRefusal(loop, undefined)).toBeUndefined();
    expect(mutationRefusal({ remoteAddress: '::1' }, undefined)).toBeUndefined();
    expect(mutationRefusal({ remoteAddress: '::ffff:127.0.0.1', origin: 'http://localhost:5173' }, undefined)).toBeUndefined();
    expect(mutationRefusal({ ...loop, origin: 'http://[::1]:3000' }, undefined)).toBeUndefined();
    expect(mutationRefusal({ ...loop, origin: 'https://evil.example' }, undefined)).toMatch(/only allowed from this machine/);
    expect(mutationRefusal({ ...loop, origin: 'null' }, undefined)).toMatch(/only allowed from this machine/);
    expect(mutationRefusal({ ...loop, forwarded: true }, undefined)).toMatch(/only allowed from this machine \(set EPISODIC_ADMIN_TOKEN/);
    expect(mutationRefusal({ remoteAddress: '192.168.1.20' }, undefined)).toMatch(/only allowed from this machine/);
    expect(mutationRefusal({ remoteAddress: '192.168.1.20' }, TOKEN)).toMatch(/needs Authorization: Bearer/);
    expect(mutationRefusal({ remoteAddress: '192.168.1.20', authorization: `Bearer ${TOKEN}` }, TOKEN)).toBeUndefined();
    expect(mutationRefusal({ remoteAddress: '192.168.1.20', authorization: `bearer   ${TOKEN}`, origin: 'https://evil.example' }, TOKEN)).toBeUndefined();
    expect(mutationRefusal({ remoteAddress: '192.168.1.20', authorization: `Bearer ${TOKEN}x` }, TOKEN)).toBe('invalid admin token');
    expect(mutationRefusal({ ...loop, authorization: 'Bearer wrong' }, TOKEN)).toBe('invalid admin token');
    expect(mutationRefusal({ ...loop, authorization: `Basic ${TOKEN}` }, TOKEN)).toBe('invalid admin token');
    expect(mutationRefusal({ ...loop, authorization: 'Bearer anything' }, undefined)).toMatch(/no admin token/);
    expect(mutationRefusal({ remoteAddress: undefined }, undefined)).toMatch(/only allowed/);
  });

  it('a real request with a wrong token, from another origin, or through a proxy is refused with 403 {error}', async () => {
    const wrong = await post('/api/videos', { source: PLAYLIST }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: 'invalid admin token' });
    expect((await post('/api/videos', { source: PLAYLIST }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('/api/videos', { source: PLAYLIST }, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(403);
    expect((await post('/api/jobs/1/resume', {}, { authorization: 'Bearer nope' })).status).toBe(403);
    // Reading progress is open, like the rest of the API.
    expect((await fetch(`${base}/api/jobs`, { headers: { authorization: 'Bearer nope' } })).status).toBe(200);
  });

  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  it.skipIf(!lan)('from a non-loopback address: refused without the token, accepted with it', async () => {
    const at = `http://${lan}:${port}`;
    const refused = await post('/api/videos', { source: 'GJLlxj_dtq8' }, {}, at);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/needs Authorization: Bearer <EPISODIC_ADMIN_TOKEN>/);
    playerGate.open();
    const accepted = await post('/api/videos', { source: 'GJLlxj_dtq8' }, { authorization: `Bearer ${TOKEN}` }, at);
    expect(accepted.status).toBe(202);
    const { jobId } = (await accepted.json()) as { jobId: number };
    expect((await readEvents(await fetch(`${base}/api/jobs/${jobId}/events`))).at(-1)).toMatchObject({ event: 'done', data: { status: 'done' } });
  });
});

describe('shutdown', () => {
  it('close() stops taking videos, writes the ones in flight, pauses the job and releases the lock', async () => {
    playerGate = gate();
    const local = createJobManager({
      store,
      embedder: await useLite(),
      createSource: async () => ({
        async *listVideos() {
          yield* [{ id: 'N-yVic7BbY0' }, { id: 'Njp5uhTorCo' }, { id: 'dsMFmonKDD4' }];
        },
        getVideo: async (id) => {
          await playerGate.opened;
          throw new YouTubeError('no_captions', `no captions for ${id}`);
        },
      }),
      acquireLock: () => acquireWriteLock(dir),
      concurrency: 1,
    });
    const job = local.start({ kind: 'playlist', id: 'PLconstructedSHUTDOWN0000' });
    let inFlight!: () => void;
    const seen = new Promise<void>((r) => (inFlight = r));
    const watching = local.watch(job.id, (p) => p.current.length > 0 && inFlight());
    await seen;
    const closing = local.close();
    playerGate.open();
    await closing;
    const last = await watching;
    expect(last).toMatchObject({ status: 'paused', phase: 'finished', done: 1, total: 3 });
    expect(last?.message).toMatch(/interrupted; 2 video\(s\) remain queued/);
    expect(existsSync(join(dir, 'write.lock'))).toBe(false);
    expect(() => local.start({ kind: 'video', id: 'GJLlxj_dtq8' })).toThrow(/shutting down/);
  });
});
