/**
 * `episodic add <feed URL>`, `episodic refresh` and `search` as a user runs them: the real
 * CLI in a child process, on a fresh index, against the podcast host of feed-world.ts on 127.0.0.1
 * (feeds CONSTRUCTED in hosts' shapes).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../indexer/store/store.ts';
import { LATER_EPISODE, startFeedWorld, type FeedWorld } from './feed-world.ts';

const BIN = fileURLToPath(new URL('../../bin/episodic.js', import.meta.url));
/** Each command starts a process and loads the encoder: allow for a busy machine. */
const SLOW = 240_000;

let world: FeedWorld;
let dir: string;

/** Runs the CLI without blocking this process, which serves the feeds. */
function episodic(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    // One embedding worker: these transcripts are a few windows each.
    const workers = args[0] === 'add' || args[0] === 'refresh' ? ['--workers', '1'] : [];
    const child = spawn(process.execPath, [BIN, ...args, ...workers, '--data', dir, '--embedder', 'use-lite'], {
      env: { ...process.env, EPISODIC_OFFLINE: '1', HTTPS_PROXY: '', HTTP_PROXY: '', ALL_PROXY: '', https_proxy: '', http_proxy: '', all_proxy: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

beforeAll(async () => {
  world = await startFeedWorld();
  dir = mkdtempSync(join(tmpdir(), 'episodic-feed-cli-'));
});
afterAll(async () => {
  await world?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('episodic add <feed URL> and refresh', () => {
  it('adds a feed: a summary line, every episode without a transcript named with its reason, exit 1 for the failed transcript', async () => {
    const feed = `${world.base}/show.xml`;
    const r = await episodic('add', feed);
    expect(r.err).toContain(`Listing ${feed}…`);
    expect(r.code).toBe(1); // one episode's transcript failed (HTTP 404): some items failed (README's exit codes)
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe(`${feed}: done · 5 videos: 2 indexed, 2 no_transcript, 1 error · 2 added, 0 updated, 0 unchanged · 3 segments (3 embedded)`);
    // Episode ids are hashes; the lines are compared with the id replaced, in a fixed order.
    expect(lines.slice(1).map((l) => l.replace(/pod-[0-9a-f]{24}/, 'pod-ID')).sort()).toEqual([
      `  error          pod-ID  The lost transcript: HTTP 404 from the transcript ${world.base}/t/missing.vtt`,
      '  no_transcript  pod-ID  An episode with no transcript at all: the feed links no transcript for this episode',
      `  no_transcript  pod-ID  Only an untimed HTML transcript: transcript ${world.base}/t/5.html (text/html): no timings to cite`,
    ]);

    const search = await episodic('search', 'why do onions turn sweet', '--json');
    expect(search.code).toBe(0);
    const hits = (JSON.parse(search.out) as { results: { title: string; url: string; videoId: string; start: number }[] }).results;
    expect(hits[0]).toMatchObject({ title: 'Caramelised onions – patience is sweet' });
    expect(hits[0].url).toBe(`/episode/${hits[0].videoId}?t=${Math.floor(hits[0].start)}`);
  }, SLOW);

  it('refresh adds the newly published episode only; every episode keeps its status', async () => {
    world.publish(LATER_EPISODE);
    const r = await episodic('refresh');
    expect(r.code).toBe(1); // the 404 transcript is retried and fails again
    // The new episode, and the one whose transcript failed (an error is retried; no_transcript waits a day).
    expect(r.out).toMatch(/show\.xml: done · 2 videos: 1 indexed, 1 error · 1 added, 0 updated, 0 unchanged/);

    const store = Store.open(dir);
    try {
      const videos = store.db.listVideos();
      expect(videos.map((v) => v.status).sort()).toEqual(['error', 'indexed', 'indexed', 'indexed', 'no_transcript', 'no_transcript']);
      expect(videos.find((v) => v.title === 'Salting aubergines')).toMatchObject({ status: 'indexed', audioUrl: `${world.base}/audio/6.wav` });
    } finally {
      store.close();
    }
  }, SLOW);

  it('an invalid feed fails with its reason and exit 1', async () => {
    const r = await episodic('add', `${world.base}/broken.xml`);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/broken\.xml: failed · 0 videos/);
    expect(r.out).toMatch(/could not list .*broken\.xml \(error\): .* not well-formed XML: .+\(line \d+\)/);
  }, SLOW);
});
