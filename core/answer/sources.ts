import type { Cue } from '../../indexer/domain.ts';
import { endsSentence, windowText } from '../../indexer/segment/windows.ts';
import type { Source } from '../contract/api.ts';
import { deepLink, thumbnailOf } from '../retrieval/links.ts';
import { mmr } from '../retrieval/mmr.ts';
import { mergeAdjacent, SPAN_DEFAULTS } from '../transcript/spans.ts';
import { rankSegments, type SearchDeps, type SearchParams } from '../retrieval/search.ts';
import { toSeconds } from '../../indexer/time.ts';
import type { SourceCues } from '../llm/citations.ts';
import { present } from '../../indexer/present.ts';

/** Retrieval for answers: a wider pool than search, diversified, then merged into sources. */
export const SOURCE_DEFAULTS = {
  /** Candidates ranked before MMR picks the windows to show the model. */
  candidatePool: 40,
  /** Windows of one episode closer than this are merged into one source with a time range. */
  mergeGapMs: SPAN_DEFAULTS.mergeGapMs,
  /** Cues a source may grow by at either end so that it starts and ends on a sentence boundary. */
  sentenceReach: 8,
  /** MMR's relevance weight (1 = pure relevance). */
  mmrLambda: 0.7,
} as const;

/**
 * Sources for an offline answer: the quotes are picked from the sources' sentences, so a wider
 * pool lets the gold moment in more often (tune half, 88 episodes: the gold window was among the
 * sources for .524 of answerable questions at k 8, .631 at k 16 with λ .85) and a more
 * relevance-led MMR keeps the extra slots on the best episodes.
 */
export const OFFLINE_SOURCES = {
  /** The requested k is multiplied by this (8 → 16). */
  kFactor: 2,
  /** Most windows an offline answer draws on (the API's own cap on k). */
  maxK: 20,
  mmrLambda: 0.85,
} as const;

/** The k and tuning of source gathering for an offline answer asked with `k`. Pure. */
export function offlineSourceParams(k: number, o: SourceTuning = SOURCE_DEFAULTS): { k: number; tuning: SourceTuning } {
  return { k: Math.min(OFFLINE_SOURCES.maxK, Math.max(k, Math.round(k * OFFLINE_SOURCES.kFactor))), tuning: { ...o, mmrLambda: OFFLINE_SOURCES.mmrLambda } };
}

/** The tunable numbers of source gathering (SOURCE_DEFAULTS, or a variant of it). */
export type SourceTuning = { -readonly [K in keyof typeof SOURCE_DEFAULTS]: number };

/**
 * The cues `first`..`last` (indices in the video) out of a wider range, grown back to the start
 * of the sentence the first cue is in and forward to the end of the last cue's sentence, so a
 * quote never starts or stops mid-sentence. Pure.
 */
export function wholeSentences(range: (Cue & { idx: number })[], first: number, last: number): Cue[] {
  let a = range.findIndex((c) => c.idx === first);
  let b = range.findIndex((c) => c.idx === last);
  if (a < 0 || b < 0) return range.filter((c) => c.idx >= first && c.idx <= last).map(({ idx: _idx, ...c }) => c);
  while (a > 0 && !endsSentence(range[a - 1].text)) a--;
  while (b < range.length - 1 && !endsSentence(range[b].text)) b++;
  return range.slice(a, b + 1).map(({ idx: _idx, ...c }) => c);
}

/** A numbered source with the cues inside it, as given to the model and the citation resolver. */
export interface AskSource extends SourceCues {
  channel: string | null;
  publishedAt: string | null;
  youtubeId: string | null;
  thumbnail: string | null;
  url: string | null;
  startMs: number;
  endMs: number;
  text: string;
  score: number;
  /**
   * The retrieved windows the source is made of, with their search scores: search places the
   * answer well inside an episode, so a sentence inside a strong window is a likelier answer.
   */
  windows: { startMs: number; endMs: number; score: number }[];
}

/** Finds, diversifies and numbers the sources for a question. */
export async function gatherSources(deps: SearchDeps, params: SearchParams, o: SourceTuning = SOURCE_DEFAULTS): Promise<AskSource[]> {
  const ranked = await rankSegments(deps, { ...params, k: Math.max(o.candidatePool, params.k * 3) });
  if (ranked.length === 0) return [];
  const vectors = deps.store.db.vectorsOfSegments(ranked.map((r) => r.id));
  const top = ranked[0].score || 1;
  const picked = mmr(
    ranked.map((r) => ({ ...r, relevance: r.score / top, vector: vectors.get(r.id) })),
    params.k,
    o.mmrLambda,
  );
  const merged = mergeAdjacent(
    picked.map((p) => ({ videoId: p.videoId, startMs: p.startMs, endMs: p.endMs, firstCue: p.segment.firstCue, lastCue: p.segment.lastCue, score: p.score })),
    o.mergeGapMs,
  );
  const videos = new Map(ranked.map((r) => [r.videoId, r.video]));
  return merged.map((m, i) => {
    const v = present(videos.get(m.videoId), `video ${m.videoId}`);
    const cues: Cue[] = wholeSentences(deps.store.db.cueRange(m.videoId, Math.max(0, m.firstCue - o.sentenceReach), m.lastCue + o.sentenceReach), m.firstCue, m.lastCue);
    return {
      n: i + 1,
      videoId: v.id,
      title: v.title,
      channel: v.channel ?? null,
      publishedAt: v.publishedAt ?? null,
      youtubeId: v.youtubeId ?? null,
      thumbnail: thumbnailOf(v),
      url: deepLink(v, cues[0]?.startMs ?? m.startMs),
      startMs: cues[0]?.startMs ?? m.startMs,
      endMs: cues.at(-1)?.endMs ?? m.endMs,
      text: windowText(cues, 0, cues.length - 1),
      score: m.score,
      windows: m.parts.map((p) => ({ startMs: p.startMs, endMs: p.endMs, score: p.score })),
      cues,
      link: (ms: number) => deepLink(v, ms),
    };
  });
}

/** The API shape of a source. */
export function toApiSource(s: AskSource): Source {
  return {
    n: s.n,
    videoId: s.videoId,
    title: s.title,
    channel: s.channel,
    publishedAt: s.publishedAt,
    youtubeId: s.youtubeId,
    thumbnail: s.thumbnail,
    start: toSeconds(s.startMs),
    end: toSeconds(s.endMs),
    text: s.text,
    url: s.url,
  };
}
