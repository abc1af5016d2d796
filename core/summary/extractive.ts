/**
 * The offline episode summary: the episode's own most central sentences, spread over its
 * timeline, and the host's questions with what follows them as answers. Centrality comes from
 * the stored window vectors (no re-embedding of the episode); only the sentences of the chosen
 * windows are embedded, to pick the best one inside each.
 */
import type { Cue } from '../../indexer/domain.ts';
import { normalize, type Embedder } from '../../indexer/embed/embedder.ts';
import { endsSentence, splitSentences, wordCount } from '../../indexer/segment/windows.ts';
import type { SummaryPoint, SummaryQa } from '../contract/api.ts';
import { dot } from '../retrieval/dense.ts';
import { contentStems, tokenize, stemWord } from '../retrieval/keyword.ts';
import { inIntro, isBoilerplate } from '../transcript/boilerplate.ts';
import { cueSentences } from '../transcript/sentences.ts';
import { citeQuotes, type Quote } from './cite.ts';
import type { EpisodeSource } from './parts.ts';

export const EXTRACTIVE_SUMMARY_DEFAULTS = {
  tldrSentences: 3,
  insights: { min: 5, max: 8 },
  questions: { min: 5, max: 8 },
  paragraphs: { min: 3, max: 5 },
  sentencesPerParagraph: 3,
  /** Sentences of a chosen window that get embedded: embedding is the cost (~2 s for 30 windows). */
  candidatesPerWindow: 3,
  /** Quoted sentences are between these lengths when the window has any. */
  sentenceWords: { min: 10, max: 45 },
  /** A sentence shorter than this gets the next one too, so the quote stands alone. */
  contextWords: 14,
  /** Host questions: long enough to be real questions, short enough not to be monologues. */
  questionWords: { min: 6, max: 45 },
  /** The answer quotes the sentences after the question up to about this many words. */
  answerWords: { min: 20, max: 80 },
  /** A question whose answer is already quoted elsewhere in the summary scores this much lower. */
  repeatPenalty: 0.4,
  /** MMR trade-off between centrality and being unlike what was already picked. */
  lambda: 0.7,
  /** Sponsor reads are on-topic for nobody: their sentences score this much lower. */
  adPenalty: 0.3,
  /** A subject of the title is named in the TL;DR when the episode says it at least this often. */
  subjectMentions: 3,
  /** A Q&A pair is kept only when its answer is at least this similar to its question (USE-lite cosine). */
  qaSimilarity: 0.3,
} as const;

const AD = /\b(brought to you by|sponsor(ed|s)?\b|promo code|use code|cash ?app|five stars on|subscribe on youtube|support (it|this podcast|the podcast) on patreon|free trial|discount|% off|go to [a-z]+\.com)/i;
/** "…, right?" and friends: a question in form only. */
const TAG_QUESTION = /(^|[,\s])(right|you know|correct|yeah|yes|okay|ok|no|huh|isn't it|aren't they|don't you think|wouldn't you say|guess what|see|true|really|what)\?$/i;
const ASKS = /^(?:(?:so|and|but|okay|ok|well|now|then|like|yeah|let me ask you|let me ask)[,\s]+)*(what|why|how|who|whom|whose|when|where|which|do|does|did|is|are|was|were|can|could|would|should|will|have|has|had|if you|tell me|is there|are there)\b/i;

export interface EpisodeSentence {
  text: string;
  firstCue: number;
  lastCue: number;
  startMs: number;
  /** Index of the source (0-based position in the sources list) holding the first cue. */
  source: number;
  /** False when cut at a word limit rather than at the sentence's end. */
  complete?: boolean;
  speaker?: string;
}

/** The episode's sentences (whole sentences, even where they start or end inside a cue), tagged with their source. */
export function episodeSentences(cues: Cue[], sources: Pick<EpisodeSource, 'firstCue'>[]): EpisodeSentence[] {
  let s = 0;
  return cueSentences(cues).map((x) => {
    while (s + 1 < sources.length && sources[s + 1].firstCue <= x.firstCue) s++;
    return { text: x.text, firstCue: x.firstCue, lastCue: x.lastCue, startMs: x.startMs, source: s, complete: x.complete, ...(x.speaker ? { speaker: x.speaker } : {}) };
  });
}

/** The normalised mean of the vectors present (the episode's "gist"), or undefined when there are none. */
function meanVector(vectors: (Float32Array | undefined)[]): Float32Array | undefined {
  const present = vectors.filter((v): v is Float32Array => v !== undefined);
  if (!present.length) return undefined;
  const mean = new Float32Array(present[0].length);
  for (const v of present) for (let i = 0; i < v.length; i++) mean[i] += v[i];
  return normalize(mean);
}

