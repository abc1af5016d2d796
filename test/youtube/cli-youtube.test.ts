/**
 * `episodic add <YouTube URL>`, `refresh`, `resume` and `doctor` as the CLI runs them, with the
 * process edges (fetch, streams, index opener, Ctrl-C) replaced: YouTube is the offline seam over
 * the real recordings; playlist pages are CONSTRUCTED; the DNS failure of the doctor test is
 * CONSTRUCTED in the shape Node's fetch throws it (TypeError "fetch failed" caused by ENOTFOUND).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireWriteLock } from '../../indexer/store/lock.ts';
import { Store } from '../../indexer/store/store.ts';
import { loadConfig } from '../../core/config.ts';
import { DOCTOR_VIDEO_ID, runDoctor } from '../../cli/doctor.ts';
import { isYouTubeArg, runAddYouTube, runRefresh, runResume, type YouTubeCliIo, type YouTubeCliValues } from '../../cli/youtube.ts';
import { expectConsistent } from '../helpers/consistency.ts';
import { json, type Handler } from './seam.ts';
import { PL, botCheckPlayer, fixturePlaylistBrowse, mixedVideos, playlistBrowse, recordingEmbedder, useLite, type Listed } from './queue-helpers.ts';
import { recordedWorld } from './world.ts';

const PLAYLIST = `https://www.youtube.com/playlist?list=${PL}`;

function capture() {
  const chunks: string[] = [];
  const stream = { write: (s: string | Uint8Array) => (chunks.push(String(s)), true), isTTY: false };
  return { stream: stream as unknown as NodeJS.WritableStream, text: () => chunks.join('') };
}

const values = (v: Partial<YouTubeCliValues> = {}) => ({ json: false, help: false, version: false, ...v }) as YouTubeCliValues;

async function cli(browse: Handler = fixturePlaylistBrowse, overrides: Record<string, Handler> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'episodic-yt-cli-'));
  const config = loadConfig({ EPISODIC_DATA: dir, EPISODIC_EMBEDDER: 'use-lite' });
  const seam = recordedWorld({ '/youtubei/v1/browse': browse, ...overrides }, mixedVideos());
  const rec = recordingEmbedder(await useLite());
  let controller = new AbortController();
  const make = () => {
    const out = capture();
    const err = capture();
    const io: Partial<YouTubeCliIo> = {
      fetch: seam.fetch,
      stdout: out.stream,
      stderr: err.stream,
      openIndex: async () => ({ store: Store.open(dir), embedder: rec.embedder, release: acquireWriteLock(dir) }),
      interrupt: () => ({ signal: controller.signal, dispose: () => {} }),
    };
    return { io, out, err };
  };
  return {
    dir,
    config,
    seam,
    texts: rec.texts,
    abortNow: () => controller.abort(),
    resetAbort: () => (controller = new AbortController()),
    add: async (refs: string[], v?: Partial<YouTubeCliValues>) => {
      const m = make();
      return { code: await runAddYouTube(config, refs, values(v), m.io), out: m.out.text(), err: m.err.text() };
    },
    refresh: async (v?: Partial<YouTubeCliValues>) => {
      const m = make();
      return { code: await runRefresh(config, values(v), m.io), out: m.out.text(), err: m.err.text() };
    },
    resume: async () => {
      const m = make();
      return { code: await runResume(config, values(), m.io), out: m.out.text(), err: m.err.text() };
    },
    playerRequests: () => seam.log.filter((r) => r.url.pathname === '/youtubei/v1/player').map((r) => String(r.body?.videoId)),
  };
}

const opened: Store[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
const openStore = (dir: string) => {
  const s = Store.open(dir);
  opened.push(s);
  return s;
};

describe('isYouTubeArg', () => {
  it('tells YouTube references from paths', () => {
    for (const arg of ['https://youtu.be/GJLlxj_dtq8', PLAYLIST, '@lexfridman', 'GJLlxj_dtq8', 'www.youtube.com/@MrBeast/videos']) expect(isYouTubeArg(arg), arg).toBe(true);
    for (const arg of ['./transcripts', 'episode.vtt', '/tmp', 'https://vimeo.com/1', '']) expect(isYouTubeArg(arg), arg).toBe(false);
  });

  it('an existing file or folder wins over an id-shaped name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'episodic-yt-arg-'));
    mkdirSync(join(dir, 'transcripts')); // 11 characters: also a valid video id
    const cwd = process.cwd();
    try {
      expect(isYouTubeArg('transcripts')).toBe(true);
      process.chdir(dir);
      expect(isYouTubeArg('transcripts')).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('episodic add <YouTube URL>', () => {
  it('indexes a playlist, prints progress and a summary with every failure, exits 1 for the failed video', async () => {
    const c = await cli();
    const r = await c.add([`https://www.youtube.com/watch?list=${PL}`], { concurrency: '2' });
    // One video failed with an error: exit 1, like a failed file (issue 18; the rest is indexed).
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Listing ${PLAYLIST}…`);
    expect(r.err).toContain(`Fetching ${PLAYLIST}…`);
    expect(r.err).toMatch(/^6\/6 videos · 3 indexed, 1 no_captions, 1 live_upcoming, 1 error$/m);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${PLAYLIST.replace(/[?.]/g, '\\$&')}: done · 6 videos: 3 indexed, 1 no_captions, 1 live_upcoming, 1 error · 3 added, 0 updated, 0 unchanged · 4 segments \\(4 embedded\\)$`));
    expect(lines.slice(1)).toEqual([
      '  no_captions    iuevw6218F0  Chris Rea - Auberge: the video has no captions',
      expect.stringMatching(/^ {2}error {10}aaaaaaaaaa0 {2}\[Private video\]: HTTP 404 from \/youtubei\/v1\/player/),
      expect.stringMatching(/^ {2}live_upcoming {2}N-yVic7BbY0 {2}Home Team \| PBD Podcast \| Ep\. 241: /),
    ]);
    const store = openStore(c.dir);
    expect(store.db.stats()).toMatchObject({ videos: 6, indexed: 3 });
    expectConsistent(store);
  });

  it('Ctrl-C stops after the video in flight (exit 130); the same add resumes the job', async () => {
    const ids: Listed[] = ['GJLlxj_dtq8', 'F1xioXWb8CY', '2isYuQZMbdU', 'iuevw6218F0'].map((id) => ({ id }));
    const c = await cli(playlistBrowse(() => [ids]), {
      '/youtubei/v1/player': (req) => {
        if (req.body?.videoId === 'F1xioXWb8CY') c.abortNow();
        return json(mixedVideos()[String(req.body?.videoId)]!.player);
      },
    });
    const first = await c.add([PLAYLIST], { concurrency: '1' });
    expect(first.code).toBe(130);
    expect(first.out).toMatch(/: paused · 4 videos: 2 indexed, 2 still queued ·/);
    expect(first.out).toMatch(/interrupted; 2 video\(s\) remain queued; run the same add again to resume/);
    c.resetAbort();
    const second = await c.add([PLAYLIST]);
    expect(second.code).toBe(0);
    expect(second.err).toContain(`Resuming job 1 for ${PLAYLIST} (2 of 4 done)`);
    expect(second.out).toMatch(/: done · 4 videos: 3 indexed, 1 no_captions · 1 added, 0 updated, 0 unchanged/);
    expect(c.playerRequests()).toEqual(['GJLlxj_dtq8', 'F1xioXWb8CY', '2isYuQZMbdU', 'iuevw6218F0']);
    expect(new Set(c.texts).size).toBe(c.texts.length);
  });

  it('a block pauses the job, skips the remaining references and exits 1; `episodic resume` finishes it', async () => {
    let block = true;
    const c = await cli(fixturePlaylistBrowse, {
      '/youtubei/v1/player': (req) => json(block ? botCheckPlayer() : mixedVideos()[String(req.body?.videoId)]!.player),
    });
    const r = await c.add(['GJLlxj_dtq8', 'F1xioXWb8CY']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/watch\?v=GJLlxj_dtq8: paused · 1 videos: none finished, 1 still queued/);
    expect(r.out).toMatch(/paused: Sign in to confirm you’re not a bot.*cookies from a signed-in browser/);
    expect(c.playerRequests()).toEqual(['GJLlxj_dtq8']); // F1xioXWb8CY was not tried
    block = false;
    const resumed = await c.resume();
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/watch\?v=GJLlxj_dtq8: done · 1 videos: 1 indexed/);
    expect((await c.resume()).err).toContain('Nothing to resume');
  });

  it('--json prints the summary and the failures', async () => {
    const c = await cli();
    const r = await c.add([PLAYLIST], { json: true });
    const summary = JSON.parse(r.out) as { status: string; counts: Record<string, number>; failures: { videoId: string; status: string }[] };
    expect(summary).toMatchObject({ status: 'done', counts: { indexed: 3, no_captions: 1, live_upcoming: 1, error: 1 } });
    expect(summary.failures.map((f) => f.videoId)).toEqual(['iuevw6218F0', 'aaaaaaaaaa0', 'N-yVic7BbY0']);
    expect(r.err).toBe('');
  });

  it('--cookies sends the youtube.com cookies; --lang picks the caption language', async () => {
    const c = await cli();
    const file = join(c.dir, 'cookies.txt');
    writeFileSync(file, '# Netscape HTTP Cookie File\n.youtube.com\tTRUE\t/\tTRUE\t0\tSID\tabc\n.google.com\tTRUE\t/\tTRUE\t0\tNID\tnope\n');
    expect((await c.add(['GJLlxj_dtq8'], { cookies: file, lang: 'fr,de' })).code).toBe(0);
    expect(c.seam.log[0]!.headers.get('cookie')).toBe('SID=abc');
    const store = openStore(c.dir);
    expect(store.db.getVideo('GJLlxj_dtq8')!.track).toEqual({ lang: 'de', kind: 'manual' });
  });

  it('refuses bad arguments with exit 2 before touching the index', async () => {
    const c = await cli();
    // Any other http(s) URL is a podcast feed (test/feeds); other schemes are refused.
    expect(await c.add(['ftp://vimeo.com/1'])).toMatchObject({ code: 2, err: expect.stringMatching(/unsupported scheme "ftp:".*a podcast feed is added by its http\(s\) URL/) });
    expect(await c.add([PLAYLIST], { lang: 'en;de' })).toMatchObject({ code: 2, err: expect.stringMatching(/--lang takes language codes/) });
    expect(await c.add([PLAYLIST], { concurrency: '0' })).toMatchObject({ code: 2, err: expect.stringMatching(/--concurrency must be a whole number from 1 to 16/) });
    expect(await c.add([PLAYLIST], { cookies: join(c.dir, 'missing.txt') })).toMatchObject({ code: 2, err: expect.stringMatching(/--cookies: cannot read/) });
    expect(c.seam.log).toEqual([]);
  });
});

describe('episodic refresh', () => {
  it('re-lists followed playlists and fetches only new videos; --channel selects', async () => {
    let pages: Listed[][] = [[{ id: 'GJLlxj_dtq8' }, { id: 'iuevw6218F0' }]];
    const c = await cli(playlistBrowse(() => pages));
    expect((await c.refresh()).err).toContain('nothing to refresh');
    await c.add([PLAYLIST]);
    pages = [[{ id: 'F1xioXWb8CY' }], ...pages];
    const before = c.playerRequests().length;
    const r = await c.refresh();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/: done · 1 videos: 1 indexed · 1 added/);
    expect(c.playerRequests().slice(before)).toEqual(['F1xioXWb8CY']);
    expect(await c.refresh({ channel: '@someoneelse' })).toMatchObject({ code: 1, err: expect.stringMatching(/no followed playlist, channel or feed matches "@someoneelse"/) });
    expect((await c.refresh({ channel: PL })).out).toMatch(/: done · 0 videos/);
  });
});

describe('episodic doctor', () => {
  const dnsFailure: typeof fetch = async () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND www.youtube.com'), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'www.youtube.com' });
    throw new TypeError('fetch failed', { cause });
  };

  it('checks the index and reports the exact DNS failure with its usual causes', async () => {
    const c = await cli();
    await c.add(['GJLlxj_dtq8']);
    const out = capture();
    const code = await runDoctor(c.config, values(), { HTTPS_PROXY: 'http://user:secret@proxy.local:3128' }, { fetch: dnsFailure, stdout: out.stream });
    // A healthy local index with YouTube unreachable: a warning, not a failing exit (issue 18).
    expect(code).toBe(0);
    const text = out.text();
    expect(text).toContain(`Index (${c.dir})`);
    // The Surface Go transcript spans two chapters, so two windows.
    expect(text).toContain('ok   opened: 1 videos (1 indexed), 2 segments, 2 stored vectors');
    expect(text).toContain('ok   embedder pinned: use-lite (512-d)');
    expect(text).toContain('ok   vector index: 2 vectors for 2 segments');
    expect(text).toContain('ok   requests go through the proxy http://user:***@proxy.local:3128 (from the environment)');
    expect(text).not.toContain('secret');
    expect(text).toContain('warn request to YouTube failed (error): network error on /youtubei/v1/player: fetch failed after 1 attempts');
    expect(text).toContain('cause: TransientError: network error on /youtubei/v1/player: fetch failed');
    expect(text).toContain('cause: TypeError: fetch failed');
    expect(text).toContain('cause: Error: getaddrinfo ENOTFOUND www.youtube.com [ENOTFOUND]');
    expect(text).toContain('diagnosis: DNS lookup failed: this machine is offline or cannot resolve www.youtube.com.');
    expect(text).toMatch(/usual causes:[\s\S]*offline \/ DNS[\s\S]*proxy[\s\S]*bot check[\s\S]*429/);
  });

  it('a bot check (real recording) is diagnosed as needing cookies; an empty data folder is not an error', async () => {
    const seam = recordedWorld({ '/youtubei/v1/player': () => json(botCheckPlayer()) });
    const config = loadConfig({ EPISODIC_DATA: mkdtempSync(join(tmpdir(), 'episodic-yt-doctor-')) });
    const out = capture();
    expect(await runDoctor(config, values(), {}, { fetch: seam.fetch, stdout: out.stream })).toBe(0);
    expect(out.text()).toContain('warn no index yet');
    expect(out.text()).toContain('ok   no proxy configured');
    expect(out.text()).toMatch(/warn request to YouTube failed \(blocked\): Sign in to confirm you’re not a bot/);
    expect(out.text()).toContain('diagnosis: YouTube shows a bot check or consent wall: pass --cookies');
    expect(seam.log.map((r) => r.body?.videoId)).toEqual([DOCTOR_VIDEO_ID]);
  });
});
