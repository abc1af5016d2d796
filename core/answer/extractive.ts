/**
 * The offline answer: short contiguous passages of the transcripts that answer the question,
 * best first, grouped by episode. Sentences are scored by how well they answer (similarity to the
 * question, shared rare words, the source's rank, the kind of fact asked for), sponsor reads,
 * greetings and the host's introduction are left out, and each chosen sentence grows into a passage
 * of whole sentences that reads on its own. Pure apart from the similarities the caller supplies.
 */
import { wordCount } from '../../indexer/segment/windows.ts';
import { tokenize } from '../retrieval/keyword.ts';
import { inIntro, isBoilerplate, isHostTurn } from '../transcript/boilerplate.ts';
import { cueSentences } from '../transcript/sentences.ts';
import type { AskSource } from './sources.ts';

export const EXTRACTIVE_DEFAULTS = {
  /** Passages in the answer. */
  maxPassages: 4,
  /** Passages from one episode, so a second episode's view gets in when it is nearly as good. */
  perEpisode: 3,
  /** Keyword-ranked sentences that get an embedding score too. */
  embedCandidates: 48,
  /** Weight of semantic similarity vs. keyword overlap. */
  semanticWeight: 0.6,
  /** A question is usually the host asking, not the answer. */
  questionPenalty: 0.35,
  /** The opening minutes are the host's introduction and sponsor reads, rarely an answer. */
  introPenalty: 0.15,
  /** A sentence that follows a question is likely the guest's reply. */
  replyBonus: 1.1,
  /** A statement right before a question is usually the host setting it up. */
  setupPenalty: 0.6,
  /** Sentences after a question that matches the user's one inherit this share of its match… */
  replyInherit: 0.9,
  /** …up to this many sentences after it (or the next question). */
  replyReach: 2,
  /** A sentence holding the kind of fact asked for (a number for "how many", a year for "when"). */
  factBonus: 1.2,
  /** A passage grows by whole sentences until it has this many words… */
  minPassageWords: 28,
  /** …and never past this many (a run-on transcript "sentence" can be long). */
  maxPassageWords: 90,
  /** Passages scoring below this share of the best one are left out rather than padding the answer. */
  keepRatio: 0.45,
  /** A passage sharing more than this share of its words with one already picked is a repeat. */
  maxRepeat: 0.6,
  /** Word count at which an unpunctuated run of cues is cut into a "sentence" anyway. */
  runOnWords: 60,
  /** Decay per source rank (the score is divided by 1 + rankDecay × rank). */
  rankDecay: 0.15,
  /** How much the search score of the window a sentence sits in counts (0: not at all). */
  windowWeight: 0,
  /** Weight of the similarity of the sentence with its neighbours (±1) vs. the sentence alone. */
  contextWeight: 0,
  /** A sentence of an episode whose title holds a name the question asks about ("What does Elon Musk think…"). */
  titleBonus: 1.6,
} as const;

/** The tunable numbers of the offline answer (EXTRACTIVE_DEFAULTS, or a variant of it). */
export type ExtractiveTuning = { -readonly [K in keyof typeof EXTRACTIVE_DEFAULTS]: number };

/**
 * Below this relevance (the best passage's similarity blended with keyword overlap, 0..1) no
 * passage is taken as an answer: the reply says nothing covers the question and lists the closest
 * moments as possibly related. Chosen on the tune half: 2 of 79 answerable questions fall below
 * it, 8 of 15 unanswerable ones (0.30: 8 and 9; 0.22: 2 and 3).
 */
export const RELEVANCE_FLOOR = 0.26;

export interface Sentence {
  n: number;
  /** Index of the first and last cue of the sentence inside the source. */
  cue: number;
  lastCue: number;
  startMs: number;
  text: string;
  /** Rank of the source (0 = best). */
  rank: number;
  /** False when the sentence was cut at `runOnWords` rather than at its end. */
  complete: boolean;
}

/** A source's sentences (whole sentences, even where they start or end inside a cue). */
export function sentencesOf(source: Pick<AskSource, 'n' | 'cues'>, rank: number): Sentence[] {
  return cueSentences(source.cues, EXTRACTIVE_DEFAULTS.runOnWords).map((s) => ({ n: source.n, cue: s.firstCue, lastCue: s.lastCue, startMs: s.startMs, text: s.text, rank, complete: s.complete }));
}

/** The kind of fact a question asks for, when it asks for one. */
export type FactKind = 'number' | 'time' | 'name';

export function factKind(question: string): FactKind | undefined {
  const q = question.toLowerCase();
  if (/\bhow (many|much|long|old|far|big|fast|often)\b|\bwhat (percentage|share|fraction|number)\b/.test(q)) return 'number';
  if (/\bwhen\b|\bwhat year\b|\bwhich year\b/.test(q)) return 'time';
  if (/\bwho\b|\bwhich (company|person|book|author|scientist|game|team)\b|\bwhat (company|book|name)\b/.test(q)) return 'name';
  return undefined;
}

