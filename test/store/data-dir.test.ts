/**
 * The data folder going bad under the real CLI: read-only, full, damaged. Each case must give
 * one clear sentence (no stack trace), change nothing already indexed, and let the next run
 * recover; a running server keeps serving reads when its disk fills. Read-only and full disks are real: small tmpfs mounts when running as root (as CI
 * does), else a chmod'ed folder for read-only; a full disk needs a mount, so without root that
 * case is skipped with the reason.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { parseVtt } from '../../indexer/parse/vtt.ts';
import { ingestTranscript } from '../../indexer/pipeline.ts';
import { DataDirError, explainStorageError } from '../../indexer/store/data-dir.ts';
import { Store } from '../../indexer/store/store.ts';
import { createApp } from '../../server/app.ts';
import { SummaryCache } from '../../indexer/store/summaries.ts';
import { expectConsistent } from '../helpers/consistency.ts';
import { makeVtt } from '../helpers/transcripts.ts';

const BIN = fileURLToPath(new URL('../../bin/episodic.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'episodic-datadir-'));
const mounts: string[] = [];

afterAll(() => {
  for (const m of mounts.reverse()) tryRun('umount', [m]);
  rmSync(root, { recursive: true, force: true });
});

function tryRun(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Mounts a tmpfs of `sizeKb` at `dir`; false when this user may not mount. */
function mountTmpfs(dir: string, sizeKb: number): boolean {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() !== 0 || !tryRun('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir])) return false;
  mounts.push(dir);
  return true;
}
const canMount = mountTmpfs(join(root, 'probe-mount'), 64);

function episodic(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, EPISODIC_OFFLINE: '1', ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** A clear sentence for the user, not a crash: exit 3 (the environment), the expected words, no stack frames. */
function expectClearError(run: { code: number | null; out: string }, words: RegExp) {
  expect(run.out).toMatch(words);
  expect(run.out).not.toMatch(/^\s+at /m);
  expect(run.out).not.toMatch(/SqliteError|Node\.js v/);
  expect(run.code).toBe(3);
}

const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

/** Transcripts with many cues but few distinct windows: cheap to embed, big on disk. */
function writeEpisodes(dir: string, count: number, repeat: number): void {
  mkdirSync(dir, { recursive: true });
  const topics = [['bees'], ['rockets'], ['bread']];
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `ep${String(i + 1).padStart(2, '0')}.vtt`), makeVtt(topics[i % 3], repeat + i));
}

describe('explainStorageError', () => {
  const dir = '/srv/episodic';
  const err = (code: string) => Object.assign(new Error(`boom ${code}`), { code });
  it.each([
    ['SQLITE_READONLY_DIRECTORY', 'read_only'],
    ['SQLITE_READONLY', 'read_only'],
    ['SQLITE_CANTOPEN', 'read_only'],
    ['EACCES', 'read_only'],
    ['EROFS', 'read_only'],
    ['SQLITE_FULL', 'disk_full'],
    ['ENOSPC', 'disk_full'],
    ['EDQUOT', 'disk_full'],
    ['SQLITE_CORRUPT', 'corrupt'],
    ['SQLITE_CORRUPT_VTAB', 'corrupt'],
    ['SQLITE_NOTADB', 'corrupt'],
    ['ENOTDIR', 'not_a_folder'],
  ])('%s means %s, and the message names the folder and what to do', (code, problem) => {
    const e = explainStorageError(err(code), dir)!;
    expect(e).toBeInstanceOf(DataDirError);
    expect(e.problem).toBe(problem);
    expect(e.message).toContain(dir);
    expect(e.message).toContain(code);
    expect(e.message).toMatch(/--data|again|repair/);
  });

  it('leaves other errors alone', () => {
    expect(explainStorageError(err('SQLITE_CONSTRAINT'), dir)).toBeUndefined();
    expect(explainStorageError(new Error('no code'), dir)).toBeUndefined();
    expect(explainStorageError('a string', dir)).toBeUndefined();
  });
});

describe('a read-only data folder', () => {
  it('gets a clear error from search, add and serve, and the index is untouched', async () => {
    const episodes = join(root, 'ro-episodes');
    writeEpisodes(episodes, 2, 2);
    const source = join(root, 'ro-source');
    expect((await episodic(['add', episodes, '--data', source, '--workers', '0', '--embedder', 'use-lite'])).code).toBe(0);

    let data = join(root, 'ro-mount');
    if (mountTmpfs(data, 8192)) {
      cpSync(source, data, { recursive: true });
      execFileSync('mount', ['-o', 'remount,ro', data]);
    } else {
      data = source; // not root: permission bits are enough
      chmodSync(data, 0o555);
    }
    const before = snapshot(data);
    try {
      const search = await episodic(['search', 'bees', '--data', data]);
      expectClearError(search, /cannot write to the data folder .*--data or EPISODIC_DATA/s);
      const add = await episodic(['add', episodes, '--data', data]);
      expectClearError(add, /cannot write to the data folder/);
      const serve = await episodic(['serve', '--port', '0', '--data', data]);
      expectClearError(serve, /cannot write to the data folder/);
    } finally {
      if (data === source) chmodSync(data, 0o755);
    }
    expect(snapshot(data)).toEqual(before);
  }, 120_000);
});

