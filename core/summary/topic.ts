/**
 * Topic summaries across episodes: high-recall retrieval, episodes grouped with a relevance
 * threshold (a passing mention does not make an episode "about" the topic), per-episode key
 * points with citations, a timeline by publish date, and a model-written synthesis when a model
 * is configured.
 */
import type { Cue } from '../../indexer/domain.ts';
import { splitSentences, wordCount } from '../../indexer/segment/windows.ts';
import type { VideoRow } from '../../indexer/store/db.ts';
import { toSeconds } from '../../indexer/time.ts';
import type { SummaryPoint, TopicEpisode, TopicRequest, TopicSummary, TopicTimelineEntry } from '../contract/api.ts';
import type { SourceCues } from '../llm/citations.ts';
import type { Llm } from '../llm/client.ts';
import { LLM_DEFAULTS } from '../llm/messages.ts';
import { dot } from '../retrieval/dense.ts';
import { deepLink } from '../retrieval/links.ts';
import { rankSegments } from '../retrieval/search.ts';
import { inIntro, isBoilerplate, isHostTurn } from '../transcript/boilerplate.ts';
import { keywordOverlaps } from '../transcript/overlap.ts';
import { mergeAdjacent } from '../transcript/spans.ts';
import { citeQuotes, citeStatement, CiteLog } from './cite.ts';
import type { SummaryDeps } from './episode.ts';
import { episodeSentences } from './extractive.ts';
import { clockRange, type SourceBlock } from './parts.ts';
import { materialBudget, parseTopic, TOPIC_PROMPT, topicMessages } from './prompt.ts';
import { present } from '../../indexer/present.ts';

/**
 * Thresholds are cosine similarities of the bundled USE-lite encoder (relevant windows score
 * ~0.4–0.6 against a topic, unrelated ones ~0.2–0.3); the fused score is relative to the best hit.
 */
export const TOPIC_DEFAULTS = {
  /** Windows retrieved: far more than a search page, for recall across many episodes. */
  k: 120,
  /** A window this similar to the topic is relevant on its own. */
  strongSimilarity: 0.4,
  /** …or one in the top half of the fused ranking that is at least this similar… */
  relativeScore: 0.5,
  minSimilarity: 0.3,
  /** …or a strong keyword hit (normalised BM25) that is at least loosely similar. */
  keywordScore: 0.5,
  keywordSimilarity: 0.25,
  /** Fewer relevant windows than this in an episode is a passing mention. */
  minWindows: 2,
  /** Episodes summarised (by relevance); the counts cover all of them. */
  maxEpisodes: 20,
  /** Key points per episode. */
  pointsPerEpisode: 3,
  /** Key points of one episode are at least this far apart. */
  pointGapMs: 60_000,
  /** Sources per episode given to the model at most. */
  sourcesPerEpisode: 4,
  /** Sentences per window scored by embedding for the extractive key point. */
  candidatesPerSource: 4,
  /**
   * How a candidate key point is scored (pointScore): the weight of its similarity to the topic
   * against its keyword overlap, and the factors for a question (the host asking, not a point
   * made), a sentence under `shortWords` words, and the opening minutes (the host's introduction).
   * The offline answer's values when topics shared its scorer; kept here so that retuning answers
   * does not move topics.
   */
  semanticWeight: 0.6,
  questionPenalty: 0.35,
  shortWords: 9,
  shortPenalty: 0.8,
  introPenalty: 0.15,
} as const;

interface RankedWindow {
  videoId: string;
  startMs: number;
  endMs: number;
  score: number;
  similarity?: number;
  keywordScore: number;
  segment: { firstCue: number; lastCue: number; text?: string };
  video: VideoRow;
}

/** Whether a retrieved window really is about the topic (see TOPIC_DEFAULTS). */
function isRelevant(w: Pick<RankedWindow, 'score' | 'similarity' | 'keywordScore'>, topScore: number, t = TOPIC_DEFAULTS): boolean {
  // Keyword-only retrieval (no vectors): the fused ranking is all there is.
  if (w.similarity === undefined) return w.score >= t.relativeScore * topScore;
  return (
    w.similarity >= t.strongSimilarity ||
    (w.score >= t.relativeScore * topScore && w.similarity >= t.minSimilarity) ||
    (w.keywordScore >= t.keywordScore && w.similarity >= t.keywordSimilarity)
  );
}

