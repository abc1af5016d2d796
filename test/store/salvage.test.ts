import Database from 'better-sqlite3';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runRepair } from '../../cli/repair.ts';
import type { CliValues } from '../../cli/main.ts';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { ingestTranscript, type TranscriptInput } from '../../indexer/pipeline.ts';
import { parseVtt } from '../../indexer/parse/vtt.ts';
import { compareKeys, compareSqlValues, firstReadable } from '../../indexer/store/salvage-copy.ts';
import { diagnoseIndex, repairIndex } from '../../indexer/store/salvage.ts';
import { JobStore } from '../../indexer/store/jobs.ts';
import { DB_FILE, Store } from '../../indexer/store/store.ts';
import { SummaryCache } from '../../indexer/store/summaries.ts';
import { search } from '../../core/retrieval/search.ts';
import { loadConfig } from '../../core/config.ts';
import { consistencyProblems } from '../helpers/consistency-check.ts';
import { makeVtt } from '../helpers/transcripts.ts';

/** One word only episode N says, so each episode has text of its own to find and to embed. */
const UNIQUE = ['marmalade', 'zeppelin', 'origami', 'tundra', 'saxophone', 'glacier', 'lantern', 'mosaic', 'volcano', 'harpoon', 'quartz', 'walrus'];
const TOPICS = [['bees', 'rockets'], ['rockets', 'bread'], ['bread', 'bees']];

function episode(i: number): TranscriptInput {
  const id = `ep${i}`;
  const vtt = makeVtt(TOPICS[i % 3], 2 + (i % 3), { extra: `Episode ${i} ends with a story about a ${UNIQUE[i]}.` });
  return { meta: { id, title: `Episode ${i}`, channel: 'Salvage FM' }, cues: parseVtt(vtt, `${id}.vtt`).cues, source: `/podcasts/${id}.vtt`, format: 'vtt' };
}

const EPISODES = UNIQUE.length;
let embedder: Embedder;
let template: string;

/** What the index held before any damage: per video its cues and segments, and every vector. */
interface Snapshot {
  cues: Map<string, unknown[]>;
  segments: Map<string, unknown[]>;
  vectors: Map<string, Buffer>;
}
let original: Snapshot;

function snapshot(dir: string): Snapshot {
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  try {
    const group = (rows: { video_id: string }[]) => {
      const m = new Map<string, unknown[]>();
      for (const r of rows) m.set(r.video_id, [...(m.get(r.video_id) ?? []), r]);
      return m;
    };
    return {
      cues: group(db.prepare('SELECT * FROM cues ORDER BY video_id, idx').all() as { video_id: string }[]),
      segments: group(db.prepare('SELECT * FROM segments ORDER BY id').all() as { video_id: string }[]),
      vectors: new Map((db.prepare('SELECT hash, vec FROM vectors').all() as { hash: string; vec: Buffer }[]).map((r) => [r.hash, r.vec])),
    };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  embedder = await createUseLiteEmbedder();
  template = tempDir('episodic-salvage-template-');
  const store = Store.open(template);
  for (let i = 0; i < EPISODES; i++) await ingestTranscript({ store, embedder }, episode(i));
  // The other tables an index file holds: the YouTube queue and cached summaries.
  const jobs = new JobStore(store.db.sqlite);
  const job = jobs.create({ kind: 'playlist', mode: 'add', source: 'https://www.youtube.com/playlist?list=PLsalvage' }, 1_000);
  jobs.addItems(job.id, [{ videoId: 'dQw4w9WgXcQ', title: 'One' }, { videoId: 'jNQXAC9IVRw', title: 'Two' }], 1_000);
  jobs.follow('https://www.youtube.com/playlist?list=PLsalvage', 'playlist', 1_000);
  const ep0 = store.db.getVideo('ep0')!;
  new SummaryCache(store.db.sqlite).put({ videoId: 'ep0', contentHash: ep0.contentHash!, model: 'extractive:use-lite', promptVersion: 't1' }, { tldr: 'Bees and rockets.' });
  store.close(); // saves the HNSW file; SQLite checkpoints its WAL on the last close
  original = snapshot(template);
});
afterAll(async () => {
  await embedder?.close();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const made: string[] = [];
/** A temp folder removed after the tests. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A fresh copy of the healthy template index. */
function copyIndex(): string {
  const dir = tempDir('episodic-salvage-');
  cpSync(template, dir, { recursive: true });
  return dir;
}

function withRawDb<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dir, DB_FILE));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function openConsistent(dir: string): Store {
  const store = Store.open(dir);
  expect(consistencyProblems(store)).toEqual([]);
  return store;
}

