import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { packagePath } from '../indexer/package-root.ts';
import { EmbedderPool } from '../indexer/embed/pool.ts';
import { cachedEmbedder } from '../indexer/embed/cache.ts';
import type { Embedder } from '../indexer/embed/embedder.ts';
import { openEmbedder, pinnedSpec, type EmbedderSpec } from '../indexer/embed/spec.ts';
import { cookieHeaderFromNetscape } from '../indexer/sources/cookies.ts';
import { proxiedFetch } from '../indexer/sources/proxy.ts';
import { acquireWriteLock, IndexLockedError } from '../indexer/store/lock.ts';
import { checkWritableDataDir } from '../indexer/store/data-dir.ts';
import type { JobManagerDeps } from '../core/job-manager.ts';
import { Store } from '../indexer/store/store.ts';
import { transformersOptions, type Config } from '../core/config.ts';
import { coreDeps } from '../core/deps.ts';
import { VERSION } from '../core/version.ts';

export const WEB_DIR = packagePath('web/dist');

export interface RunningServer {
  url: string;
  server: Server;
  note: string;
  close(): Promise<void>;
}

/** Texts whose vectors the server remembers: questions and the answer sentences they lead to. */
const QUERY_CACHE_ENTRIES = 5000;

/**
 * One message per query worker at a time: the rest wait in the pool, where questions go ahead of
 * answers' sentences and concurrent questions are embedded together (see EmbedderPool).
 */
const QUERY_POOL = { inFlight: 1 };

/**
 * The embedder the server computes with. The bundled encoder runs on the calling thread (~50 ms
 * for a question, a second for the 24 sentences an offline answer ranks), which would stall every
 * other request, so it runs on a worker thread and the event loop stays free for I/O; on an index
 * it built, it is not even loaded on the main thread. Transformers.js (onnxruntime) already
 * computes off the main thread.
 */
async function openComputing(config: Config, store: Store): Promise<{ computing: Embedder; note: string; spec: EmbedderSpec }> {
  // An explicit use-lite on a USE-lite index is the same embedder as auto; any mismatch is caught below.
  const kept = pinnedSpec(config.embedder === 'transformers' ? 'transformers' : 'auto', store.embedderId, transformersOptions(config));
  if (kept?.spec.kind === 'use-lite') return { computing: await startQueryWorkers(kept.spec, config.queryWorkers), ...kept };
  const opened = await openEmbedder(config.embedder, store.embedderId, transformersOptions(config));
  if (store.embedderId) store.pin(opened.embedder);
  if (opened.spec.kind !== 'use-lite') return { computing: opened.embedder, note: opened.note, spec: opened.spec };
  const pool = await startQueryWorkers(opened.spec, config.queryWorkers);
  await opened.embedder.close();
  return { computing: pool, note: opened.note, spec: opened.spec };
}

/**
 * The query workers: the server answers once the first has loaded its model, and the others load
 * behind it (on a 2-core machine, two model loads at once next to the server's own start-up made
 * the first search wait ~0.8 s longer).
 */
async function startQueryWorkers(spec: EmbedderSpec, size: number): Promise<EmbedderPool> {
  const pool = await EmbedderPool.startFirst(spec, size, QUERY_POOL);
  // A pool closed while its later workers load (e.g. the port was in use) ended them on purpose: nothing to report.
  pool.joined.catch((err: Error) => {
    if (!pool.isClosed) console.error(`[episodic] ${err.message}; searching with ${pool.size} query worker(s)`);
  });
  return pool;
}

/** Express, the routes, the MCP server, the job queue and its sources: loaded while the encoder loads. */
async function loadHttpModules() {
  const [{ createApp }, { createJobManager }, { createFeedSource }, { createYouTubeSource }] = await Promise.all([
    import('./app.ts'),
    import('../core/job-manager.ts'),
    import('../indexer/sources/feed.ts'),
    import('../indexer/sources/youtube.ts'),
  ]);
  return { createApp, createJobManager, createFeedSource, createYouTubeSource };
}

export interface ServerOptions {
  /** Where YouTube jobs read videos from; the soak script swaps YouTube for a recorded stand-in. */
  createSource?: JobManagerDeps['createSource'];
}

