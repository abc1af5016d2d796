import express, { type ErrorRequestHandler, type Express } from 'express';
import { existsSync } from 'node:fs';
import type { Health } from '../core/contract/api.ts';
import { cors } from './cors.ts';
import { explainStorageError, type DataDirProblem } from '../indexer/store/data-dir.ts';
import type { CoreDeps } from '../core/deps.ts';
import { CoreError, HTTP_STATUS } from '../core/errors.ts';
import { libraryStats } from '../core/library.ts';
import { AppError } from './errors.ts';
import { rateLimiter } from './rate-limit.ts';
import { fallbackPage } from './page.ts';
import type { JobManager } from '../core/job-manager.ts';
import { askRoutes } from './routes/ask.ts';
import { jobRoutes } from './routes/jobs.ts';
import { mcpRoutes } from './routes/mcp.ts';
import { searchRoutes } from './routes/search.ts';
import { summaryRoutes } from './routes/summaries.ts';
import { topicRoutes } from './routes/topics.ts';
import { videoRoutes } from './routes/videos.ts';

/** The core's dependencies (index, embedder, model) and what only the HTTP server needs. */
export interface AppDeps extends CoreDeps {
  /** Why this embedder was chosen (shown in /api/health). */
  embedderNote: string;
  version: string;
  /** Folder with the built web UI; a minimal page is served when it is missing. */
  webDir?: string;
  /** Largest JSON body accepted. */
  bodyLimit?: string;
  /** Runs YouTube ingest jobs in-process (POST /api/videos). */
  jobs?: JobManager;
  /** Bearer token that allows mutations from non-loopback clients. */
  adminToken?: string;
  /** Takes the index's write lock (DELETE /api/videos/:id); unset: removal is refused. */
  acquireLock?: () => () => void;
  /** Requests per minute per client on the expensive endpoints; 0 or unset = unlimited. */
  rateLimit?: number;
  /** Browser origins allowed cross-origin access; unset or empty = none. */
  corsOrigins?: readonly string[];
}

// Endpoints that call the model, write the summary cache or start ingest jobs: worth limiting.
const RATE_LIMITED: readonly ['get' | 'post', string][] = [
  ['post', '/api/ask'],
  ['post', '/api/topics'],
  ['get', '/api/videos/:id/summary'],
  ['post', '/api/videos'],
  ['post', '/mcp'],
];

/** Builds the Express app over an open index. No listening, no env: main.ts does that. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(cors(deps.corsOrigins ?? []));
  // Before body parsing, so a client over its limit costs no parsing either.
  if (deps.rateLimit) {
    for (const [method, path] of RATE_LIMITED) {
      // One limiter per endpoint, so a burst of questions does not block adding videos.
      const limit = rateLimiter(deps.rateLimit);
      if (method === 'get') app.get(path, limit);
      else app.post(path, limit);
    }
  }
  app.use(express.json({ limit: deps.bodyLimit ?? '64kb' }));

  app.get('/api/health', (_req, res) => {
    const s = libraryStats(deps.store);
    const body: Health = {
      status: 'ok',
      version: deps.version,
      embedder: { id: deps.embedder.id, dimension: deps.embedder.dimension, note: deps.embedderNote },
      llm: deps.llm ? { model: deps.llm.model } : null,
      index: {
        embedder: deps.store.embedderId ?? null,
        videos: s.videos,
        indexed: s.indexed,
        segments: s.segments,
        hours: Math.round(s.hours * 10) / 10,
      },
    };
    res.json(body);
  });
  app.use(searchRoutes(deps));
  app.use(askRoutes(deps));
  app.use(videoRoutes({ store: deps.store, acquireLock: deps.acquireLock, adminToken: deps.adminToken }));
  app.use(summaryRoutes(deps));
  app.use(topicRoutes(deps));
  if (deps.jobs) app.use(jobRoutes({ jobs: deps.jobs, adminToken: deps.adminToken }));
  app.use(mcpRoutes(deps));
  app.use('/api', (_req, _res, next) => next(new AppError('not_found', 404, 'no such API endpoint')));

  if (deps.webDir && existsSync(deps.webDir)) {
    app.use(express.static(deps.webDir, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile('index.html', { root: deps.webDir }));
  } else {
    app.get('/', (_req, res) => res.type('html').send(fallbackPage(libraryStats(deps.store).indexed)));
  }

  app.use(errorHandler);
  return app;
}

const STORAGE_RESPONSES: Record<DataDirProblem, [number, string]> = {
  disk_full: [507, 'the disk holding the index is full: free some space on the server, then try again'],
  read_only: [503, 'the index folder is read-only on the server'],
  corrupt: [503, 'the index is damaged: run `episodic repair` on the server'],
  not_a_folder: [503, 'the index folder is not usable on the server'],
};

/** Renders every error as `{error}` with its status; internal details never reach the client. */
const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof CoreError && err.kind !== 'internal') {
    res.status(err instanceof AppError ? err.status : HTTP_STATUS[err.kind]).json({ error: err.message });
    return;
  }
  const e = err as { type?: string; status?: number; expose?: boolean; message?: string };
  if (e.type === 'entity.too.large') {
    res.status(413).json({ error: 'request body too large' });
    return;
  }
  if (e.status && e.status >= 400 && e.status < 500 && e.expose) {
    res.status(e.status).json({ error: e.type === 'entity.parse.failed' ? 'malformed JSON body' : (e.message ?? 'bad request') });
    return;
  }
  // The data folder failing (full disk, read-only, damaged file): say so, without its path.
  const storage = explainStorageError(err, '');
  if (storage) {
    console.error(`[episodic] ${storage.message}`);
    const [status, message] = STORAGE_RESPONSES[storage.problem];
    res.status(status).json({ error: message });
    return;
  }
  console.error('[episodic] unexpected error:', err);
  res.status(500).json({ error: 'internal error' });
};
