import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { openEmbedder } from '../indexer/embed/spec.ts';
import { createJobManager } from '../indexer/job-manager.ts';
import { cookieHeaderFromNetscape } from '../indexer/sources/cookies.ts';
import { proxiedFetch } from '../indexer/sources/proxy.ts';
import { createYouTubeSource } from '../indexer/sources/youtube.ts';
import { acquireWriteLock } from '../indexer/store/lock.ts';
import { Store } from '../indexer/store/store.ts';
import { createLlm } from './answer/llm.ts';
import { createApp } from './app.ts';
import { transformersOptions, type Config } from './config.ts';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
export const WEB_DIR = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface RunningServer {
  url: string;
  server: Server;
  note: string;
  close(): Promise<void>;
}

/** Opens the index and the embedder, then listens. The caller prints and handles signals. */
export async function startServer(config: Config): Promise<RunningServer> {
  const store = Store.open(config.dataDir);
  const { embedder, note } = await openEmbedder(config.embedder, store.embedderId, transformersOptions(config));
  if (store.embedderId) store.pin(embedder);
  store.vectors();
  const llm = config.llm ? createLlm(config.llm) : undefined;
  const cookies = config.youtube.cookiesFile
    ? cookieHeaderFromNetscape(readFileSync(config.youtube.cookiesFile, 'utf8'), config.youtube.cookiesFile, Date.now())
    : undefined;
  const youtubeFetch = config.httpsProxy ? proxiedFetch(config.httpsProxy) : undefined;
  const jobs = createJobManager({
    store,
    embedder,
    createSource: ({ lang }) => createYouTubeSource({ lang: lang ?? config.youtube.lang, cookies, fetch: youtubeFetch }),
    acquireLock: () => acquireWriteLock(config.dataDir),
  });
  const app = createApp({
    store,
    embedder,
    embedderNote: note,
    version: VERSION,
    webDir: WEB_DIR,
    bodyLimit: config.bodyLimit,
    llm,
    contextTokens: config.contextTokens,
    jobs,
    adminToken: config.adminToken,
    rateLimit: config.rateLimit,
    corsOrigins: config.corsOrigins,
  });
  const server = await new Promise<Server>((resolveListen, reject) => {
    const s = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolveListen(s)));
    s.once('error', reject);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    server,
    note: `${note}; answers: ${llm ? `model ${llm.model}` : 'extractive (no language model configured)'}`,
    close: async () => {
      await jobs.close(); // lets in-flight videos be written, pauses the job, releases the lock
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await embedder.close();
      store.close();
    },
  };
}
