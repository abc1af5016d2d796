/**
 * Re-runnable merge of the development question set:
 *   node --import tsx eval/questions/merge.ts [writer files...]   (default /work/qsets/writer-*.json)
 * Reads listener-questions.json (the old set, all tune) and the writers' files, and writes
 * dev-set.json next to this script, keeping each episode's tune/test split.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeQuestionSets, QuestionFile, WriterFile } from '../questions.ts';

const HERE = new URL('.', import.meta.url).pathname;
const DEFAULT_DIR = '/work/qsets';

const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(DEFAULT_DIR)
      .filter((f) => /^writer-.*\.json$/.test(f))
      .sort()
      .map((f) => join(DEFAULT_DIR, f));
const base = QuestionFile.parse(JSON.parse(readFileSync(join(HERE, 'listener-questions.json'), 'utf8')));
const writers = files.map((f) => {
  const parsed = WriterFile.safeParse(JSON.parse(readFileSync(f, 'utf8')));
  if (!parsed.success) throw new Error(`${f}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data;
});
const description =
  'Development set for retrieval: listener-questions.json (the old 64 questions, all tune) plus questions by writers who never saw the system ' +
  `(${writers.map((w) => w.writer).join(', ')}). Split per episode (tune/test) before any question was written. ` +
  'Regenerate with `node --import tsx eval/questions/merge.ts`.';
const merged = mergeQuestionSets(base, 'listener', writers, description);
writeFileSync(join(HERE, 'dev-set.json'), `${JSON.stringify(merged, null, 1)}\n`);
const count = (split: string) => merged.questions.filter((q) => merged.episodes.find((e) => e.id === q.episode)?.split === split).length;
process.stdout.write(
  `dev-set.json: ${merged.episodes.length} episodes, ${merged.questions.length} questions (tune ${count('tune')}, test ${count('test')}), ${merged.unanswerable.length} unanswerable\n`,
);
