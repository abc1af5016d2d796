/**
 * Loads evaluation corpora from disk: what to ingest and which questions to ask.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { TranscriptInput } from '../indexer/pipeline.ts';
import { loadTranscriptFile } from '../indexer/sources/files.ts';
import type { EvalQuery } from './metrics.ts';
import { convertMeeting, QmsumMeeting } from './qmsum.ts';
import { QuestionFile, questionsToQueries } from './questions.ts';

/** Transcripts to index and the queries to run against them. */
export interface EvalCorpus {
  name: string;
  /** Read when ingesting, one transcript at a time. */
  transcripts: () => Iterable<TranscriptInput>;
  videos: number;
  queries: EvalQuery[];
  /** Listener question sets: label each query paraphrase or named fact once the cues are indexed. */
  labelKinds?: boolean;
  /** Questions with no answer in the corpus, not used by retrieval metrics. */
  unanswerable?: number;
}

function parseJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/** QMSum meeting files of a folder (e.g. `qmsum/val`) in name order; `limit` keeps the first N. */
export function qmsumCorpus(dir: string, limit?: number): EvalCorpus {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .slice(0, limit);
  if (files.length === 0) throw new Error(`${dir}: no QMSum meeting files (*.json)`);
  const meetings = files.map((f) => {
    const parsed = QmsumMeeting.safeParse(parseJson(join(dir, f)));
    if (!parsed.success) throw new Error(`${f}: not a QMSum meeting (${parsed.error.issues[0].message})`);
    return convertMeeting(basename(f, '.json'), parsed.data);
  });
  return {
    name: `qmsum:${basename(resolve(dir))}`,
    transcripts: () => meetings.map((m) => m.input),
    videos: meetings.length,
    queries: meetings.flatMap((m) => m.queries),
  };
}

/**
 * A listener question file. Episode paths are relative to `dataRoot` (by default the file's
 * own `dataRoot`, resolved from the file's folder); each episode gets the file's id and title.
 */
export function questionCorpus(file: string, dataRoot?: string): EvalCorpus {
  const parsed = QuestionFile.safeParse(parseJson(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const set = parsed.data;
  const root = dataRoot ? resolve(dataRoot) : resolve(dirname(file), set.dataRoot);
  return {
    name: `questions:${basename(file)}`,
    transcripts: function* () {
      for (const ep of set.episodes) {
        const loaded = loadTranscriptFile(join(root, ep.file), {});
        yield { ...loaded, meta: { ...loaded.meta, id: ep.id, title: ep.title } };
      }
    },
    videos: set.episodes.length,
    queries: questionsToQueries(set),
    labelKinds: true,
    unanswerable: set.unanswerable.length,
  };
}
