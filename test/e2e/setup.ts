import { cpSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { CHROMIUM, CHROMIUM_ARGS, guardNetwork, type NetworkOptions } from './browser.ts';
import { ensureWebBuilt } from './web-build.ts';

/** Shared set-up of the browser tests: a real server on a private copy of the Lexicap index, and Chromium. */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the tests leave their screenshots. */
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/**
 * Builds the UI if it is stale, then copies the shared real index (four Lexicap episodes, see
 * global-setup.ts) into `<dir>/data` of a fresh temporary folder, so a test file can add to it.
 */
export async function copyLexicapIndex(prefix: string): Promise<{ dir: string; dataDir: string }> {
  await ensureWebBuilt(ROOT);
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const dataDir = join(dir, 'data');
  try {
    cpSync(inject('lexicapIndex'), dataDir, { recursive: true });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, dataDir };
}

/** Serves `dataDir` on a free port, finds the Chomsky episode's id, and launches Chromium. */
export async function startUi(dataDir: string): Promise<{ server: RunningServer; browser: Browser; lexId: string }> {
  const server = await startServer(loadConfig({}, { dataDir, port: 0, embedder: 'use-lite' }));
  try {
    const videos = (await (await fetch(`${server.url}/api/videos`)).json()) as { videos: { id: string; title: string }[] };
    const lexId = videos.videos.find((v) => v.title.includes('Chomsky'))!.id;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    return { server, browser, lexId };
  } catch (err) {
    await server.close();
    throw err;
  }
}

/** What a browser test file holds on to; any part may be missing when its set-up failed early. */
export interface UiRun {
  server?: RunningServer;
  browser?: Browser;
  dir?: string;
  /** Every context opened, closed at the end. */
  contexts: BrowserContext[];
  /** Requests refused by `guardNetwork`, and page errors. */
  blocked: string[];
}

/** A page in a fresh context: 1400×900 unless told, network limited to the test server. */
export async function openPage(run: UiRun, path: string, opts: NetworkOptions & { width?: number; height?: number } = {}): Promise<Page> {
  const context = await run.browser!.newContext({ viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 }, baseURL: run.server!.url });
  run.contexts.push(context);
  await guardNetwork(context, run.blocked, { offline: opts.offline, local: opts.local });
  const page = await context.newPage();
  page.on('pageerror', (err) => run.blocked.push(`pageerror: ${err.message}`));
  await page.goto(path);
  return page;
}

/** Closes every context, the browser and the server, and removes the temporary folder. */
export async function closeUi(run: UiRun): Promise<void> {
  for (const c of run.contexts) await c.close().catch(() => {});
  await run.browser?.close();
  await run.server?.close();
  if (run.dir) await rm(run.dir, { recursive: true, force: true });
}