const NUMBER = /\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|percent|half|dozen)\b/i;
const TIME = /\b(1[5-9]\d\d|20\d\d|\d{2,4}s|century|decade|years? (ago|old)|january|february|march|april|may|june|july|august|september|october|november|december|when i was)\b/i;

/** True when the sentence holds the kind of fact asked for. */
export function hasFact(text: string, kind: FactKind): boolean {
  if (kind === 'number') return NUMBER.test(text);
  if (kind === 'time') return TIME.test(text);
  // A capitalised word after the first one (not "I"): a name, a company, a title.
  return /\s(?!I\b)[A-Z][a-z]+/.test(text);
}

/** The features a sentence is scored on. */
export interface SentenceFeatures {
  text: string;
  /** Rank of its source (0 = best). */
  rank: number;
  startMs: number;
  /** The sentence before it (same source) is a question: this is likely the reply. */
  afterQuestion?: boolean;
  /** The sentence after it is a question: this is likely the host setting it up. */
  beforeQuestion?: boolean;
  fact?: FactKind;
  /** Search score of the retrieved window the sentence sits in, as a share of the best window's (0..1). */
  window?: number;
  /** Its episode's title holds a name the question names. */
  titled?: boolean;
}

/**
 * The names a question asks about: its capitalised words after the first (not "I"), lower-cased.
 * "What does Elon Musk think about Mars?" → elon, musk, mars.
 */