describe('diagnoseIndex', () => {
  it('finds nothing wrong with a healthy index, and nothing to do without one', async () => {
    expect(diagnoseIndex(template)).toMatchObject({ exists: true, damaged: false, problems: [] });
    const empty = tempDir('episodic-salvage-none-');
    expect(diagnoseIndex(empty)).toMatchObject({ exists: false, problems: [] });
    const report = await repairIndex(copyIndex(), embedder);
    expect(report).toMatchObject({ ok: true, before: [], actions: [], videosKept: EPISODES, vectorsReembedded: 0 });
  });
});

describe('repairIndex', () => {
  it('rebuilds a keyword index whose shadow rows were deleted', async () => {
    const dir = copyIndex();
    withRawDb(dir, (db) => {
      db.unsafeMode(true); // lifts SQLite's defensive mode, which protects FTS5 shadow tables
      // Keep the structure record (id 1) and averages (id 10); delete index leaves.
      const deleted = db.prepare('DELETE FROM segments_fts_data WHERE id IN (SELECT id FROM segments_fts_data WHERE id > 10 ORDER BY id LIMIT 3)').run().changes;
      expect(deleted).toBeGreaterThan(0);
    });
    const before = diagnoseIndex(dir);
    expect(before.damaged).toBe(false);
    expect(before.problems.map((p) => p.kind)).toEqual(['fts']);
    expect(before.problems[0].message).toMatch(/FTS integrity check failed/);

    const report = await repairIndex(dir, embedder);
    expect(report).toMatchObject({ ok: true, after: [], ftsRebuilt: true, hnswRebuilt: false, vectorsReembedded: 0, videosLost: [], videosKept: EPISODES });
    expect(report.salvage).toBeUndefined();
    expect(diagnoseIndex(dir).problems).toEqual([]);

    const store = openConsistent(dir);
    const hits = await search({ store, embedder }, { q: 'saxophone', k: 3 }, { mode: 'keyword' });
    expect(hits.map((h) => h.videoId)).toEqual(['ep4']);
    const bread = await search({ store, embedder }, { q: 'sourdough', k: 50 }, { mode: 'keyword' });
    expect(new Set(bread.map((h) => h.videoId))).toEqual(new Set(['ep1', 'ep2', 'ep4', 'ep5', 'ep7', 'ep8', 'ep10', 'ep11']));
    store.close();
  });

  it('re-embeds deleted vectors, equal to the originals, and rebuilds the HNSW file', async () => {
    const dir = copyIndex();
    const deleted = withRawDb(dir, (db) => {
      const hashes = db.prepare("SELECT DISTINCT vec_hash FROM segments WHERE video_id IN ('ep3', 'ep6') OR id % 5 = 0").pluck().all() as string[];
      const del = db.prepare('DELETE FROM vectors WHERE hash = ?');
      for (const h of hashes) del.run(h);
      return hashes;
    });
    expect(deleted.length).toBeGreaterThan(5);
    const before = diagnoseIndex(dir);
    expect(before.damaged).toBe(false);
    expect(before.problems).toEqual([{ kind: 'vectors', message: expect.stringMatching(/segments without a stored vector/) }]);
    // The damage is real: without the saved HNSW file, a Store cannot rebuild its vector index.
    const withoutHnsw = tempDir('episodic-salvage-nohnsw-');
    cpSync(join(dir, DB_FILE), join(withoutHnsw, DB_FILE));
    const broken = Store.open(withoutHnsw);
    expect(() => broken.vectors()).toThrow(/no stored vector/);
    broken.db.close();

    const report = await repairIndex(dir, embedder);
    expect(report).toMatchObject({ ok: true, after: [], vectorsReembedded: deleted.length, hnswRebuilt: true, ftsRebuilt: false, videosLost: [] });
    const after = snapshot(dir);
    expect(after.vectors.size).toBe(original.vectors.size);
    for (const h of deleted) expect(after.vectors.get(h)!.equals(original.vectors.get(h)!), h).toBe(true);
    expect(diagnoseIndex(dir).problems).toEqual([]);

    // Dense search answers exactly as the undamaged index does.
    const store = openConsistent(dir);
    const healthy = Store.open(template);
    for (const q of ['a story about a volcano', 'rocket engine thrust', 'honey bees dance']) {
      const got = await search({ store, embedder }, { q, k: 5 }, { mode: 'dense' });
      const want = await search({ store: healthy, embedder }, { q, k: 5 }, { mode: 'dense' });
      expect(got.map((h) => [h.videoId, h.start, h.score])).toEqual(want.map((h) => [h.videoId, h.start, h.score]));
    }
    healthy.db.close();
    store.close();
  });

  it('re-embeds a vector whose bytes rotted inside an overflow page, which SQLite reads back without error', async () => {
    const dir = copyIndex();
    const file = join(dir, DB_FILE);
    const { pageSize, page } = withRawDb(dir, (db) => ({
      pageSize: db.pragma('page_size', { simple: true }) as number,
      page: db.prepare("SELECT pageno FROM dbstat WHERE name = 'vectors' AND pagetype = 'overflow' ORDER BY pageno LIMIT 1").pluck().get() as number,
    }));
    const bytes = readFileSync(file);
    bytes.fill(0x5a, (page - 1) * pageSize + 64, (page - 1) * pageSize + 192); // past the next-page pointer
    writeFileSync(file, bytes);
    const rotted = [...snapshot(dir).vectors].filter(([h, v]) => !v.equals(original.vectors.get(h)!)).map(([h]) => h);
    expect(rotted).toHaveLength(1);

    const before = diagnoseIndex(dir);
    expect(before.damaged).toBe(false); // integrity_check sees nothing wrong
    expect(before.problems).toEqual([{ kind: 'vectors', message: expect.stringMatching(/1 stored vectors are damaged/) }]);
    const report = await repairIndex(dir, embedder);
    expect(report).toMatchObject({ ok: true, after: [], vectorsReembedded: 1, hnswRebuilt: true });
    expect(report.salvage).toBeUndefined();
    expect(snapshot(dir).vectors.get(rotted[0])!.equals(original.vectors.get(rotted[0])!)).toBe(true);
    openConsistent(dir).close();
  });

  it('salvages a file with overwritten b-tree pages: whole episodes kept, the others reported with their sources', async () => {
    const dir = copyIndex();
    const file = join(dir, DB_FILE);
    const { pageSize, pages } = withRawDb(dir, (db) => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      const leaves = (table: string) =>
        db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[];
      const seg = leaves('segments');
      const cues = leaves('cues');
      expect(seg.length).toBeGreaterThan(4);
      expect(cues.length).toBeGreaterThan(4);
      // A leaf in the middle of each table, so the copy must get past the damage and go on.
      return { pageSize: db.pragma('page_size', { simple: true }) as number, pages: [seg[Math.floor(seg.length / 2)], cues[Math.floor(cues.length / 3)]] };
    });
    const bytes = readFileSync(file);
    for (const page of pages) {
      const garbage = Buffer.alloc(pageSize, 0);
      for (let i = 0; i < pageSize; i++) garbage[i] = (i * 131 + 7) & 0xff; // byte 0 (page type) is 7: no valid b-tree page
      garbage.copy(bytes, (page - 1) * pageSize);
    }
    writeFileSync(file, bytes);

    // Which episodes the damage really hit: every row whose own lookup now fails.
    const expectedLost = new Set<string>();
    const damaged = new Database(file, { readonly: true });
    for (const [video, rows] of original.segments) {
      for (const r of rows as { id: number }[]) {
        try {
          damaged.prepare('SELECT * FROM segments WHERE id = ?').get(r.id);
        } catch {
          expectedLost.add(video);
        }
      }
    }
    for (const [video, rows] of original.cues) {
      for (const r of rows as { idx: number }[]) {
        try {
          damaged.prepare('SELECT * FROM cues WHERE video_id = ? AND idx = ?').get(video, r.idx);
        } catch {
          expectedLost.add(video);
        }
      }
    }
    damaged.close();
    expect(expectedLost.size).toBeGreaterThanOrEqual(1);
    expect(expectedLost.size).toBeLessThan(EPISODES);

    const before = diagnoseIndex(dir);
    expect(before.damaged).toBe(true);
    expect(before.problems[0]).toMatchObject({ kind: 'sqlite', message: expect.stringMatching(/damaged/) });

    const progress: string[] = [];
    const report = await repairIndex(dir, embedder, (p) => progress.push(p.step));
    expect(report.ok).toBe(true);
    expect(report.after).toEqual([]);
    expect(progress).toContain('salvage');
    const lostIds = report.videosLost.map((v) => v.id).sort();
    expect(lostIds).toEqual([...expectedLost].sort());
    for (const v of report.videosLost) expect(v).toMatchObject({ title: `Episode ${v.id.slice(2)}`, source: `/podcasts/${v.id}.vtt` });
    expect(report.videosKept).toBe(EPISODES - expectedLost.size);
    const unreadable = Object.fromEntries(report.salvage!.tables.map((t) => [t.table, t.unreadable.length]));
    expect(unreadable.segments).toBeGreaterThanOrEqual(1);
    expect(unreadable.cues).toBeGreaterThanOrEqual(1);
    expect(report.salvage!.tables.every((t) => t.gaveUp === undefined)).toBe(true);
    // The undamaged tables came through whole, the queue and summaries included.
    const tableRows = (d: string, t: string) => withRawDb(d, (db) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all());
    for (const t of ['manifest', 'vectors', 'jobs', 'job_items', 'follows', 'summaries']) expect(tableRows(dir, t), t).toEqual(tableRows(template, t));

    // The damaged file is kept aside byte for byte.
    expect(report.salvage!.damagedFile).toMatch(/episodic\.sqlite\.damaged-\d{4}-\d\d-\d\dT/);
    expect(readFileSync(report.salvage!.damagedFile).equals(bytes)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.salvage-'))).toEqual([]);
    expect(diagnoseIndex(dir).problems).toEqual([]);

    const store = openConsistent(dir);
    for (let i = 0; i < EPISODES; i++) {
      const id = `ep${i}`;
      const v = store.db.getVideo(id)!;
      if (expectedLost.has(id)) {
        expect(v).toMatchObject({ status: 'error', cueCount: 0, segmentCount: 0, source: `/podcasts/${id}.vtt` });
        expect(v.error).toMatch(new RegExp(`add it again from /podcasts/${id}\\.vtt`));
        expect(store.db.segmentsOf(id)).toEqual([]);
      } else {
        // Every kept episode is whole: the very rows it had, with its segment ids (vector labels).
        expect(v.status).toBe('indexed');
        const cues = store.db.sqlite.prepare('SELECT * FROM cues WHERE video_id = ? ORDER BY idx').all(id);
        const segments = store.db.sqlite.prepare('SELECT * FROM segments WHERE video_id = ? ORDER BY id').all(id);
        expect(cues).toEqual(original.cues.get(id));
        expect(segments).toEqual(original.segments.get(id));
      }
    }
    // Re-adding a lost episode restores it, reusing the vectors the salvage kept.
    for (const id of expectedLost) {
      const again = await ingestTranscript({ store, embedder }, episode(Number(id.slice(2))));
      expect(again).toMatchObject({ status: 'updated', embedded: 0 });
    }
    expect(store.db.stats().indexed).toBe(EPISODES);
    expect(consistencyProblems(store)).toEqual([]);
    const hits = await search({ store, embedder }, { q: UNIQUE[Number([...expectedLost][0].slice(2))], k: 1 }, { mode: 'keyword' });
    expect(hits[0]?.videoId).toBe([...expectedLost][0]);
    store.close();
  });

  it('replaces a file that is not a database with a fresh empty index, keeping the file aside', async () => {
    const dir = copyIndex();
    const file = join(dir, DB_FILE);
    const garbage = Buffer.alloc(64 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff;
    garbage.write('this is not SQLite', 0);
    writeFileSync(file, garbage);

    const before = diagnoseIndex(dir);
    expect(before.damaged).toBe(true);
    expect(before.problems).toEqual([{ kind: 'sqlite', message: expect.stringMatching(/is not a database/) }]);

    const report = await repairIndex(dir, embedder);
    expect(report.ok).toBe(true);
    expect(report.salvage).toMatchObject({ readable: false, rowsCopied: 0, error: expect.stringMatching(/not a database/) });
    expect(report.actions[0]).toMatch(/nothing could be read/);
    expect(readFileSync(report.salvage!.damagedFile).equals(garbage)).toBe(true);
    expect(existsSync(join(dir, 'vectors.hnsw'))).toBe(false); // it described the lost database (kept aside)
    expect(diagnoseIndex(dir).problems).toEqual([]);
    // Every episode is listed to add again, from episodes.json (issue 18).
    expect(report.videosLost.map((v) => v.id).sort()).toEqual(Array.from({ length: EPISODES }, (_, i) => `ep${i}`).sort());

    const store = openConsistent(dir);
    expect(store.db.stats()).toMatchObject({ videos: EPISODES, indexed: 0, segments: 0, vectors: 0 });
    expect(store.embedderId).toBeUndefined();
    await ingestTranscript({ store, embedder }, episode(0));
    expect(consistencyProblems(store)).toEqual([]);
    store.close();
  });
});

describe('episodic repair (CLI)', () => {
  it('repairs, prints a JSON report and exits 0 when the index is healthy afterwards', async () => {
    const dir = copyIndex();
    withRawDb(dir, (db) => db.prepare("DELETE FROM vectors WHERE hash IN (SELECT vec_hash FROM segments WHERE video_id = 'ep0')").run());
    const config = loadConfig({}, { dataDir: dir, embedder: 'use-lite' });
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await runRepair(config, { json: true, workers: '0' } as CliValues);
    } finally {
      write.mockRestore();
      quiet.mockRestore();
    }
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ ok: true, after: [], hnswRebuilt: true });
    expect(report.vectorsReembedded).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'write.lock'))).toBe(false);
  });
});

describe('salvage copy helpers (pure)', () => {
  it('orders values as SQLite does and finds the first readable key past a damaged range', () => {
    expect([null, 'b', 3, Buffer.from('a'), 'a', 1].sort(compareSqlValues)).toEqual([null, 1, 3, 'a', 'b', Buffer.from('a')]);
    expect(compareSqlValues('é', 'z')).toBeGreaterThan(0); // UTF-8 bytes, like BINARY collation
    expect(compareKeys(['v1'], ['v1', 7])).toBe(0);
    expect(compareKeys(['v2'], ['v1', 7])).toBeGreaterThan(0);
    let probes = 0;
    const damaged = (from: number, to: number) => (k: number) => (probes++, k < from || k > to);
    expect(firstReadable(102, 1e15, damaged(103, 108))).toBe(109);
    probes = 0;
    expect(firstReadable(0, Number.MAX_SAFE_INTEGER, damaged(1, 1_000_000))).toBe(1_000_001);
    expect(probes).toBeLessThan(64 + 2 * 50);
    expect(firstReadable(0, 1000, () => false)).toBeUndefined();
  });
});