/** Centrality of each window: cosine to the episode's mean vector (0 for a window without a vector). */
function centrality(vectors: (Float32Array | undefined)[], mean: Float32Array | undefined): number[] {
  return vectors.map((v) => (v && mean ? dot(v, mean) : 0));
}

/** The span (0..spans-1) of equal length a moment falls in. */
const spanOf = (ms: number, durationMs: number, spans: number) => Math.min(spans - 1, Math.max(0, Math.floor((ms / Math.max(1, durationMs)) * spans)));

export interface Candidate {
  /** Window (source) index, or the index of a question candidate. */
  i: number;
  score: number;
  span: number;
  vector?: Float32Array;
}

/**
 * MMR with a per-span quota: central picks that differ from each other, at most `quota` from any
 * one stretch of the episode, so the picks cover the whole timeline. Returns them in pick order.
 */
export function pickSpread(candidates: Candidate[], k: number, quota: number, lambda: number = EXTRACTIVE_SUMMARY_DEFAULTS.lambda): Candidate[] {
  const picked: Candidate[] = [];
  const perSpan = new Map<number, number>();
  const rest = [...candidates];
  while (picked.length < k && rest.length) {
    let best = -1;
    let bestScore = -Infinity;
    rest.forEach((c, idx) => {
      if ((perSpan.get(c.span) ?? 0) >= quota) return;
      let maxSim = 0;
      for (const p of picked) if (c.vector && p.vector) maxSim = Math.max(maxSim, dot(c.vector, p.vector));
      const s = lambda * c.score - (1 - lambda) * maxSim;
      if (s > bestScore) {
        bestScore = s;
        best = idx;
      }
    });
    if (best < 0) break;
    const [c] = rest.splice(best, 1);
    picked.push(c);
    perSpan.set(c.span, (perSpan.get(c.span) ?? 0) + 1);
  }
  return picked;
}

/** Whether a sentence is a host's question to the guest (not a tag question or rhetorical aside). */
export function isHostQuestion(text: string): boolean {
  const t = text.trim();
  if (!t.endsWith('?')) return false;
  const words = wordCount(t);
  const o = EXTRACTIVE_SUMMARY_DEFAULTS.questionWords;
  if (words < o.min || words > o.max) return false;
  if (TAG_QUESTION.test(t)) return false;
  return ASKS.test(t) || /\byou\b/i.test(t);
}

export interface QaCandidate {
  question: EpisodeSentence;
  answer: EpisodeSentence[];
}

/**
 * Host questions with the sentences after them as the answer. With speaker labels the host is
 * whoever asks most, and the answer must come from someone else; without them the form decides.
 */
export function questionCandidates(sentences: EpisodeSentence[]): QaCandidate[] {
  const o = EXTRACTIVE_SUMMARY_DEFAULTS.answerWords;
  const asks = new Map<string, number>();
  for (const s of sentences) if (s.speaker && s.text.trim().endsWith('?')) asks.set(s.speaker, (asks.get(s.speaker) ?? 0) + 1);
  const host = [...asks].sort((a, b) => b[1] - a[1])[0]?.[0];
  const out: QaCandidate[] = [];
  sentences.forEach((q, i) => {
    if (!isHostQuestion(q.text)) return;
    if (host && q.speaker !== host) return;
    const answer: EpisodeSentence[] = [];
    let words = 0;
    for (let j = i + 1; j < sentences.length && words < o.min && answer.length < 4; j++) {
      const a = sentences[j];
      if (a.text.trim().endsWith('?')) break;
      if (host && a.speaker === host) break;
      if (words + wordCount(a.text) > o.max && answer.length) break;
      answer.push(a);
      words += wordCount(a.text);
    }
    if (words >= o.min) out.push({ question: q, answer });
  });
  return out;
}

export interface ExtractiveInput {
  cues: Cue[];
  sources: EpisodeSource[];
  /** Stored vector of each source's window, by source index. */
  vectors: (Float32Array | undefined)[];
  durationMs: number;
  /** Number of parts the timeline was split into (scales how much is picked). */
  parts: number;
  /** The episode title: its subjects ("Aliens, Black Holes, and the Mystery of the Oumuamua") are what the TL;DR names. */
  title?: string;
}

