/**
 * Answer scoring: asks every question of a listener-question set through the real answer
 * pipeline (the offline quotes, or the model when one is configured) and judges the answer, not
 * the ranking: does it cite the gold moment, how many citations, how much of its text comes from
 * the gold episode, and whether any of its first three quotes is a host introduction or a sponsor
 * read. Unanswerable questions measure the "nothing relevant" state. The judging is pure; only
 * `runAnswerEval` does I/O (through the answer pipeline it is given).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Cue } from '../indexer/domain.ts';
import { sentencesWithMarkers } from '../core/llm/citations.ts';
import type { AskResponse, Citation } from '../core/contract/api.ts';
import { contentStems } from '../core/retrieval/keyword.ts';
import { DEFAULT_TOLERANCE_S, GoldQuestion, SPLITS } from './questions.ts';

/** Splits a set in two by episode, chosen before any question was written. */
export const Split = z.enum(SPLITS);
export type Split = z.infer<typeof Split>;

/**
 * A question file as this evaluation reads it: the listener-question shape plus the development
 * set's fields (episodes[].split, questions[].answerEndS, unanswerable[]). Files without a split
 * (the old 64-question set, on which the defaults were tuned) count as tune.
 */
export const AnswerSetFile = z.object({
  toleranceS: z.number().positive().default(DEFAULT_TOLERANCE_S),
  episodes: z.array(z.object({ id: z.string().min(1), title: z.string(), split: Split.default('tune') })).default([]),
  questions: z.array(GoldQuestion).default([]),
  unanswerable: z.array(z.object({ id: z.string().min(1), q: z.string().min(1) })).default([]),
});
export type AnswerSetFile = z.infer<typeof AnswerSetFile>;

/** One question to ask, with its gold moment (seconds) and split. */
export interface AnswerCase {
  id: string;
  q: string;
  split: Split;
  /** Undefined for an unanswerable question. */
  gold?: { videoId: string; startS: number; endS: number };
}

/** Reads question files into cases; a question on an episode the file does not list is an error. */
export function loadAnswerCases(files: string[]): AnswerCase[] {
  const cases: AnswerCase[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
    const parsed = AnswerSetFile.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
    }
    const set = parsed.data;
    const split = new Map(set.episodes.map((e) => [e.id, e.split]));
    const add = (c: AnswerCase) => {
      // Writers number their own questions; prefix a clash rather than lose a question.
      const id = seen.has(c.id) ? `${file}:${c.id}` : c.id;
      seen.add(id);
      cases.push({ ...c, id });
    };
    for (const q of set.questions) {
      const s = split.get(q.episode);
      if (!s) throw new Error(`${file}: question ${q.id}: unknown episode "${q.episode}"`);
      const tol = set.toleranceS;
      add({ id: q.id, q: q.q, split: s, gold: { videoId: q.episode, startS: Math.max(0, q.answerS - tol), endS: (q.answerEndS ?? q.answerS) + tol } });
    }
    // Unanswerable questions belong to no episode; they go to the half named by a stable hash of their id.
    for (const u of set.unanswerable) add({ id: u.id, q: u.q, split: hashSplit(u.id) });
  }
  return cases;
}

/** A stable tune/test assignment for items that belong to no episode (even hash → tune). */
export function hashSplit(id: string): Split {
  let h = 2166136261;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h % 2 === 0 ? 'tune' : 'test';
}

/** Seconds from the start of an episode treated as the host's introduction. */
export const INTRO_S = 180;

/**
 * Words of a host introduction, a greeting or a thank-you, wherever they fall in the episode.
 * Deliberately written apart from the answer's own filters, so the check is not the filter
 * grading itself.
 */
