/**
 * Bad requests against the real app (createApp over a small temp index, listening on a real
 * port): every endpoint answers wrong types, missing fields, oversized bodies, absurd `k`,
 * impossible dates, unknown and path-like ids with the right status and an `{error}` JSON body
 * that carries no stack trace and no filesystem path. Then rate limiting, CORS, and refusing
 * mutations from other machines, each with real requests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { createJobManager, type JobManager } from '../../core/job-manager.ts';
import { ingestTranscript } from '../../indexer/pipeline.ts';
import { parseVtt } from '../../indexer/parse/vtt.ts';
import { Store } from '../../indexer/store/store.ts';
import { createApp, type AppDeps } from '../../server/app.ts';
import { exposureWarning, loadConfig } from '../../core/config.ts';
import { makeVtt } from '../helpers/transcripts.ts';

const TOKEN = 'hardening-test-token-0123456789';
const REPO = fileURLToPath(new URL('../..', import.meta.url));

let dir: string;
let store: Store;
let embedder: Embedder;
let jobs: JobManager;
const servers: Server[] = [];

async function listen(extra: Partial<AppDeps> = {}, host = '127.0.0.1'): Promise<{ base: string; port: number }> {
  const app = createApp({ store, embedder, embedderNote: 'test', version: 'test', bodyLimit: '4kb', jobs, ...extra });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, host, () => resolve(s));
  });
  servers.push(server);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { base: `http://127.0.0.1:${port}`, port };
}

let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'episodic-hardening-'));
  store = Store.open(dir);
  embedder = await createUseLiteEmbedder();
  for (const [id, topics] of [['bees-1', ['bees', 'bread']], ['rockets-2', ['rockets']]] as const) {
    const cues = parseVtt(makeVtt([...topics], 2), `${id}.vtt`).cues;
    await ingestTranscript({ store, embedder }, { meta: { id, title: `Episode ${id}`, channel: 'Test', publishedAt: '2021-03-04' }, cues, source: `${id}.vtt`, format: 'vtt' });
  }
  // Requests that pass validation would reach YouTube; none of these tests gets that far.
  jobs = createJobManager({
    store,
    embedder,
    createSource: async () => {
      throw new Error('no YouTube in the hardening test');
    },
    acquireLock: () => () => {},
  });
  ({ base } = await listen());
});

afterAll(async () => {
  for (const s of servers) await new Promise((r) => (s.closeAllConnections(), s.close(r)));
  await jobs?.close();
  await embedder?.close();
  store?.close();
});

interface Case {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  /** A JSON value (serialised here) or a raw string body sent as is. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Send the path byte for byte (no URL normalisation of `..`), GET only. */
  rawPath?: boolean;
  status: number;
  /** Part of the error message, when it matters which field was named. */
  error?: RegExp;
}

const big = (n: number) => 'x'.repeat(n);
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