/**
 * The subjects a title announces: the list after the guest's name and before the show's name,
 * as content-word stems ("Avi Loeb: Aliens, Black Holes, and the Mystery of the Oumuamua | Lex
 * Fridman Podcast #154" → aliens · black holes · mystery oumuamua).
 */
export function titleSubjects(title: string): { phrase: string; stems: string[] }[] {
  const main = title.split('|')[0];
  const colon = main.indexOf(':');
  const list = colon >= 0 ? main.slice(colon + 1) : main;
  return list
    .split(/,|&|\band\b|\bvs\.?\b/i)
    .map((phrase) => phrase.trim())
    .map((phrase) => ({ phrase, stems: [...contentStems(phrase)].filter((w) => !['mystery', 'future', 'nature', 'art', 'role', 'power', 'new', 'big'].includes(w)) }))
    .filter((x) => x.stems.length > 0);
}

/**
 * Sentences fit to quote alone: a whole sentence (it starts after one ended, with a capital), a
 * statement of a sensible length, not a sponsor read or pleasantry, not in the host's
 * introduction. Returns their first cues.
 */
export function wellFormed(sentences: EpisodeSentence[]): Set<number> {
  const o = EXTRACTIVE_SUMMARY_DEFAULTS.sentenceWords;
  const out = new Set<number>();
  sentences.forEach((s, i) => {
    const t = s.text.trim();
    const whole = (i === 0 || sentences[i - 1].complete !== false) && s.complete !== false && /^["“'(]?[A-Z0-9]/.test(t) && endsSentence(t);
    const words = wordCount(t);
    if (whole && !t.endsWith('?') && words >= o.min && words <= o.max && !isBoilerplate(t) && !inIntro(s.startMs)) out.add(s.firstCue);
  });
  return out;
}

/**
 * TL;DR sentences naming the title's subjects: for each subject the episode keeps coming back to
 * (most mentioned first), the most central well-formed sentence that names it.
 */
export function subjectSentences(
  sentences: EpisodeSentence[],
  good: Set<number>,
  subjects: { stems: string[] }[],
  weight: (s: EpisodeSentence, mentions: EpisodeSentence[]) => number,
  max: number,
): EpisodeSentence[] {
  const stemsOf = sentences.map((s) => new Set(tokenize(s.text).map(stemWord)));
  const names = (i: number, stems: string[]) => stems.every((w) => stemsOf[i].has(w));
  const ranked = subjects
    .map((sub) => ({ sub, mentions: sentences.filter((_, i) => names(i, sub.stems)).length }))
    .filter((x) => x.mentions >= EXTRACTIVE_SUMMARY_DEFAULTS.subjectMentions)
    .sort((a, b) => b.mentions - a.mentions);
  const picked: EpisodeSentence[] = [];
  for (const { sub } of ranked) {
    if (picked.length >= max) break;
    const mentions = sentences.filter((_, i) => names(i, sub.stems));
    let best: { s: EpisodeSentence; score: number } | undefined;
    sentences.forEach((s, i) => {
      if (!good.has(s.firstCue) || !names(i, sub.stems) || picked.includes(s)) return;
      // A sentence naming other subjects too says more about the episode; one saying what the
      // subject is ("Oumuamua was…") says it best; one addressing the other person ("you") is
      // more likely the host's framing than the guest's account.
      const also = ranked.filter((r) => r.sub !== sub && names(i, r.sub.stems)).length;
      const t = s.text;
      const defines = sub.stems.some((w) => new RegExp(`\\b${w}\\w*,?\\s+(is|was|are|were)\\b`, 'i').test(t));
      const score = weight(s, mentions) * (1 + 0.25 * also) * (defines ? 1.5 : 1) * (/\byou\b/i.test(t) ? 0.6 : 1) * (/^(and|but|so|or)\b/i.test(t) ? 0.85 : 1);
      if (!best || score > best.score) best = { s, score };
    });
    if (best) picked.push(best.s);
  }
  return picked;
}

export interface ExtractiveSummary {
  tldr: SummaryPoint;
  insights: SummaryPoint[];
  questions: SummaryQa[];
  takeaways: SummaryPoint[];
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** Builds the extractive summary. Embeds only the candidate sentences of the chosen windows. */
export async function extractiveSummary(embedder: Embedder, input: ExtractiveInput): Promise<ExtractiveSummary> {
  const o = EXTRACTIVE_SUMMARY_DEFAULTS;
  const { cues, sources, vectors, durationMs } = input;
  const sentences = episodeSentences(cues, sources);
  const bySource = new Map<number, EpisodeSentence[]>();
  for (const s of sentences) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s]);
  const mean = meanVector(vectors);
  const adShare = sources.map((_, i) => {
    const own = bySource.get(i) ?? [];
    return own.length ? own.filter((s) => AD.test(s.text)).length / own.length : 0;
  });
  const windowScore = centrality(vectors, mean).map((c, i) => c * (1 - (1 - o.adPenalty) * adShare[i]));

  const nParagraphs = clamp(input.parts, o.paragraphs.min, o.paragraphs.max);
  const nInsights = clamp(input.parts + 4, o.insights.min, o.insights.max);
  const nQuestions = clamp(input.parts + 4, o.questions.min, o.questions.max);
  const candidatesIn = (spans: number): Candidate[] =>
    sources.map((s, i) => ({ i, score: windowScore[i], span: spanOf(s.startMs, durationMs, spans), vector: vectors[i] })).filter((c) => bySource.has(c.i));

  // Windows: the TL;DR's most central overall (one per third), each paragraph's within its
  // stretch of the episode, the insights anywhere else with a quota per stretch.
  const used = new Set<number>();
  const take = (picked: Candidate[]) => {
    for (const p of picked) used.add(p.i);
    return picked;
  };
  const tldrWindows = take(pickSpread(candidatesIn(o.tldrSentences), o.tldrSentences, 1));
  const paragraphWindows = Array.from({ length: nParagraphs }, (_, span) =>
    take(pickSpread(candidatesIn(nParagraphs).filter((c) => c.span === span && !used.has(c.i)), o.sentencesPerParagraph, o.sentencesPerParagraph)),
  );
  // Short episodes have fewer windows than slots: insights may then come from used windows too
  // (a different sentence of them).
  const fresh = candidatesIn(nParagraphs).filter((c) => !used.has(c.i));
  const insightPool = fresh.length >= o.insights.min ? fresh : candidatesIn(nParagraphs);
  const insightWindows = take(pickSpread(insightPool, nInsights, Math.ceil(nInsights / nParagraphs)));

  // The best sentences inside each chosen window: closest to the window's and the episode's gist.
  const chosen = [...used];
  const good = wellFormed(sentences);
  const pool = chosen.flatMap((i) => quotable(bySource.get(i) ?? [], good).map((s) => ({ i, s })));
  const embedded = pool.length ? await embedder.embed(pool.map((p) => p.s.text)) : [];
  const ranked = new Map<number, { s: EpisodeSentence; score: number }[]>();
  pool.forEach((p, k) => {
    const own = vectors[p.i];
    const score = (own ? dot(embedded[k], own) : 0) + (mean ? dot(embedded[k], mean) : 0) - (AD.test(p.s.text) ? 1 : 0);
    ranked.set(p.i, [...(ranked.get(p.i) ?? []), { s: p.s, score }].sort((a, b) => b.score - a.score));
  });
  // Each sentence is quoted once: a window picked twice gives its next-best sentence.
  const quoted = new Set<number>();
  const byTime = (a: Candidate, b: Candidate) => sources[a.i].startMs - sources[b.i].startMs;
  const quotesOf = (cs: Candidate[]): Quote[] =>
    [...cs].sort(byTime).flatMap((c) => {
      const next = ranked.get(c.i)?.find((r) => !quoted.has(r.s.firstCue));
      if (!next) return [];
      const s = withNext(next.s, sentences);
      for (const x of sentences) if (x.firstCue >= s.firstCue && x.firstCue <= s.lastCue) quoted.add(x.firstCue);
      return [toQuote(s, sources, cues)];
    });

  // The TL;DR names what the episode is about: sentences naming the title's subjects first, the
  // most central windows' sentences for the rest.
  // A subject's sentence comes from where the episode dwells on it: a window with many of its
  // mentions, close to the gist of all the windows that mention it.
  const subjectWeight = (x: EpisodeSentence, mentions: EpisodeSentence[]) => {
    const windows = [...new Set(mentions.map((m) => m.source))];
    const gist = meanVector(windows.map((w) => vectors[w]));
    const own = vectors[x.source];
    const density = mentions.filter((m) => m.source === x.source).length;
    return density * (0.5 + (own && gist ? dot(own, gist) : 0)) * (1 - (1 - o.adPenalty) * adShare[x.source]);
  };
  const named = input.title ? subjectSentences(sentences, good, titleSubjects(input.title), subjectWeight, o.tldrSentences) : [];
  for (const x of named) quoted.add(x.firstCue);
  const central = quotesOf(tldrWindows).slice(0, o.tldrSentences - named.length);
  const tldrQuotes = [...named.map((x) => toQuote(x, sources, cues)), ...central].sort((a, b) => a.cues[0].startMs - b.cues[0].startMs);
  const tldr = citeQuotes(tldrQuotes);
  const takeaways = paragraphWindows.map(quotesOf).filter((q) => q.length).map(citeQuotes);
  const insights = quotesOf(insightWindows).map((q) => citeQuotes([q]));

  // Questions: the host's, where the answer sits in a central window, spread like the insights;
  // an answer already quoted above comes last (it would repeat it), but short episodes need it.
  const qas = questionCandidates(sentences);
  const qaCandidates = qas.map((qa, k) => ({
    i: k,
    score: windowScore[qa.answer[0].source] * (/\byou\b/i.test(qa.question.text) ? 1 : 0.85) * (qa.answer.some((a) => quoted.has(a.firstCue)) ? o.repeatPenalty : 1),
    span: spanOf(qa.question.startMs, durationMs, nParagraphs),
    vector: vectors[qa.answer[0].source],
  }));
  // Twice as many as needed, then only those whose answer is about what was asked.
  const spread = pickSpread(qaCandidates, nQuestions * 2, Math.ceil((nQuestions * 2) / nParagraphs));
  const qaText = (qa: QaCandidate) => qa.answer.map((a) => a.text).join(' ');
  const qaVecs = spread.length ? await embedder.embed(spread.flatMap((c) => [lastQuestion(qas[c.i].question.text), qaText(qas[c.i])])) : [];
  const pickedQa = spread
    .filter((_, k) => dot(qaVecs[2 * k], qaVecs[2 * k + 1]) >= o.qaSimilarity && !isBoilerplate(qaText(qas[spread[k].i])))
    .slice(0, nQuestions)
    .sort((a, b) => qas[a.i].question.startMs - qas[b.i].question.startMs);
  const questions: SummaryQa[] = pickedQa.map((c) => {
    const qa = qas[c.i];
    const answer: EpisodeSentence = { ...qa.answer[0], text: qa.answer.map((a) => a.text).join(' '), lastCue: qa.answer[qa.answer.length - 1].lastCue };
    const point = citeQuotes([toQuote(answer, sources, cues)]);
    return { question: lastQuestion(qa.question.text), answer: point.text, citations: point.citations };
  });
  return { tldr, insights, questions, takeaways };
}

