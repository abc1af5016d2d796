/**
 * `npm run bench [-- --episodes N --duration S --workers N --out FILE --keep]`: ingest and server speed on
 * the first N Lexicap episodes (file-name order: episode_001, 002, …; 8 by default for a quick
 * run, 319 for the headline). Prints a table with every figure as a ratio to its reference in the
 * same run and writes bench/results/latest.json (git-ignored) or FILE.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EmbedderPool } from '../indexer/embed/pool.ts';
import { ingestFiles, type FileEvent } from '../indexer/ingest.ts';
import { Store } from '../indexer/store/store.ts';
import { charsOf, MeteredEmbedder } from './meter.ts';
import { LEXICAP, lexicapManifest } from './lexicap.ts';
import { firstAskEvent, getJson, runLoad, type LoadResult } from './load.ts';
import { benchQuery } from './queries.ts';
import { formatBench, type BenchResults } from './report.ts';
import { memoryOf, spawnServer } from './server.ts';
import { measureStartup } from './startup.ts';

/** The embedder ceiling is measured on at most this many of the ingested texts, evenly spread: enough for a stable rate. */
const CEILING_SAMPLE = 2000;
/** Request budget per load phase, far above what the duration allows, so it only guards against runaways. */
const MAX_REQUESTS = 20_000;
const CONCURRENCY = [1, 16];
const PROGRESS_EVERY_MS = 60_000;
/** Topic summaries are slow (k = 120 windows, sentences embedded): a handful is enough. */
const TOPIC_REQUESTS = 6;
const TOPICS = ['consciousness', 'the meaning of life', 'self-driving cars', 'artificial general intelligence', 'free will', 'black holes'];

