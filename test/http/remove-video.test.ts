/**
 * DELETE /api/videos/:id against the real app over a small temp index: refused from another
 * machine without the token, 404 for an unknown id, 409 while another writer holds the lock,
 * and otherwise the episode, its segments and its vectors are gone (search no longer finds it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { ingestTranscript } from '../../indexer/pipeline.ts';
import { parseVtt } from '../../indexer/parse/vtt.ts';
import { acquireWriteLock, IndexLockedError } from '../../indexer/store/lock.ts';
import { Store } from '../../indexer/store/store.ts';
import { createApp } from '../../server/app.ts';
import { makeVtt } from '../helpers/transcripts.ts';

const TOKEN = 'remove-test-token-0123456789';
let dir: string;
let store: Store;
let embedder: Embedder;
let server: Server;
let base = '';
let locked = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'episodic-remove-'));
  store = Store.open(dir);
  embedder = await createUseLiteEmbedder();
  for (const [id, topics] of [['bees-1', ['bees', 'bread']], ['rockets-2', ['rockets']]] as const) {
    const cues = parseVtt(makeVtt([...topics], 2), `${id}.vtt`).cues;
    await ingestTranscript({ store, embedder }, { meta: { id, title: `Episode ${id}`, channel: 'Test' }, cues, source: `${id}.vtt`, format: 'vtt' });
  }
  const app = createApp({
    store,
    embedder,
    embedderNote: 'test',
    version: 'test',
    adminToken: TOKEN,
    acquireLock: () => {
      if (locked) throw new IndexLockedError(12345);
      return acquireWriteLock(dir);
    },
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await embedder?.close();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const del = (id: string, headers: Record<string, string> = {}) => fetch(`${base}/api/videos/${encodeURIComponent(id)}`, { method: 'DELETE', headers });
const search = async (q: string) => ((await (await fetch(`${base}/api/search?q=${q}`)).json()) as { results: { videoId: string }[] }).results;

describe('DELETE /api/videos/:id', () => {
  it('refuses a browser page from another origin and a wrong token, like the other mutations', async () => {
    const foreign = await del('bees-1', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: string }).error).toMatch(/removing videos needs Authorization/);
    expect((await del('bees-1', { authorization: 'Bearer wrong' })).status).toBe(403);
    expect(store.db.getVideo('bees-1')).toBeTruthy();
  });

  it('answers 404 for an unknown episode and 409 while another process writes', async () => {
    const missing = await del('no-such-episode');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: expect.stringMatching(/no-such-episode/) });
    locked = true;
    try {
      const busy = await del('bees-1');
      expect(busy.status).toBe(409);
      expect(((await busy.json()) as { error: string }).error).toMatch(/writing to this index/);
    } finally {
      locked = false;
    }
    expect(store.db.getVideo('bees-1')).toBeTruthy();
  });

  it('removes the episode with its passages and vectors; the other stays searchable', async () => {
    expect((await search('bees')).some((r) => r.videoId === 'bees-1')).toBe(true);
    const vectorsBefore = store.vectors()!.size;
    const res = await del('bees-1', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(204);
    expect(store.db.getVideo('bees-1')).toBeUndefined();
    expect((await fetch(`${base}/api/videos/bees-1`)).status).toBe(404);
    expect((await search('bees')).some((r) => r.videoId === 'bees-1')).toBe(false);
    expect(store.vectors()!.size).toBeLessThan(vectorsBefore);
    const list = (await (await fetch(`${base}/api/videos`)).json()) as { videos: { id: string }[] };
    expect(list.videos.map((v) => v.id)).toEqual(['rockets-2']);
  });
});
