/**
 * Listener-style question sets: paraphrased questions about podcast episodes, each with the
 * time its answer is spoken. Pure: the schema and its conversion to evaluation queries.
 */
import { z } from 'zod';
import type { EvalQuery } from './metrics.ts';

/** A hit counts when it reaches within this many seconds of the answer time. */
export const DEFAULT_TOLERANCE_S = 15;

export const QuestionFile = z
  .object({
    description: z.string().optional(),
    /** Folder the episode files are relative to, itself relative to this file (`--data-root` overrides). */
    dataRoot: z.string().default('.'),
    toleranceS: z.number().positive().default(DEFAULT_TOLERANCE_S),
    episodes: z
      .array(z.object({ id: z.string().min(1), file: z.string().min(1), title: z.string().min(1) }))
      .min(1),
    questions: z
      .array(
        z.object({
          id: z.string().min(1),
          episode: z.string().min(1),
          q: z.string().min(1),
          /** Seconds from the start of the episode where the answer is said. */
          answerS: z.number().nonnegative(),
          /** The transcript line at `answerS`, so a reviewer can check the label quickly. */
          evidence: z.string().min(1),
        }),
      )
      .min(1),
  })
  .superRefine((f, ctx) => {
    const episodes = new Set(f.episodes.map((e) => e.id));
    const ids = new Set<string>();
    f.questions.forEach((q, i) => {
      if (!episodes.has(q.episode)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'episode'], message: `unknown episode "${q.episode}"` });
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate id "${q.id}"` });
      ids.add(q.id);
    });
  });
export type QuestionFile = z.infer<typeof QuestionFile>;

/** Each question as an evaluation query: relevant when a hit reaches answer ± tolerance. */
export function questionsToQueries(file: QuestionFile): EvalQuery[] {
  const tol = file.toleranceS * 1000;
  return file.questions.map((q) => {
    const anchorMs = Math.round(q.answerS * 1000);
    return { id: q.id, q: q.q, videoId: q.episode, gold: [{ startMs: Math.max(0, anchorMs - tol), endMs: anchorMs + tol, anchorMs }] };
  });
}
