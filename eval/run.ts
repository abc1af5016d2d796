/**
 * Runs an evaluation: ingests a corpus once into an index through the normal pipeline, then
 * asks every query of every system against that same index, within the query's own video
 * and across all videos.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '../indexer/embed/embedder.ts';
import { EmbedderPool } from '../indexer/embed/pool.ts';
import type { EmbedderSpec } from '../indexer/embed/spec.ts';
import { ingestTranscript } from '../indexer/pipeline.ts';
import type { SegmentRow } from '../indexer/store/db.ts';
import { Store } from '../indexer/store/store.ts';
import { rankSegments, SEARCH_DEFAULTS, type SearchDeps, type SearchTuning } from '../core/retrieval/search.ts';
import type { EvalCorpus } from './corpus.ts';
import { judge, matchingGold, reciprocalRank, summarize, type EvalQuery, type Judgement, type RankedHit, type Summary } from './metrics.ts';
import { labelQuery } from './questions.ts';

/** Hits per query: every metric is @10 or less. */
export const EVAL_K = 10;

/** keywordWeight values tried for hybrid, so the default can be chosen from data. */
export const WEIGHT_SWEEP = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Search tuning as the evaluation varies it. */
export type EvalTuning = Partial<SearchTuning>;

/** A ranking strategy: search with some tuning, or a seeded random ranking as the floor. */
export type System = { name: string; tuning: EvalTuning } | { name: string; random: true };

/**
 * Random, each leg alone, the hybrid default, each with and without episode-level query terms
 * (so that query handling is measured too), then the weight sweep.
 */
export const SYSTEMS: System[] = [
  { name: 'random', random: true },
  { name: 'keyword', tuning: { mode: 'keyword' } },
  { name: 'keyword, no episode terms', tuning: { mode: 'keyword', episodeTerms: false } },
  { name: 'dense', tuning: { mode: 'dense' } },
  { name: `hybrid (default, w=${SEARCH_DEFAULTS.keywordWeight})`, tuning: {} },
  { name: 'hybrid, no episode terms', tuning: { episodeTerms: false } },
  // Localisation ideas (issue 12), each measured against the default; none changed it (see README).
  { name: 'hybrid +neighbours .2', tuning: { neighbourWeight: 0.2 } },
  { name: 'hybrid +boilerplate .5', tuning: { boilerplateDemotion: 0.5 } },
  { name: 'hybrid +feedback .5', tuning: { feedbackWeight: 0.5 } },
  { name: 'hybrid +adaptive .1+.6c', tuning: { adaptiveBase: 0.1, adaptiveSlope: 0.6 } },
  { name: 'hybrid +coverage both', tuning: { coverageFrom: 'both' } },
  { name: 'hybrid, no episode evidence', tuning: { episodeEvidence: 0 } },
  { name: 'hybrid +evidence dense .6', tuning: { episodeEvidence: 0.6, episodeEvidenceBy: 'denseScore' } },
  { name: 'hybrid +spelling variants', tuning: { spellingVariants: true } },
  { name: 'hybrid -named windows', tuning: { namedEpisodeWindows: 0 } },
  { name: 'hybrid +named windows 60', tuning: { namedEpisodeWindows: 60 } },
  { name: 'hybrid -boost when all named', tuning: { boostWhenAllNamed: false } },
  { name: 'hybrid +episode boost .3', tuning: { episodeBoost: 0.3 } },
  { name: 'hybrid +episode boost .5', tuning: { episodeBoost: 0.5 } },
  { name: 'hybrid +nb .2 +.1+.6c', tuning: { neighbourWeight: 0.2, adaptiveBase: 0.1, adaptiveSlope: 0.6 } },
  ...WEIGHT_SWEEP.map((w) => ({ name: `hybrid w=${w}`, tuning: { mode: 'hybrid' as const, keywordWeight: w } })),
];

export type Task = 'within' | 'across';
export const TASKS: Task[] = ['within', 'across'];

