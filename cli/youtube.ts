/**
 * `episodic add <YouTube URL…>`, `episodic refresh`, `episodic resume` and `episodic doctor`.
 * Arguments and output only: the queue lives in indexer/youtube-ingest.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cookieHeaderFromNetscape } from '../indexer/sources/cookies.ts';
import { proxiedFetch, proxyFromEnv, redactProxy } from '../indexer/sources/proxy.ts';
import { createYouTubeSource, DEFAULT_LANGS, type YouTubeSource } from '../indexer/sources/youtube.ts';
import { YouTubeError } from '../indexer/sources/youtube-errors.ts';
import { parseYouTubeRef, YouTubeRefError, type YouTubeRef } from '../indexer/sources/youtube-url.ts';
import { JobStore, type Job } from '../indexer/store/jobs.ts';
import { acquireWriteLock } from '../indexer/store/lock.ts';
import { DB_FILE, Store } from '../indexer/store/store.ts';
import { INGEST_DEFAULTS, openYouTubeJob, runYouTubeJob, type JobProgress, type JobSummary } from '../indexer/youtube-ingest.ts';
import { transformersOptions, type Config } from '../server/config.ts';
import type { Embedder } from '../indexer/embed/embedder.ts';
import type { CliValues } from './main.ts';
import { onInterrupt, openForWriting } from './writing.ts';

/** The options this file reads; main.ts declares them (`--lang`, `--concurrency`, `--cookies`). */
export type YouTubeCliValues = CliValues & { lang?: string; concurrency?: string; cookies?: string };

export interface OpenIndex {
  store: Store;
  embedder: Embedder;
  release: () => void;
}

/** The process edges, replaceable in tests. */
export interface YouTubeCliIo {
  fetch: typeof fetch;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  openIndex: (config: Config, values: YouTubeCliValues) => Promise<OpenIndex>;
  /** Aborts on Ctrl-C; the default installs SIGINT/SIGTERM handlers for the run. */
  interrupt: () => { signal: AbortSignal; dispose: () => void };
  now: () => number;
}

const defaultIo = (config: Config): YouTubeCliIo => ({
  fetch: config.httpsProxy ? proxiedFetch(config.httpsProxy) : globalThis.fetch,
  stdout: process.stdout,
  stderr: process.stderr,
  openIndex: openForWriting,
  interrupt: () => onInterrupt('Stopping after the videos in flight (Ctrl-C again to quit now)…'),
  now: Date.now,
});

/** A watch URL, youtu.be link, playlist or channel URL, @handle or bare id that is not a path on disk. */
export function isYouTubeArg(arg: string): boolean {
  if (existsSync(arg)) return false;
  try {
    parseYouTubeRef(arg);
    return true;
  } catch {
    return false;
  }
}

/** `episodic add <YouTube URL…> [--lang en,de] [--concurrency 4] [--cookies FILE]` */
export async function runAddYouTube(config: Config, refs: string[], values: YouTubeCliValues, io: Partial<YouTubeCliIo> = {}): Promise<number> {
  const o = { ...defaultIo(config), ...io };
  const parsed: YouTubeRef[] = [];
  for (const arg of refs) {
    try {
      parsed.push(parseYouTubeRef(arg));
    } catch (err) {
      if (!(err instanceof YouTubeRefError)) throw err;
      o.stderr.write(`episodic add: ${err.message}\n`);
      return 2;
    }
  }
  return withYouTube(config, values, o, async (ctx) => {
    let code = 0;
    for (const ref of parsed) {
      const { job, resumed } = openYouTubeJob(ctx.jobs, ref, 'add', o.now());
      if (resumed) o.stderr.write(`Resuming job ${job.id} for ${job.source} (${job.total - job.counts.queued} of ${job.total} done)\n`);
      const summary = await ctx.run(job);
      code = Math.max(code, exitCode(summary));
      if (summary.stopped) break; // blocked or interrupted: the rest would only hit the same wall
    }
    return code;
  });
}

/** `episodic refresh [--channel X]`: lists every followed playlist and channel again and ingests what is new. */
export async function runRefresh(config: Config, values: YouTubeCliValues, io: Partial<YouTubeCliIo> = {}): Promise<number> {
  const o = { ...defaultIo(config), ...io };
  return withYouTube(config, values, o, async (ctx) => {
    const follows = ctx.jobs.follows().filter((f) => !values.channel || followMatches(f.source, values.channel));
    if (follows.length === 0) {
      o.stderr.write(
        values.channel
          ? `episodic refresh: no followed playlist or channel matches "${values.channel}"\n`
          : 'episodic refresh: nothing to refresh; add a playlist or channel first: episodic add <URL>\n',
      );
      return values.channel ? 1 : 0;
    }
    let code = 0;
    for (const follow of follows) {
      const { job } = openYouTubeJob(ctx.jobs, parseYouTubeRef(follow.source), 'refresh', o.now());
      const summary = await ctx.run(job);
      code = Math.max(code, exitCode(summary));
      if (summary.stopped) break;
    }
    return code;
  });
}