/** Opens the index and the embedder, then listens. The caller prints and handles signals. */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  // Writable is required (SQLite's write-ahead log, jobs, saved summaries); low space only warns,
  // since searching a nearly full disk still works.
  const freeMb = checkWritableDataDir(config.dataDir, 0);
  const lowSpace = freeMb !== undefined && freeMb < config.minFreeMb ? `; warning: only ${freeMb.toFixed(0)} MB free on the index's disk, adding videos may fail` : '';
  const store = Store.open(config.dataDir, { verify: 'never' });
  // The encoder loads on worker threads (about a second) while this thread checks the pages, loads
  // the HTTP side's modules and reads the vector index: started together rather than one after
  // the other. Settled at once, so a failure while this thread is busy is not an unhandled rejection.
  const computingLoad = openComputing(config, store).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  let modules: Awaited<ReturnType<typeof loadHttpModules>>;
  try {
    // Pages are checked as for every command (Store.open): a small index every time, a big one when
    // it changed since its last passing check. A page that goes bad later fails the request that
    // reads it with the same `episodic repair` error (app.ts).
    store.checkPages();
    [modules] = await Promise.all([loadHttpModules(), store.loadVectors()]);
  } catch (err) {
    const loaded = await computingLoad;
    if ('value' in loaded) await loaded.value.computing.close();
    store.close();
    throw err;
  }
  const loaded = await computingLoad;
  if ('error' in loaded) {
    store.close();
    throw loaded.error;
  }
  const { createApp, createJobManager, createFeedSource, createYouTubeSource } = modules;
  const { computing, note, spec } = loaded.value;
  const embedder = cachedEmbedder(computing, QUERY_CACHE_ENTRIES);
  // An empty index has no vector index until openComputing pinned the embedder.
  store.vectors();
  const { llm } = coreDeps(config, store, embedder);
  const cookies = config.youtube.cookiesFile
    ? cookieHeaderFromNetscape(readFileSync(config.youtube.cookiesFile, 'utf8'), config.youtube.cookiesFile, Date.now())
    : undefined;
  const youtubeFetch = config.httpsProxy ? proxiedFetch(config.httpsProxy) : undefined;
  const jobs = createJobManager({
    store,
    embedder: computing,
    createSource: options.createSource ?? (({ lang }) => createYouTubeSource({ lang: lang ?? config.youtube.lang, cookies, fetch: youtubeFetch })),
    // Feeds go through the same proxy as YouTube and take the same language priority.
    createFeedSource: ({ lang }) => createFeedSource({ lang: lang ?? config.youtube.lang, fetch: youtubeFetch }),
    acquireLock: () => acquireWriteLock(config.dataDir),
    // The bundled encoder computes on the calling thread: jobs embed on a worker of their own so
    // searches stay quick during an ingest. Transformers.js already runs off the main thread.
    startIngestEmbedder: spec.kind === 'use-lite' ? () => EmbedderPool.start(spec, 1) : undefined,
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
    // A job running here holds the lock under this same pid, which acquireWriteLock would take over.
    acquireLock: () => {
      if (jobs.list().some((j) => j.status === 'running' || j.status === 'queued')) {
        throw new IndexLockedError(process.pid);
      }
      return acquireWriteLock(config.dataDir);
    },
    rateLimit: config.rateLimit,
    corsOrigins: config.corsOrigins,
  });
  let server: Server;
  try {
    server = await new Promise<Server>((resolveListen, reject) => {
      const s = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolveListen(s)));
      s.once('error', reject);
    });
  } catch (err) {
    // The port is taken or not allowed: let go of the worker threads and the index, so the
    // process can end with the one-sentence error instead of hanging.
    await jobs.close();
    await embedder.close();
    store.close();
    throw err;
  }
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    server,
    note: `${note}; answers: ${llm ? `model ${llm.model}` : 'extractive (no language model configured)'}${lowSpace}`,
    close: async () => {
      await jobs.close(); // lets in-flight videos be written, pauses the job, releases the lock
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await embedder.close();
      store.close();
    },
  };
}
