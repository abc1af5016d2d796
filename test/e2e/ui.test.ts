import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskResponse, VideoDetail } from '../../core/contract/api.ts';
import type { RunningServer } from '../../server/main.ts';
import { activeCueIndex } from '../../web/src/lib/text/active-cue.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { ingestFiles } from '../../indexer/ingest.ts';
import { Store } from '../../indexer/store/store.ts';
import { CHROMIUM, type NetworkOptions } from './browser.ts';
import { ARTIFACTS, closeUi, copyLexicapIndex, openPage, startUi } from './setup.ts';

const XSS = '<img src=x onerror="window.__xss=1">';

/** Polls generously: the machine is shared and the first paint can be slow. */
const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

const ready = existsSync(CHROMIUM);
const QUESTION = 'how does language relate to thought';

describe.skipIf(!ready)('web UI end to end (real server, Chromium)', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let lexId = '';
  let lex: VideoDetail;
  const contexts: BrowserContext[] = [];
  const blocked: string[] = [];

  beforeAll(async () => {
    // The shared real index (four Lexicap episodes, see global-setup.ts), copied so this test can add to it…
    const copy = await copyLexicapIndex('episodic-ui-');
    dir = copy.dir;
    const dataDir = copy.dataDir;
    // …a transcript whose words look like markup: the UI must show them, not run them.
    const xssFile = join(dir, 'notes-xss.vtt');
    const escaped = XSS.replace(/</g, '&lt;').replace(/>/g, '&gt;');
    writeFileSync(xssFile, `WEBVTT\n\n00:00.000 --> 00:04.000\nWelcome to the markup notes.\n\n00:04.000 --> 00:09.000\nSomeone pasted ${escaped} into the chat.\n\n00:09.000 --> 00:15.000\nIt should show up as plain words.\n`);
    writeFileSync(join(dir, 'notes-xss.json'), JSON.stringify({ title: 'Markup notes <script>window.__xss=2</script>', channel: 'Test notes', publishedAt: '2020-02-02' }));
    const store = Store.open(dataDir);
    const embedder = await createUseLiteEmbedder();
    try {
      const summary = await ingestFiles({ store, embedder }, [xssFile], {});
      expect(summary.added).toBe(1);
    } finally {
      await embedder.close();
      store.close();
    }
    ({ server, browser, lexId } = await startUi(dataDir));
    lex = await detail(lexId);
  }, 300_000);

  afterAll(() => closeUi({ server, browser, dir, contexts, blocked }));

  /** A page in a fresh context: 1400×900 unless told, network limited to the test server (`noAsk`: as if /api/ask did not exist). */
  const open = (path: string, opts: NetworkOptions & { width?: number; height?: number; noAsk?: boolean } = {}): Promise<Page> =>
    openPage({ server, browser, contexts, blocked }, path, {
      ...opts,
      local: async (route, url) => {
        if (url.pathname !== '/api/ask') return false;
        if (!opts.noAsk) return false;
        await route.fulfill({ status: 404, json: { error: 'no such API endpoint' } });
        return true;
      },
    });

  const detail = async (id: string) => (await (await fetch(`${server.url}/api/videos/${encodeURIComponent(id)}`)).json()) as VideoDetail;
  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
  const seeks = (page: Page) => page.evaluate(() => (window as unknown as { __yt?: { seeks: number[] } }).__yt?.seeks ?? []);
  const cueAt = (t: number, video = lex) => video.transcript[activeCueIndex(video.transcript.map((c) => c.start), t)];
  const activeLine = (page: Page) => page.locator('[aria-label="Transcript"] button[aria-current="time"]');
  const waitPlayer = (page: Page) => page.waitForFunction(() => (window as unknown as { __yt?: { ready: boolean } }).__yt?.ready === true);

  it('answers with citation chips and source cards; a chip opens the cited second beside the answer', async () => {
    const page = await open(`/?q=${encodeURIComponent(QUESTION)}`);
    await page.locator('a.moment').first().waitFor();
    await eventually(() => page.locator('.sources mark').count()).toBeGreaterThan(0);
    // Offline, the answer is quoted passages; each one's time link is its citation.
    const chip = page.locator('article.answer a.time').first();
    await chip.waitFor();
    await page.waitForFunction(() => !document.querySelector('article.answer[aria-busy="true"]'));
    await shot(page, 'ask');

    {
      // Each passage's link goes to the server's citation for its marker.
      const res = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ question: QUESTION }) });
      const { citations } = (await res.json()) as AskResponse;
      const links = await page
        .locator('article.answer a.time')
        .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href') ?? '', n: Number(a.querySelector('.n')?.textContent) })));
      expect(links.length).toBeGreaterThan(0);
      for (const { href, n } of links) expect(Number(new URL(href, server.url).searchParams.get('t'))).toBe(citations[n - 1].start);
    }
    const href = new URL((await chip.getAttribute('href'))!, server.url);
    const t = Number(href.searchParams.get('t'));
    const cited = await detail(decodeURIComponent(href.pathname.replace('/episode/', '')));
    await chip.click();
    await page.waitForURL(/\/episode\//);
    await waitPlayer(page);
    await eventually(() => seeks(page)).toContainEqual(t);
    await eventually(() => activeLine(page).textContent()).toContain(cueAt(t, cited).text.trim().slice(0, 30));
    await expect(page.locator('section[aria-label="Ask"]').isVisible()).resolves.toBe(true);
    await page.waitForTimeout(600); // let the transcript finish scrolling to the line
    await shot(page, 'episode-beside-answer');

    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/');
    await expect(page.locator('a.moment').first().isVisible()).resolves.toBe(true);
    expect(await page.inputValue('#question')).toBe(QUESTION);

    // Opening another moment beside the answer keeps the answer where the reader was.
    const last = page.locator('a.moment').last();
    await last.scrollIntoViewIfNeeded();
    const before = await page.evaluate(() => window.scrollY);
    expect(before).toBeGreaterThan(0);
    await last.click();
    await page.waitForURL(/\/episode\//);
    await waitPlayer(page);
    expect(await page.evaluate(() => window.scrollY)).toBe(before);
  });

  it('seeks when a transcript line is clicked, follows playback, and keeps ?t= in the URL', async () => {
    const page = await open(`/episode/${lexId}`);
    await waitPlayer(page);
    const lines = page.locator('[aria-label="Transcript"] button');
    expect(await lines.count()).toBe(lex.transcript.length);
    await lines.nth(40).click();
    const cue = lex.transcript[40];
    await eventually(() => seeks(page)).toContainEqual(cue.start);
    await eventually(() => activeLine(page).textContent()).toContain(cue.text.trim().slice(0, 30));
    expect(new URL(page.url()).searchParams.get('t')).toBe(String(cue.start));
    expect(await page.getByTestId('deep-link').getAttribute('href')).toContain(`t=${Math.floor(cue.start)}s`);

    // Playback: the player's clock moves, the highlight follows within a few polls.
    const later = lex.transcript[150];
    await page.evaluate((s) => ((window as unknown as { __yt: { time: number } }).__yt.time = s), later.start + 0.2);
    await eventually(() => activeLine(page).textContent()).toContain(later.text.trim().slice(0, 30));
    await page.waitForTimeout(700);
    await expect(activeLine(page).isVisible()).resolves.toBe(true);
    await shot(page, 'episode');

    await page.getByRole('tab', { name: 'Summary' }).click();
    // Its content is checked in ui-more.test.ts; here only that the tab opens.
    await eventually(() => page.locator('.summary').textContent()).toMatch(/Summarising the episode|TL;DR/);
    // No chapters in this episode: no Chapters tab to open onto nothing.
    expect(await page.getByRole('tab', { name: /Chapters/ }).count()).toBe(0);
  });

  it('shows a slim bar and keeps the one deep link when YouTube is unreachable, and the transcript still seeks', async () => {
    const page = await open(`/episode/${lexId}?t=100`, { offline: true });
    const placeholder = page.getByText('No video player:');
    await placeholder.waitFor();
    // One way out to YouTube (the header's), not two.
    expect(await page.getByRole('link', { name: /on YouTube/ }).count()).toBe(1);
    const watch = page.getByRole('link', { name: /Open on YouTube at 1:40/ });
    expect(await watch.getAttribute('href')).toBe(`https://www.youtube.com/watch?v=${lex.youtubeId}&t=100s`);
    await eventually(() => activeLine(page).textContent()).toContain(cueAt(100).text.trim().slice(0, 30));
    const cue = lex.transcript[60];
    await page.locator('[aria-label="Transcript"] button').nth(60).click();
    await eventually(() => activeLine(page).textContent()).toContain(cue.text.trim().slice(0, 30));
    await eventually(() => page.getByTestId('deep-link').getAttribute('href')).toContain(`t=${Math.floor(cue.start)}s`);
    await shot(page, 'episode-offline');
  });

  it('renders transcript and title text that looks like markup as inert text', async () => {
    const page = await open('/episode/notes-xss');
    await page.getByText(XSS, { exact: false }).waitFor();
    await expect(page.getByRole('heading', { name: 'Markup notes <script>window.__xss=2</script>' }).isVisible()).resolves.toBe(true);
    const search = await open(`/?q=${encodeURIComponent('pasted into the chat')}&channel=Test+notes`);
    await search.locator('a.moment').first().waitFor();
    await eventually(() => search.locator('.sources').textContent()).toContain(XSS);
    for (const p of [page, search]) {
      expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await p.locator('img[src="x"], script:not([src])').count()).toBe(0);
    }
  });

  it('lists the library with status and counts, and filters it', async () => {
    const page = await open('/library');
    const rows = page.locator('[data-nav-list] a[data-nav-item]');
    await eventually(() => rows.count()).toBe(5);
    expect(new Set(await page.locator('.status').allTextContents())).toEqual(new Set(['indexed']));
    await shot(page, 'library');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('library-filter');
    await page.keyboard.type('chomsky');
    await eventually(() => rows.count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('filter')).toBe('chomsky');
  });

  it('works from the keyboard: / focuses the input, j/k move through results, Enter opens', async () => {
    const page = await open('/');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('question');
    await page.keyboard.type('language and evolution');
    await page.keyboard.press('Enter');
    await page.locator('a.moment').nth(1).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    expect(focused).toBe(await page.locator('a.moment').first().getAttribute('href'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/episode\//);
  });

  it('falls back to search results when the server cannot answer', async () => {
    const page = await open(`/?q=${encodeURIComponent('meaning of life')}`, { noAsk: true });
    await page.getByText('cannot write answers yet').waitFor();
    expect(await page.locator('article.answer').count()).toBe(0);
    expect(await page.locator('a.moment').count()).toBeGreaterThan(0);
    await shot(page, 'ask-search-fallback');
  });

  it('shows server errors as readable messages', async () => {
    const missing = await open('/episode/no-such-episode');
    await eventually(() => missing.getByRole('alert').textContent()).toContain('not found');
    const bad = await open('/?q=x&from=2020-01-01&to=2019-01-01');
    await eventually(() => bad.getByRole('alert').textContent()).toContain('from must not be after to');
    await shot(bad, 'error');
    const nowhere = await open('/no/such/page');
    await nowhere.getByText('Page not found').waitFor();
  });

  it('has a dark theme that sticks, and fits a phone screen', async () => {
    const page = await open(`/?q=${encodeURIComponent(QUESTION)}`);
    await page.locator('a.moment').first().waitFor();
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.reload();
    await page.locator('a.moment').first().waitFor();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await shot(page, 'ask-dark');
    await page.goto(`/episode/${lexId}?t=300`);
    await waitPlayer(page);
    await page.waitForTimeout(600);
    await shot(page, 'episode-dark');

    const phone = await open(`/?q=${encodeURIComponent(QUESTION)}`, { width: 390, height: 844 });
    await phone.locator('a.moment').first().waitFor();
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(phone, 'phone-ask', true);
    await phone.locator('a.moment').first().click();
    await waitPlayer(phone);
    await phone.waitForTimeout(600);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(phone, 'phone-episode');
    await phone.goto('/library');
    await phone.locator('a[data-nav-item]').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(phone, 'phone-library');
  });

  it('made no request outside the test machine except the ones it blocked on purpose', () => {
    const unexpected = blocked.filter((u) => !u.startsWith('https://i.ytimg.com/') && !u.startsWith('https://www.youtube.com/iframe_api'));
    expect(unexpected).toEqual([]);
  });
});