/** How well a transcript sentence makes a key point on the topic (0 for a sponsor read or a pleasantry); see TOPIC_DEFAULTS. */
function pointScore(s: { text: string; startMs: number }, overlap: number, similarity: number, t = TOPIC_DEFAULTS): number {
  if (isBoilerplate(s.text)) return 0;
  const base = (1 - t.semanticWeight) * overlap + t.semanticWeight * similarity;
  const form = s.text.trim().endsWith('?') || isHostTurn(s.text) ? t.questionPenalty : 1;
  const length = wordCount(s.text) < t.shortWords ? t.shortPenalty : 1;
  const intro = inIntro(s.startMs) ? t.introPenalty : 1;
  return base * form * length * intro;
}

/** A window that can be discussion: past the introduction and not mostly sponsor reads or pleasantries. */
function isDiscussion(w: { startMs: number; segment: { text?: string } }): boolean {
  if (inIntro(w.startMs)) return false;
  const sentences = splitSentences(w.segment.text ?? '');
  return sentences.filter(isBoilerplate).length * 2 < Math.max(1, sentences.length);
}

interface TopicSource extends SourceCues {
  text: string;
  /** Index of the source's first cue in the episode. */
  firstCue: number;
  startMs: number;
  endMs: number;
  score: number;
}

interface Group {
  video: VideoRow;
  windows: RankedWindow[];
  spans: { startMs: number; endMs: number }[];
  minutes: number;
  relevance: number;
  sources: TopicSource[];
}

/** Oldest first; undated episodes last, by title. */
const byDate = (a: { publishedAt?: string | null; title: string }, b: { publishedAt?: string | null; title: string }) =>
  (a.publishedAt ?? '\uffff').localeCompare(b.publishedAt ?? '\uffff') || a.title.localeCompare(b.title);

