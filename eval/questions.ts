/**
 * Listener-style question sets: paraphrased questions about podcast episodes, each with the
 * time its answer is spoken. Pure: the schema, the paraphrase label and the conversion to
 * evaluation queries.
 */
import { z } from 'zod';
import type { Cue } from '../indexer/domain.ts';
import { contentStems } from '../core/retrieval/keyword.ts';
import type { EvalQuery } from './metrics.ts';

/** A hit counts when it reaches within this many seconds of the answer. */
export const DEFAULT_TOLERANCE_S = 15;

/**
 * A question is a paraphrase when less than this share of its content words is said in its
 * gold window (the issue's definition); otherwise it is a named-fact question.
 */
export const PARAPHRASE_BELOW = 0.3;

/** Words that name the show's format rather than a topic; not content words for the label. */
const LABEL_STOPWORDS = new Set(['guest', 'host', 'episode', 'podcast', 'show', 'interview', 'according', 'describe', 'explain']);

export const SPLITS = ['tune', 'test'] as const;
export type Split = (typeof SPLITS)[number];
export type Kind = 'paraphrase' | 'named-fact';

/** A question with its gold moment: what both the retrieval and the answer evaluations read. */
export const GoldQuestion = z.object({
  id: z.string().min(1),
  episode: z.string().min(1),
  q: z.string().min(1),
  /** Seconds from the start of the episode where the answer begins to be said. */
  answerS: z.number().nonnegative(),
  /** Where the answer is complete; the gold span is answerS..answerEndS widened by the tolerance. */
  answerEndS: z.number().nonnegative().optional(),
  namesGuest: z.boolean().optional(),
});

export const QuestionFile = z
  .object({
    description: z.string().optional(),
    /** Folder the episode files are relative to, itself relative to this file (`--data-root` overrides). */
    dataRoot: z.string().default('.'),
    toleranceS: z.number().positive().default(DEFAULT_TOLERANCE_S),
    episodes: z
      .array(
        z.object({
          id: z.string().min(1),
          file: z.string().min(1),
          title: z.string().min(1),
          /** Assigned per episode before questions were written; a file without splits is all tune. */
          split: z.enum(SPLITS).default('tune'),
        }),
      )
      .min(1),
    questions: z
      .array(
        GoldQuestion.extend({
          /** The transcript line at `answerS`, so a reviewer can check the label quickly. */
          evidence: z.string().min(1),
          /** The writer's own estimate of the paraphrase share; the eval computes its own. */
          overlap: z.number().optional(),
          writer: z.string().optional(),
        }),
      )
      .min(1),
    /** Questions the episodes do not answer: ignored by retrieval metrics (used for a relevance floor). */
    unanswerable: z.array(z.object({ id: z.string().min(1), q: z.string().min(1), checked: z.string().optional() })).default([]),
  })
  .superRefine((f, ctx) => {
    const episodes = new Set(f.episodes.map((e) => e.id));
    const ids = new Set<string>();
    f.questions.forEach((q, i) => {
      if (!episodes.has(q.episode)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'episode'], message: `unknown episode "${q.episode}"` });
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate id "${q.id}"` });
      if (q.answerEndS !== undefined && q.answerEndS < q.answerS)
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'answerEndS'], message: 'answerEndS is before answerS' });
      ids.add(q.id);
    });
  });
export type QuestionFile = z.infer<typeof QuestionFile>;

/** Each question as an evaluation query: relevant when a hit reaches answerS..answerEndS ± tolerance. */
export function questionsToQueries(file: QuestionFile): EvalQuery[] {
  const tol = file.toleranceS * 1000;
  const split = new Map(file.episodes.map((e) => [e.id, e.split]));
  return file.questions.map((q) => {
    const anchorMs = Math.round(q.answerS * 1000);
    const endMs = Math.round((q.answerEndS ?? q.answerS) * 1000);
    return {
      id: q.id,
      q: q.q,
      videoId: q.episode,
      gold: [{ startMs: Math.max(0, anchorMs - tol), endMs: endMs + tol, anchorMs }],
      split: split.get(q.episode),
    };
  });
}

/** Share (0..1) of the question's content words that are said in the text of its gold window. */
export function paraphraseShare(question: string, goldText: string): number {
  const q = [...contentStems(question)].filter((w) => !LABEL_STOPWORDS.has(w));
  if (q.length === 0) return 0;
  const said = contentStems(goldText);
  return q.filter((w) => said.has(w)).length / q.length;
}

/** The paraphrase/named-fact label of a query, from the cues of its episode. */
export function labelQuery(query: EvalQuery, cues: Cue[]): { kind: Kind; share: number } {
  const text = cues
    .filter((c) => query.gold.some((g) => c.endMs >= g.startMs && c.startMs <= g.endMs))
    .map((c) => c.text)
    .join(' ');
  const share = paraphraseShare(query.q, text);
  return { kind: share < PARAPHRASE_BELOW ? 'paraphrase' : 'named-fact', share };
}

/** One writer's file as the writers produce it (`/work/qsets/writer-*.json`). */
export const WriterFile = z.object({
  writer: z.string().min(1),
  episodes: z.array(z.object({ id: z.string(), file: z.string(), title: z.string(), split: z.enum(SPLITS) })),
  questions: z.array(z.record(z.string(), z.unknown())),
  unanswerable: z.array(z.record(z.string(), z.unknown())).default([]),
});
export type WriterFile = z.infer<typeof WriterFile>;

/**
 * Merges a base question file and writers' files into one file, keeping every episode's split
 * and tagging each question with its writer. Throws when the result is not a valid QuestionFile
 * (e.g. two writers used the same episode or question id). Pure.
 */
export function mergeQuestionSets(base: QuestionFile, baseWriter: string, writers: WriterFile[], description: string): QuestionFile {
  const merged = {
    description,
    dataRoot: base.dataRoot,
    toleranceS: base.toleranceS,
    episodes: [...base.episodes, ...writers.flatMap((w) => w.episodes)],
    questions: [
      ...base.questions.map((q) => ({ ...q, writer: q.writer ?? baseWriter })),
      ...writers.flatMap((w) => w.questions.map((q) => ({ ...q, writer: w.writer }))),
    ],
    unanswerable: [...base.unanswerable, ...writers.flatMap((w) => w.unanswerable.map((u) => ({ ...u, id: `${w.writer}:${String(u.id)}` })))],
  };
  const parsed = QuestionFile.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`merged set is invalid at ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
