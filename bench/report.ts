/** The shape of bench/results/latest.json and its table. */
import { formatTable } from '../eval/table.ts';
import type { LoadResult } from './load.ts';
import type { StartupResult } from './startup.ts';

export interface BenchResults {
  date: string;
  commit: string | null;
  machine: { cpus: number; cpu: string | null; node: string; loadAvgAtEnd: number[] };
  subset: { source: string; episodes: number; first: string; last: string };
  ingest: {
    workers: number;
    modelLoadS: number;
    wallS: number;
    audioHours: number;
    audioHoursPerMinute: number;
    segments: number;
    embedded: number;
    segmentsPerS: number;
    /** The same pool embedding a sample of the same texts with nothing around it. */
    embedderCeilingPerS: number;
    ceilingSample: number;
    /** Share of ingest wall time not explained by embedding at the ceiling rate. */
    pipelineOverhead: number;
    /** CPU seconds of the ingest, all threads. */
    cpuS: number;
    /** The same share in CPU time: steadier than wall time when other work shares the machine. */
    pipelineOverheadCpu: number;
    failed: number;
  };
  index: { diskMb: number; mbPerAudioHour: number };
  /** CLI wall times as ratios to `node -e 0` in the same run. */
  startup: StartupResult;
  server: { listenS: number; coldStartToFirstSearchS: number; rssMb: number | null; peakRssMb: number | null };
  search: LoadResult[];
  /** Time to the first SSE event (`sources`) of /api/ask in offline mode. */
  ask: LoadResult[];
}

/** The results as two plain-text tables. */
export function formatBench(r: BenchResults): string {
  const i = r.ingest;
  const rows = [
    ['episodes', String(r.subset.episodes)],
    ['audio hours', i.audioHours.toFixed(2)],
    ['ingest wall time s', i.wallS.toFixed(1)],
    ['audio hours indexed per minute', i.audioHoursPerMinute.toFixed(2)],
    ['segments/s, pipeline', i.segmentsPerS.toFixed(1)],
    [`segments/s, embedder alone (${i.ceilingSample} texts)`, i.embedderCeilingPerS.toFixed(1)],
    ['pipeline overhead, wall time', `${(i.pipelineOverhead * 100).toFixed(1)} %`],
    ['pipeline overhead, CPU time', `${(i.pipelineOverheadCpu * 100).toFixed(1)} %`],
    ['index on disk MB per audio hour', r.index.mbPerAudioHour.toFixed(2)],
    ['server start to listening s', r.server.listenS.toFixed(2)],
    ['server start to first search s', r.server.coldStartToFirstSearchS.toFixed(2)],
    ['server RSS after load MB (peak)', r.server.rssMb === null ? '—' : `${r.server.rssMb} (${r.server.peakRssMb})`],
  ];
  const load = (results: LoadResult[]) =>
    formatTable(
      ['concurrency', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'],
      results.map((l) => [String(l.concurrency), String(l.requests), l.requestsPerSecond.toFixed(1), l.p50Ms.toFixed(1), l.p95Ms.toFixed(1), l.p99Ms.toFixed(1), String(l.errors)]),
    );
  const startup = formatTable(
    ['command', 'median ms', `ratio to node -e 0 (${r.startup.nodeMs} ms)`, 'target'],
    r.startup.commands.map((c) => [c.name, String(c.ms), `${c.ratio.toFixed(1)}×`, `≤ ${c.target}×`]),
  );
  return (
    `${formatTable(['measure', 'value'], rows)}\n\nCLI start-up\n${startup}\n\n/api/search\n${load(r.search)}\n\n` +
    `/api/ask (offline), time to the first SSE event (sources)\n${load(r.ask)}\n`
  );
}
