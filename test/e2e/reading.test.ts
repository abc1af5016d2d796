/**
 * The reading experience in Chromium over the real server and the shared Lexicap index: the
 * transcript gets the room (visible line counts), moments that play (seek position and the
 * highlighted line), questions asked inside an episode, conversations kept in the URL across a
 * reload, the library's sort, grouping and remove, the home page; and axe-core on every view.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoDetail } from '../../core/contract/api.ts';
import { activeCueIndex } from '../../web/src/lib/text/active-cue.ts';
import { CHROMIUM, type NetworkOptions } from './browser.ts';
import { ARTIFACTS, closeUi, copyLexicapIndex, openPage, ROOT, startUi, type UiRun } from './setup.ts';

const ready = await import('node:fs').then((fs) => fs.existsSync(CHROMIUM));
const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const SLOW = 60_000;
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const QUESTION = 'what do they think about language and thought';

describe.skipIf(!ready)('reading experience end to end (real server, Chromium, axe-core)', () => {
  const run: UiRun = { contexts: [], blocked: [] };
  let lexId = '';
  let lex: VideoDetail;

  beforeAll(async () => {
    const copy = await copyLexicapIndex('episodic-reading-');
    run.dir = copy.dir;
    const started = await startUi(copy.dataDir);
    Object.assign(run, { server: started.server, browser: started.browser });
    lexId = started.lexId;
    lex = (await (await fetch(`${run.server!.url}/api/videos/${lexId}`)).json()) as VideoDetail;
  }, 300_000);
  afterAll(() => closeUi(run));

  const open = (path: string, opts: NetworkOptions & { width?: number; height?: number } = {}) => openPage(run, path, opts);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `reading-${name}.png`) });
  const seeks = (page: Page) => page.evaluate(() => (window as unknown as { __yt?: { seeks: number[] } }).__yt?.seeks ?? []);
  const activeLine = (page: Page) => page.locator('[aria-label="Transcript"] button[aria-current="time"]');
  const cueAt = (t: number) => lex.transcript[activeCueIndex(lex.transcript.map((c) => c.start), t)];
  /** Transcript lines wholly inside the transcript's scroll box. */
  const visibleLines = (page: Page) =>
    page.evaluate(() => {
      const list = document.querySelector('[aria-label="Transcript"]');
      const box = list?.parentElement?.getBoundingClientRect();
      if (!list || !box) return 0;
      const bottom = Math.min(box.bottom, window.innerHeight);
      return [...list.querySelectorAll('li')].filter((li) => {
        const r = li.getBoundingClientRect();
        return r.top >= box.top - 1 && r.bottom <= bottom + 1;
      }).length;
    });
  /** Where the answer asked inside an episode starts, from the top of the window. */
  const answerTop = (page: Page) =>
    page.locator('section[aria-label="Answer about this episode"] article.answer').evaluate((el) => el.getBoundingClientRect().top);
  const questionTop = (page: Page) =>
    page.locator('section[aria-label="Answer about this episode"] h2.question').evaluate((el) => el.getBoundingClientRect().top);
  const headerBottom = (page: Page) => page.locator('header').first().evaluate((el) => el.getBoundingClientRect().bottom);
  /** Serious and critical axe-core violations on the page as it is now. */
  const axeViolations = async (page: Page) => {
    await page.addScriptTag({ content: AXE });
    const found = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  };

  it('gives the transcript the pane: offline the player is a slim bar, beside an answer and on a phone', async () => {
    const q = encodeURIComponent(QUESTION);
    const t = lex.transcript[200].start;
    const page = await open(`/episode/${lexId}?t=${t}&q=${q}`, { offline: true, width: 1280, height: 800 });
    await page.getByText('No video player:').waitFor({ timeout: SLOW });
    const bar = await page.locator('.frame').boundingBox();
    expect(bar!.height).toBeLessThan(90);
    await eventually(() => visibleLines(page)).toBeGreaterThanOrEqual(12);
    await eventually(() => activeLine(page).isVisible()).toBe(true);
    // Only the words that carry the question are marked, never "think".
    await eventually(() => page.locator('[aria-label="Transcript"] mark').count()).toBeGreaterThan(0);
    const marked = await page.locator('[aria-label="Transcript"] mark').allTextContents();
    expect(marked.map((m) => m.toLowerCase()).filter((m) => /^(think|thinking|what|they|about)$/.test(m))).toEqual([]);
    await shot(page, 'split-offline');

    const phone = await open(`/episode/${lexId}?t=${t}`, { offline: true, width: 390, height: 844 });
    await phone.getByText('No video player:').waitFor({ timeout: SLOW });
    await eventually(() => visibleLines(phone)).toBeGreaterThanOrEqual(8);
    await eventually(() => activeLine(phone).isVisible()).toBe(true);
    await shot(phone, 'phone-offline');
  });

  it('plays a summary moment: seeks the player, switches to the transcript and highlights the line', async () => {
    const page = await open(`/episode/${lexId}`, { width: 1280, height: 800 });
    await page.waitForFunction(() => (window as unknown as { __yt?: { ready: boolean } }).__yt?.ready === true);
    // The Lexicap episodes have no chapters: no empty Chapters tab; downloads sit in the header.
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Transcript', 'Summary']);
    expect(await page.locator('.head a[href$="format=vtt"]').count()).toBe(1);
    expect(await page.locator('.head a[href$="format=srt"]').count()).toBe(1);
    await page.getByRole('tab', { name: 'Summary' }).click();
    const chip = page.locator('.summary button.chip').nth(2);
    await chip.waitFor({ timeout: SLOW });
    const seconds = Number(await chip.getAttribute('data-seconds'));
    await chip.click();
    await eventually(() => page.getByRole('tab', { name: 'Transcript' }).getAttribute('aria-selected')).toBe('true');
    await eventually(() => seeks(page)).toContainEqual(seconds);
    await eventually(() => activeLine(page).textContent()).toContain(cueAt(seconds).text.trim().slice(0, 30));
    await page.waitForTimeout(400);
    await expect(activeLine(page).isVisible()).resolves.toBe(true);
    const inBox = await activeLine(page).evaluate((el) => {
      const box = el.closest('[role="tabpanel"]')!.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= box.bottom;
    });
    expect(inBox).toBe(true);
    expect(Number(new URL(page.url()).searchParams.get('t'))).toBe(seconds);
  });

  it('answers a question asked inside an episode beside its transcript, without leaving it', async () => {
    const page = await open(`/episode/${lexId}?t=${lex.transcript[100].start}`, { width: 1280, height: 800 });
    await page.waitForFunction(() => (window as unknown as { __yt?: { ready: boolean } }).__yt?.ready === true);
    await page.locator('#ask-episode').fill('what is language for');
    await page.locator('#ask-episode').press('Enter');
    await page.locator('section[aria-label="Answer about this episode"] article.answer').waitFor({ timeout: SLOW });
    // The answer is brought into view: its start is on screen, not below the fold under the player.
    await eventually(() => answerTop(page)).toBeGreaterThanOrEqual(0);
    await eventually(() => answerTop(page)).toBeLessThan(800 - 60);
    // Only the column moved: the page did not scroll, and the question is not under the sticky header.
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(await questionTop(page)).toBeGreaterThanOrEqual(await headerBottom(page));
    await shot(page, 'asked-inside-answer');
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/episode/${lexId}`);
    expect(url.searchParams.get('q')).toBe('what is language for');
    expect(url.searchParams.get('video')).toBe(lexId);
    // The episode stayed: no Ask page, no Filters, the player was not rebuilt, the transcript still fills its pane.
    expect(await page.locator('section[aria-label="Ask"]').count()).toBe(0);
    expect(await page.locator('details.filters-toggle').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __yt: { players: unknown[] } }).__yt.players.length)).toBe(1);
    await eventually(() => visibleLines(page)).toBeGreaterThanOrEqual(12);
    // A citation of this episode seeks in place.
    const chip = page.locator('section[aria-label="Answer about this episode"] article.answer a.time').first();
    const t = Number(new URL((await chip.getAttribute('href'))!, run.server!.url).searchParams.get('t'));
    await chip.click();
    await eventually(() => seeks(page)).toContainEqual(t);
    await eventually(() => activeLine(page).textContent()).toContain(cueAt(t).text.trim().slice(0, 30));
    expect(await page.evaluate(() => (window as unknown as { __yt: { players: unknown[] } }).__yt.players.length)).toBe(1);
    await shot(page, 'asked-inside');
  });

  it('asks inside an episode on a phone: a compact box, the answer in the page, the transcript a citation away', async () => {
    const page = await open(`/episode/${lexId}?t=${lex.transcript[100].start}`, { width: 390, height: 844 });
    await page.waitForFunction(() => (window as unknown as { __yt?: { ready: boolean } }).__yt?.ready === true);
    const box = page.locator('#ask-episode');
    expect(await box.isVisible()).toBe(true);
    // Compact (one row, no label on screen): the transcript keeps its lines before anything is asked.
    expect((await page.locator('form.ask-episode').boundingBox())!.height).toBeLessThan(56);
    await eventually(() => visibleLines(page)).toBeGreaterThanOrEqual(5);
    await box.fill('what is language for');
    await box.press('Enter');
    const answer = page.locator('section[aria-label="Answer about this episode"] article.answer');
    await answer.waitFor({ timeout: SLOW });
    expect(new URL(page.url()).pathname).toBe(`/episode/${lexId}`);
    // The answer's start is on screen, and it flows in the page: no scroll box around it.
    await eventually(() => answerTop(page)).toBeGreaterThanOrEqual(0);
    await eventually(() => answerTop(page)).toBeLessThan(844 - 100);
    await eventually(async () => (await questionTop(page)) >= (await headerBottom(page))).toBe(true);
    const boxed = await answer.evaluate((el) => {
      for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
        const o = getComputedStyle(n).overflowY;
        if ((o === 'auto' || o === 'scroll') && n.scrollHeight > n.clientHeight + 1) return n.className;
      }
      return '';
    });
    expect(boxed).toBe('');
    expect(await answer.evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(330);
    await shot(page, 'asked-inside-phone');
    // A citation seeks and brings the transcript, with its highlighted line, into view, with room to read.
    const chip = page.locator('section[aria-label="Answer about this episode"] article.answer a.time').first();
    const t = Number(new URL((await chip.getAttribute('href'))!, run.server!.url).searchParams.get('t'));
    await chip.click();
    await eventually(() => seeks(page)).toContainEqual(t);
    await eventually(() => activeLine(page).textContent()).toContain(cueAt(t).text.trim().slice(0, 30));
    await eventually(() => activeLine(page).evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })).toBe(true);
    // The transcript's tabs land just under the sticky header (the page scrolled to them).
    await eventually(async () => Math.round((await page.locator('[role="tablist"]').first().evaluate((el) => el.getBoundingClientRect().top)) - (await headerBottom(page)))).toBeLessThan(24);
    await eventually(() => visibleLines(page)).toBeGreaterThanOrEqual(10);
    await eventually(() => activeLine(page).evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })).toBe(true);
    await shot(page, 'asked-inside-phone-cited');
  });

  it('keeps a conversation in the URL: a reload shows the whole thread', async () => {
    const page = await open(`/?q=${encodeURIComponent('how does language relate to thought')}`, { width: 1280, height: 800 });
    await page.locator('#follow-up').waitFor({ timeout: SLOW });
    await page.locator('#follow-up').fill('and what about evolution?');
    await page.locator('#follow-up').press('Enter');
    await page.locator('[aria-label="Conversation so far"]').waitFor({ timeout: SLOW });
    await page.locator('#follow-up').waitFor({ timeout: SLOW });
    const url = new URL(page.url());
    expect(url.searchParams.getAll('h')).toEqual(['how does language relate to thought']);
    expect(url.searchParams.get('q')).toBe('and what about evolution?');
    const asks: string[] = [];
    page.on('request', (r) => r.url().endsWith('/api/ask') && asks.push(r.postData() ?? ''));
    await page.reload();
    await page.locator('[aria-label="Conversation so far"] h2').waitFor({ timeout: SLOW });
    expect(await page.locator('[aria-label="Conversation so far"] h2').allTextContents()).toEqual(['how does language relate to thought']);
    await page.locator('article.answer').waitFor({ timeout: SLOW });
    expect(asks).toEqual([]); // this browser kept the turns
    // A shared link (a browser without them) rebuilds the thread by asking again, earlier question first.
    const shared = await open(url.pathname + url.search, { width: 1280, height: 800 });
    await shared.locator('[aria-label="Conversation so far"] h2').waitFor({ timeout: SLOW });
    expect(await shared.locator('[aria-label="Conversation so far"] h2').allTextContents()).toEqual(['how does language relate to thought']);
    await shared.locator('#follow-up').waitFor({ timeout: SLOW });
    // A citation beside the answer keeps the thread in its URL.
    await shared.locator('article.answer a.time').first().click();
    await shared.waitForURL(/\/episode\//);
    expect(new URL(shared.url()).searchParams.getAll('h')).toEqual(['how does language relate to thought']);
  });

  it('sorts and groups the library (kept in the URL) and removes an episode after confirming', async () => {
    const page = await open('/library', { width: 1280, height: 800 });
    const titles = () => page.locator('.row .title').allTextContents();
    await eventually(async () => (await titles()).length).toBe(4);
    // The header and the list count the same episodes.
    await eventually(() => page.locator('p.count').textContent()).toBe('4 of 4 episodes');
    await eventually(() => page.locator('#library-title + p').textContent()).toMatch(/^\s*4 episodes indexed ·/);
    await page.selectOption('#library-sort', 'title');
    await eventually(titles).toEqual([...(await titles())].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true })));
    await page.getByLabel('Group by show').check();
    await eventually(() => new URL(page.url()).search).toBe('?sort=title&group=channel');
    await page.reload();
    await eventually(async () => (await titles()).length).toBe(4);
    expect(await page.inputValue('#library-sort')).toBe('title');
    expect(await page.getByLabel('Group by show').isChecked()).toBe(true);
    expect(await page.locator('h2.group').count()).toBeGreaterThan(0);
    await page.selectOption('#library-sort', 'duration');
    const durations = (await (await fetch(`${run.server!.url}/api/videos`)).json()) as { videos: { title: string; duration: number }[] };
    const longest = [...durations.videos].sort((a, b) => b.duration - a.duration)[0].title;
    await eventually(async () => (await titles())[0]).toBe(longest);
    await page.getByLabel('Group by show').uncheck();

    const victim = (await titles())[3];
    await page.getByRole('button', { name: `Remove ${victim}` }).click();
    await page.getByRole('group', { name: 'Confirm removal' }).getByRole('button', { name: 'Cancel' }).click();
    expect(await titles()).toContain(victim);
    await page.getByRole('button', { name: `Remove ${victim}` }).click();
    await page.getByRole('button', { name: 'Remove episode' }).click();
    await eventually(titles).not.toContain(victim);
    expect((await titles()).length).toBe(3);
    const after = (await (await fetch(`${run.server!.url}/api/videos`)).json()) as { videos: { title: string }[] };
    expect(after.videos.map((v) => v.title)).not.toContain(victim);
    await shot(page, 'library');
  });

  it('home offers questions from the library and recent episodes; no keyboard tip on a phone; no retry on a missing episode', async () => {
    const page = await open('/', { width: 1280, height: 800 });
    const examples = page.locator('.examples a');
    await eventually(() => examples.count()).toBeGreaterThan(0);
    const first = (await examples.first().textContent())!;
    expect(first).toMatch(/^What (did .+ say|was said) about .+\?$/);
    expect(await page.locator('.recent li').count()).toBe(3); // one was removed above
    expect(await page.locator('.keys').isVisible()).toBe(true);
    await examples.first().click();
    await eventually(() => new URL(page.url()).searchParams.get('q')).toBe(first);

    const phone = await open('/', { width: 390, height: 844 });
    await phone.locator('.examples a').first().waitFor({ timeout: SLOW });
    expect(await phone.locator('.keys').isVisible()).toBe(false);

    const missing = await open('/episode/no-such-episode');
    await missing.getByText('Could not open this episode').waitFor({ timeout: SLOW });
    expect(await missing.getByRole('button', { name: 'Try again' }).count()).toBe(0);
  });

  it('has no serious or critical axe-core violations on any view, light and dark', async () => {
    const q = encodeURIComponent('how does language relate to thought');
    const views: [string, string, (p: Page) => Promise<unknown>][] = [
      ['home', '/', (p) => p.locator('.examples a').first().waitFor({ timeout: SLOW })],
      ['ask', `/?q=${q}`, (p) => p.locator('#follow-up').waitFor({ timeout: SLOW })],
      // Beside the answer on a wide screen; the episode alone (with "Back to the answer") on a phone.
      ['split', `/episode/${lexId}?t=60&q=${q}`, (p) => p.locator('[aria-label="Transcript"]').waitFor({ timeout: SLOW })],
      ['episode', `/episode/${lexId}?t=60`, (p) => p.locator('[aria-label="Transcript"]').waitFor({ timeout: SLOW })],
      ['asked-inside', `/episode/${lexId}?q=${q}&video=${lexId}`, (p) => p.locator('section[aria-label="Answer about this episode"] article.answer').waitFor({ timeout: SLOW })],
      ['summary', `/episode/${lexId}`, async (p) => {
        await p.getByRole('tab', { name: 'Summary' }).click();
        await p.locator('.summary button.chip').first().waitFor({ timeout: SLOW });
      }],
      ['library', '/library?group=channel', (p) => p.locator('.row').first().waitFor({ timeout: SLOW })],
      ['topic', `/topic?q=${encodeURIComponent('language')}`, (p) => p.locator('h1, h2').first().waitFor({ timeout: SLOW })],
      ['missing', '/nope', (p) => p.getByText('Page not found').waitFor({ timeout: SLOW })],
    ];
    const problems: string[] = [];
    for (const [width, height] of [[1280, 800], [390, 844]]) {
      for (const dark of [false, true]) {
        for (const [name, path, settle] of views) {
          const page = await open(path, { width, height, offline: true });
          if (dark) await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
          await settle(page);
          await page.waitForTimeout(300);
          for (const v of await axeViolations(page)) problems.push(`${name} ${width}px ${dark ? 'dark' : 'light'}: ${v.id} (${v.impact}) at ${v.nodes.join(', ')}`);
          await page.context().close();
        }
      }
    }
    expect(problems).toEqual([]);
  }, 600_000);
});
