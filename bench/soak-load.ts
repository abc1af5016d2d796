/**
 * `npm run soak:load [-- --clients 16 --duration 60 --warmup 30 --episodes 8 --ingest 12]`:
 * the server under read load while it ingests.
 *
 * Indexes the first `--episodes` Lexicap episodes, starts the real server on loopback (rate
 * limit off: this measures the server, not its limiter), and queues a YouTube job for the next
 * `--ingest` episodes, served by the Lexicap stand-in for YouTube (lexicap.ts). While that job
 * runs inside the server, `--clients` loops alternate GET /api/search and POST /api/ask
 * (offline, extractive) for a warm-up and then `--duration` seconds. Reports requests, errors,
 * p50/p99 per endpoint, how far the ingest got during the window, and the server's RSS and heap
 * after a full collection, after warm-up and at the end (drift between the two). Then stops the
 * server (the job pauses) and checks the index is consistent. Exits 1 on any error, RSS growth above 10%, an ingest that made no
 * progress during the window, or an inconsistent index. Writes bench/results/soak-load.json.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Store } from '../indexer/store/store.ts';
import type { JobView } from '../core/contract/api.ts';
import { consistencyProblems } from '../test/helpers/consistency-check.ts';
import { indexLexicap, LEXICAP } from './lexicap.ts';
import { firstAskEvent, getJson, percentile, runLoad, type LoadResult } from './load.ts';
import { benchQuery } from './queries.ts';
import { memoryOf, spawnListening, type ServerProcess } from './server.ts';

const SERVER = fileURLToPath(new URL('./soak-server.ts', import.meta.url));
const OUT = fileURLToPath(new URL('./results/soak-load.json', import.meta.url));
const MAX_RSS_DRIFT = 0.1;

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    duration: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '30' },
    episodes: { type: 'string', default: '8' },
    ingest: { type: 'string', default: '12' },
    keep: { type: 'boolean', default: false },
  },
});
const [clients, duration, warmup, episodes, ingest] = [values.clients, values.duration, values.warmup, values.episodes, values.ingest].map(Number);
if (![clients, duration, warmup, episodes, ingest].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('--clients, --duration, --warmup, --episodes and --ingest must be whole numbers above 0');
}

const log = (m: string) => process.stderr.write(`${m}\n`);
const files = readdirSync(join(LEXICAP, 'vtt_large'))
  .filter((f) => f.endsWith('.vtt'))
  .sort()
  .map((f) => join(LEXICAP, 'vtt_large', f));
const baseFiles = files.slice(0, episodes);
const jobFiles = files.slice(episodes, episodes + ingest);

/** One client step: even requests search, odd ones ask; each counts until its response is fully read. */
function mixed(base: string, counts: { search: number[]; ask: number[] }) {
  return async (i: number) => {
    const t = performance.now();
    if (i % 2 === 0) {
      const body = (await getJson(`${base}/api/search?q=${encodeURIComponent(benchQuery(i))}&k=10`)) as { results?: unknown[] };
      if (!Array.isArray(body.results)) throw new Error('search response without results');
      counts.search.push(performance.now() - t);
    } else {
      await firstAskEvent(base, benchQuery(i));
      counts.ask.push(performance.now() - t);
    }
  };
}

function summarise(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(sorted, p));
  return { requests: sorted.length, p50Ms: at(50), p99Ms: at(99), maxMs: Math.round(sorted.at(-1) ?? 0) };
}

/**
 * RSS and main-thread heap after a full garbage collection in the server (SIGUSR2, see
 * soak-server.ts): without it a sample reads garbage not yet collected as growth, and single
 * samples swing by ±15% with the collector under this load.
 */
