/** The shape of bench/results/latest.json and its table. */
import { formatTable } from '../eval/table.ts';
import type { LoadResult } from './load.ts';
import type { StartupResult } from './startup.ts';

export interface BenchResults {
  date: string;
  commit: string | null;
  machine: { cpus: number; cpu: string | null; node: string; loadAvgAtStart: number[]; loadAvgAtEnd: number[] };
  subset: { source: string; episodes: number; first: string; last: string };
  ingest: {
    workers: number;
    modelLoadS: number;
    wallS: number;
    audioHours: number;
    audioHoursPerMinute: number;
    /** Audio hours per minute if the same characters were embedded at the ceiling rate and nothing else took time. */
    ceilingAudioHoursPerMinute: number;
    segments: number;
    embedded: number;
    /** Characters handed to the encoder. */
    chars: number;
    segmentsPerS: number;
    charsPerS: number;
    /** The same pool embedding a sample of the same texts with nothing around it. */
    embedderCeilingPerS: number;
    embedderCeilingCharsPerS: number;
    ceilingSample: number;
    /** Pipeline characters/s over the ceiling's (target ≥ 0.95). */
    ceilingRatio: number;
    /**
     * The same in texts/s. USE-lite reads a text's first 128 tokens only, so a window's cost is
     * nearly flat past ~560 characters: per text is the steadier measure of work.
     */
    ceilingRatioTexts: number;
    /** Share of ingest wall time not explained by embedding at the ceiling rate. */
    pipelineOverhead: number;
    /** CPU seconds of the ingest, all threads. */
    cpuS: number;
    /** The same share in CPU time: steadier than wall time when other work shares the machine. */
    pipelineOverheadCpu: number;
    /** Mean event-loop utilisation of the embedding workers during the ingest, and during the ceiling run. */
    workerUtilisation: number;
    ceilingWorkerUtilisation: number;
    /** Event-loop utilisation of the main thread (parsing, hashing, SQLite/FTS, HNSW, messaging) during the ingest. */
    mainThreadBusy: number;
    /** Seconds with no text queued for any worker (every worker idle: start-up, file boundaries, the end). */
    noWorkQueuedS: number;
    embedCalls: number;
    textsPerCall: number;
    largestCall: number;
    failed: number;
  };
  index: { diskMb: number; mbPerAudioHour: number };
  /** CLI wall times as ratios to `node -e 0` in the same run. */
  startup: StartupResult;
  server: { listenS: number; coldStartToFirstSearchS: number; rssMb: number | null; peakRssMb: number | null };
  search: LoadResult[];
  /** Time to the first SSE event (`sources`) of /api/ask in offline mode. */
  ask: LoadResult[];
  /** POST /api/topics, offline (no model): the whole response. */
  topics: LoadResult[];
  /** GET /api/videos, the whole library's list. */
  videos: LoadResult[];
  /** GET / with its scripts and styles and GET /api/videos: the library page as a browser loads it. */
  libraryPage: LoadResult[];
}

/** The RSS budget of a server over the whole library (issue 14). */
export const RSS_BUDGET_MB = 1536;
/** Issue 14: server cold start to the first answered search on the 40-episode index. */
export const COLD_START_TARGET_S = 1.5;

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const ratio = (x: number) => `${x.toFixed(2)}×`;