/** `episodic resume`: continues every unfinished YouTube job (paused by a block, interrupted, failed). */
export async function runResume(config: Config, values: YouTubeCliValues, io: Partial<YouTubeCliIo> = {}): Promise<number> {
  const o = { ...defaultIo(config), ...io };
  return withYouTube(config, values, o, async (ctx) => {
    const unfinished = ctx.jobs.unfinished();
    if (unfinished.length === 0) o.stderr.write('Nothing to resume: every job is done.\n');
    let code = 0;
    for (const job of unfinished) {
      const summary = await ctx.run(job);
      code = Math.max(code, exitCode(summary));
      if (summary.stopped) break;
    }
    return code;
  });
}

/** `--channel X` picks follows by URL, handle or id: a parsed reference, or a case-insensitive substring. */
function followMatches(source: string, wanted: string): boolean {
  try {
    const ref = parseYouTubeRef(wanted);
    const other = parseYouTubeRef(source);
    if (ref.kind === 'playlist' && other.kind === 'playlist') return ref.id === other.id;
    if (ref.kind === 'channel' && other.kind === 'channel') {
      const key = (r: typeof ref) => (r.channelId ?? r.handle ?? r.customName ?? r.user ?? '').toLowerCase();
      return key(ref) === key(other) && (ref.tab === null || ref.tab === other.tab);
    }
  } catch {
    // Not a reference: fall through to a substring match.
  }
  return source.toLowerCase().includes(wanted.toLowerCase());
}

function exitCode(summary: JobSummary): number {
  if (summary.stopped === 'interrupted') return 130;
  return summary.status === 'done' ? 0 : 1;
}

interface RunContext {
  jobs: JobStore;
  run: (job: Job) => Promise<JobSummary>;
}

/** Options → source → index (locked) → work; closes everything whatever happens. */
async function withYouTube(config: Config, values: YouTubeCliValues, o: YouTubeCliIo, work: (ctx: RunContext) => Promise<number>): Promise<number> {
  let options: { lang: string[]; concurrency: number; cookies?: string };
  try {
    options = youTubeOptions(values, o.now());
  } catch (err) {
    o.stderr.write(`episodic: ${(err as Error).message}\n`);
    return 2;
  }
  const source = await createYouTubeSource({
    fetch: o.fetch,
    lang: options.lang,
    cookies: options.cookies,
    backoff: { onRetry: ({ delayMs, error }) => o.stderr.write(`\n  ${error.message}; retrying in ${(delayMs / 1000).toFixed(1)} s\n`) },
  });
  const { store, embedder, release } = await o.openIndex(config, values);
  const interrupt = o.interrupt();
  const jobs = new JobStore(store.db.sqlite);
  try {
    return await work({
      jobs,
      run: async (job) => {
        const print = progressPrinter(o.stderr, Boolean(values.json));
        const summary = await runYouTubeJob({ store, embedder, source, jobs, clock: { now: o.now } }, job.id, {
          concurrency: options.concurrency,
          signal: interrupt.signal,
          onProgress: print,
        });
        report(summary, jobs, o, Boolean(values.json));
        return summary;
      },
    });
  } finally {
    interrupt.dispose();
    await embedder.close();
    store.close();
    release();
  }
}

/** Parses `--lang`, `--concurrency` and `--cookies` (reading the cookies file). */
export function youTubeOptions(values: YouTubeCliValues, nowMs: number): { lang: string[]; concurrency: number; cookies?: string } {
  const lang = values.lang
    ? values.lang
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean)
    : DEFAULT_LANGS;
  if (lang.length === 0 || lang.some((l) => !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(l))) {
    throw new Error(`--lang takes language codes separated by commas, e.g. en,de (got "${values.lang}")`);
  }
  const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : INGEST_DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new Error('--concurrency must be a whole number from 1 to 16');
  if (values.cookies === undefined) return { lang, concurrency };
  let text: string;
  try {
    text = readFileSync(values.cookies, 'utf8');
  } catch (err) {
    throw new Error(`--cookies: cannot read ${values.cookies}: ${(err as Error).message}`);
  }
  const cookies = cookieHeaderFromNetscape(text, values.cookies, nowMs);
  if (!cookies) throw new Error(`--cookies: ${values.cookies} has no unexpired youtube.com cookies`);
  return { lang, concurrency, cookies };
}