/** The question itself when the caption unit also holds what came before it ("Thank you. So why…?"). */
function lastQuestion(text: string): string {
  const parts = splitSentences(text.trim());
  let out = parts.pop() ?? text.trim();
  while (parts.length && wordCount(out) < EXTRACTIVE_SUMMARY_DEFAULTS.questionWords.min) out = `${parts.pop()} ${out}`;
  return out;
}

/** Sentences worth quoting (well-formed statements when there are any), longest first. */
function quotable(own: EpisodeSentence[], good: Set<number>): EpisodeSentence[] {
  const o = EXTRACTIVE_SUMMARY_DEFAULTS;
  const whole = own.filter((s) => good.has(s.firstCue));
  if (whole.length) return [...whole].sort((a, b) => wordCount(b.text) - wordCount(a.text)).slice(0, o.candidatesPerWindow);
  const statements = own.filter((s) => !s.text.trim().endsWith('?') && !isBoilerplate(s.text));
  const fits = statements.filter((s) => wordCount(s.text) >= o.sentenceWords.min && wordCount(s.text) <= o.sentenceWords.max);
  const pool = fits.length ? fits : statements.length ? statements : own;
  return [...pool].sort((a, b) => wordCount(b.text) - wordCount(a.text)).slice(0, o.candidatesPerWindow);
}

/** A short sentence with the next one of the same source, so the quote stands alone. */
function withNext(s: EpisodeSentence, all: EpisodeSentence[]): EpisodeSentence {
  if (wordCount(s.text) >= EXTRACTIVE_SUMMARY_DEFAULTS.contextWords) return s;
  const at = all.indexOf(s);
  const next = at >= 0 ? all[at + 1] : undefined;
  return next && next.source === s.source && !next.text.trim().endsWith('?') ? { ...s, text: `${s.text} ${next.text}`, lastCue: next.lastCue } : s;
}

function toQuote(s: EpisodeSentence, sources: EpisodeSource[], cues: Cue[]): Quote {
  return { text: s.text, source: sources[s.source], cues: cues.slice(s.firstCue, s.lastCue + 1) };
}
