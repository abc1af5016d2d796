import Database from 'better-sqlite3';
import express, { type ErrorRequestHandler } from 'express';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { DB_FILE, Store } from '../../indexer/store/store.ts';
import { AppError } from '../../server/errors.ts';
import type { SummaryDeps } from '../../core/summary/episode.ts';
import { summaryRoutes } from '../../server/routes/summaries.ts';
import { topicRoutes } from '../../server/routes/topics.ts';
import { startLlmServer, type LlmServer } from '../helpers/llm-server.ts';

/**
 * A private copy of the shared test index (opened read-only for the backup), so summary tests
 * can write their cache table without touching the index other test files read.
 */
export async function copyIndex(sharedDir: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'episodic-summary-index-'));
  mkdirSync(dir, { recursive: true });
  const src = new Database(join(sharedDir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    await src.backup(join(dir, DB_FILE));
  } finally {
    src.close();
  }
  return dir;
}

/** The summary and topic routes in an app with the same error mapping as createApp. */
export async function listenSummaryApp(deps: SummaryDeps): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(express.json());
  app.use(summaryRoutes(deps));
  app.use(topicRoutes(deps));
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    if (err instanceof AppError) res.status(err.status).json({ error: err.message });
    else res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, server };
}

/** What the summary test files share: a private index copy, the embedder, a scripted model server, and the routes over HTTP. */
export interface SummaryFixture {
  dir: string;
  store: Store;
  embedder: Embedder;
  llmServer: LlmServer;
  http: { url: string; server: Server };
}

/** Opens a summary fixture on a copy of `sharedDir` (closing what it opened if a step fails). */
export async function openSummaryFixture(sharedDir: string): Promise<SummaryFixture> {
  const f: Partial<SummaryFixture> = { dir: await copyIndex(sharedDir) };
  try {
    const store = (f.store = Store.open(f.dir!));
    const embedder = (f.embedder = await createUseLiteEmbedder());
    f.llmServer = await startLlmServer();
    f.http = await listenSummaryApp({ store, embedder });
    return f as SummaryFixture;
  } catch (err) {
    await closeSummaryFixture(f);
    throw err;
  }
}

/** Closes whatever part of a summary fixture was opened, and removes its index copy. */
export async function closeSummaryFixture({ http, llmServer, embedder, store, dir }: Partial<SummaryFixture>): Promise<void> {
  if (http) await new Promise((r) => (http.server.closeAllConnections(), http.server.close(r)));
  await llmServer?.close();
  await embedder?.close();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** The numbered transcript blocks of a prompt: number → text. */
export function promptSources(content: string): Map<number, string> {
  return new Map([...content.matchAll(/<transcript source="(\d+)">\n([\s\S]*?)\n<\/transcript>/g)].map((m) => [Number(m[1]), m[2]]));
}

/** A few consecutive words from the middle of a text, as a model would paraphrase it. */
export function middleWords(text: string, n = 8): string {
  const words = text.split(/\s+/).filter(Boolean);
  const at = Math.max(0, Math.floor(words.length / 2) - Math.floor(n / 2));
  return words.slice(at, at + n).join(' ').replace(/[[\]<>]/g, '');
}