const CASES: Case[] = [
  // GET /api/search
  { name: 'search without q', path: '/api/search', status: 400, error: /q/ },
  { name: 'search with blank q', path: `/api/search?${q({ q: '   ' })}`, status: 400, error: /q is required/ },
  { name: 'search with q too long', path: `/api/search?${q({ q: big(1001) })}`, status: 400, error: /too long/ },
  { name: 'search with q given twice', path: '/api/search?q=a&q=b', status: 400, error: /q/ },
  { name: 'search with k=0', path: `/api/search?${q({ q: 'bees', k: '0' })}`, status: 400, error: /k/ },
  { name: 'search with k=-5', path: `/api/search?${q({ q: 'bees', k: '-5' })}`, status: 400, error: /k/ },
  { name: 'search with k=1e9', path: `/api/search?${q({ q: 'bees', k: '1e9' })}`, status: 400, error: /k/ },
  { name: 'search with k=Infinity', path: `/api/search?${q({ q: 'bees', k: 'Infinity' })}`, status: 400, error: /k/ },
  { name: 'search with k=2.5', path: `/api/search?${q({ q: 'bees', k: '2.5' })}`, status: 400, error: /k/ },
  { name: 'search with k=abc', path: `/api/search?${q({ q: 'bees', k: 'abc' })}`, status: 400, error: /k/ },
  { name: 'search with from=2020-02-30', path: `/api/search?${q({ q: 'bees', from: '2020-02-30' })}`, status: 400, error: /from: not a real date/ },
  { name: 'search with from=2020-13-01', path: `/api/search?${q({ q: 'bees', from: '2020-13-01' })}`, status: 400, error: /from/ },
  { name: 'search with to=yesterday', path: `/api/search?${q({ q: 'bees', to: 'yesterday' })}`, status: 400, error: /to: expected a date/ },
  { name: 'search with from after to', path: `/api/search?${q({ q: 'bees', from: '2022-01-01', to: '2021-01-01' })}`, status: 400, error: /from must not be after to/ },
  { name: 'search with a path-like video', path: `/api/search?${q({ q: 'bees', video: '../../etc/passwd' })}`, status: 400, error: /video/ },
  { name: 'search with video=..', path: `/api/search?${q({ q: 'bees', video: '..' })}`, status: 400, error: /invalid video id/ },
  { name: 'search with an empty channel', path: `/api/search?${q({ q: 'bees', channel: '' })}`, status: 400, error: /channel/ },

  // POST /api/ask
  { name: 'ask without a body', method: 'POST', path: '/api/ask', status: 400, error: /question/ },
  { name: 'ask with {}', method: 'POST', path: '/api/ask', body: {}, status: 400, error: /question/ },
  { name: 'ask with a JSON array', method: 'POST', path: '/api/ask', body: [], status: 400 },
  { name: 'ask with JSON null', method: 'POST', path: '/api/ask', raw: 'null', status: 400 },
  { name: 'ask with malformed JSON', method: 'POST', path: '/api/ask', raw: '{"question": "bees', status: 400, error: /malformed JSON/ },
  { name: 'ask with a numeric question', method: 'POST', path: '/api/ask', body: { question: 42 }, status: 400, error: /question/ },
  { name: 'ask with a blank question', method: 'POST', path: '/api/ask', body: { question: ' ' }, status: 400, error: /question is required/ },
  { name: 'ask with a question too long', method: 'POST', path: '/api/ask', body: { question: big(2001) }, status: 400, error: /too long/ },
  { name: 'ask with k=0', method: 'POST', path: '/api/ask', body: { question: 'bees', k: 0 }, status: 400, error: /k/ },
  { name: 'ask with k=1e9', method: 'POST', path: '/api/ask', body: { question: 'bees', k: 1e9 }, status: 400, error: /k/ },
  { name: 'ask with k as a string', method: 'POST', path: '/api/ask', body: { question: 'bees', k: '5' }, status: 400, error: /k/ },
  { name: 'ask with an invalid date', method: 'POST', path: '/api/ask', body: { question: 'bees', from: '2021-02-29' }, status: 400, error: /from/ },
  { name: 'ask with a path-like video', method: 'POST', path: '/api/ask', body: { question: 'bees', video: 'a/../../b' }, status: 400, error: /video/ },
  { name: 'ask with history not an array', method: 'POST', path: '/api/ask', body: { question: 'bees', history: 'hi' }, status: 400, error: /history/ },
  { name: 'ask with a bad history role', method: 'POST', path: '/api/ask', body: { question: 'bees', history: [{ role: 'system', content: 'x' }] }, status: 400, error: /history/ },
  { name: 'ask with an oversized body', method: 'POST', path: '/api/ask', body: { question: 'bees', history: [{ role: 'user', content: big(6000) }] }, status: 413, error: /too large/ },
  { name: 'ask with an unknown format', method: 'POST', path: '/api/ask?format=pdf', body: { question: 'bees' }, status: 400, error: /format/ },

  // POST /api/topics
  { name: 'topics without a topic', method: 'POST', path: '/api/topics', body: {}, status: 400, error: /topic/ },
  { name: 'topics with a numeric topic', method: 'POST', path: '/api/topics', body: { topic: 7 }, status: 400, error: /topic/ },
  { name: 'topics with a topic too long', method: 'POST', path: '/api/topics', body: { topic: big(301) }, status: 400, error: /too long/ },
  { name: 'topics with an invalid date', method: 'POST', path: '/api/topics', body: { topic: 'bees', to: '2021-04-31' }, status: 400, error: /to/ },
  { name: 'topics with an oversized body', method: 'POST', path: '/api/topics', body: { topic: 'bees', pad: big(5000) }, status: 413 },

  // Videos, transcripts, summaries
  { name: 'unknown video', path: '/api/videos/no-such-video', status: 404, error: /not found/ },
  { name: 'path-like video id (encoded)', path: `/api/videos/${encodeURIComponent('../../etc/passwd')}`, status: 400, error: /invalid video id/ },
  // fetch would resolve `..` itself; the raw request sends the path exactly as written.
  { name: 'video id .. (raw path)', path: '/api/videos/../transcript', rawPath: true, status: 400, error: /invalid video id/ },
  { name: 'summary of video .. (raw path)', path: '/api/videos/../summary', rawPath: true, status: 400, error: /invalid video id/ },
  { name: 'dot-dot segments past /api (raw path)', path: '/api/../../../etc/passwd', rawPath: true, status: 404 },
  { name: 'video id with a NUL byte', path: '/api/videos/a%00b', status: 400, error: /invalid video id/ },
  { name: 'video id with a backslash', path: `/api/videos/${encodeURIComponent('..\\..\\windows')}`, status: 400, error: /invalid video id/ },
  { name: 'video id too long', path: `/api/videos/${big(200)}`, status: 400 },
  { name: 'transcript of an unknown video', path: '/api/videos/no-such-video/transcript', status: 404, error: /not found/ },
  { name: 'transcript in an unknown format', path: '/api/videos/bees-1/transcript?format=pdf', status: 400, error: /format/ },
  { name: 'summary of an unknown video', path: '/api/videos/no-such-video/summary', status: 404, error: /not found/ },
  { name: 'summary with a path-like id', path: `/api/videos/${encodeURIComponent('../x')}/summary`, status: 400, error: /invalid video id/ },
  { name: 'summary with refresh=maybe', path: '/api/videos/bees-1/summary?refresh=maybe', status: 400, error: /refresh/ },

  // Jobs (mutations from this machine pass the admin check and then fail validation)
  { name: 'add videos without a source', method: 'POST', path: '/api/videos', body: {}, status: 400, error: /source/ },
  { name: 'add videos with a numeric source', method: 'POST', path: '/api/videos', body: { source: 12 }, status: 400, error: /source/ },
  { name: 'add videos from a javascript: URL', method: 'POST', path: '/api/videos', body: { source: 'javascript:alert(1)' }, status: 400, error: /unsupported scheme/ },
  // Another site's http(s) URL is taken as a podcast feed (test/feeds); a YouTube URL naming nothing is refused.
  { name: 'add videos from a YouTube URL that names nothing', method: 'POST', path: '/api/videos', body: { source: 'https://www.youtube.com/feed/trending' }, status: 400, error: /unrecognised path/ },
  { name: 'add a feed by an ftp: URL', method: 'POST', path: '/api/videos', body: { source: 'ftp://feeds.example.com/show.xml' }, status: 400, error: /unsupported scheme/ },
  { name: 'add videos from a file path', method: 'POST', path: '/api/videos', body: { source: '../../etc/passwd' }, status: 400 },
  { name: 'add videos with a bad language', method: 'POST', path: '/api/videos', body: { source: 'GJLlxj_dtq8', lang: ['../en'] }, status: 400, error: /language/ },
  { name: 'add videos with an oversized body', method: 'POST', path: '/api/videos', body: { source: big(5000) }, status: 413 },
  { name: 'job id not a number', path: '/api/jobs/abc', status: 400 },
  { name: 'job id 0', path: '/api/jobs/0', status: 400 },
  { name: 'job id beyond safe integers', path: '/api/jobs/99999999999999999999', status: 400 },
  { name: 'unknown job', path: '/api/jobs/424242', status: 404, error: /not found/ },
  { name: 'resume an unknown job', method: 'POST', path: '/api/jobs/424242/resume', status: 404, error: /not found/ },
  { name: 'events of an unknown job', path: '/api/jobs/424242/events', status: 404 },

  // Anything else under /api
  { name: 'unknown endpoint', path: '/api/nope', status: 404, error: /no such API endpoint/ },
  { name: 'path traversal under /api', path: '/api/..%2F..%2Fpackage.json', status: 404 },
];

