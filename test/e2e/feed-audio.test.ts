/**
 * A podcast feed end to end: `POST /api/videos` with a feed URL on the real server, the job run
 * to its end, search and answers over the episodes, and in Chromium a cited answer whose chip
 * opens the episode page and seeks its `<audio>` (a real WAV served by the stand-in host) to the
 * cited second. The host is feed-world.ts on 127.0.0.1; its feeds are CONSTRUCTED.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskResponse, JobView, SearchResponse, VideoDetail, VideoSummary } from '../../core/contract/api.ts';
import { loadConfig } from '../../core/config.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { startFeedWorld, type FeedWorld } from '../feeds/feed-world.ts';
import { CHROMIUM, CHROMIUM_ARGS, guardNetwork } from './browser.ts';
import { ARTIFACTS, ROOT } from './setup.ts';
import { ensureWebBuilt } from './web-build.ts';

const ready = existsSync(CHROMIUM);
const eventually = <T>(fn: () => T | Promise<T>, timeout = 20_000) => expect.poll(fn, { timeout, interval: 100 });
const QUESTION = 'why does a sourdough starter smell like green apples';

describe.skipIf(!ready)('a podcast feed over HTTP and in the browser, with the audio player', () => {
  let world: FeedWorld;
  let server: RunningServer;
  let browser: Browser;
  let dir: string;
  const contexts: BrowserContext[] = [];
  const blocked: string[] = [];
  const api = async <T>(path: string, init?: RequestInit) => {
    const res = await fetch(`${server.url}${path}`, init);
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    await ensureWebBuilt(ROOT);
    mkdirSync(ARTIFACTS, { recursive: true });
    world = await startFeedWorld();
    dir = await mkdtemp(join(tmpdir(), 'episodic-feed-ui-'));
    server = await startServer(loadConfig({}, { dataDir: join(dir, 'data'), port: 0, embedder: 'use-lite' }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
    await world?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const open = async (path: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, baseURL: server.url });
    contexts.push(context);
    await guardNetwork(context, blocked);
    const page = await context.newPage();
    page.on('pageerror', (err) => blocked.push(`pageerror: ${err.message}`));
    await page.goto(path);
    return page;
  };

  it('POST /api/videos takes a feed URL; the job lists every episode with its status', async () => {
    const bad = await api<{ error: string }>('/api/videos', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ source: 'ftp://example.com/feed.xml' }) });
    expect(bad).toEqual({ status: 400, body: { error: expect.stringContaining('a podcast feed is added by its http(s) URL') } });

    const started = await api<{ jobId: number }>('/api/videos', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ source: `${world.base}/show.xml` }) });
    expect(started.status).toBe(202);
    const job = async () => (await api<JobView>(`/api/jobs/${started.body.jobId}`)).body;
    await eventually(async () => (await job()).status, 120_000).toBe('done');
    expect(await job()).toMatchObject({ kind: 'feed', source: `${world.base}/show.xml`, total: 5, counts: { indexed: 2, error: 1, no_transcript: 2 } });

    const { videos } = (await api<{ videos: VideoSummary[] }>('/api/videos')).body;
    expect(videos.map((v) => [v.title, v.status]).sort()).toEqual([
      ['An episode with no transcript at all', 'no_transcript'],
      ['Caramelised onions – patience is sweet', 'indexed'],
      ['Only an untimed HTML transcript', 'no_transcript'],
      ['Sourdough & the smell of green apples', 'indexed'],
      ['The lost transcript', 'error'],
    ]);
    expect(videos.every((v) => v.audioUrl?.startsWith(`${world.base}/audio/`) && v.youtubeId === null)).toBe(true);

    // Searchable, with deep links to Episodic's own page at the second.
    const { results } = (await api<SearchResponse>(`/api/search?q=${encodeURIComponent('ethyl acetate ester')}`)).body;
    expect(results[0]).toMatchObject({ title: 'Sourdough & the smell of green apples', channel: 'Kitchen Science & Friends' });
    expect(results[0].url).toMatch(new RegExp(`^/episode/${results[0].videoId}\\?t=\\d+$`));
  });

  it('a cited answer from a feed episode seeks the <audio> element to the cited second', async () => {
    const answer = (await api<AskResponse>('/api/ask', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ question: QUESTION }) })).body;
    const cited = answer.citations.find((c) => c.title.startsWith('Sourdough'))!;
    expect(cited).toBeDefined();
    expect(cited.url).toBe(`/episode/${cited.videoId}?t=${Math.floor(cited.start)}`);
    const detail = (await api<VideoDetail>(`/api/videos/${cited.videoId}`)).body;
    // The citation is a real cue of the transcript.
    expect(detail.transcript.some((c) => c.start === cited.start && cited.quote.length > 0)).toBe(true);

    const page = await open(`/?q=${encodeURIComponent(QUESTION)}`);
    const chip = page.locator('article.answer a.time').first();
    await chip.waitFor();
    await page.waitForFunction(() => !document.querySelector('article.answer[aria-busy="true"]'));
    const href = new URL((await chip.getAttribute('href'))!, server.url);
    const id = decodeURIComponent(href.pathname.replace('/episode/', ''));
    const t = Number(href.searchParams.get('t'));
    const chipDetail = (await api<VideoDetail>(`/api/videos/${encodeURIComponent(id)}`)).body;
    expect(chipDetail.audioUrl).not.toBeNull();
    await chip.click();
    await page.waitForURL(/\/episode\//);

    const audio = page.locator('audio');
    await audio.waitFor();
    expect(await audio.getAttribute('src')).toBe(chipDetail.audioUrl);
    await eventually(() => audio.evaluate((el: HTMLAudioElement) => el.readyState)).toBeGreaterThanOrEqual(1);
    await eventually(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime)).toBeCloseTo(t, 1);
    // No YouTube player for a feed episode; the artwork is the episode's.
    expect(await page.getByTestId('yt-stand-in').count()).toBe(0);
    expect(await page.locator('[data-testid="audio-episode"] img').getAttribute('src')).toBe(chipDetail.thumbnail);

    // The synced transcript follows the audio: moving the playhead moves the highlighted line.
    const line = chipDetail.transcript[chipDetail.transcript.length - 2];
    await audio.evaluate((el: HTMLAudioElement, s: number) => (el.currentTime = s), line.start + 0.2);
    await eventually(() => page.locator('[aria-label="Transcript"] button[aria-current="time"]').textContent()).toContain(line.text.slice(0, 30));

    // Clicking a transcript line seeks the audio and keeps ?t= in the URL.
    const first = chipDetail.transcript[1];
    await page.locator('[aria-label="Transcript"] button').nth(1).click();
    await eventually(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime)).toBeCloseTo(first.start, 1);
    expect(Number(new URL(page.url()).searchParams.get('t'))).toBe(first.start);
    await page.screenshot({ path: join(ARTIFACTS, 'episode-audio.png') });

    // The deep link of a citation opens the page at the second directly.
    const direct = await open(`/episode/${encodeURIComponent(cited.videoId)}?t=${Math.floor(cited.start)}`);
    await eventually(() => direct.locator('audio').evaluate((el: HTMLAudioElement) => el.currentTime)).toBeCloseTo(Math.floor(cited.start), 1);
    expect(blocked).toEqual([]);
  });
});