describe.skipIf(!canMount)('a full disk (needs root to mount a small tmpfs)', () => {
  it('refuses to start below the free-space floor, stops cleanly when the disk fills mid-ingest, and resumes once there is room', async () => {
    const episodes = join(root, 'full-episodes');
    writeEpisodes(episodes, 12, 60);
    const disk = join(root, 'full-mount');
    expect(mountTmpfs(disk, 1536)).toBe(true);
    const data = join(disk, 'index');
    const add = (env: Record<string, string> = {}) => episodic(['add', episodes, '--data', data, '--workers', '0', '--embedder', 'use-lite'], env);

    // Default floor (50 MB) on a 1.5 MB disk: refused before anything is written.
    expectClearError(await add(), /only [\d.]+ MB free on the disk holding .* needs at least 50 MB/);
    expect(readdirSync(disk)).toEqual(['index']); // the folder was created and the probe removed; no database yet
    expect(readdirSync(data)).toEqual([]);

    // No floor: the ingest runs into the real ENOSPC / SQLITE_FULL part-way.
    const full = await add({ EPISODIC_MIN_FREE_MB: '0' });
    expectClearError(full, /the disk holding .* is full .*run the same command again to resume/s);
    const finished = (full.out.match(/^\d+\/12 /gm) ?? []).length;
    expect(finished).toBeGreaterThan(0);
    expect(finished).toBeLessThan(12);

    // Room again: what was committed is intact and consistent, and the same command finishes the job.
    execFileSync('mount', ['-o', 'remount,size=65536k', disk]);
    const partial = Store.open(data);
    const indexedBefore = partial.db.stats().indexed;
    expect(indexedBefore).toBeGreaterThanOrEqual(finished);
    expect(partial.db.listVideos().every((v) => v.status === 'indexed' && v.segmentCount > 0)).toBe(true);
    expectConsistent(partial);
    partial.close();

    const resumed = await add();
    expect(resumed.code).toBe(0);
    const store = Store.open(data);
    try {
      expect(store.db.stats().indexed).toBe(12);
      expectConsistent(store);
    } finally {
      store.close();
    }
  }, 240_000);
});

describe.skipIf(!canMount)('a disk that fills under a running server (needs root to mount a small tmpfs)', () => {
  it('keeps answering searches and summaries; the summary is served but not saved until there is room', async () => {
    const disk = join(root, 'serve-full');
    expect(mountTmpfs(disk, 4096)).toBe(true);
    const store = Store.open(join(disk, 'index'));
    const embedder = await createUseLiteEmbedder();
    let server: Server | undefined;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { cues } = parseVtt(makeVtt(['bees', 'bread'], 2), 'bees.vtt');
      await ingestTranscript({ store, embedder }, { meta: { id: 'bees-ep', title: 'Bees and bread' }, cues });
      const app = createApp({ store, embedder, embedderNote: 'test', version: 'test' });
      server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      const addr = server.address();
      const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

      // Fill every byte that is left.
      const filler = join(disk, 'filler');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) appendFileSync(filler, chunk);
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      for (let size = chunk.length / 2; size >= 1; size = Math.floor(size / 2)) {
        try {
          appendFileSync(filler, chunk.subarray(0, size));
        } catch {
          // that much no longer fits; try a smaller piece
        }
      }

      const search = await fetch(`${base}/api/search?q=${encodeURIComponent('honey bees')}`);
      expect(search.status).toBe(200);
      expect(((await search.json()) as { results: { videoId: string }[] }).results[0].videoId).toBe('bees-ep');
      const full = await fetch(`${base}/api/videos/bees-ep/summary`);
      expect(full.status).toBe(200);
      expect(((await full.json()) as { tldr: { text: string } }).tldr.text.length).toBeGreaterThan(0);
      expect(new SummaryCache(store.db.sqlite).count('bees-ep')).toBe(0);
      expect(errors.mock.calls.flat().join(' ')).toMatch(/summary of bees-ep was not saved: the disk holding the index folder is full/);

      rmSync(filler);
      const roomy = await fetch(`${base}/api/videos/bees-ep/summary`);
      expect(roomy.status).toBe(200);
      expect(new SummaryCache(store.db.sqlite).count('bees-ep')).toBe(1);
      expectConsistent(store);
    } finally {
      errors.mockRestore();
      if (server) await new Promise((r) => (server!.closeAllConnections(), server!.close(r)));
      await embedder.close();
      store.close();
    }
  }, 120_000);
});

describe('a damaged index database', () => {
  it('gets a clear error that points at episodic repair', async () => {
    const data = join(root, 'garbage');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'episodic.sqlite'), Buffer.alloc(64 * 1024, 'not a database '));
    const search = await episodic(['search', 'bees', '--data', data]);
    expectClearError(search, /the index database in .* is damaged .*episodic repair/s);
  }, 60_000);
});
