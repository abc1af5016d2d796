/**
 * The application core on a private copy of the shared Lex Fridman index: library reads, ranges
 * and removal, search validation and the job services, each failure as a CoreError of the right
 * kind (what the HTTP handler, the CLI and the MCP server map to a status, exit code or tool error).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CoreError, type ErrorKind } from '../../core/errors.ts';
import { jobProgress, resumeJob, startJob } from '../../core/jobs.ts';
import { getEpisode, LIBRARY_DEFAULTS, listEpisodes, removeEpisode, transcriptRange } from '../../core/library.ts';
import { searchLibrary } from '../../core/search.ts';
import { summarize } from '../../core/summaries.ts';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { createJobManager, type JobManager } from '../../core/job-manager.ts';
import { acquireWriteLock } from '../../indexer/store/lock.ts';
import { Store } from '../../indexer/store/store.ts';
import { copyIndex } from '../summary/helpers.ts';

let dir: string;
let store: Store;
let embedder: Embedder;
let jobs: JobManager;

beforeAll(async () => {
  dir = await copyIndex(inject('lexicapIndex'));
  store = Store.open(dir);
  embedder = await createUseLiteEmbedder();
  store.pin(embedder);
  jobs = createJobManager({
    store,
    embedder,
    // Nothing here reaches YouTube: every job request below is refused before a source is built.
    createSource: async () => {
      throw new Error('no YouTube in the core test');
    },
    acquireLock: () => acquireWriteLock(dir),
  });
}, 60_000);

afterAll(async () => {
  await jobs?.close();
  await embedder?.close();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The kind and message of what `work` throws (it must throw a CoreError). */
async function failure(work: () => unknown): Promise<[ErrorKind, string]> {
  try {
    await work();
  } catch (err) {
    expect(err).toBeInstanceOf(CoreError);
    return [(err as CoreError).kind, (err as CoreError).message];
  }
  throw new Error('expected a CoreError');
}

describe('library', () => {
  it('lists episodes, filtered by channel (any case) and status', () => {
    const all = listEpisodes(store);
    expect(all.length).toBe(store.db.listVideos().length);
    expect(listEpisodes(store, { channel: 'lex fridman podcast' })).toEqual(all);
    expect(listEpisodes(store, { status: 'no_captions' })).toEqual([]);
    // When each entered the index, so an undated episode can still be called recent.
    expect(all.every((v) => !Number.isNaN(Date.parse(v.addedAt)))).toBe(true);
  });

  it('gets an episode with its transcript; unknown and path-like ids are not_found and invalid', async () => {
    const [first] = listEpisodes(store);
    const detail = getEpisode(store, first.id);
    expect(detail.transcript.length).toBe(store.db.cues(first.id).length);
    expect(await failure(() => getEpisode(store, 'no-such-video'))).toEqual(['not_found', 'video "no-such-video" not found']);
    expect(await failure(() => getEpisode(store, '../etc'))).toEqual(['invalid', 'invalid video id']);
  });

  it('reads a default ten-minute range, cuts long ones at thirty minutes, refuses a start past the end', async () => {
    const [first] = listEpisodes(store);
    const range = transcriptRange(store, { videoId: first.id, start: 30 });
    expect([range.start, range.end]).toEqual([30, 30 + LIBRARY_DEFAULTS.rangeSeconds]);
    expect(range.truncated).toBe(false);
    const stored = store.db.cues(first.id);
    expect(range.cues[0].start).toBe(stored.find((c) => c.endMs > 30_000)!.startMs / 1000);
    const long = transcriptRange(store, { videoId: first.id, start: 0, end: 36_000 });
    expect(long.end).toBe(Math.min(LIBRARY_DEFAULTS.maxRangeSeconds, first.duration!));
    expect(long.truncated).toBe(first.duration! > LIBRARY_DEFAULTS.maxRangeSeconds);
    const [kind, message] = await failure(() => transcriptRange(store, { videoId: first.id, start: first.duration! + 1 }));
    expect(kind).toBe('invalid');
    expect(message).toMatch(/^start: the episode is only/);
  });

  it('removes an episode and its data; a second removal is not_found', async () => {
    const [, second] = listEpisodes(store);
    removeEpisode(store, second.id);
    expect(listEpisodes(store).map((v) => v.id)).not.toContain(second.id);
    expect(store.db.cues(second.id)).toEqual([]);
    expect(await failure(() => removeEpisode(store, second.id))).toEqual(['not_found', `video "${second.id}" not found`]);
    expect((await failure(() => summarize({ store, embedder }, second.id)))[0]).toBe('not_found');
  });
});

describe('search', () => {
  it('validates with the contract and returns hits', async () => {
    expect((await searchLibrary({ store, embedder }, { q: 'Autopilot', k: 2 })).length).toBe(2);
    expect(await failure(() => searchLibrary({ store, embedder }, { q: '' }))).toEqual(['invalid', 'q: q is required']);
    expect((await failure(() => searchLibrary({ store, embedder }, { q: 'x', from: '2021-01-02', to: '2021-01-01' })))[1]).toBe('from must not be after to');
  });
});

describe('jobs', () => {
  it('refuses a source that is neither YouTube nor a feed URL, an unknown job, and a start while another process writes', async () => {
    // Any other http(s) URL is a podcast feed (as for POST /api/videos), so the bad source has no scheme.
    expect((await failure(() => startJob(jobs, { source: 'example.com/x' })))[0]).toBe('invalid');
    expect(await failure(() => startJob(jobs, {}))).toEqual(['invalid', 'source: Invalid input: expected string, received undefined']);
    expect(await failure(() => jobProgress(jobs, 424242))).toEqual(['not_found', 'job 424242 not found']);
    expect(await failure(() => resumeJob(jobs, 424242))).toEqual(['not_found', 'job 424242 not found']);
    writeFileSync(join(dir, 'write.lock'), String(process.ppid)); // a live process that is not us
    try {
      const [kind, message] = await failure(() => startJob(jobs, { source: 'dQw4w9WgXcQ' }));
      expect(kind).toBe('conflict');
      expect(message).toMatch(/another episodic process/i);
    } finally {
      rmSync(join(dir, 'write.lock'));
    }
  });
});