/** An error body must not show how the server is built: no stack frames, no paths on disk. */
function leaks(message: string): string[] {
  const found: string[] = [];
  if (/\n\s*at\s|\bat .+:\d+:\d+/.test(message)) found.push('stack trace');
  for (const path of [REPO, dir, tmpdir(), process.cwd()]) if (message.includes(path)) found.push(`path ${path}`);
  if (/(?:^|[\s"'(=])\/(?:home|tmp|work|usr|var|etc|root|Users)\//.test(message)) found.push('absolute path');
  if (/node_modules|\.ts:\d+/.test(message)) found.push('source location');
  return found;
}

// GET with the path exactly as given, answered as a fetch Response for the shared checks.
function rawGet(at: string, path: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(`${at}/`, { path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: { 'content-type': res.headers['content-type'] ?? '' } })));
    });
    req.on('error', reject);
    req.end();
  });
}

async function send(c: Case, at = base): Promise<Response> {
  if (c.rawPath) return rawGet(at, c.path);
  const hasBody = c.body !== undefined || c.raw !== undefined;
  return fetch(`${at}${c.path}`, {
    method: c.method ?? 'GET',
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...c.headers },
    body: c.raw ?? (c.body !== undefined ? JSON.stringify(c.body) : undefined),
  });
}