/** Summarises what the indexed episodes say about a topic. */
export async function summarizeTopic(deps: SummaryDeps, req: TopicRequest, signal: AbortSignal = new AbortController().signal): Promise<TopicSummary> {
  const t = TOPIC_DEFAULTS;
  // Each window is judged on its own (relative score, similarity): the search's per-episode bonus
  // would lift every window of an episode and let passing mentions pass the relative threshold.
  const ranked: RankedWindow[] = await rankSegments(deps, { q: req.topic, k: t.k, channel: req.channel, from: req.from, to: req.to }, { episodeEvidence: 0 });
  const top = ranked[0]?.score ?? 0;
  const byVideo = new Map<string, RankedWindow[]>();
  // The show's introduction ("This is the Artificial Intelligence Podcast…") and sponsor reads are
  // never discussion of the topic, however well they match its words.
  for (const w of ranked) if (isRelevant(w, top) && isDiscussion(w)) byVideo.set(w.videoId, [...(byVideo.get(w.videoId) ?? []), w]);
  const qualifying = [...byVideo].filter(([, ws]) => ws.length >= t.minWindows);
  const passing = byVideo.size - qualifying.length;
  // Counts and relevance come from every qualifying episode; transcript text only for the ones shown.
  const all = qualifying
    .map(([id, windows]) => {
      const spans = mergeAdjacent(windows.map((w) => ({ videoId: id, startMs: w.startMs, endMs: w.endMs, firstCue: w.segment.firstCue, lastCue: w.segment.lastCue, score: w.score })));
      const minutes = spans.reduce((n, s) => n + (s.endMs - s.startMs), 0) / 60_000;
      const relevance = windows.reduce((n, w) => n + w.score, 0);
      return { video: windows[0].video, windows, spans, minutes, relevance };
    })
    .sort((a, b) => b.relevance - a.relevance);
  const groups: Group[] = all.slice(0, t.maxEpisodes).map(({ video, spans, ...g }) => {
    const sources = spans.map((s) => {
      const cues: Cue[] = deps.store.db.cueRange(video.id, s.firstCue, s.lastCue).map(({ idx: _idx, ...c }) => c);
      return { n: 0, videoId: video.id, title: video.title, cues, link: (ms: number) => deepLink(video, ms), text: cues.map((c) => c.text).join(' '), firstCue: s.firstCue, startMs: s.startMs, endMs: s.endMs, score: s.score };
    });
    return { ...g, video, spans: [...spans].sort((a, b) => a.startMs - b.startMs), sources };
  });

  // Numbering follows the timeline: episodes oldest first, moments in episode order.
  let n = 0;
  for (const g of [...groups].sort((a, b) => byDate(a.video, b.video))) {
    g.sources.sort((a, b) => a.startMs - b.startMs);
    for (const s of g.sources) s.n = ++n;
  }

  const counts = {
    episodes: all.length,
    minutes: Math.round(all.reduce((s, g) => s + g.minutes, 0) * 10) / 10,
    mentions: all.reduce((s, g) => s + g.windows.length, 0),
    passing,
  };
  const base = { topic: req.topic, counts };
  if (groups.length === 0) {
    return { ...base, mode: deps.llm ? 'llm' : 'extractive', model: null, episodes: [], timeline: [], synthesis: [], notice: `No indexed episode discusses "${req.topic}" at length${passing ? ` (${passing} mention${passing > 1 ? 's' : ''} it in passing)` : ''}.`, invalid: [] };
  }

  const extractive = await extractivePoints(deps, req.topic, groups);
  let points = extractive;
  let synthesis: SummaryPoint[] = [];
  let mode: TopicSummary['mode'] = 'extractive';
  let notice: string | null = 'No language model is configured: key points are quoted from the transcripts.';
  const log = new CiteLog();
  if (deps.llm) {
    try {
      const written = await modelTopic(deps.llm, deps.contextTokens, req.topic, groups, log, signal);
      // Episodes the model said nothing (citable) about keep their quoted key points.
      points = new Map(groups.map((g) => [g.video.id, written.points.get(g.video.id)?.length ? (written.points.get(g.video.id) ?? []) : (extractive.get(g.video.id) ?? [])]));
      synthesis = written.synthesis;
      mode = 'llm';
      notice = log.notice();
    } catch (err) {
      if (signal.aborted) throw err;
      notice = `The language model failed (${(err as Error).message}); key points are quoted from the transcripts instead.`;
    }
  }

  const episodes: TopicEpisode[] = groups.map((g) => ({
    videoId: g.video.id,
    title: g.video.title,
    channel: g.video.channel ?? null,
    publishedAt: g.video.publishedAt ?? null,
    url: deepLink(g.video, g.spans[0].startMs),
    minutes: Math.round(g.minutes * 10) / 10,
    mentions: g.windows.length,
    relevance: Math.round(g.relevance * 1000) / 1000,
    spans: g.spans.map((s) => ({ start: toSeconds(s.startMs), end: toSeconds(s.endMs) })),
    points: points.get(g.video.id) ?? [],
  }));
  const timeline: TopicTimelineEntry[] = [...episodes]
    .sort(byDate)
    .filter((e) => e.points.length > 0)
    // The card's moment is the one its quote is cited at, so "first discussed" and the quote agree.
    .map((e) => ({ videoId: e.videoId, title: e.title, publishedAt: e.publishedAt, start: e.points[0].citations[0]?.start ?? e.spans[0].start, minutes: e.minutes, point: e.points[0] }));
  return { ...base, mode, model: mode === 'llm' ? (deps.llm?.model ?? null) : null, episodes, timeline, synthesis, notice, invalid: [...log.invalid].sort((a, b) => a - b) };
}

/**
 * Quoted key points: in each episode's best windows (a minute or more apart), the sentence that
 * best matches the topic by keyword overlap and embedding similarity (one embedding call).
 */