const INTRO_TEXT = /\b(welcome (back )?to (the|this)|this is the [\w\s]{0,40}podcast|(my|our) guest (today|is)|conversation with|(i'?m|is) your host|thank(s| you) (so much )?for (having|joining|coming|talking|being)|let me say thank you|it'?s (an|a great) (honor|pleasure) to|before we (begin|start|get started))\b/i;

/** Sponsor reads: the phrasing of ad copy, and the shows' sponsors by name. */
const SPONSOR_TEXT = /\b(sponsor(ed|s)?( by)?|brought to you by|promo code|use (the )?code|sign up (at|for)|go to [\w-]+\.(com|org|io)|download [\w\s]{0,20} app|(cash ?app|expressvpn|masterclass|athletic greens|magic spoon|eight sleep|betterhelp|linode|linux academy|indeed|squarespace|four sigmatic|blinkist|onnit|sentry|datadog|better help)\b)/i;

export type QuoteFlag = 'intro' | 'sponsor';

/** Why a quote looks like an introduction or a sponsor read (undefined when it does not). */
export function quoteFlag(startS: number, text: string): QuoteFlag | undefined {
  if (SPONSOR_TEXT.test(text)) return 'sponsor';
  if (startS < INTRO_S || INTRO_TEXT.test(text)) return 'intro';
  return undefined;
}

/** A judged answer to one question. */
export interface AnswerJudgement {
  id: string;
  split: Split;
  answerable: boolean;
  /** Paraphrased (< 0.3 of the question's content words in the gold window) or named-fact. */
  kind?: 'paraphrase' | 'named';
  /** The answer said nothing in the library covers the question. */
  declined: boolean;
  /** A citation starts inside the gold window (answerS − tol … answerEndS + tol). */
  goldCited: boolean;
  /** …or a quoted passage (offline answers) overlaps the window: the answer is in what is quoted. */
  goldQuoted: boolean;
  citations: number;
  /** Share of the answer's quoted text (characters of sentences carrying a marker) from the gold episode. */
  goldShare: number;
  /** Flags of the first three citations, in order (intro or sponsor reads among them). */
  top3Flags: (QuoteFlag | null)[];
  /** The relevance the answer reported (for calibrating the floor). */
  relevance?: number;
  /** Wall time of the answer, milliseconds (set by `runAnswerEval`). */
  ms?: number;
}

/** The sentence of the answer that carries each marker, in marker order. */
export function markerSentences(answer: string): string[] {
  const out: string[] = [];
  for (const sentence of sentencesWithMarkers(answer)) for (const _ of sentence.matchAll(/\[(\d+)\]/g)) out.push(sentence.replace(/\[\d+\]/g, '').trim());
  return out;
}

/** Share of the question's content words present in the gold window's text (0..1). */
export function wordOverlap(question: string, windowText: string): number {
  const q = contentStems(question);
  if (q.size === 0) return 0;
  const w = contentStems(windowText);
  return [...q].filter((x) => w.has(x)).length / q.size;
}

/** Paraphrase threshold on `wordOverlap`, from DEVSET.md. */
export const PARAPHRASE_BELOW = 0.3;

/** Judges one answer against a case. `goldText` is the transcript inside the gold window. */
export function judgeAnswer(c: AnswerCase, res: Pick<AskResponse, 'answer' | 'citations'> & Partial<Pick<AskResponse, 'passages'>> & { covered?: boolean; relevance?: number | null }, goldText = ''): AnswerJudgement {
  const texts = markerSentences(res.answer);
  const cited = (x: Citation) => c.gold !== undefined && x.videoId === c.gold.videoId && x.start >= c.gold.startS && x.start <= c.gold.endS;
  let total = 0;
  let fromGold = 0;
  res.citations.forEach((x, i) => {
    const len = (texts[i] ?? x.quote).length;
    total += len;
    if (c.gold && x.videoId === c.gold.videoId) fromGold += len;
  });
  const top3Flags = res.citations.slice(0, 3).map((x, i) => quoteFlag(x.start, `${texts[i] ?? ''} ${x.quote}`) ?? null);
  return {
    id: c.id,
    split: c.split,
    answerable: c.gold !== undefined,
    ...(c.gold ? { kind: wordOverlap(c.q, goldText) < PARAPHRASE_BELOW ? ('paraphrase' as const) : ('named' as const) } : {}),
    declined: res.covered === false,
    goldCited: res.citations.some(cited),
    goldQuoted: res.citations.some(cited) || (res.passages ?? []).some((p) => c.gold !== undefined && p.videoId === c.gold.videoId && p.start <= c.gold.endS && p.end >= c.gold.startS),
    citations: res.citations.length,
    goldShare: total ? fromGold / total : 0,
    top3Flags,
    ...(typeof res.relevance === 'number' ? { relevance: res.relevance } : {}),
  };
}

/** Means over a group of judgements. */
export interface AnswerSummary {
  questions: number;
  goldCited: number;
  goldQuoted: number;
  meanCitations: number;
  goldShare: number;
  /** Share of answers with an intro or sponsor quote among the first three. */
  introOrSponsorTop3: number;
  /** Share of answers that declined ("nothing in the library covers this"). */
  declined: number;
}

export function summarizeAnswers(js: AnswerJudgement[]): AnswerSummary {
  const n = js.length;
  const mean = (f: (j: AnswerJudgement) => number) => (n ? js.reduce((s, j) => s + f(j), 0) / n : 0);
  return {
    questions: n,
    goldCited: mean((j) => (j.goldCited ? 1 : 0)),
    goldQuoted: mean((j) => (j.goldQuoted ? 1 : 0)),
    meanCitations: mean((j) => j.citations),
    goldShare: mean((j) => j.goldShare),
    introOrSponsorTop3: mean((j) => (j.top3Flags.some((f) => f !== null) ? 1 : 0)),
    declined: mean((j) => (j.declined ? 1 : 0)),
  };
}

/** The groups reported: each split, answerable by kind, and the unanswerable questions. */
export function answerGroups(js: AnswerJudgement[]): { name: string; summary: AnswerSummary }[] {
  const groups: { name: string; summary: AnswerSummary }[] = [];
  for (const split of ['tune', 'test'] as const) {
    const own = js.filter((j) => j.split === split);
    if (own.length === 0) continue;
    const answerable = own.filter((j) => j.answerable);
    groups.push({ name: `${split}: answerable`, summary: summarizeAnswers(answerable) });
    groups.push({ name: `${split}: paraphrase`, summary: summarizeAnswers(answerable.filter((j) => j.kind === 'paraphrase')) });
    groups.push({ name: `${split}: named-fact`, summary: summarizeAnswers(answerable.filter((j) => j.kind === 'named')) });
    const none = own.filter((j) => !j.answerable);
    if (none.length) groups.push({ name: `${split}: unanswerable`, summary: summarizeAnswers(none) });
  }
  return groups;
}

/** Text of the cues overlapping [startS, endS]. */
export function textBetween(cues: Cue[], startS: number, endS: number): string {
  return cues.filter((c) => c.endMs >= startS * 1000 && c.startMs <= endS * 1000).map((c) => c.text).join(' ');
}

export interface AnswerEvalDeps {
  /** Answers one question (the real pipeline: `answerQuestion` with no history). */
  ask: (q: string) => Promise<AskResponse>;
  /** The cues of an indexed episode, or undefined when it is not in the index. */
  cues: (videoId: string) => Cue[] | undefined;
}

/**
 * Asks and judges every case whose episode is in the index; the others are returned as skipped
 * (a partly built index can still be measured, and the report says what was left out).
 */
export async function runAnswerEval(
  deps: AnswerEvalDeps,
  cases: AnswerCase[],
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ judgements: AnswerJudgement[]; answers: Map<string, AskResponse>; skipped: string[] }> {
  const skipped = [...new Set(cases.flatMap((c) => (c.gold && !deps.cues(c.gold.videoId) ? [c.gold.videoId] : [])))];
  const run = cases.filter((c) => !c.gold || !skipped.includes(c.gold.videoId));
  const judgements: AnswerJudgement[] = [];
  const answers = new Map<string, AskResponse>();
  for (const c of run) {
    const t0 = performance.now();
    const res = await deps.ask(c.q);
    const ms = Math.round(performance.now() - t0);
    answers.set(c.id, res);
    const goldText = c.gold ? textBetween(deps.cues(c.gold.videoId) ?? [], c.gold.startS, c.gold.endS) : '';
    judgements.push({ ...judgeAnswer(c, res, goldText), ms });
    onProgress(judgements.length, run.length);
  }
  return { judgements, answers, skipped };
}
