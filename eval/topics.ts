/**
 * Topic quality: for topics with hand-built gold episode lists, which episodes the topic summary
 * counts as discussing the topic (precision and recall, "unsure" episodes counting neither way),
 * and whether each timeline card's "first discussed" moment is the moment it quotes. The judging
 * is pure; `runTopicEval` asks through the function it is given.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { TopicSummary } from '../core/contract/api.ts';

export const TopicSetFile = z.object({
  topics: z
    .array(z.object({ topic: z.string().min(1), episodes: z.array(z.string()), unsure: z.array(z.string()).default([]) }))
    .min(1),
});
export type TopicSetFile = z.infer<typeof TopicSetFile>;
export type TopicCase = TopicSetFile['topics'][number];

export function loadTopicSet(file: string): TopicCase[] {
  const parsed = TopicSetFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data.topics;
}

export interface TopicJudgement {
  topic: string;
  found: string[];
  /** Found and gold. */
  hits: number;
  /** Found, neither gold nor unsure. */
  wrong: string[];
  /** Gold (in the index) and not found. */
  missed: string[];
  precision: number;
  recall: number;
  /** Timeline cards whose start is the moment their quote is cited at, of all cards. */
  timelineConsistent: number;
  timelineCards: number;
}

/** Judges one topic summary; gold episodes not in the index (`indexed`) are left out. */
export function judgeTopic(c: TopicCase, summary: Pick<TopicSummary, 'episodes' | 'timeline'>, indexed: Set<string>): TopicJudgement {
  const gold = c.episodes.filter((e) => indexed.has(e));
  const found = summary.episodes.map((e) => e.videoId);
  const hits = found.filter((e) => gold.includes(e)).length;
  const wrong = found.filter((e) => !gold.includes(e) && !c.unsure.includes(e));
  const judged = hits + wrong.length;
  const consistent = summary.timeline.filter((t) => t.point.citations.length > 0 && t.point.citations[0].start === t.start).length;
  return {
    topic: c.topic,
    found,
    hits,
    wrong,
    missed: gold.filter((e) => !found.includes(e)),
    precision: judged ? hits / judged : 1,
    recall: gold.length ? hits / gold.length : 1,
    timelineConsistent: consistent,
    timelineCards: summary.timeline.length,
  };
}

export async function runTopicEval(ask: (topic: string) => Promise<TopicSummary>, cases: TopicCase[], indexed: Set<string>): Promise<TopicJudgement[]> {
  const out: TopicJudgement[] = [];
  for (const c of cases) out.push(judgeTopic(c, await ask(c.topic), indexed));
  return out;
}
