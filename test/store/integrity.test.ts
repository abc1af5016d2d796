/**
 * Issue 18, points 4 and 5: a damaged database is caught when it is opened (not answered from),
 * `doctor` says so, and `repair` counts honestly when nothing can be read. Real pages of a real
 * index are overwritten, as a failing disk would.
 */
import Database from 'better-sqlite3';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runDoctor } from '../../cli/doctor.ts';
import type { CliValues } from '../../cli/main.ts';
import { runRepair } from '../../cli/repair.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { ingestFiles } from '../../indexer/ingest.ts';
import { buildManifest, parseCsv } from '../../indexer/sources/manifest.ts';
import { DataDirError } from '../../indexer/store/data-dir.ts';
import { EPISODE_LIST_FILE } from '../../indexer/store/episode-list.ts';
import { DB_FILE, needsPageCheck, QUICK_CHECK_ALWAYS_BYTES, Store } from '../../indexer/store/store.ts';
import { startServer } from '../../server/main.ts';
import { loadConfig } from '../../core/config.ts';
import { LEXICAP, lexicapFile } from '../helpers/paths.ts';

const root = mkdtempSync(join(tmpdir(), 'episodic-integrity-'));
const template = join(root, 'template');
const EPISODES = [8, 53, 4];
let ids: string[] = [];

beforeAll(async () => {
  const embedder = await createUseLiteEmbedder();
  const store = Store.open(template);
  const manifest = buildManifest(parseCsv(readFileSync(`${LEXICAP}episodes_metadata.csv`, 'utf8')));
  await ingestFiles({ store, embedder }, EPISODES.map(lexicapFile), { manifest });
  ids = store.db.listVideos().map((v) => v.id);
  store.close();
  await embedder.close();
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let copies = 0;
function copyIndex(): string {
  const dir = join(root, `copy-${copies++}`);
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** Overwrites `count` leaf pages of `table` with pseudo-random bytes (deterministic). */
function damagePages(dir: string, table: string, count: number): void {
  const file = join(dir, DB_FILE);
  const db = new Database(file, { readonly: true });
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[];
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  expect(pages.length).toBeGreaterThanOrEqual(count);
  let seed = 42;
  const fd = openSync(file, 'r+');
  for (let i = 0; i < count; i++) {
    const page = pages[Math.floor(((i + 0.5) * pages.length) / count)];
    const bytes = Buffer.alloc(size, 0).map(() => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255);
    writeSync(fd, bytes, 0, size, (page - 1) * size);
  }
  closeSync(fd);
}

function captured<T>(work: () => Promise<T>): Promise<{ result: T; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  return work()
    .then((result) => ({ result, out, err }))
    .finally(() => {
      o.mockRestore();
      e.mockRestore();
    });
}

const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND www.youtube.com'), { code: 'ENOTFOUND' }) });
};

describe('point 4: four damaged pages of the keyword index', () => {
  it('opening the index gives the error pointing at `episodic repair` instead of answering', () => {
    const dir = copyIndex();
    expect(() => Store.open(dir).close()).not.toThrow();
    damagePages(dir, 'segments_fts_data', 4);
    let error: unknown;
    try {
      Store.open(dir).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirError);
    expect((error as DataDirError).problem).toBe('corrupt');
    expect((error as Error).message).toMatch(/index database in .* is damaged .*Run `episodic repair`/);
  });

  it('the server does not start on it, and says the same', async () => {
    const dir = copyIndex();
    damagePages(dir, 'segments_fts_data', 4);
    const config = loadConfig({}, { dataDir: dir, embedder: 'use-lite', port: 0 });
    await expect(startServer(config)).rejects.toThrow(/index database in .* is damaged .*Run `episodic repair`/);
  });

  it('doctor runs the integrity check, says FAIL with what to do, and exits 1', async () => {
    const dir = copyIndex();
    damagePages(dir, 'segments_fts_data', 4);
    const config = loadConfig({}, { dataDir: dir, embedder: 'use-lite' });
    let text = '';
    const stdout = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
    const code = await runDoctor(config, {} as CliValues, {}, { fetch: offline, stdout });
    const index = text.slice(0, text.indexOf('YouTube'));
    expect(index).toMatch(/FAIL sqlite: the database file is damaged: segments_fts_data: .*malformed/);
    expect(index).toContain('run `episodic repair`');
    expect(index).not.toMatch(/^ {2}ok/m);
    expect(code).toBe(1);
  });
});

describe('when opening checks the pages (the CLI and the server alike)', () => {
  it('checks a small file every time, a big one only when it changed since its last passing check', () => {
    expect(needsPageCheck('auto', QUICK_CHECK_ALWAYS_BYTES, true)).toBe(true);
    expect(needsPageCheck('auto', QUICK_CHECK_ALWAYS_BYTES + 1, true)).toBe(false);
    expect(needsPageCheck('auto', QUICK_CHECK_ALWAYS_BYTES + 1, false)).toBe(true);
    expect(needsPageCheck('never', 1, false)).toBe(false);
  });
});

describe('point 5: repair when nothing can be read', () => {
  it('lists every episode the index held, with its source, and exits 1', async () => {
    const dir = copyIndex();
    expect(existsSync(join(dir, EPISODE_LIST_FILE))).toBe(true);
    const fd = openSync(join(dir, DB_FILE), 'r+');
    writeSync(fd, Buffer.from('XXXXXXXXXXXXXXXX'), 0, 16, 0);
    closeSync(fd);
    const config = loadConfig({}, { dataDir: dir, embedder: 'use-lite' });
    const { result: code, out } = await captured(() => runRepair(config, { json: true, workers: '0' } as CliValues));
    const report = JSON.parse(out);
    expect(report.salvage.readable).toBe(false);
    expect(report.videosLost.map((v: { id: string }) => v.id).sort()).toEqual([...ids].sort());
    for (const v of report.videosLost) expect(v.source).toMatch(/episode_\d{3}_large\.vtt$/);
    expect(code).toBe(1);
    // They stay listed (status error, with their source) until added again, and a second repair still knows them.
    const store = Store.open(dir);
    expect(store.db.listVideos().map((v) => [v.status, v.source])).toEqual(expect.arrayContaining(EPISODES.map((n) => ['error', lexicapFile(n)])));
    store.close();
    expect(readFileSync(join(dir, EPISODE_LIST_FILE), 'utf8')).toContain('episode_008_large.vtt');
    // The vector file is kept aside, not deleted, since no embedder is left to rebuild it.
    expect(readdirSync(dir).some((f) => f.startsWith('vectors.hnsw.damaged-'))).toBe(true);
  });

  it('the human report says how many were lost and what to re-add', async () => {
    const dir = copyIndex();
    const fd = openSync(join(dir, DB_FILE), 'r+');
    writeSync(fd, Buffer.alloc(16, 0x58), 0, 16, 0);
    closeSync(fd);
    const config = loadConfig({}, { dataDir: dir, embedder: 'use-lite' });
    const { result: code, out } = await captured(() => runRepair(config, { json: false, workers: '0' } as CliValues));
    expect(out).toContain(`Episodes: 0 indexed and whole, ${EPISODES.length} lost.`);
    for (const n of EPISODES) expect(out).toContain(lexicapFile(n));
    expect(out).not.toContain('The index passes every check now.\n');
    expect(code).toBe(1);
  });
});