export interface EvalOptions {
  spec: EmbedderSpec;
  /** Embedding worker threads for ingest. */
  workers: number;
  /** Keep the index here and reuse it next time (unchanged transcripts are skipped); default: a temp folder, removed after. */
  indexDir?: string;
  systems?: System[];
  /** Listener questions: which half to ask (default all; queries without a split always run). */
  split?: 'tune' | 'test' | 'all';
  /** Which tasks to run (default both). */
  tasks?: Task[];
  onProgress?: (message: string) => void;
}

export interface SystemResult {
  task: Task;
  system: string;
  /** Wall time of all queries of this system and task. */
  ms: number;
  summary: Summary;
  /** The same metrics on subsets of the queries: `kind:paraphrase`, `split:tune`, `tune/paraphrase`, … */
  groups: Record<string, Summary>;
  /** Rank (1-based) of the first relevant hit within the top 10 per query, and where it landed. */
  perQuery: { id: string; kind?: string; rank: number | null; distanceS: number | null; top: { videoId: string; startS: number } | null }[];
}

export interface EvalReport {
  corpus: string;
  embedder: string;
  videos: number;
  hours: number;
  segments: number;
  queries: number;
  /** Queries per group (same keys as SystemResult.groups). */
  groups: Record<string, number>;
  split: string;
  unanswerable: number;
  ingestMs: number;
  searchMs: number;
  results: SystemResult[];
}

