import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { Store } from '../../indexer/store/store.ts';
import { createApp } from '../../server/app.ts';
import type { Hit } from '../../core/contract/api.ts';
import { search } from '../../core/retrieval/search.ts';
import { expectConsistent } from '../helpers/consistency.ts';

// The shared index holds four short Lex Fridman episodes (test/global-setup.ts). Answer times were read from the VTT cues by hand.
const IDS = { schmidt: 'hIC9FQpxVwQ', musk: 'dEv99vxKjVI', angle: '1d9Dj9dT_pw', chomsky: 'cMscNuSUy0I' };

let store: Store;
let embedder: Embedder;
let server: Server;
let base: string;

beforeAll(async () => {
  store = Store.open(inject('lexicapIndex'));
  embedder = await createUseLiteEmbedder();
  const app = createApp({ store, embedder, embedderNote: 'test', version: 'test' });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await embedder?.close();
  store?.close();
});

/** The first hit in the top `k` that is in `videoId` and covers `second` (±60 s), if any. */
async function find(q: string, videoId: string, second: number, k = 5): Promise<Hit | undefined> {
  const hits = await search({ store, embedder }, { q, k });
  return hits.find((h) => h.videoId === videoId && h.start <= second + 60 && h.end >= second - 60);
}

describe('index of real episodes', () => {
  it('is consistent and carries the real metadata', () => {
    expect(store.db.stats().indexed).toBe(4);
    expectConsistent(store);
    const v = store.db.getVideo(IDS.angle)!;
    expect(v.title).toMatch(/Colin Angle/);
    expect(v.durationMs! / 1000).toBeGreaterThan(2200);
  });
});

describe('search finds the right moment in real transcripts', () => {
  // [question, video, second where the answer is said]
  const cases: [string, string, number][] = [
    ['what share of American households have one of their robots', IDS.angle, 1598],
    ['how many cameras are on each car', IDS.musk, 463],
    ['if aliens came to Earth could we communicate with them', IDS.chomsky, 244],
    ["is Moore's law ending for processors", IDS.schmidt, 599],
  ];
  it.each(cases)('%s', async (q, videoId, second) => {
    // The right episode in the top 5, with a window that covers the answer within the minute.
    const hit = await find(q, videoId, second);
    expect(hit, `no hit in ${videoId} near ${second}s for "${q}"`).toBeDefined();
    expect(hit!.url).toBe(`https://www.youtube.com/watch?v=${videoId}&t=${Math.floor(hit!.start)}s`);
  });

  it('quoted phrases must match exactly', async () => {
    const hits = await search({ store, embedder }, { q: '"25 million robots"', k: 5 });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.text.toLowerCase()).toMatch(/25 million robots/);
  });

  it('filters by video, channel and date range', async () => {
    const onlyChomsky = await search({ store, embedder }, { q: 'language', k: 10, video: IDS.chomsky });
    expect(onlyChomsky.length).toBeGreaterThan(0);
    expect(new Set(onlyChomsky.map((h) => h.videoId))).toEqual(new Set([IDS.chomsky]));
    expect(await search({ store, embedder }, { q: 'robots', k: 5, channel: 'Another Show' })).toEqual([]);
    const early = await search({ store, embedder }, { q: 'robots', k: 10, to: '2019-03-31' });
    for (const h of early) expect(h.publishedAt! <= '2019-03-31').toBe(true);
    expect(early.some((h) => h.videoId === IDS.schmidt)).toBe(true); // published 2018-12-04
  });
});

describe('HTTP API over the real index', () => {
  it('GET /api/health reports the embedder and index', async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', embedder: { id: 'use-lite', dimension: 512 }, index: { embedder: 'use-lite', indexed: 4 } });
    expect(body.index.hours).toBeGreaterThan(2);
  });

  it('GET /api/search returns hits in the CLI JSON shape', async () => {
    const res = await fetch(`${base}/api/search?q=${encodeURIComponent('how many cameras are on each car')}&k=3`);
    expect(res.status).toBe(200);
    const { results } = await res.json();
    expect(results).toHaveLength(3);
    expect(Object.keys(results[0]).sort()).toEqual(['channel', 'chapter', 'end', 'publishedAt', 'score', 'segmentId', 'speakers', 'start', 'text', 'thumbnail', 'title', 'url', 'videoId', 'youtubeId']);
    expect(results.some((h: Hit) => h.videoId === IDS.musk)).toBe(true);
  });

  it.each([
    ['', /q/],
    ['?q=', /q is required/],
    ['?q=x&k=1000', /k/],
    ['?q=x&k=abc', /k/],
    ['?q=x&from=2020-13-45', /from/],
    ['?q=x&from=yesterday', /from/],
    ['?q=x&from=2021-01-01&to=2020-01-01', /from must not be after to/],
    ['?q=x&video=../etc/passwd', /video/],
  ])('GET /api/search%s is a 400 with a message', async (qs, message) => {
    const res = await fetch(`${base}/api/search${qs}`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toMatch(message);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('GET /api/videos and /api/videos/:id', async () => {
    const list = await (await fetch(`${base}/api/videos`)).json();
    expect(list.videos.map((v: { id: string }) => v.id).sort()).toEqual(Object.values(IDS).sort());
    const res = await fetch(`${base}/api/videos/${IDS.angle}`);
    expect(res.status).toBe(200);
    const v = await res.json();
    expect(v.youtubeId).toBe(IDS.angle);
    expect(v.transcript.length).toBe(store.db.getVideo(IDS.angle)!.cueCount);
    const cue = v.transcript.find((c: { text: string }) => c.text.includes("We've sold 25 million robots"));
    expect(cue.start).toBeCloseTo(1598.12, 2);
  });

  it('unknown ids are 404, path-like ids 400, unknown endpoints 404, huge bodies 413', async () => {
    expect((await fetch(`${base}/api/videos/nope`)).status).toBe(404);
    expect((await fetch(`${base}/api/videos/..%2Fetc%2Fpasswd`)).status).toBe(400);
    const unknown = await fetch(`${base}/api/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'no such API endpoint' });
    const big = await fetch(`${base}/api/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: 'x'.repeat(200_000) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'request body too large' });
  });
});