/** Opens the index for writing like `episodic add` does: lock, embedder pinned, worker pool for bulk embedding. */
const countsText = (p: JobProgress) =>
  Object.entries(p.counts)
    .filter(([status, n]) => n > 0 && status !== 'queued')
    .map(([status, n]) => `${n} ${status}`)
    .join(', ') || 'none finished';

/** A redrawn status line on a TTY; otherwise one line each time a video finishes. */
function progressPrinter(stream: YouTubeCliIo['stderr'], json: boolean): (p: JobProgress) => void {
  const tty = Boolean(stream.isTTY) && !json;
  let lastDone = -1;
  let lastPhase = '';
  return (p) => {
    if (json) return;
    if (p.phase !== lastPhase && p.phase !== 'finished') stream.write(`${tty ? '\r\x1b[K' : ''}${p.phase === 'listing' ? 'Listing' : 'Fetching'} ${p.source}…\n`);
    lastPhase = p.phase;
    if (p.phase === 'finished') {
      if (tty) stream.write('\r\x1b[K');
      return;
    }
    const line = `${p.done}/${p.total} videos · ${countsText(p)}`;
    if (tty) {
      const now = p.current[0] ? ` · ${p.current[0].title ?? p.current[0].videoId}` : '';
      stream.write(`\r\x1b[K${(line + now).slice(0, 120)}`);
    } else if (p.done !== lastDone && p.phase === 'fetching') {
      stream.write(`${line}\n`);
    }
    lastDone = p.done;
  };
}

function report(s: JobSummary, jobs: JobStore, o: YouTubeCliIo, json: boolean): void {
  const failures = jobs.items(s.jobId).filter((i) => i.status !== 'indexed' && i.status !== 'queued');
  if (json) {
    o.stdout.write(`${JSON.stringify({ ...s, failures }, null, 2)}\n`);
    return;
  }
  o.stdout.write(
    `${s.source}: ${s.status} · ${s.total} videos: ${countsText(s)}${s.counts.queued ? `, ${s.counts.queued} still queued` : ''} · ` +
      `${s.run.added} added, ${s.run.updated} updated, ${s.run.unchanged} unchanged · ${s.run.segments} segments (${s.run.embedded} embedded)\n`,
  );
  for (const f of failures) o.stdout.write(`  ${f.status.padEnd(14)} ${f.videoId}  ${f.title ? `${f.title}: ` : ''}${f.error ?? ''}\n`);
  if (s.message) o.stdout.write(`${s.message}\n`);
}

// ---- doctor ----

/** "Me at the zoo": the first YouTube video, public since 2005, with English captions. */
export const DOCTOR_VIDEO_ID = 'jNQXAC9IVRw';

/** `episodic doctor`: index checks, then one real YouTube request with the exact error and its usual causes. */
export async function runDoctor(
  config: Config,
  values: YouTubeCliValues,
  env: Record<string, string | undefined>,
  io: Partial<Pick<YouTubeCliIo, 'fetch' | 'stdout' | 'now'>> = {},
): Promise<number> {
  const o = { ...defaultIo(config), ...io };
  const out = (line: string) => o.stdout.write(`${line}\n`);
  let failed = false;
  const check = (ok: boolean | 'warn', text: string) => {
    if (ok === false) failed = true;
    out(`  ${ok === true ? 'ok  ' : ok === 'warn' ? 'warn' : 'FAIL'} ${text}`);
  };

  out(`Index (${config.dataDir})`);
  checkIndex(config, check);

  out('YouTube');
  const proxy = proxyFromEnv(env);
  check(true, proxy ? `requests go through the proxy ${redactProxy(proxy)} (from the environment)` : 'no proxy configured (HTTPS_PROXY unset); requests go direct');
  let cookies: string | undefined;
  try {
    cookies = youTubeOptions(values, o.now()).cookies;
    if (cookies) check(true, `cookies: ${cookies.split('; ').length} youtube.com cookies from ${values.cookies}`);
  } catch (err) {
    check(false, (err as Error).message);
  }
  // One attempt, no backoff: the doctor reports the first failure as it is.
  const source = await createYouTubeSource({ fetch: o.fetch, cookies, backoff: { maxAttempts: 1 } });
  try {
    const video = await source.getVideo(DOCTOR_VIDEO_ID);
    check(true, `YouTube answered: "${video.meta.title}" (${video.track.lang} ${video.track.kind} captions via ${video.via}, ${video.cues.length} cues)`);
  } catch (err) {
    const e = err instanceof YouTubeError ? err : new YouTubeError('error', String(err), { cause: err });
    if (e.status === 'unavailable' || e.status === 'private' || e.status === 'no_captions' || e.status === 'age_restricted') {
      check('warn', `YouTube answered, but the test video ${DOCTOR_VIDEO_ID} is ${e.status}: ${e.message}`);
    } else {
      check(false, `request to YouTube failed (${e.status}): ${e.message}`);
      for (const line of causeChain(e)) out(`         cause: ${line}`);
      out(`  diagnosis: ${diagnose(e)}`);
      out(USUAL_FAILURES);
    }
  }
  return failed ? 1 : 0;
}