/** The results as plain-text tables. */
export function formatBench(r: BenchResults): string {
  const i = r.ingest;
  const s1 = r.search.find((l) => l.concurrency === 1);
  const s16 = r.search.find((l) => l.concurrency === 16);
  const rows = [
    ['machine', `${r.machine.cpu ?? '?'} × ${r.machine.cpus}, Node ${r.machine.node}, load ${r.machine.loadAvgAtStart.join(' ')} → ${r.machine.loadAvgAtEnd.join(' ')}`],
    ['episodes', String(r.subset.episodes)],
    ['audio hours', i.audioHours.toFixed(2)],
    ['windows stored / embedded', `${i.segments} / ${i.embedded}`],
    ['characters embedded', i.chars.toLocaleString('en')],
    ['model load s (workers)', `${i.modelLoadS.toFixed(2)} (${i.workers})`],
    ['ingest wall time s', i.wallS.toFixed(1)],
    ['audio hours per minute: pipeline / ceiling', `${i.audioHoursPerMinute.toFixed(2)} / ${i.ceilingAudioHoursPerMinute.toFixed(2)}`],
    ['windows/s: pipeline / ceiling', `${i.segmentsPerS.toFixed(1)} / ${i.embedderCeilingPerS.toFixed(1)}`],
    [`characters/s: pipeline / ceiling (${i.ceilingSample} texts)`, `${i.charsPerS} / ${i.embedderCeilingCharsPerS}`],
    ['pipeline ÷ ceiling, characters/s; windows/s (target ≥ 0.95)', `${i.ceilingRatio.toFixed(3)}; ${i.ceilingRatioTexts.toFixed(3)}`],
    ['pipeline overhead, wall time', pct(i.pipelineOverhead)],
    ['pipeline overhead, CPU time', pct(i.pipelineOverheadCpu)],
    ['worker utilisation: ingest / ceiling run', `${pct(i.workerUtilisation)} / ${pct(i.ceilingWorkerUtilisation)}`],
    ['main thread busy during ingest', pct(i.mainThreadBusy)],
    ['no text queued for any worker s (share)', `${i.noWorkQueuedS.toFixed(1)} (${pct(i.noWorkQueuedS / i.wallS)})`],
    ['embed calls, texts per call (largest)', `${i.embedCalls}, ${i.textsPerCall} (${i.largestCall})`],
    ['index on disk MB (per audio hour)', `${r.index.diskMb.toFixed(1)} (${r.index.mbPerAudioHour.toFixed(2)})`],
    ['server start to listening s', r.server.listenS.toFixed(2)],
    [`server start to first search s (target ≤ ${COLD_START_TARGET_S} s on 40 episodes)`, r.server.coldStartToFirstSearchS.toFixed(2)],
    [
      `server RSS after load MB (peak), share of ${RSS_BUDGET_MB}`,
      r.server.rssMb === null ? '—' : `${r.server.rssMb} (${r.server.peakRssMb}), ${pct(r.server.rssMb / RSS_BUDGET_MB)}`,
    ],
    ...(s1 && s16 ? [['/api/search req/s c=16 ÷ c=1; p50 c=16 ÷ c=1', `${ratio(s16.requestsPerSecond / s1.requestsPerSecond)}; ${ratio(s16.p50Ms / s1.p50Ms)}`]] : []),
  ];
  const load = (results: LoadResult[]) =>
    formatTable(
      ['concurrency', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors'],
      results.map((l) => [
        String(l.concurrency),
        String(l.requests),
        l.requestsPerSecond.toFixed(1),
        l.p50Ms.toFixed(1),
        l.p95Ms.toFixed(1),
        l.p99Ms.toFixed(1),
        l.maxMs.toFixed(1),
        l.errors ? `${l.errors} (${l.errorSamples[0] ?? ''})` : '0',
      ]),
    );
  const startup = formatTable(
    ['command', 'median ms', `ratio to node -e 0 (${r.startup.nodeMs} ms)`, 'target'],
    r.startup.commands.map((c) => [c.name, String(c.ms), `${c.ratio.toFixed(1)}×`, `≤ ${c.target}×`]),
  );
  return (
    `${formatTable(['measure', 'value'], rows)}\n\nCLI start-up\n${startup}\n\n/api/search\n${load(r.search)}\n\n` +
    `/api/ask (offline), time to the first SSE event (sources)\n${load(r.ask)}\n\n` +
    `POST /api/topics (offline), whole response\n${load(r.topics)}\n\n` +
    `GET /api/videos\n${load(r.videos)}\n\n` +
    `Library page: GET / with its assets, and GET /api/videos\n${load(r.libraryPage)}\n`
  );
}
