/**
 * `npm run bench [-- --episodes N --duration S --workers N]`: ingest and search speed on the first
 * N Lexicap episodes (file-name order: episode_001, 002, …; 8 by default for a quick run, 319 for
 * the headline). Prints a table and writes bench/results/latest.json (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EmbedderPool } from '../indexer/embed/pool.ts';
import { ingestFiles } from '../indexer/ingest.ts';
import { Store } from '../indexer/store/store.ts';
import { LEXICAP, lexicapManifest } from './lexicap.ts';
import { firstAskEvent, getJson, runLoad, type LoadResult } from './load.ts';
import { benchQuery } from './queries.ts';
import { formatBench, type BenchResults } from './report.ts';
import { memoryOf, spawnServer } from './server.ts';
import { measureStartup } from './startup.ts';

const OUT = new URL('./results/latest.json', import.meta.url).pathname;
/** The embedder ceiling is measured on at most this many of the ingested texts, evenly spread: enough for a stable rate. */
const CEILING_SAMPLE = 2000;
/** Request budget per load phase, far above what the duration allows, so it only guards against runaways. */
const MAX_REQUESTS = 20_000;
const CONCURRENCY = [1, 16];

const { values } = parseArgs({
  options: {
    episodes: { type: 'string', default: '8' },
    duration: { type: 'string', default: '10' },
    workers: { type: 'string', default: String(availableParallelism()) },
    source: { type: 'string', default: join(LEXICAP, 'vtt_large') },
  },
});
const episodes = Number(values.episodes);
const durationMs = Number(values.duration) * 1000;
const workers = Number(values.workers);
if (![episodes, durationMs, workers].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--episodes, --duration and --workers must be whole numbers above 0');

const log = (m: string) => process.stderr.write(`${m}\n`);
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

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
  const { server, search, ask } = await serverPhase();
  const results: BenchResults = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? null, node: process.version, loadAvgAtEnd: loadavg().map((l) => round(l, 2)) },
    subset: { source: values.source, episodes: files.length, first: files[0], last: files.at(-1)! },
    ingest,
    index: { diskMb: round(diskMb, 1), mbPerAudioHour: round(diskMb / ingest.audioHours, 2) },
    startup,
    server,
    search,
    ask,
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(formatBench(results));
  log(`Wrote ${OUT}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
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
    const t1 = performance.now();
    const cpu1 = process.cpuUsage();
    const summary = await ingestFiles({ store, embedder: pool }, files, { manifest, channel: 'Lex Fridman Podcast' });
    const ingestCpuS = cpuSeconds(cpu1);
    const ingestS = (performance.now() - t1) / 1000;
    const stats = store.db.stats();
    const texts = store.db.distinctSegmentTexts();
    const step = Math.max(1, texts.length / CEILING_SAMPLE);
    const sample = Array.from({ length: Math.min(texts.length, CEILING_SAMPLE) }, (_, i) => texts[Math.floor(i * step)]);
    log(`Measuring the embedder alone on ${sample.length} of the ${texts.length} texts…`);
    const t2 = performance.now();
    const cpu2 = process.cpuUsage();
    await pool.embed(sample);
    const ceilingCpuPerText = cpuSeconds(cpu2) / sample.length;
    const ceilingPerS = sample.length / ((performance.now() - t2) / 1000);
    const hours = stats.durationMs / 3_600_000;
    return {
      workers,
      modelLoadS: round(modelLoadMs / 1000, 2),
      wallS: round(ingestS, 1),
      audioHours: round(hours, 2),
      audioHoursPerMinute: round(hours / (ingestS / 60), 2),
      segments: stats.segments,
      embedded: summary.embedded,
      segmentsPerS: round(summary.embedded / ingestS, 1),
      embedderCeilingPerS: round(ceilingPerS, 1),
      ceilingSample: sample.length,
      pipelineOverhead: round(1 - summary.embedded / ceilingPerS / ingestS, 3),
      cpuS: round(ingestCpuS, 1),
      pipelineOverheadCpu: round(1 - (summary.embedded * ceilingCpuPerText) / ingestCpuS, 3),
      failed: summary.failed.length,
    };
  } finally {
    store.close();
    await pool.close();
  }
}

/** Cold start to the first answered search, then bounded load at each concurrency, then memory. */
async function serverPhase(): Promise<{ server: BenchResults['server']; search: LoadResult[]; ask: LoadResult[] }> {
  log('Starting the server and measuring search…');
  const t0 = performance.now();
  const server = await spawnServer(dir);
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
    const ask = [await runLoad((i) => firstAskEvent(server.url, benchQuery(i)), { concurrency: 1, durationMs, maxRequests: MAX_REQUESTS })];
    const memory = memoryOf(server.pid);
    return {
      server: { listenS: round(listenS, 2), coldStartToFirstSearchS: round(coldStartToFirstSearchS, 2), rssMb: memory?.rssMb ?? null, peakRssMb: memory?.peakRssMb ?? null },
      search,
      ask,
    };
  } finally {
    await server.close();
  }
}

/**
 * CPU seconds of this process since `since`, all threads (embedding workers included). On a shared
 * machine wall time also counts other people's work; CPU time mostly does not.
 */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
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
