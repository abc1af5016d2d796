/**
 * `episodic add <YouTube URL…|feed URL…>`, `episodic refresh` and `episodic resume` (doctor is in
 * doctor.ts). Arguments and output only: the jobs run through core/ingest.ts.
 */
import type { Config } from '../core/config.ts';
import { CoreError } from '../core/errors.ts';
import {
  createSources,
  followMatches,
  followRef,
  openIngestJob,
  parseIngestSource,
  parseSourceOptions,
  runIngestJob,
  sourceFetch,
  type IngestRef,
  type JobProgress,
  type JobSummary,
  type SourceOptions,
} from '../core/ingest.ts';
import type { Embedder } from '../indexer/embed/embedder.ts';
import type { Job, JobStore } from '../indexer/store/jobs.ts';
import type { Store } from '../indexer/store/store.ts';
import type { CliValues } from './main.ts';
import { onInterrupt, openForWriting } from './writing.ts';

/** The options this file reads; main.ts declares them (`--lang`, `--concurrency`, `--cookies`). */
export type YouTubeCliValues = CliValues & { lang?: string; concurrency?: string; cookies?: string };

interface OpenIndex {
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

/** The real process edges; tests replace parts of them. */
export const defaultIo = (config: Config): YouTubeCliIo => ({
  fetch: sourceFetch(config),
  stdout: process.stdout,
  stderr: process.stderr,
  openIndex: openForWriting,
  interrupt: () => onInterrupt('Stopping after the videos in flight (Ctrl-C again to quit now)…'),
  now: Date.now,
});

export { isFeedArg, isYouTubeArg } from './source-kind.ts';

/** `episodic add <YouTube URL…|feed URL…> [--lang en,de] [--concurrency 4] [--cookies FILE]` */
export async function runAddYouTube(config: Config, refs: string[], values: YouTubeCliValues, io: Partial<YouTubeCliIo> = {}): Promise<number> {
  const o = { ...defaultIo(config), ...io };
  const parsed: IngestRef[] = [];
  for (const arg of refs) {
    try {
      parsed.push(parseIngestSource(arg));
    } catch (err) {
      if (!(err instanceof CoreError)) throw err;
      o.stderr.write(`episodic add: ${err.message}\n`);
      return 2;
    }
  }
  return withYouTube(config, values, o, async (ctx) => {
    let code = 0;
    for (const ref of parsed) {
      const { job, resumed } = openIngestJob(ctx.jobs, ref, 'add', o.now());
      if (resumed) o.stderr.write(`Resuming job ${job.id} for ${job.source} (${job.total - job.counts.queued} of ${job.total} done)\n`);
      const summary = await ctx.run(job);
      code = Math.max(code, exitCode(summary));
      if (summary.stopped) break; // blocked or interrupted: the rest would only hit the same wall
    }
    return code;
  });
}

/** `episodic refresh [--channel X]`: lists every followed playlist, channel and feed again and ingests what is new. */
export async function runRefresh(config: Config, values: YouTubeCliValues, io: Partial<YouTubeCliIo> = {}): Promise<number> {
  const o = { ...defaultIo(config), ...io };
  return withYouTube(config, values, o, async (ctx) => {
    const follows = ctx.jobs.follows().filter((f) => !values.channel || followMatches(f.source, values.channel));
    if (follows.length === 0) {
      o.stderr.write(
        values.channel
          ? `episodic refresh: no followed playlist, channel or feed matches "${values.channel}"\n`
          : 'episodic refresh: nothing to refresh; add a playlist, channel or podcast feed first: episodic add <URL>\n',
      );
      return values.channel ? 1 : 0;
    }
    let code = 0;
    for (const follow of follows) {
      const { job } = openIngestJob(ctx.jobs, followRef(follow), 'refresh', o.now());
      const summary = await ctx.run(job);
      code = Math.max(code, exitCode(summary));
      if (summary.stopped) break;
    }
    return code;
  });
}

/** `episodic resume`: continues every unfinished YouTube or feed job (paused by a block, interrupted, failed). */
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

/**
 * 130 when interrupted; 1 when the job did not finish, a video failed with an error, or nothing
 * could be indexed at all (every video private, unavailable, without captions…), like a failed
 * file; 0 otherwise (a channel where some videos have no captions is still a success).
 */
export function exitCode(summary: Pick<JobSummary, 'stopped' | 'status' | 'counts' | 'total'>): number {
  if (summary.stopped === 'interrupted') return 130;
  if (summary.status !== 'done' || summary.counts.error > 0) return 1;
  const usable = summary.counts.indexed + summary.counts.skipped;
  return summary.total > 0 && usable === 0 ? 1 : 0;
}

interface RunContext {
  jobs: JobStore;
  run: (job: Job) => Promise<JobSummary>;
}

/** Options → source → index (locked) → work; closes everything whatever happens. */
async function withYouTube(config: Config, values: YouTubeCliValues, o: YouTubeCliIo, work: (ctx: RunContext) => Promise<number>): Promise<number> {
  let options: SourceOptions;
  try {
    options = youTubeOptions(values, o.now());
  } catch (err) {
    o.stderr.write(`episodic: ${(err as Error).message}\n`);
    return 2;
  }
  const { source, feeds } = await createSources({
    fetch: o.fetch,
    lang: options.lang,
    cookies: options.cookies,
    now: o.now,
    onRetry: ({ delayMs, error }) => o.stderr.write(`\n  ${error.message}; retrying in ${(delayMs / 1000).toFixed(1)} s\n`),
  });
  const { store, embedder, release } = await o.openIndex(config, values);
  const interrupt = o.interrupt();
  const jobs = store.jobs;
  try {
    return await work({
      jobs,
      run: async (job) => {
        const print = progressPrinter(o.stderr, Boolean(values.json));
        const summary = await runIngestJob({ store, embedder, source, feeds, jobs, clock: { now: o.now } }, job.id, {
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

/** Parses `--lang`, `--concurrency` and `--cookies` (reading the cookies file); an `invalid` CoreError names the option. */
export function youTubeOptions(values: YouTubeCliValues, nowMs: number): SourceOptions {
  return parseSourceOptions(values, nowMs);
}

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
