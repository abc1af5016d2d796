import { availableParallelism } from 'node:os';
import type { EmbedderSpec } from '../indexer/embed/spec.ts';
import { transformersOptions, type Config } from '../server/config.ts';
import { qmsumCorpus, questionCorpus, type EvalCorpus } from '../eval/corpus.ts';
import { runEvaluation, TASKS, type EvalReport } from '../eval/run.ts';
import { fmt3, formatTable } from '../eval/table.ts';
import type { CliValues } from './main.ts';

/** The options `episodic eval` reads (a subset of the CLI's, plus its own). */
export type EvalValues = Pick<CliValues, 'json' | 'workers'> & { 'data-root'?: string; index?: string; limit?: string };

const USAGE = 'usage: episodic eval qmsum <dir> [--limit N] | episodic eval questions <file.json> [--data-root DIR]; both: [--index DIR] [--workers N] [--json]\n';

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
    onProgress: values.json ? undefined : (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return 0;
}

function formatReport(r: EvalReport): string {
  const head =
    `${r.corpus}: ${r.videos} videos, ${r.hours.toFixed(1)} h, ${r.segments} segments, ${r.queries} queries, embedder ${r.embedder}\n` +
    `ingest ${(r.ingestMs / 1000).toFixed(1)} s · all searches ${(r.searchMs / 1000).toFixed(1)} s\n`;
  const tables = TASKS.map((task) => {
    const rows = r.results
      .filter((x) => x.task === task)
      .map((x) => {
        const s = x.summary;
        const dist = s.medianDistanceS === null ? '—' : s.medianDistanceS.toFixed(0);
        return [x.system, fmt3(s.s1), fmt3(s.s5), fmt3(s.s10), fmt3(s.mrr10), fmt3(s.ndcg10), dist, (x.ms / 1000).toFixed(1)];
      });
    return `\n${task === 'within' ? 'Within the question’s own video' : 'Across all videos'}\n` +
      formatTable(['system', 'S@1', 'S@5', 'S@10', 'MRR@10', 'nDCG@10', 'med dist s', 'time s'], rows);
  });
  return `${head}${tables.join('\n')}\n`;
}
