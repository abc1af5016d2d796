/**
 * Episode summaries: TL;DR, key insights, listener questions with answers, and takeaways, every
 * statement cited to a real moment. With a model, long episodes are summarised part by part
 * (map) and the notes merged (reduce), sources numbered once for the whole episode so the
 * reduce step's citations still name real cues. Without a model, the summary is extractive.
 */
import { conflict, notFound } from '../errors.ts';
import type { VideoRow } from '../../indexer/store/db.ts';
import type { Store } from '../../indexer/store/store.ts';
import type { SummaryCache, SummaryKey } from '../../indexer/store/summaries.ts';
import { toSeconds } from '../../indexer/time.ts';
import { EpisodeSummary, type AnswerMode, type SummaryPoint, type SummaryQa } from '../contract/api.ts';
import { resolveCitations } from '../llm/citations.ts';
import type { Llm } from '../llm/client.ts';
import { LLM_DEFAULTS } from '../llm/messages.ts';
import { deepLink } from '../retrieval/links.ts';
import type { SearchDeps } from '../retrieval/search.ts';
import { citeStatement, CiteLog } from './cite.ts';
import { extractiveSummary } from './extractive.ts';
import { blocksCost, clockRange, episodeSources, partOf, PART_DEFAULTS, splitParts, type EpisodeSource, type Part, type SourceBlock } from './parts.ts';
import { materialBudget, parseSummary, partMessages, reduceMessages, singleMessages, SINGLE_PROMPT, SUMMARY_PROMPT_VERSION, type EpisodeInfo } from './prompt.ts';

/** Bump when the extractive selection changes, so cached extractive summaries are redone. */
export const EXTRACTIVE_SUMMARY_VERSION = 'extractive-2';

export interface SummaryDeps extends SearchDeps {
  llm?: Llm;
  contextTokens?: number;
  /** Where summaries are cached; by default a table in the index's own SQLite file. */
  cache?: SummaryCache;
}

export interface SummaryOptions {
  /** Regenerate even when a cached summary exists. */
  refresh?: boolean;
  /** Length of one map-step part (tests use a small one to get several parts). */
  partMs?: number;
  signal?: AbortSignal;
  /** Progress of a model summary: one step per part, then the reduce step. */
  onProgress?: (done: number, total: number) => void;
}

/** The video; `not_found` for an unknown id, `conflict` when it has no indexed transcript. */
export function indexedVideo(store: Store, videoId: string): VideoRow {
  const video = store.db.getVideo(videoId);
  if (!video) throw notFound(`video "${videoId}"`);
  if (video.status !== 'indexed' || video.segmentCount === 0) throw conflict(`video "${videoId}" has no indexed transcript (status: ${video.status})`);
  return video;
}

/** The cache key: transcript hash, model (or extractive + embedder) and prompt version with the settings that shape it. */
export function summaryKey(deps: SummaryDeps, video: VideoRow, partMs: number): SummaryKey {
  return deps.llm
    ? { videoId: video.id, contentHash: video.contentHash ?? '', model: deps.llm.model, promptVersion: `${SUMMARY_PROMPT_VERSION}/part${minutesOf(partMs)}m/ctx${contextOf(deps)}` }
    : { videoId: video.id, contentHash: video.contentHash ?? '', model: `extractive:${deps.embedder.id}`, promptVersion: extractiveVersion(partMs) };
}

const minutesOf = (ms: number) => Math.round(ms / 60_000);
const extractiveVersion = (partMs: number) => `${EXTRACTIVE_SUMMARY_VERSION}/part${minutesOf(partMs)}m`;

const contextOf = (deps: SummaryDeps) => deps.contextTokens ?? LLM_DEFAULTS.contextTokens;

/**
 * The summary of one indexed video: from the cache when it is there (and `refresh` is not set),
 * else generated and cached. A model failure falls back to the extractive summary (not cached,
 * so the next request tries the model again).
 */
