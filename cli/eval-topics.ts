import { listEpisodes } from '../core/library.ts';
import { topic } from '../core/summaries.ts';
import type { Config } from '../core/config.ts';
import { loadTopicSet, runTopicEval } from '../eval/topics.ts';
import { fmt3, formatTable } from '../eval/table.ts';
import type { CliValues } from './main.ts';
import { openForReading } from './open.ts';

/** `episodic eval topics <file>`: topic episode precision/recall and timeline consistency on a built index (offline). */
export async function runEvalTopics(config: Config, args: string[], values: CliValues): Promise<number> {
  if (args.length !== 1) {
    process.stderr.write('usage: episodic eval topics <topics.json> --index DIR [--json]\n');
    return 2;
  }
  let cases;
  try {
    cases = loadTopicSet(args[0]);
  } catch (err) {
    process.stderr.write(`episodic eval topics: ${(err as Error).message}\n`);
    return 1;
  }
  const opened = await openForReading(config, { command: 'eval topics', json: values.json });
  if (!opened) return 1;
  try {
    const indexed = new Set(listEpisodes(opened.store).map((v) => v.id));
    const js = await runTopicEval((t) => topic({ store: opened.store, embedder: opened.embedder }, { topic: t }), cases, indexed);
    if (values.json) process.stdout.write(`${JSON.stringify(js, null, 2)}\n`);
    else {
      const rows = js.map((j) => [j.topic, String(j.found.length), fmt3(j.precision), fmt3(j.recall), `${j.timelineConsistent}/${j.timelineCards}`, j.wrong.join(' '), j.missed.join(' ')]);
      const mean = (f: (j: (typeof js)[number]) => number) => js.reduce((s, j) => s + f(j), 0) / js.length;
      rows.push(['mean', '', fmt3(mean((j) => j.precision)), fmt3(mean((j) => j.recall)), '', '', '']);
      process.stdout.write(`${formatTable(['topic', 'found', 'precision', 'recall', 'timeline ok', 'wrong', 'missed'], rows)}\n`);
    }
    return 0;
  } finally {
    await opened.close();
  }
}