async function expectError(res: Response, status: number, error?: RegExp): Promise<string> {
  const text = await res.text();
  expect({ status: res.status, body: text.slice(0, 300) }).toMatchObject({ status });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = JSON.parse(text) as { error?: unknown };
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error).toBe('string');
  const message = body.error as string;
  if (error) expect(message).toMatch(error);
  expect(leaks(message)).toEqual([]);
  return message;
}

describe('rejected input', () => {
  it.each(CASES)('$name → $status {error}', async (c) => {
    await expectError(await send(c), c.status, c.error);
  });

  it('the same requests with valid input succeed (the table tests validation, not broken routes)', async () => {
    expect((await fetch(`${base}/api/search?${q({ q: 'bees', k: '3', from: '2020-02-29' })}`)).status).toBe(200);
    expect((await send({ name: '', method: 'POST', path: '/api/ask', body: { question: 'how do bees communicate?', k: 3 }, status: 200 })).status).toBe(200);
    expect((await send({ name: '', method: 'POST', path: '/api/topics', body: { topic: 'rockets' }, status: 200 })).status).toBe(200);
    expect((await fetch(`${base}/api/videos/bees-1`)).status).toBe(200);
    expect((await fetch(`${base}/api/videos/bees-1/transcript?format=srt`)).status).toBe(200);
    expect((await fetch(`${base}/api/videos/bees-1/summary`)).status).toBe(200);
  });

  it('a server error shows "internal error", not the exception', async () => {
    const broken = await listen({
      embedder: {
        id: embedder.id,
        dimension: embedder.dimension,
        embed: async () => {
          throw new Error(`model file missing at ${dir}/models/x.onnx`);
        },
        close: async () => {},
      },
    });
    const res = await fetch(`${broken.base}/api/search?${q({ q: 'bees' })}`);
    const message = await expectError(res, 500);
    expect(message).toBe('internal error');
  });
});