async function extractivePoints(deps: SummaryDeps, topic: string, groups: Group[]): Promise<Map<string, SummaryPoint[]>> {
  const t = TOPIC_DEFAULTS;
  const picks = groups.flatMap((g) => {
    const chosen: RankedWindow[] = [];
    for (const w of [...g.windows].sort((a, b) => b.score - a.score)) {
      if (chosen.length >= t.pointsPerEpisode) break;
      if (chosen.some((c) => Math.abs(c.startMs - w.startMs) < t.pointGapMs)) continue;
      chosen.push(w);
    }
    return chosen.map((w) => {
      const source = present(g.sources.find((s) => s.firstCue <= w.segment.firstCue && w.startMs <= s.endMs), 'the source holding a key point');
      const offset = w.segment.firstCue - source.firstCue;
      return { g, source, cues: source.cues.slice(offset, offset + w.segment.lastCue - w.segment.firstCue + 1), offset };
    });
  });
  const candidates = picks.flatMap(({ cues }, p) => {
    const sentences = episodeSentences(cues, [{ firstCue: 0 }]).filter((s) => wordCount(s.text) >= 6);
    const overlaps = keywordOverlaps(topic, sentences.map((s) => s.text));
    return sentences
      .map((s, i) => ({ p, s, overlap: overlaps[i] }))
      .sort((a, b) => b.overlap - a.overlap || wordCount(b.s.text) - wordCount(a.s.text))
      .slice(0, t.candidatesPerSource);
  });
  const [q, ...vecs] = candidates.length ? await deps.embedder.embed([topic, ...candidates.map((c) => c.s.text)]) : [];
  const best = new Map<number, { c: (typeof candidates)[number]; score: number }>();
  candidates.forEach((c, i) => {
    const score = pointScore(c.s, c.overlap, Math.max(0, dot(q, vecs[i])));
    if (score > (best.get(c.p)?.score ?? -Infinity)) best.set(c.p, { c, score });
  });
  const out = new Map<string, SummaryPoint[]>();
  for (const { c } of [...best.values()].sort((a, b) => a.c.s.startMs - b.c.s.startMs)) {
    const { g, source, offset } = picks[c.p];
    const point = citeQuotes([{ text: c.s.text, source, cues: source.cues.slice(offset + c.s.firstCue, offset + c.s.lastCue + 1) }]);
    out.set(g.video.id, [...(out.get(g.video.id) ?? []), point]);
  }
  return out;
}

/** The model's key points (assigned to the episode of their first citation) and synthesis. */
async function modelTopic(llm: Llm, contextTokensSetting: number | undefined, topic: string, groups: Group[], log: CiteLog, signal: AbortSignal): Promise<{ points: Map<string, SummaryPoint[]>; synthesis: SummaryPoint[] }> {
  const t = TOPIC_DEFAULTS;
  const contextTokens = contextTokensSetting ?? LLM_DEFAULTS.contextTokens;
  // Every episode gets its best sources first; how many depends on the room there is.
  const budget = materialBudget(contextTokens, TOPIC_PROMPT);
  const perEpisode = Math.max(1, Math.min(t.sourcesPerEpisode, Math.floor(budget / (groups.length * 220))));
  const chosen = groups.flatMap((g) => [...g.sources].sort((a, b) => b.score - a.score).slice(0, perEpisode));
  const blocks: SourceBlock[] = [...chosen]
    .sort((a, b) => a.n - b.n)
    .map((s) => {
      const v = present(groups.find((g) => g.video.id === s.videoId), `the episode of source ${s.n}`).video;
      return { n: s.n, header: [`"${v.title}"`, v.publishedAt?.slice(0, 10), clockRange(s.startMs, s.endMs)].filter(Boolean).join(' · '), text: s.text };
    });
  const built = topicMessages(topic, blocks, contextTokens);
  const shown = new Set(built.included.map((b) => b.n));
  const citable = chosen.filter((s) => shown.has(s.n));
  const text = await llm.complete(built.messages, signal);
  const parsed = parseTopic(text);
  const points = new Map<string, SummaryPoint[]>();
  for (const raw of parsed.points) {
    const point = citeStatement(raw.replace(/^\[[^\]]*[^\]\d\s,;][^\]]*\]\s*[:—–-]?\s*/, ''), citable, log);
    if (!point) continue;
    const videoId = point.citations[0].videoId;
    points.set(videoId, [...(points.get(videoId) ?? []), point]);
  }
  const synthesis = parsed.synthesis.flatMap((p) => citeStatement(p, citable, log) ?? []);
  if (points.size === 0 && synthesis.length === 0) throw new Error('the model did not write usable key points or synthesis');
  return { points, synthesis };
}
