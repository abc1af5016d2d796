import { writeFileSync } from 'node:fs';
import { ask } from '../core/ask.ts';
import type { Config } from '../core/config.ts';
import { coreDeps } from '../core/deps.ts';
import { storedCues } from '../core/library.ts';
import { answerGroups, loadAnswerCases, runAnswerEval, Split } from '../eval/answers.ts';
import { fmt3, formatTable } from '../eval/table.ts';
import type { CliValues } from './main.ts';
import { openForReading } from './open.ts';

const USAGE = 'usage: episodic eval answers <questions.json>... --index DIR [--split tune|test] [--out answers.json] [--json]\n';

/**
 * `episodic eval answers <files...>`: asks every question through the answer pipeline on an
 * already built index (offline quotes, or the configured model) and scores the answers.
 */
export async function runEvalAnswers(config: Config, files: string[], values: CliValues): Promise<number> {
  const split = values.split === undefined ? undefined : Split.safeParse(values.split);
  if (files.length === 0 || split?.success === false) {
    process.stderr.write(USAGE);
    return 2;
  }
  let cases;
  try {
    cases = loadAnswerCases(files).filter((c) => !split || c.split === split.data);
  } catch (err) {
    process.stderr.write(`episodic eval answers: ${(err as Error).message}\n`);
    return 1;
  }
  const opened = await openForReading(config, { command: 'eval answers', json: values.json });
  if (!opened) return 1;
  const { store, embedder } = opened;
  const deps = coreDeps(config, store, embedder);
  const { llm } = deps;
  try {
    const { judgements, answers, skipped } = await runAnswerEval(
      {
        ask: (q) => ask(deps, { question: q }),
        cues: (id) => storedCues(store, id),
      },
      cases,
      values.json ? undefined : (done, total) => done % 10 === 0 && process.stderr.write(`${done}/${total}\n`),
    );
    if (values.out) writeFileSync(values.out, `${JSON.stringify({ judgements, answers: Object.fromEntries(answers) }, null, 1)}\n`);
    if (skipped.length) process.stderr.write(`episodic eval answers: skipped the questions on episodes not in the index: ${skipped.join(', ')}\n`);
    const groups = answerGroups(judgements);
    if (values.json) process.stdout.write(`${JSON.stringify({ mode: llm ? 'llm' : 'extractive', groups, judgements }, null, 2)}\n`);
    else {
      const rows = groups.map(({ name, summary: s }) => [name, String(s.questions), fmt3(s.goldCited), fmt3(s.goldQuoted), s.meanCitations.toFixed(1), fmt3(s.goldShare), fmt3(s.introOrSponsorTop3), fmt3(s.declined)]);
      process.stdout.write(`${llm ? `model ${llm.model}` : 'offline (extractive)'} answers, ${judgements.length} questions\n`);
      process.stdout.write(`${formatTable(['group', 'n', 'gold cited', 'gold quoted', 'citations', 'gold share', 'intro/ad top3', 'declined'], rows)}\n`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`episodic eval answers: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await opened.close();
  }
}