function collector(server: ServerProcess) {
  let last = '';
  server.onStderr((text) => (last += text));
  return async (): Promise<{ rssMb: number; heapUsedMb: number }> => {
    last = '';
    process.kill(server.pid, 'SIGUSR2');
    const deadline = Date.now() + 10_000;
    let m: RegExpExecArray | null = null;
    while (!(m = /gc: heapUsed (\d+) MB/.exec(last)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (!m) throw new Error('the server did not report its heap after SIGUSR2');
    await new Promise((r) => setTimeout(r, 500)); // let freed pages go back to the OS
    return { rssMb: memoryOf(server.pid)?.rssMb ?? NaN, heapUsedMb: Number(m[1]) };
  };
}

async function job(base: string, id: number): Promise<JobView> {
  return (await getJson(`${base}/api/jobs/${id}`)) as JobView;
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'episodic-soak-load-'));
  try {
    log(`soak:load  ${clients} clients, ${warmup} s warm-up + ${duration} s, index of ${baseFiles.length} episodes, ingesting ${jobFiles.length} more, work dir ${dir}`);
    const indexed = await indexLexicap(dir, baseFiles, 2);
    log(`indexed ${indexed.segments} segments in ${indexed.seconds.toFixed(0)} s`);

    const server = await spawnListening(['--expose-gc', '--import', 'tsx', SERVER, dir, ...jobFiles], { EPISODIC_RATE_LIMIT: '0' });
    const afterGc = collector(server);
    let result;
    try {
      const res = await fetch(`${server.url}/api/videos`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'https://www.youtube.com/playlist?list=PLsoakLoadLexicapStandIn00' }),
      });
      if (res.status !== 202 && res.status !== 200) throw new Error(`POST /api/videos: ${res.status} ${await res.text()}`);
      const { jobId } = (await res.json()) as { jobId: number };

      // RSS every second for the report's curve and peak.
      const rss: { phase: 'warmup' | 'load'; mb: number }[] = [];
      let phase: 'warmup' | 'load' = 'warmup';
      const sampler = setInterval(() => {
        const m = memoryOf(server.pid);
        if (m) rss.push({ phase, mb: m.rssMb });
      }, 1000);
      try {
        const warm = { search: [] as number[], ask: [] as number[] };
        const warmRun = await runLoad(mixed(server.url, warm), { concurrency: clients, durationMs: warmup * 1000, maxRequests: 1_000_000 });
        const warmGc = await afterGc();
        const before = await job(server.url, jobId);
        log(`warm-up: ${warmRun.requests} requests, ${warmRun.errors} errors ${JSON.stringify(warmRun.errorSamples)}; after a full GC: RSS ${warmGc.rssMb} MB, heap ${warmGc.heapUsedMb} MB; job ${before.status}, ${before.done}/${before.total} videos`);

        phase = 'load';
        const counts = { search: [] as number[], ask: [] as number[] };
        const statuses: string[] = [];
        const poll = setInterval(() => void job(server.url, jobId).then((j) => statuses.push(j.status), () => statuses.push('poll failed')), 2000);
        let load: LoadResult;
        try {
          load = await runLoad(mixed(server.url, counts), { concurrency: clients, durationMs: duration * 1000, maxRequests: 1_000_000 });
        } finally {
          clearInterval(poll);
        }
        const endGc = await afterGc();
        const after = await job(server.url, jobId);
        const storeStats = (await getJson(`${server.url}/api/health`)) as Record<string, unknown>;
        result = {
          date: new Date().toISOString(),
          clients,
          warmupS: warmup,
          durationS: duration,
          load: { ...load, search: summarise(counts.search), ask: summarise(counts.ask) },
          ingest: {
            videosInJob: jobFiles.length,
            doneAtStart: before.done,
            doneAtEnd: after.done,
            statusAtEnd: after.status,
            runningShareOfWindow: statuses.filter((s) => s === 'running').length / Math.max(1, statuses.length),
          },
          memory: {
            afterWarmup: warmGc,
            atEnd: endGc,
            drift: Math.round(((endGc.rssMb - warmGc.rssMb) / warmGc.rssMb) * 1000) / 1000,
            heapDrift: Math.round(((endGc.heapUsedMb - warmGc.heapUsedMb) / warmGc.heapUsedMb) * 1000) / 1000,
            peakRssMb: Math.max(...rss.map((r) => r.mb)),
            samplesMb: rss.filter((r) => r.phase === 'load').map((r) => r.mb),
          },
          health: storeStats,
        };
      } finally {
        clearInterval(sampler);
      }
    } finally {
      await server.close();
    }

    const store = Store.open(dir);
    let problems: string[];
    let videos: number;
    try {
      problems = consistencyProblems(store);
      videos = store.db.listVideos().filter((v) => v.status === 'indexed').length;
    } finally {
      store.close();
    }
    const failures = [
      ...(result.load.errors > 0 ? [`${result.load.errors} requests failed`] : []),
      // Growth is what a leak looks like; RSS that shrinks (pages returned after the warm-up's peak) is not.
      ...(result.memory.drift > MAX_RSS_DRIFT ? [`RSS grew ${(result.memory.drift * 100).toFixed(1)}% (limit ${MAX_RSS_DRIFT * 100}%)`] : []),
      ...(result.ingest.doneAtEnd <= result.ingest.doneAtStart ? ['the ingest made no progress during the load'] : []),
      ...(result.ingest.runningShareOfWindow < 1 && result.ingest.statusAtEnd !== 'done' ? ['the job stopped running during the load'] : []),
      ...problems.map((p) => `index after stop: ${p}`),
    ];
    const report = { ...result, indexAfterStop: { indexedVideos: videos, consistent: problems.length === 0 }, failures };
    mkdirSync(join(OUT, '..'), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);

    const { load, ingest: ing, memory } = report;
    console.log(`requests ${load.requests} in ${load.seconds} s (${load.requestsPerSecond}/s), errors ${load.errors} ${load.errorSamples.join(' | ')}`);
    console.log(`  search: ${load.search.requests} requests, p50 ${load.search.p50Ms} ms, p99 ${load.search.p99Ms} ms, max ${load.search.maxMs} ms`);
    console.log(`  ask:    ${load.ask.requests} requests, p50 ${load.ask.p50Ms} ms, p99 ${load.ask.p99Ms} ms, max ${load.ask.maxMs} ms`);
    console.log(`ingest during the window: ${ing.doneAtStart} → ${ing.doneAtEnd} of ${ing.videosInJob} videos (job running in ${Math.round(ing.runningShareOfWindow * 100)}% of polls)`);
    console.log(
      `memory after a full GC: RSS ${memory.afterWarmup.rssMb} MB after warm-up, ${memory.atEnd.rssMb} MB at the end (drift ${(memory.drift * 100).toFixed(1)}%); ` +
        `heap ${memory.afterWarmup.heapUsedMb} → ${memory.atEnd.heapUsedMb} MB; peak RSS ${memory.peakRssMb} MB`,
    );
    console.log(`index after stop: ${videos} videos, ${problems.length === 0 ? 'consistent' : problems.join('; ')}`);
    console.log(failures.length === 0 ? 'PASS' : `FAIL: ${failures.join('; ')}`);
    log(`Wrote ${OUT}`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