const USUAL_FAILURES = `  usual causes:
    offline / DNS   "getaddrinfo ENOTFOUND" or "EAI_AGAIN": no connection, or DNS cannot resolve www.youtube.com
    proxy           a network that only allows traffic through a proxy: set HTTPS_PROXY=http://host:port
                    (Episodic sends YouTube requests through it; check the proxy allows www.youtube.com)
    bot check       "Sign in to confirm you're not a bot", captcha or consent page: export cookies.txt from a browser
                    signed in to YouTube and pass --cookies FILE
    429             YouTube is rate-limiting this IP: wait an hour or more, then resume with fewer --concurrency`;

function checkIndex(config: Config, check: (ok: boolean | 'warn', text: string) => void): void {
  if (!existsSync(join(config.dataDir, DB_FILE))) {
    check('warn', `no index yet (nothing added); it will be created by the first \`episodic add\``);
    return;
  }
  let store: Store;
  try {
    store = Store.open(config.dataDir);
  } catch (err) {
    check(false, `cannot open the index: ${(err as Error).message}`);
    return;
  }
  try {
    const s = store.db.stats();
    check(true, `opened: ${s.videos} videos (${s.indexed} indexed), ${s.segments} segments, ${s.vectors} stored vectors`);
    const pinned = store.embedderId;
    if (!pinned) {
      check(s.segments === 0 ? 'warn' : false, s.segments === 0 ? 'no embedder pinned yet (empty index)' : 'segments exist but no embedder is pinned: run `episodic reindex`');
    } else {
      const mismatch =
        (config.embedder === 'use-lite' && pinned !== 'use-lite') || (config.embedder === 'transformers' && !pinned.startsWith('transformers:'));
      check(!mismatch, `embedder pinned: ${pinned} (${store.dimension}-d)${mismatch ? `, but --embedder ${config.embedder} was requested` : ''}`);
      const vectors = store.vectors();
      const labels = vectors?.labels().length ?? 0;
      const repair = store.lastRepair;
      const repaired = repair && (repair.added > 0 || repair.removed > 0);
      check(
        labels === s.segments ? (repaired || repair?.note ? 'warn' : true) : false,
        `vector index: ${labels} vectors for ${s.segments} segments` +
          (repaired ? `; the file was behind SQLite and was repaired in memory (added ${repair.added}, removed ${repair.removed}); the next add or serve saves it` : '') +
          (repair?.note ? `; ${repair.note}` : ''),
      );
    }
    for (const job of new JobStore(store.db.sqlite).unfinished()) {
      check('warn', `job ${job.id} (${job.source}) is ${job.status}: ${job.counts.queued} of ${job.total} queued${job.message ? `; ${job.message}` : ''} (episodic resume)`);
    }
  } catch (err) {
    check(false, (err as Error).message);
  } finally {
    // Read-only check: close SQLite without saving the vector file (another process may be writing).
    store.db.close();
  }
}

/** The messages and error codes down an error's cause chain (fetch hides the DNS error two levels down). */
export function causeChain(err: unknown): string[] {
  const out: string[] = [];
  for (let e = (err as { cause?: unknown }).cause; e !== undefined && out.length < 6; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    out.push(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}${typeof code === 'string' ? ` [${code}]` : ''}`);
    if (typeof e !== 'object' || e === null) break;
  }
  return out;
}

/** One sentence on what the error most likely means. */
export function diagnose(err: YouTubeError): string {
  const codes = causeChain(err).join(' ') + ` ${err.message}`;
  if (/ENOTFOUND|EAI_AGAIN/.test(codes)) return 'DNS lookup failed: this machine is offline or cannot resolve www.youtube.com.';
  if (/CERT|certificate|self.signed/i.test(codes)) return 'TLS failed: something intercepts HTTPS (a corporate proxy?); set NODE_EXTRA_CA_CERTS to its CA.';
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|CONNECT_TIMEOUT|timeout|aborted/i.test(codes)) {
    return 'the connection failed: a firewall blocks YouTube, or this network only allows a proxy.';
  }
  if (err.status === 'blocked') {
    return err.httpStatus === 429
      ? 'YouTube is rate-limiting this IP (HTTP 429): wait before trying again.'
      : 'YouTube shows a bot check or consent wall: pass --cookies with cookies from a signed-in browser.';
  }
  return 'YouTube answered in a way Episodic did not expect; the message above is what it said.';
}