export async function summarizeEpisode(deps: SummaryDeps, videoId: string, options: SummaryOptions = {}): Promise<EpisodeSummary> {
  const video = indexedVideo(deps.store, videoId);
  const partMs = options.partMs ?? PART_DEFAULTS.partMs;
  const cache = deps.cache ?? deps.store.summaries;
  const key = summaryKey(deps, video, partMs);
  if (!options.refresh) {
    const hit = EpisodeSummary.safeParse(cache.get(key));
    if (hit.success) return { ...hit.data, cached: true };
  }

  const cues = deps.store.db.cues(video.id);
  const windows = deps.store.db.segmentsOf(video.id);
  const durationMs = video.durationMs ?? cues.at(-1)?.endMs ?? 0;
  const sources = episodeSources(video, cues, windows, (ms) => deepLink(video, ms));
  const parts = splitParts(durationMs, video.chapters, partMs);
  const info: EpisodeInfo = { title: video.title, channel: video.channel ?? null, publishedAt: video.publishedAt ?? null, durationMs };
  const signal = options.signal ?? new AbortController().signal;

  let body: Pick<EpisodeSummary, 'tldr' | 'insights' | 'questions' | 'takeaways' | 'notice' | 'invalid'> | undefined;
  let mode: AnswerMode = 'extractive';
  let notice: string | null = 'No language model is configured: this summary is quoted from the transcript.';
  if (deps.llm) {
    try {
      body = await modelSummary(deps.llm, info, sources, parts, contextOf(deps), signal, options.onProgress);
      mode = 'llm';
    } catch (err) {
      if (signal.aborted) throw err;
      notice = `The language model failed (${(err as Error).message}); this summary is quoted from the transcript instead.`;
    }
  }
  if (!body) {
    // Each window's vector, matched to its source by first cue (sources are windows minus overlap).
    const vectorsById = deps.store.db.vectorsOfSegments(windows.map((w) => w.id));
    const byFirstCue = new Map(windows.map((w) => [w.firstCue, vectorsById.get(w.id)]));
    const extract = await extractiveSummary(deps.embedder, { cues, sources, vectors: sources.map((s) => byFirstCue.get(s.firstCue)), durationMs, parts: parts.length, title: video.title });
    body = { ...extract, notice, invalid: [] };
  }

  const summary: EpisodeSummary = {
    videoId: video.id,
    title: video.title,
    channel: video.channel ?? null,
    publishedAt: video.publishedAt ?? null,
    url: deepLink(video, 0),
    duration: toSeconds(durationMs),
    mode,
    model: mode === 'llm' ? (deps.llm?.model ?? null) : null,
    promptVersion: mode === 'llm' ? key.promptVersion : extractiveVersion(partMs),
    generatedAt: new Date().toISOString(),
    cached: false,
    ...body,
    parts: parts.map((p) => ({ start: toSeconds(p.startMs), end: toSeconds(p.endMs), title: p.title })),
  };
  // A fallback is not what this key promises (the model's summary): leave the cache alone.
  if (mode === 'llm' || !deps.llm) cache.put(key, summary);
  return summary;
}

const blockOf = (s: EpisodeSource): SourceBlock => ({ n: s.n, header: clockRange(s.startMs, s.endMs), text: s.text });

/**
 * The model's summary: one call when every source fits the context, else one call per part and
 * a reduce call over the parts' notes. Throws when the model fails or its text is unusable.
 */
async function modelSummary(
  llm: Llm,
  info: EpisodeInfo,
  sources: EpisodeSource[],
  parts: Part[],
  contextTokens: number,
  signal: AbortSignal,
  onProgress: SummaryOptions['onProgress'],
): Promise<Pick<EpisodeSummary, 'tldr' | 'insights' | 'questions' | 'takeaways' | 'notice' | 'invalid'>> {
  const log = new CiteLog();
  const blocks = sources.map(blockOf);
  const shown = new Set<number>();
  let text: string;
  // One call when the whole episode fits (the 100 tokens cover the episode line of the prompt).
  if (parts.length === 1 || blocksCost(blocks) <= materialBudget(contextTokens, SINGLE_PROMPT) - 100) {
    const built = singleMessages(info, blocks, contextTokens);
    for (const b of built.included) shown.add(b.n);
    onProgress?.(0, 1);
    text = await llm.complete(built.messages, signal);
    onProgress?.(1, 1);
  } else {
    const notes: { part: Part; text: string }[] = [];
    for (const part of parts) {
      onProgress?.(part.index, parts.length + 1);
      const own = sources.filter((s) => partOf(parts, s.startMs) === part.index);
      if (own.length === 0) continue;
      const built = partMessages(info, part, parts.length, own.map(blockOf), contextTokens);
      const included = new Set(built.included.map((b) => b.n));
      for (const n of included) shown.add(n);
      const raw = await llm.complete(built.messages, signal);
      // Notes may only cite what the part showed; anything else is removed before the reduce step.
      const cleaned = resolveCitations(raw, own.filter((s) => included.has(s.n)));
      for (const n of cleaned.invalid) log.invalid.add(n);
      if (cleaned.text.trim()) notes.push({ part, text: cleaned.text.trim() });
    }
    if (notes.length === 0) throw new Error('the model returned no notes');
    onProgress?.(parts.length, parts.length + 1);
    text = await llm.complete(reduceMessages(info, notes, contextTokens), signal);
    onProgress?.(parts.length + 1, parts.length + 1);
  }

  const parsed = parseSummary(text);
  const citable = sources.filter((s) => shown.has(s.n));
  const cite = (t: string) => citeStatement(t, citable, log);
  const tldr = parsed.tldr ? cite(parsed.tldr) : null;
  const insights = parsed.insights.flatMap((t) => cite(t) ?? []);
  const questions: SummaryQa[] = parsed.questions.flatMap((qa) => {
    const answer = cite(qa.answer);
    return answer ? [{ question: qa.question, answer: answer.text, citations: answer.citations }] : [];
  });
  const takeaways: SummaryPoint[] = parsed.takeaways.flatMap((t) => cite(t) ?? []);
  if (!tldr || insights.length === 0) throw new Error('the model did not write a usable summary (no cited TL;DR or key insights)');
  return { tldr, insights, questions, takeaways, notice: log.notice(), invalid: [...log.invalid].sort((a, b) => a - b) };
}