const { values } = parseArgs({
  options: {
    episodes: { type: 'string', default: '8' },
    duration: { type: 'string', default: '10' },
    workers: { type: 'string', default: String(availableParallelism()) },
    source: { type: 'string', default: join(LEXICAP, 'vtt_large') },
    out: { type: 'string', default: new URL('./results/latest.json', import.meta.url).pathname },
    // Keep the index built by the run (for profiling the server over it afterwards).
    keep: { type: 'boolean', default: false },
  },
});
const episodes = Number(values.episodes);
const durationMs = Number(values.duration) * 1000;
const workers = Number(values.workers);
const OUT = values.out;
if (![episodes, durationMs, workers].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--episodes, --duration and --workers must be whole numbers above 0');

const log = (m: string) => process.stderr.write(`${m}\n`);
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const loadAvgAtStart = loadavg().map((l) => round(l, 2));

const files = readdirSync(values.source)
  .filter((f) => f.endsWith('.vtt'))
  .sort()
  .slice(0, episodes)
  .map((f) => join(values.source, f));
const dir = mkdtempSync(join(tmpdir(), 'episodic-bench-'));
try {
  const ingest = await ingestPhase();
  const diskMb = folderBytes(dir) / 1e6;
  log('Timing CLI start-up against node -e 0…');
  const startup = measureStartup(dir, benchQuery(0));
  const { server, search, ask, topics, videos, libraryPage } = await serverPhase();
  const results: BenchResults = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? null, node: process.version, loadAvgAtStart, loadAvgAtEnd: loadavg().map((l) => round(l, 2)) },
    subset: { source: values.source, episodes: files.length, first: files[0], last: files.at(-1)! },
    ingest,
    index: { diskMb: round(diskMb, 1), mbPerAudioHour: round(diskMb / ingest.audioHours, 2) },
    startup,
    server,
    search,
    ask,
    topics,
    videos,
    libraryPage,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(formatBench(results));
  log(`Wrote ${OUT}`);
} finally {
  if (values.keep) log(`Kept the index in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

/** Ingests exactly as `episodic add <files> --manifest episodes_metadata.csv` does, then measures the embedder alone. */
async function ingestPhase(): Promise<BenchResults['ingest']> {
  log(`Ingesting ${files.length} episodes with ${workers} USE-lite workers into ${dir}…`);
  const t0 = performance.now();
  const pool = await EmbedderPool.start({ kind: 'use-lite' }, workers);
  const modelLoadMs = performance.now() - t0;
  const store = Store.open(dir);
  try {
    const manifest = lexicapManifest();
    const meter = new MeteredEmbedder(pool);
    const workers1 = pool.utilization();
    const main1 = performance.eventLoopUtilization();
    const t1 = performance.now();
    const cpu1 = process.cpuUsage();
    meter.start();
    // Progress to stderr now and then, so a long run that is stopped still tells how far it got.
    let lastLog = performance.now();
    const progress = (e: FileEvent) => {
      if (e.type !== 'file' && e.type !== 'failed') return;
      const now = performance.now();
      if (now - lastLog < PROGRESS_EVERY_MS && e.index !== files.length - 1) return;
      lastLog = now;
      const s = (now - t1) / 1000;
      log(
        `  ${e.index + 1}/${files.length} files, ${s.toFixed(0)} s, ${meter.texts} texts, ${Math.round(meter.chars / s)} chars/s, ` +
          `no text queued ${(meter.idleMsSoFar() / 1000).toFixed(1)} s, load ${loadavg()[0].toFixed(2)}`,
      );
    };
    const summary = await ingestFiles({ store, embedder: meter }, files, { manifest, channel: 'Lex Fridman Podcast' }, progress);
    const ingestCpuS = cpuSeconds(cpu1);
    const ingestS = (performance.now() - t1) / 1000;
    const noWorkQueuedS = meter.idleMsSoFar() / 1000;
    const mainBusy = performance.eventLoopUtilization(main1).utilization;
    const workerBusy = mean(pool.utilization(workers1).map((u) => u.utilization));
    const stats = store.db.stats();
    // The texts the pipeline embedded, evenly spread: the ceiling runs on the same kind of text.
    const texts = meter.seen;
    const step = Math.max(1, texts.length / CEILING_SAMPLE);
    const sample = Array.from({ length: Math.min(texts.length, CEILING_SAMPLE) }, (_, i) => texts[Math.floor(i * step)]);
    const sampleChars = charsOf(sample);
    log(`Measuring the embedder alone on ${sample.length} of the ${texts.length} texts…`);
    const workers2 = pool.utilization();
    const t2 = performance.now();
    const cpu2 = process.cpuUsage();
    await pool.embed(sample);
    const ceilingCpuPerChar = cpuSeconds(cpu2) / sampleChars;
    const ceilingS = (performance.now() - t2) / 1000;
    const ceilingWorkerBusy = mean(pool.utilization(workers2).map((u) => u.utilization));
    const ceilingPerS = sample.length / ceilingS;
    const ceilingCharsPerS = sampleChars / ceilingS;
    const charsPerS = meter.chars / ingestS;
    const hours = stats.durationMs / 3_600_000;
    return {
      workers,
      modelLoadS: round(modelLoadMs / 1000, 2),
      wallS: round(ingestS, 1),
      audioHours: round(hours, 2),
      audioHoursPerMinute: round(hours / (ingestS / 60), 2),
      // The same characters at the embedder's own rate, with nothing else around it.
      ceilingAudioHoursPerMinute: round(hours / (meter.chars / ceilingCharsPerS / 60), 2),
      segments: stats.segments,
      embedded: summary.embedded,
      chars: meter.chars,
      segmentsPerS: round(summary.embedded / ingestS, 1),
      charsPerS: Math.round(charsPerS),
      embedderCeilingPerS: round(ceilingPerS, 1),
      embedderCeilingCharsPerS: Math.round(ceilingCharsPerS),
      ceilingSample: sample.length,
      ceilingRatio: round(charsPerS / ceilingCharsPerS, 3),
      ceilingRatioTexts: round(summary.embedded / ingestS / ceilingPerS, 3),
      pipelineOverhead: round(1 - meter.chars / ceilingCharsPerS / ingestS, 3),
      cpuS: round(ingestCpuS, 1),
      pipelineOverheadCpu: round(1 - (meter.chars * ceilingCpuPerChar) / ingestCpuS, 3),
      workerUtilisation: round(workerBusy, 3),
      ceilingWorkerUtilisation: round(ceilingWorkerBusy, 3),
      mainThreadBusy: round(mainBusy, 3),
      noWorkQueuedS: round(noWorkQueuedS, 1),
      embedCalls: meter.calls,
      textsPerCall: round(meter.texts / Math.max(1, meter.calls), 1),
      largestCall: meter.largestCall,
      failed: summary.failed.length,
    };
  } finally {
    store.close();
    await pool.close();
  }
}

/** Cold start to the first answered search, then bounded load at each concurrency, the other endpoints, then memory. */
async function serverPhase(): Promise<Pick<BenchResults, 'server' | 'search' | 'ask' | 'topics' | 'videos' | 'libraryPage'>> {
  log('Starting the server and measuring search…');
  const t0 = performance.now();
  // The rate limiter is off: this measures the server, not the limiter (60 asks a minute by default).
  const server = await spawnServer(dir, { EPISODIC_RATE_LIMIT: '0' });
  const listenS = (performance.now() - t0) / 1000;
  const searchUrl = (i: number) => `${server.url}/api/search?q=${encodeURIComponent(benchQuery(i))}&k=10`;
  try {
    await getJson(searchUrl(0));
    const coldStartToFirstSearchS = (performance.now() - t0) / 1000;
    for (let i = 1; i <= 5; i++) await getJson(searchUrl(i)); // warm-up: JIT and SQLite page cache
    const search: LoadResult[] = [];
    for (const concurrency of CONCURRENCY) {
      search.push(await runLoad(async (i) => void (await getJson(searchUrl(i))), { concurrency, durationMs, maxRequests: MAX_REQUESTS }));
    }
    // Offline (extractive) mode: the server under bench has no model configured.
    log('Measuring /api/ask, /api/topics, /api/videos and the library page…');
    const ask = [await runLoad((i) => firstAskEvent(server.url, benchQuery(i)), { concurrency: 1, durationMs, maxRequests: MAX_REQUESTS })];
    const topics = [await runLoad((i) => postTopic(server.url, TOPICS[i % TOPICS.length]), { concurrency: 1, durationMs, maxRequests: TOPIC_REQUESTS })];
    const videos = [await runLoad(async () => void (await getJson(`${server.url}/api/videos`)), { concurrency: 1, durationMs: Math.min(durationMs, 5000), maxRequests: 200 })];
    const libraryPage = [await runLoad(() => loadLibraryPage(server.url), { concurrency: 1, durationMs: Math.min(durationMs, 5000), maxRequests: 100 })];
    const memory = memoryOf(server.pid);
    return {
      server: { listenS: round(listenS, 2), coldStartToFirstSearchS: round(coldStartToFirstSearchS, 2), rssMb: memory?.rssMb ?? null, peakRssMb: memory?.peakRssMb ?? null },
      search,
      ask,
      topics,
      videos,
      libraryPage,
    };
  } finally {
    await server.close();
  }
}

/** POST /api/topics (offline: retrieval, grouping and extractive key points); throws on an error status. */
async function postTopic(base: string, topic: string): Promise<void> {
  const res = await fetch(`${base}/api/topics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic }) });
  if (!res.ok) throw new Error(`${res.status} from /api/topics`);
  await res.json();
}

/**
 * What a browser opening the library does: GET / (the app's HTML), then its scripts and styles
 * and GET /api/videos at once. Resolves when all are read.
 */
async function loadLibraryPage(base: string): Promise<void> {
  const res = await fetch(`${base}/`);
  if (!res.ok) throw new Error(`${res.status} from /`);
  const html = await res.text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await Promise.all([
    getJson(`${base}/api/videos`),
    ...assets.map(async (a) => {
      const r = await fetch(`${base}${a}`);
      if (!r.ok) throw new Error(`${r.status} from ${a}`);
      await r.arrayBuffer();
    }),
  ]);
}

/**
 * CPU seconds of this process since `since`, all threads (embedding workers included). On a shared
 * machine wall time also counts other people's work; CPU time mostly does not.
 */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

function folderBytes(path: string): number {
  return readdirSync(path, { withFileTypes: true }).reduce((sum, e) => {
    const p = join(path, e.name);
    return sum + (e.isDirectory() ? folderBytes(p) : statSync(p).size);
  }, 0);
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