export function questionNames(question: string): Set<string> {
  const words = question.match(/[\p{L}\p{N}'’]+/gu) ?? [];
  return new Set(words.slice(1).filter((w) => /^\p{Lu}/u.test(w) && w !== 'I').map((w) => w.toLowerCase().replace(/['’]s$/, '')));
}

/** True when `title` holds one of `names` as a word. */
export function titleNames(title: string, names: Set<string>): boolean {
  if (names.size === 0) return false;
  return (title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).some((w) => names.has(w));
}

/** Combined relevance of a sentence: keyword overlap, semantic similarity, source rank, form. 0 for boilerplate. */
export function sentenceScore(s: SentenceFeatures, overlap: number, similarity: number | undefined, o: ExtractiveTuning = EXTRACTIVE_DEFAULTS): number {
  if (isBoilerplate(s.text)) return 0;
  const base = similarity === undefined ? overlap : (1 - o.semanticWeight) * overlap + o.semanticWeight * similarity;
  const rankBoost = (1 / (1 + o.rankDecay * s.rank)) * (s.window === undefined ? 1 : 1 - o.windowWeight + o.windowWeight * s.window);
  const form = s.text.trim().endsWith('?') || isHostTurn(s.text) ? o.questionPenalty : 1;
  const words = wordCount(s.text);
  const length = words < 5 ? 0.4 : words < 9 ? 0.8 : 1;
  const intro = inIntro(s.startMs) ? o.introPenalty : 1;
  const reply = s.afterQuestion ? o.replyBonus : s.beforeQuestion ? o.setupPenalty : 1;
  const fact = s.fact && hasFact(s.text, s.fact) ? o.factBonus : 1;
  const titled = s.titled ? o.titleBonus : 1;
  return base * rankBoost * form * length * intro * reply * fact * titled;
}

/** Words that make a sentence lean on the one before it ("And that is why…", "It was…"). */
const LEANS_BACK = /^(and|but|so|because|which|that|this|it|they|he|she|these|those|yes|yeah|no|well|exactly|right|or|then|also)\b/i;

/** A chosen stretch of one source: sentences `from`..`to` of that source's sentence list. */
export interface Passage {
  n: number;
  /** First and last cue inside the source. */
  firstCue: number;
  lastCue: number;
  startMs: number;
  text: string;
  score: number;
  /** Similarity blended with overlap of its best sentence, before rank and form factors (for the floor). */
  relevance: number;
}

/**
 * Grows sentence `i` of a source into a passage of whole sentences that reads alone: the sentence
 * before when this one leans on it (and is not the host's question), then following sentences
 * until the passage is long enough, stopping at a question, boilerplate or the word cap.
 */
export function expandPassage(sentences: Sentence[], i: number, o: ExtractiveTuning = EXTRACTIVE_DEFAULTS): { from: number; to: number } {
  const usable = (j: number) => j >= 0 && j < sentences.length && !isBoilerplate(sentences[j].text) && !sentences[j].text.trim().endsWith('?') && !isHostTurn(sentences[j].text);
  const words = (from: number, to: number) => sentences.slice(from, to + 1).reduce((n, s) => n + wordCount(s.text), 0);
  let from = i;
  let to = i;
  // A sentence cut off a run-on one always takes its beginning; one that leans back, when it fits.
  if (i > 0 && !sentences[i - 1].complete && !isBoilerplate(sentences[i - 1].text)) from = i - 1;
  else if (LEANS_BACK.test(sentences[i].text.trim()) && usable(i - 1) && words(i - 1, i) <= o.maxPassageWords) from = i - 1;
  while (to + 1 < sentences.length && (words(from, to) < o.minPassageWords || !sentences[to].complete) && usable(to + 1) && words(from, to + 1) <= o.maxPassageWords) to++;
  return { from, to };
}

/** A candidate sentence with its features and its place in its source's sentence list. */
export type Candidate = SentenceFeatures & { sentence: Sentence; index: number };

/**
 * Score of the retrieved window holding `ms` (the best one when windows overlap); a moment the
 * source grew into to reach whole sentences takes its nearest window's.
 */
export function windowScoreAt(windows: { startMs: number; endMs: number; score: number }[], ms: number): number | undefined {
  if (windows.length === 0) return undefined;
  const inside = windows.filter((w) => ms >= w.startMs && ms <= w.endMs);
  if (inside.length) return Math.max(...inside.map((w) => w.score));
  const gap = (w: { startMs: number; endMs: number }) => (ms < w.startMs ? w.startMs - ms : ms - w.endMs);
  return windows.reduce((a, b) => (gap(b) < gap(a) ? b : a)).score;
}

/** Candidate sentences of all sources with their features, in source order. */
export function candidateSentences(sources: (Pick<AskSource, 'n' | 'cues'> & Partial<Pick<AskSource, 'windows' | 'title'>>)[], question: string): { bySource: Map<number, Sentence[]>; all: Candidate[] } {
  const bySource = new Map<number, Sentence[]>();
  const fact = factKind(question);
  const all: Candidate[] = [];
  const top = Math.max(0, ...sources.flatMap((s) => (s.windows ?? []).map((w) => w.score)));
  const names = questionNames(question);
  sources.forEach((s, rank) => {
    const list = sentencesOf(s, rank);
    const titled = s.title !== undefined && titleNames(s.title, names);
    bySource.set(s.n, list);
    list.forEach((sentence, index) => {
      const afterQuestion = index > 0 && list[index - 1].text.trim().endsWith('?');
      const beforeQuestion = index + 1 < list.length && list[index + 1].text.trim().endsWith('?');
      const w = windowScoreAt(s.windows ?? [], sentence.startMs);
      const window = w !== undefined && top > 0 ? Math.max(0, w / top) : undefined;
      all.push({ sentence, index, text: sentence.text, rank, startMs: sentence.startMs, afterQuestion, beforeQuestion, ...(fact ? { fact } : {}), ...(window !== undefined ? { window } : {}), ...(titled ? { titled } : {}) });
    });
  });
  return { bySource, all };
}

/** A sentence scored for the answer; `relevance` is its match before rank and form factors (for the floor). */
export interface ScoredSentence {
  sentence: Sentence;
  index: number;
  score: number;
  relevance: number;
}

/**
 * Scores candidates from their keyword overlap and semantic similarity (`sims[i]` for
 * `candidates[i]`: the sentence alone and with its neighbours), then lets the reply right after a
 * host question that matches the user's inherit most of its match (a reply rarely repeats the
 * question's words). Pure.
 */
export function scoreSentences(
  candidates: { c: Candidate; overlap: number }[],
  sims: { own: number; context?: number }[],
  all: Candidate[],
  bySource: Map<number, Sentence[]>,
  o: ExtractiveTuning = EXTRACTIVE_DEFAULTS,
): ScoredSentence[] {
  const w = o.semanticWeight;
  const scored: ScoredSentence[] = candidates.map((x, i) => {
    const own = Math.max(0, sims[i].own);
    const sim = sims[i].context === undefined ? own : (1 - o.contextWeight) * own + o.contextWeight * Math.max(0, sims[i].context!);
    return { sentence: x.c.sentence, index: x.c.index, score: sentenceScore(x.c, x.overlap, sim, o), relevance: (1 - w) * x.overlap + w * own };
  });
  const byPlace = new Map(scored.map((x) => [`${x.sentence.n}:${x.index}`, x]));
  const byIdentity = new Map(all.map((c) => [c.sentence, c]));
  for (const x of [...scored]) {
    if (!x.sentence.text.trim().endsWith('?')) continue;
    const list = bySource.get(x.sentence.n)!;
    for (let j = x.index + 1; j < Math.min(list.length, x.index + 1 + o.replyReach); j++) {
      if (list[j].text.trim().endsWith('?')) break;
      const reply = byIdentity.get(list[j])!;
      const inherited = sentenceScore({ ...reply, afterQuestion: true }, 1, 1, o) * o.replyInherit * x.relevance;
      const own = byPlace.get(`${x.sentence.n}:${j}`);
      if (own) own.score = Math.max(own.score, inherited);
      else if (inherited > 0) {
        const added = { sentence: list[j], index: j, score: inherited, relevance: x.relevance * o.replyInherit };
        scored.push(added);
        byPlace.set(`${x.sentence.n}:${j}`, added);
      }
    }
  }
  return scored;
}

/**
 * Picks passages from scored sentences: best first, skipping sentences inside a passage already
 * taken, at most `perEpisode` per episode, stopping when the rest score below `keepRatio` of the
 * best. `videoOf` maps a source number to its episode.
 */
export function pickPassages(
  scored: ScoredSentence[],
  bySource: Map<number, Sentence[]>,
  videoOf: (n: number) => string,
  max: number = EXTRACTIVE_DEFAULTS.maxPassages,
  o: ExtractiveTuning = EXTRACTIVE_DEFAULTS,
): Passage[] {
  const order = scored.filter((c) => c.score > 0).sort((a, b) => b.score - a.score);
  const picked: (Passage & { from: number; to: number })[] = [];
  const perVideo = new Map<string, number>();
  for (const c of order) {
    if (picked.length >= max) break;
    if (picked.length && c.score < o.keepRatio * picked[0].score) break;
    const video = videoOf(c.sentence.n);
    if ((perVideo.get(video) ?? 0) >= o.perEpisode) continue;
    const list = bySource.get(c.sentence.n)!;
    const { from, to } = expandPassage(list, c.index, o);
    // Touching or overlapping an earlier passage of the same source would split one stretch in two.
    if (picked.some((p) => p.n === c.sentence.n && from <= p.to + 1 && to >= p.from - 1)) continue;
    const parts = list.slice(from, to + 1);
    // Transcripts repeat themselves (a speaker restarting, a caption glitch): never quote the same words twice.
    const words = new Set(tokenize(parts.map((p) => p.text).join(' ')));
    if (picked.some((p) => sharedShare(words, p.text) > o.maxRepeat)) continue;
    picked.push({
      n: c.sentence.n,
      from,
      to,
      firstCue: parts[0].cue,
      lastCue: parts.at(-1)!.lastCue,
      startMs: parts[0].startMs,
      text: parts.map((p) => p.text.trim()).join(' '),
      score: c.score,
      relevance: c.relevance,
    });
    perVideo.set(video, (perVideo.get(video) ?? 0) + 1);
  }
  return picked.map(({ from: _f, to: _t, ...p }) => p);
}

/** Share of the words of `words` found in `text`. */
function sharedShare(words: Set<string>, text: string): number {
  if (words.size === 0) return 0;
  const other = new Set(tokenize(text));
  return [...words].filter((w) => other.has(w)).length / words.size;
}

/** The episode groups of an answer: episodes in order of their best passage, passages best first. */
export function groupByEpisode<P extends { n: number }>(passages: P[], videoOf: (n: number) => string): { videoId: string; passages: P[] }[] {
  const groups: { videoId: string; passages: P[] }[] = [];
  for (const p of passages) {
    const v = videoOf(p.n);
    const g = groups.find((x) => x.videoId === v);
    if (g) g.passages.push(p);
    else groups.push({ videoId: v, passages: [p] });
  }
  return groups;
}

/** An episode named once: its title and date. */
export function episodeLabel(s: Pick<AskSource, 'title' | 'publishedAt'>): string {
  return `“${s.title}”${s.publishedAt ? ` (${s.publishedAt.slice(0, 10)})` : ''}`;
}

/**
 * Writes the answer text: a lead line, then per episode its title and date once and its quotes,
 * one per line, each ending in its source marker. `covered` false words it as "possibly related".
 */
export function composeExtractive(groups: { source: Pick<AskSource, 'title' | 'publishedAt'>; passages: { n: number; text: string }[] }[], covered: boolean): string {
  if (groups.length === 0) return 'Nothing in the library seems to cover this question. Try other words, or look at the sources below.';
  const blocks = groups.map((g, i) => {
    const head = i === 0 ? (covered ? `The closest answer is in ${episodeLabel(g.source)}:` : `Possibly related, in ${episodeLabel(g.source)}:`) : `Also in ${episodeLabel(g.source)}:`;
    return [head, ...g.passages.map((p) => `“${p.text}” [${p.n}]`)].join('\n');
  });
  const lead = covered ? '' : 'Nothing in the library seems to cover this question. These moments are the closest, but may not answer it.\n\n';
  return `${lead}${blocks.join('\n\n')}`;
}