describe('rate limiting', () => {
  it('limits each client per endpoint with 429 {error} and Retry-After; other endpoints stay unlimited', async () => {
    const { base: limited } = await listen({ rateLimit: 3 });
    const ask = { name: '', method: 'POST' as const, path: '/api/ask', body: {}, status: 400 };
    for (let i = 0; i < 3; i++) expect((await send(ask, limited)).status).toBe(400);
    const refused = await send(ask, limited);
    await expectError(refused, 429, /too many requests/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Each limited endpoint has its own budget.
    for (const c of [
      { name: '', method: 'POST' as const, path: '/api/topics', body: {}, status: 400 },
      { name: '', path: '/api/videos/no-such-video/summary', status: 404 },
      { name: '', method: 'POST' as const, path: '/api/videos', body: {}, status: 400 },
    ]) {
      for (let i = 0; i < 3; i++) expect((await send(c, limited)).status).toBe(c.status);
      await expectError(await send(c, limited), 429, /too many requests/);
    }
    // Search and reading videos are cheap and not limited.
    for (let i = 0; i < 6; i++) expect((await fetch(`${limited}/api/search?${q({ q: 'bees' })}`)).status).toBe(200);
    expect((await fetch(`${limited}/api/videos/bees-1`)).status).toBe(200);
  });

  it('is off when the limit is 0 or unset', async () => {
    const { base: unlimited } = await listen({ rateLimit: 0 });
    for (let i = 0; i < 8; i++) expect((await send({ name: '', method: 'POST', path: '/api/ask', body: {}, status: 400 }, unlimited)).status).toBe(400);
  });

  it('reads EPISODIC_RATE_LIMIT: default 60, 0 allowed, nonsense refused', () => {
    expect(loadConfig({}).rateLimit).toBe(60);
    expect(loadConfig({ EPISODIC_RATE_LIMIT: '0' }).rateLimit).toBe(0);
    expect(loadConfig({ EPISODIC_RATE_LIMIT: '500' }).rateLimit).toBe(500);
    expect(() => loadConfig({ EPISODIC_RATE_LIMIT: '-1' })).toThrow(/EPISODIC_RATE_LIMIT/);
    expect(() => loadConfig({ EPISODIC_RATE_LIMIT: 'lots' })).toThrow(/EPISODIC_RATE_LIMIT/);
  });
});

describe('CORS', () => {
  const ALLOWED = 'http://allowed.example:8080';
  const preflight = (at: string, origin: string) =>
    fetch(`${at}/api/ask`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

  it('is off by default: no CORS headers for any origin, preflights refused', async () => {
    const res = await fetch(`${base}/api/health`, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await preflight(base, 'http://evil.example');
    await expectError(pre, 403, /not allowed/);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers allow-listed origins only, preflights included', async () => {
    const { base: withCors } = await listen({ corsOrigins: [ALLOWED] });
    const ok = await fetch(`${withCors}/api/health`, { headers: { origin: ALLOWED } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('vary')).toMatch(/Origin/);
    const pre = await preflight(withCors, ALLOWED);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Content-Type/i);
    // Error responses carry the header too, so the page can read the {error}.
    const bad = await fetch(`${withCors}/api/search`, { headers: { origin: ALLOWED } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe(ALLOWED);

    const other = await fetch(`${withCors}/api/health`, { headers: { origin: 'http://allowed.example:8081' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await expectError(await preflight(withCors, 'https://allowed.example:8080'), 403);
  });

  it('an allow-listed origin still cannot add videos: mutations need loopback pages or the token', async () => {
    const { base: withCors } = await listen({ corsOrigins: [ALLOWED] });
    const res = await send({ name: '', method: 'POST', path: '/api/videos', body: { source: 'GJLlxj_dtq8' }, headers: { origin: ALLOWED }, status: 403 }, withCors);
    await expectError(res, 403, /only allowed from this machine/);
  });

  it('reads EPISODIC_CORS_ORIGINS as a comma-separated list of origins', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ EPISODIC_CORS_ORIGINS: ' https://a.example , http://localhost:5173/ ' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(() => loadConfig({ EPISODIC_CORS_ORIGINS: 'https://a.example/path' })).toThrow(/EPISODIC_CORS_ORIGINS/);
    expect(() => loadConfig({ EPISODIC_CORS_ORIGINS: '*' })).toThrow(/EPISODIC_CORS_ORIGINS/);
  });
});

describe('mutations from other machines', () => {
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(!lan)('are refused without the admin token, even with a valid body; reads still work', async () => {
    const { port } = await listen({}, '0.0.0.0');
    const at = `http://${lan}:${port}`;
    await expectError(await send({ name: '', method: 'POST', path: '/api/videos', body: { source: 'GJLlxj_dtq8' }, status: 403 }, at), 403, /only allowed from this machine/);
    await expectError(await send({ name: '', method: 'POST', path: '/api/jobs/1/resume', status: 403 }, at), 403);
    await expectError(await send({ name: '', method: 'POST', path: '/api/videos', body: { source: 'GJLlxj_dtq8' }, headers: { authorization: 'Bearer guess' }, status: 403 }, at), 403, /no admin token/);
    expect((await fetch(`${at}/api/search?${q({ q: 'bees' })}`)).status).toBe(200);
  });

  it.skipIf(!lan)('with a token configured, a wrong token is refused', async () => {
    const { port } = await listen({ adminToken: TOKEN }, '0.0.0.0');
    const at = `http://${lan}:${port}`;
    await expectError(await send({ name: '', method: 'POST', path: '/api/videos', body: {}, status: 403 }, at), 403, /needs Authorization: Bearer/);
    await expectError(await send({ name: '', method: 'POST', path: '/api/videos', body: {}, headers: { authorization: 'Bearer wrong-token' }, status: 403 }, at), 403, /invalid admin token/);
    // The right token passes the check and reaches validation.
    await expectError(await send({ name: '', method: 'POST', path: '/api/videos', body: {}, headers: { authorization: `Bearer ${TOKEN}` }, status: 400 }, at), 400, /source/);
  });

  it('a loopback peer speaking for someone else (proxy headers) is refused', async () => {
    const proxied: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }];
    for (const headers of proxied) {
      await expectError(await send({ name: '', method: 'POST', path: '/api/videos', body: { source: 'GJLlxj_dtq8' }, headers, status: 403 }), 403);
    }
  });

  it('serving beyond loopback without EPISODIC_ADMIN_TOKEN is warned about', () => {
    expect(exposureWarning({ host: '127.0.0.1' })).toBeUndefined();
    expect(exposureWarning({ host: 'localhost' })).toBeUndefined();
    expect(exposureWarning({ host: '::1' })).toBeUndefined();
    expect(exposureWarning({ host: '0.0.0.0' })).toMatch(/without EPISODIC_ADMIN_TOKEN/);
    expect(exposureWarning({ host: '::' })).toMatch(/reachable from other machines/);
    expect(exposureWarning({ host: '192.168.1.20' })).toMatch(/adding videos is refused/);
    expect(exposureWarning({ host: '0.0.0.0', adminToken: TOKEN })).toBeUndefined();
  });

  it('`episodic serve` on 0.0.0.0 prints the warning, and EPISODIC_RATE_LIMIT reaches the real server', async () => {
    const data = mkdtempSync(join(tmpdir(), 'episodic-serve-'));
    const bin = fileURLToPath(new URL('../../bin/episodic.js', import.meta.url));
    const env: NodeJS.ProcessEnv = { ...process.env, EPISODIC_OFFLINE: '1', EPISODIC_RATE_LIMIT: '2' };
    delete env.EPISODIC_ADMIN_TOKEN;
    const child = spawn(process.execPath, [bin, 'serve', '--host', '0.0.0.0', '--port', '0', '--data', data, '--embedder', 'use-lite'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let stderr = '';
      const port = await new Promise<number>((resolve, reject) => {
        child.stderr!.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /listening on http:\/\/[^:]+:(\d+)/.exec(stderr);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
      });
      expect(stderr).toMatch(/warning: listening on 0\.0\.0\.0, reachable from other machines, without EPISODIC_ADMIN_TOKEN/);
      const at = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 2; i++) expect((await send({ name: '', method: 'POST', path: '/api/ask', body: {}, status: 400 }, at)).status).toBe(400);
      await expectError(await send({ name: '', method: 'POST', path: '/api/ask', body: {}, status: 429 }, at), 429, /at most 2 per minute/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});
