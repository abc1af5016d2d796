import { availableParallelism } from 'node:os';
import type { EmbedderSpec } from '../indexer/embed/spec.ts';
import { transformersOptions, type Config } from '../core/config.ts';
import { qmsumCorpus, questionCorpus, type EvalCorpus } from '../eval/corpus.ts';
import { runEvaluation, SYSTEMS, TASKS, type EvalReport, type SystemResult } from '../eval/run.ts';
import type { Summary } from '../eval/metrics.ts';
import { fmt3, formatTable } from '../eval/table.ts';
import type { CliValues } from './main.ts';

/** The options `episodic eval` reads (a subset of the CLI's, plus its own). */
export type EvalValues = Pick<CliValues, 'json' | 'workers'> & { 'data-root'?: string; index?: string; limit?: string; split?: string; systems?: string };

const USAGE =
  'usage: episodic eval qmsum <dir> [--limit N] | episodic eval questions <file.json> [--data-root DIR] [--split tune|test|all]; ' +
  'both: [--index DIR] [--workers N] [--systems NAME,...] [--json]\n';

const SPLIT_CHOICES = ['tune', 'test', 'all'] as const;

/**
 * `episodic eval qmsum <dir>` and `episodic eval questions <file.json>`: retrieval quality of
 * every search mode on a throwaway index (or `--index DIR`, kept for reuse).
 */
export async function runEval(config: Config, args: string[], values: EvalValues): Promise<number> {
  const [kind, path, ...rest] = args;
  if (!path || rest.length || (kind !== 'qmsum' && kind !== 'questions')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const limit = values.limit !== undefined ? Number(values.limit) : undefined;
  const workers = values.workers !== undefined ? Number(values.workers) : undefined;
  if ((limit !== undefined && !(Number.isInteger(limit) && limit > 0)) || (workers !== undefined && !(Number.isInteger(workers) && workers > 0))) {
    process.stderr.write('episodic eval: --limit and --workers must be whole numbers above 0\n');
    return 2;
  }
  // The test half is only looked at on purpose: choosing changes on it would make it a tune set.
  const split = values.split ?? (kind === 'questions' ? 'tune' : 'all');
  if (!(SPLIT_CHOICES as readonly string[]).includes(split)) {
    process.stderr.write(`episodic eval: --split must be one of ${SPLIT_CHOICES.join(', ')}\n`);
    return 2;
  }
  const wanted = values.systems?.split(',').map((s) => s.trim()).filter(Boolean);
  const systems = wanted ? SYSTEMS.filter((s) => wanted.some((w) => s.name.startsWith(w))) : undefined;
  if (systems && systems.length === 0) {
    process.stderr.write(`episodic eval: no system matches --systems; systems are: ${SYSTEMS.map((s) => s.name).join(' | ')}\n`);
    return 2;
  }
  let corpus: EvalCorpus;
  try {
    corpus = kind === 'qmsum' ? qmsumCorpus(path, limit) : questionCorpus(path, values['data-root']);
  } catch (err) {
    process.stderr.write(`episodic eval: ${(err as Error).message}\n`);
    return 1;
  }
  // USE-lite is the reference embedder (BASELINES.md) and is always available; the bigger model only on request.
  const spec: EmbedderSpec = config.embedder === 'transformers' ? { kind: 'transformers', ...transformersOptions(config) } : { kind: 'use-lite' };
  const report = await runEvaluation(corpus, {
    spec,
    workers: workers ?? (spec.kind === 'use-lite' ? availableParallelism() : 1),
    indexDir: values.index,
    split: split as (typeof SPLIT_CHOICES)[number],
    systems,
    onProgress: values.json ? undefined : (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return 0;
}

function formatReport(r: EvalReport): string {
  const groups = Object.entries(r.groups).map(([g, n]) => `${g} ${n}`).join(', ');
  const head =
    `${r.corpus}: ${r.videos} videos, ${r.hours.toFixed(1)} h, ${r.segments} segments, ${r.queries} queries` +
    `${r.split === 'all' ? '' : ` (${r.split} half)`}, embedder ${r.embedder}\n` +
    (groups ? `groups: ${groups}${r.unanswerable ? `; ${r.unanswerable} unanswerable questions not scored` : ''}\n` : '') +
    `ingest ${(r.ingestMs / 1000).toFixed(1)} s · all searches ${(r.searchMs / 1000).toFixed(1)} s\n`;
  const table = (results: SystemResult[], pick: (x: SystemResult) => Summary | undefined, timed: boolean) =>
    formatTable(
      ['system', 'S@1', 'S@5', 'S@10', 'MRR@10', 'nDCG@10', 'med dist s', ...(timed ? ['time s'] : [])],
      results.flatMap((x) => {
        const s = pick(x);
        if (!s) return [];
        const dist = s.medianDistanceS === null ? '—' : s.medianDistanceS.toFixed(0);
        return [[x.system, fmt3(s.s1), fmt3(s.s5), fmt3(s.s10), fmt3(s.mrr10), fmt3(s.ndcg10), dist, ...(timed ? [(x.ms / 1000).toFixed(1)] : [])]];
      }),
    );
  const tables = TASKS.map((task) => {
    const results = r.results.filter((x) => x.task === task);
    const title = task === 'within' ? 'Within the question’s own video' : 'Across all videos';
    const parts = [`\n${title}\n${table(results, (x) => x.summary, true)}`];
    for (const g of Object.keys(r.groups)) parts.push(`\n${title}: ${g} (${r.groups[g]})\n${table(results, (x) => x.groups[g], false)}`);
    return parts.join('\n');
  });
  return `${head}${tables.join('\n')}\n`;
}