/** Ingests the corpus, runs every system on both tasks, and cleans up a temporary index. */
export async function runEvaluation(corpus: EvalCorpus, options: EvalOptions): Promise<EvalReport> {
  const log = options.onProgress ?? (() => {});
  const dir = options.indexDir ?? mkdtempSync(join(tmpdir(), 'episodic-eval-'));
  const store = Store.open(dir);
  let pool: EmbedderPool | undefined;
  try {
    pool = await EmbedderPool.start(options.spec, options.workers);
    const t0 = performance.now();
    let done = 0;
    for (const input of corpus.transcripts()) {
      const outcome = await ingestTranscript({ store, embedder: pool }, input);
      log(`ingest ${++done}/${corpus.videos} ${input.meta.id}: ${outcome.status}, ${outcome.segments} segments`);
    }
    store.save();
    const ingestMs = performance.now() - t0;

    const embedder = memoEmbedder(pool);
    const segments = segmentsByVideo(store);
    const split = options.split ?? 'all';
    const queries = selectQueries(corpus, store, split);
    const groupOf = queryGroups(queries);
    const results: SystemResult[] = [];
    const t1 = performance.now();
    for (const task of options.tasks ?? TASKS) {
      for (const system of options.systems ?? SYSTEMS) {
        const start = performance.now();
        const { judgements, hits } = await evaluateSystem({ store, embedder }, segments, queries, system, task);
        const groups = Object.fromEntries([...groupOf].map(([g, idx]) => [g, summarize(idx.map((i) => judgements[i]))]));
        const summary = summarize(judgements);
        results.push({
          task,
          system: system.name,
          ms: Math.round(performance.now() - start),
          summary,
          groups,
          perQuery: queries.map((q, i) => perQuery(q, judgements[i], hits[i])),
        });
        log(`${task} ${system.name}: MRR@10 ${summary.mrr10.toFixed(3)}`);
      }
    }
    const stats = store.db.stats();
    return {
      corpus: corpus.name,
      embedder: pool.id,
      videos: stats.indexed,
      hours: stats.durationMs / 3_600_000,
      segments: stats.segments,
      queries: queries.length,
      groups: Object.fromEntries([...groupOf].map(([g, idx]) => [g, idx.length])),
      split,
      unanswerable: corpus.unanswerable ?? 0,
      ingestMs: Math.round(ingestMs),
      searchMs: Math.round(performance.now() - t1),
      results,
    };
  } finally {
    await pool?.close();
    store.close();
    if (!options.indexDir) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The queries to ask: listener questions get their paraphrase label from the indexed cues,
 * then only the requested half is kept (queries without a split, e.g. QMSum, always stay).
 */
export function selectQueries(corpus: EvalCorpus, store: Store, split: 'tune' | 'test' | 'all'): EvalQuery[] {
  const cues = new Map<string, ReturnType<Store['db']['cues']>>();
  const cuesOf = (id: string) => {
    let found = cues.get(id);
    if (!found) {
      found = store.db.cues(id);
      cues.set(id, found);
    }
    return found;
  };
  return corpus.queries
    .filter((q) => split === 'all' || q.split === undefined || q.split === split)
    .map((q) => (corpus.labelKinds ? { ...q, ...labelQuery(q, cuesOf(q.videoId)) } : q));
}

/** Indexes of the queries in each reported subset: by kind, by split, and by split and kind. */
export function queryGroups(queries: EvalQuery[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  const add = (key: string, i: number) => groups.set(key, [...(groups.get(key) ?? []), i]);
  const splits = new Set(queries.map((q) => q.split).filter(Boolean));
  queries.forEach((q, i) => {
    if (q.kind) add(`kind:${q.kind}`, i);
    if (q.split && splits.size > 1) add(`split:${q.split}`, i);
    if (q.split && q.kind && splits.size > 1) add(`${q.split}/${q.kind}`, i);
  });
  return groups;
}

function perQuery(q: EvalQuery, j: Judgement, hits: RankedHit[]): SystemResult['perQuery'][number] {
  const rr = reciprocalRank(j.relevant, EVAL_K);
  return {
    id: q.id,
    ...(q.kind ? { kind: q.kind } : {}),
    rank: rr ? Math.round(1 / rr) : null,
    distanceS: rr && j.distanceMs !== undefined ? Math.round(j.distanceMs / 100) / 10 : null,
    top: hits[0] ? { videoId: hits[0].videoId, startS: Math.round(hits[0].startMs / 100) / 10 } : null,
  };
}

/** Judgements (and the ranked hits) of one system on one task. */
async function evaluateSystem(
  deps: SearchDeps,
  segments: Map<string, SegmentRow[]>,
  queries: EvalQuery[],
  system: System,
  task: Task,
): Promise<{ judgements: Judgement[]; hits: RankedHit[][] }> {
  const all = [...segments.values()].flat();
  const rng = mulberry32(1);
  const judgements: Judgement[] = [];
  const ranked: RankedHit[][] = [];
  for (const query of queries) {
    const own = segments.get(query.videoId) ?? [];
    const totalRelevant = own.filter((s) => matchingGold(s, query).length > 0).length;
    let hits: RankedHit[];
    if ('random' in system) hits = sample(task === 'within' ? own : all, EVAL_K, rng);
    else {
      const params = { q: query.q, k: EVAL_K, ...(task === 'within' ? { video: query.videoId } : {}) };
      hits = await rankSegments(deps, params, system.tuning);
    }
    judgements.push(judge(hits, query, totalRelevant));
    ranked.push(hits.map((h) => ({ videoId: h.videoId, startMs: h.startMs, endMs: h.endMs })));
  }
  return { judgements, hits: ranked };
}

function segmentsByVideo(store: Store): Map<string, SegmentRow[]> {
  return new Map(store.db.listVideos().map((v) => [v.id, store.db.segmentsOf(v.id)]));
}

/** Every system embeds the same queries; embedding each once keeps the sweep cheap. */
function memoEmbedder(inner: Embedder): Embedder {
  const cache = new Map<string, Float32Array>();
  return {
    id: inner.id,
    dimension: inner.dimension,
    async embed(texts) {
      const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
      if (missing.length) (await inner.embed(missing)).forEach((v, i) => cache.set(missing[i], v));
      return texts.map((t) => {
        const v = cache.get(t);
        if (!v) throw new Error(`the embedder returned no vector for "${t.slice(0, 40)}"`);
        return v;
      });
    },
    close: () => inner.close(),
  };
}

/** `k` distinct items in random order (partial Fisher–Yates). */
function sample<T>(items: T[], k: number, rng: () => number): T[] {
  const a = [...items];
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/** Small seeded PRNG so the random floor is the same on every run. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
