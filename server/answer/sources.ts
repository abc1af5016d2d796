import type { Cue } from '../../indexer/domain.ts';
import { windowText } from '../../indexer/segment/windows.ts';
import type { Source } from '../contract/api.ts';
import { deepLink, thumbnailOf } from '../retrieval/links.ts';
import { mmr } from '../retrieval/mmr.ts';
import { rankSegments, type SearchDeps, type SearchParams } from '../retrieval/search.ts';
import { toSeconds } from '../../indexer/time.ts';
import type { SourceCues } from './citations.ts';

/** Retrieval for answers: a wider pool than search, diversified, then merged into sources. */
export const SOURCE_DEFAULTS = {
  /** Candidates ranked before MMR picks the windows to show the model. */
  candidatePool: 40,
  /** Windows of one episode closer than this are merged into one source with a time range. */
  mergeGapMs: 15_000,
} as const;

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
}

interface Picked {
  videoId: string;
  startMs: number;
  endMs: number;
  firstCue: number;
  lastCue: number;
  score: number;
}

/** Merges windows of the same video that overlap or nearly touch. Pure. */
export function mergeAdjacent(windows: Picked[], gapMs: number = SOURCE_DEFAULTS.mergeGapMs): Picked[] {
  const sorted = [...windows].sort((a, b) => a.videoId.localeCompare(b.videoId) || a.startMs - b.startMs);
  const out: Picked[] = [];
  for (const w of sorted) {
    const last = out.at(-1);
    if (last && last.videoId === w.videoId && w.startMs - last.endMs <= gapMs) {
      last.endMs = Math.max(last.endMs, w.endMs);
      last.lastCue = Math.max(last.lastCue, w.lastCue);
      last.firstCue = Math.min(last.firstCue, w.firstCue);
      last.score = Math.max(last.score, w.score);
    } else out.push({ ...w });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Finds, diversifies and numbers the sources for a question. */
export async function gatherSources(deps: SearchDeps, params: SearchParams): Promise<AskSource[]> {
  const ranked = await rankSegments(deps, { ...params, k: Math.max(SOURCE_DEFAULTS.candidatePool, params.k * 3) });
  if (ranked.length === 0) return [];
  const vectors = deps.store.db.vectorsOfSegments(ranked.map((r) => r.id));
  const top = ranked[0].score || 1;
  const picked = mmr(
    ranked.map((r) => ({ ...r, relevance: r.score / top, vector: vectors.get(r.id) })),
    params.k,
  );
  const merged = mergeAdjacent(
    picked.map((p) => ({ videoId: p.videoId, startMs: p.startMs, endMs: p.endMs, firstCue: p.segment.firstCue, lastCue: p.segment.lastCue, score: p.score })),
  );
  const videos = new Map(ranked.map((r) => [r.videoId, r.video]));
  return merged.map((m, i) => {
    const v = videos.get(m.videoId)!;
    const cues: Cue[] = deps.store.db.cueRange(m.videoId, m.firstCue, m.lastCue).map(({ idx: _idx, ...c }) => c);
    return {
      n: i + 1,
      videoId: v.id,
      title: v.title,
      channel: v.channel ?? null,
      publishedAt: v.publishedAt ?? null,
      youtubeId: v.youtubeId ?? null,
      thumbnail: thumbnailOf(v),
      url: deepLink(v, m.startMs),
      startMs: m.startMs,
      endMs: m.endMs,
      text: windowText(cues, 0, cues.length - 1),
      score: m.score,
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
