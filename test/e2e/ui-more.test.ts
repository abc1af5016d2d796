import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskRequest, JobView, TopicSummary } from '../../core/contract/api.ts';
import type { RunningServer } from '../../server/main.ts';
import { CHROMIUM } from './browser.ts';
import { ARTIFACTS, closeUi, copyLexicapIndex, openPage, startUi } from './setup.ts';

/** Summaries and topic overviews take seconds on a busy machine; polls wait this long. */
const SLOW = 45_000;
const eventually = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });

const ready = existsSync(CHROMIUM);
const QUESTION = 'how does language relate to thought';
const TOPIC = 'artificial intelligence';

describe.skipIf(!ready)('web UI end to end: adding videos, summaries, topics, follow-ups', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let lexId = '';
  const contexts: BrowserContext[] = [];
  const blocked: string[] = [];

  beforeAll(async () => {
    const copy = await copyLexicapIndex('episodic-ui-more-');
    dir = copy.dir;
    ({ server, browser, lexId } = await startUi(copy.dataDir));
  }, 300_000);

  afterAll(() => closeUi({ server, browser, dir, contexts, blocked }));

  const open = (path: string, size: { width?: number; height?: number } = {}): Promise<Page> => openPage({ server, browser, contexts, blocked }, path, size);

  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
  const seeks = (page: Page) => page.evaluate(() => (window as unknown as { __yt?: { seeks: number[] } }).__yt?.seeks ?? []);
  const waitPlayer = (page: Page) => page.waitForFunction(() => (window as unknown as { __yt?: { ready: boolean } }).__yt?.ready === true);
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it('adds a YouTube video from the library: the job shows up, reaches a final state, and a bad URL is explained', async () => {
    const page = await open('/library');
    const source = page.locator('#add-source');
    // Offline, the server's YouTube source fails at the network: a real, final outcome.
    await source.fill('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const card = page.locator('article[data-job]').first();
    await eventually(() => card.getAttribute('aria-label')).toContain('Video https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    expect(await source.inputValue()).toBe('');
    await eventually(() => card.getAttribute('data-status'), SLOW).toMatch(/^(done|failed|paused)$/);
    const outcome = (await card.locator('.outcome').textContent()) ?? '';
    expect(outcome).toMatch(/^(Done|Finished|Failed|Paused)/);
    const status = await card.getAttribute('data-status');
    if (status === 'done' && (await card.locator('[data-count="error"]').count())) {
      // The job only counts failures; the card names the video's own error from the library.
      await eventually(() => card.locator('.problems').textContent()).toMatch(/\w+/);
    } else if (status !== 'done') {
      await expect(card.locator('.message').textContent()).resolves.toMatch(/\w+/);
      await expect(card.getByRole('button', { name: 'Resume' }).isVisible()).resolves.toBe(true);
    }

    await source.fill('not a url');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await eventually(() => page.locator('.add [role="alert"]').textContent()).toContain('Not a YouTube video, playlist or channel');
    expect(await page.locator('article[data-job]').count()).toBe(1);
    await shot(page, 'library-add');

    // A reload lists the job from GET /api/jobs. Shown as paused by YouTube (it cannot block us
    // offline), it offers Resume, and the real server's refusal is shown on the card.
    const blockedBy = 'YouTube is refusing requests from this address (HTTP 429); paused. Resume later.';
    await page.route('**/api/jobs', async (route) => {
      const body = (await (await route.fetch()).json()) as { jobs: JobView[] };
      await route.fulfill({ json: { jobs: body.jobs.map((j) => ({ ...j, status: 'paused', phase: 'finished', message: blockedBy })) } });
    });
    await page.reload();
    await eventually(() => page.locator('article[data-job]').count()).toBe(1);
    await expect(card.locator('.outcome').textContent()).resolves.toBe('Paused');
    await expect(card.locator('.message').first().textContent()).resolves.toBe(blockedBy);
    const resume = page.waitForRequest((r) => r.method() === 'POST' && /\/api\/jobs\/\d+\/resume$/.test(r.url()));
    await card.getByRole('button', { name: 'Resume' }).click();
    await resume;
    if (status === 'done') await eventually(() => card.getByRole('alert').textContent()).toContain('already done');
  });

  it('summarises an episode with cited sections; a chip seeks the player; Regenerate asks again', async () => {
    const page = await open(`/episode/${lexId}`);
    await waitPlayer(page);
    await page.getByRole('tab', { name: 'Summary' }).click();
    await page.locator('#sum-tldr').waitFor({ timeout: SLOW });
    const headings = await page.locator('.summary h3').allTextContents();
    expect(headings).toEqual(expect.arrayContaining(['TL;DR', 'Key insights']));
    const badge = await page.locator('.summary .badge').textContent();
    expect(badge).toMatch(/Extractive|Written by/);
    const chips = page.locator('.summary button.chip');
    expect(await chips.count()).toBeGreaterThan(3);
    const chip = page.locator('section[aria-labelledby="sum-insights"] button.chip').nth(1);
    const t = Number(await chip.getAttribute('data-seconds'));
    await chip.click();
    await eventually(() => seeks(page)).toContainEqual(t);
    expect(Number(new URL(page.url()).searchParams.get('t'))).toBe(t);
    // The moment is shown in the transcript; the summary is kept and one click away.
    await eventually(() => page.getByRole('tab', { name: 'Transcript' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'Summary' }).click();
    expect(await page.locator('.summary a[download]').first().getAttribute('href')).toBe(`/api/videos/${lexId}/summary?format=md`);
    await shot(page, 'summary');

    const refresh = page.waitForRequest((r) => r.url().includes('/summary?refresh=1'));
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await refresh;
    await page.getByRole('button', { name: 'Regenerate' }).waitFor({ timeout: SLOW });
    expect(await page.locator('.summary [role="alert"]').count()).toBe(0);
  });

  it('follows a topic across episodes: header link, shareable URL, dated timeline with chips, Back', async () => {
    const page = await open('/');
    let posts = 0;
    page.on('request', (r) => r.url().endsWith('/api/topics') && r.method() === 'POST' && posts++);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Topics' }).click();
    await page.waitForURL((u) => u.pathname === '/topic');
    await page.locator('#topic').fill(TOPIC);
    await page.getByRole('button', { name: 'Summarise' }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === TOPIC);
    const timeline = page.locator('[aria-label="Timeline"] > li');
    await timeline.first().waitFor({ timeout: SLOW });

    const res = await fetch(`${server.url}/api/topics`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ topic: TOPIC }) });
    const topic = (await res.json()) as TopicSummary;
    const dates = await timeline.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-published') ?? ''));
    expect(dates.length).toBe(topic.timeline.length);
    expect(dates).toEqual([...dates].sort());
    await expect(page.locator('.counts').textContent()).resolves.toContain(`${topic.counts.episodes} episode`);
    const chip = page.locator('[aria-label="Timeline"] a.chip').first();
    expect(await page.locator('[aria-label="Timeline"] a.chip').count()).toBeGreaterThanOrEqual(topic.timeline.length);
    expect(await page.locator('.episodes a.chip').count()).toBeGreaterThan(0);
    await shot(page, 'topic', true);

    const t = Number(await chip.getAttribute('data-seconds'));
    await chip.click();
    await page.waitForURL(/\/episode\//);
    expect(Number(new URL(page.url()).searchParams.get('t'))).toBe(t);
    await waitPlayer(page);
    await eventually(() => seeks(page)).toContainEqual(t);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/topic' && u.searchParams.get('q') === TOPIC);
    await timeline.first().waitFor();
    expect(posts).toBe(1); // Back shows the overview already made

    const phone = await open(`/topic?q=${encodeURIComponent(TOPIC)}`, { width: 390, height: 844 });
    await phone.locator('[aria-label="Timeline"] > li').first().waitFor({ timeout: SLOW });
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await shot(phone, 'phone-topic', true);
  });

  it('asks a follow-up with the conversation as history; "New question" starts over', async () => {
    const page = await open(`/?q=${encodeURIComponent(QUESTION)}`);
    const bodies: AskRequest[] = [];
    page.on('request', (r) => r.url().endsWith('/api/ask') && bodies.push(r.postDataJSON() as AskRequest));
    await page.locator('#follow-up').waitFor({ timeout: SLOW });
    const first = (await page.locator('article.answer').textContent()) ?? '';
    // The history carries the offline answer's own text, which quotes the passages shown.
    const quote = ((await page.locator('article.answer blockquote').first().textContent()) ?? '').replace(/[“”]/g, '').trim();
    expect(quote.length).toBeGreaterThan(20);
    expect(first).toContain(quote.slice(0, 40));
    await page.locator('#follow-up').fill('what about evolution?');
    await page.locator('#follow-up').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === 'what about evolution?');
    await page.locator('.thread').waitFor();
    await page.locator('#follow-up').waitFor({ timeout: SLOW });

    expect(bodies).toHaveLength(1);
    const history = bodies[0].history ?? [];
    expect(history.map((h) => h.role)).toEqual(['user', 'assistant']);
    expect(history[0].content).toBe(QUESTION);
    expect(history[1].content).not.toMatch(/\[\d+\]/);
    expect(history[1].content).toContain(quote.slice(0, 40));
    await expect(page.locator('.thread h2').textContent()).resolves.toBe(QUESTION);
    expect(await page.locator('.thread a.chip, .thread a.time').count()).toBeGreaterThan(0);

    // Back shows the first answer again without asking; Forward the follow-up.
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('q') === QUESTION);
    await eventually(() => page.locator('.thread').count()).toBe(0);
    await page.goForward();
    await page.locator('.thread').waitFor();
    expect(bodies).toHaveLength(1);

    await page.getByRole('button', { name: 'New question' }).click();
    await page.waitForURL((u) => u.pathname === '/' && !u.search);
    expect(await page.locator('.thread').count()).toBe(0);
    expect(await page.inputValue('#question')).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('question');
  });

  it('made no request outside the test machine except the ones it blocked on purpose', () => {
    const unexpected = blocked.filter((u) => !u.startsWith('https://i.ytimg.com/') && !u.startsWith('https://www.youtube.com/iframe_api'));
    expect(unexpected).toEqual([]);
  });
});
