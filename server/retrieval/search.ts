import type { Embedder } from '../../indexer/embed/embedder.ts';
import type { SearchFilter } from '../../indexer/store/db.ts';
import type { Store } from '../../indexer/store/store.ts';
import { toSeconds } from '../../indexer/time.ts';
import type { Hit } from '../contract/api.ts';
import { denseCandidates, dot } from './dense.ts';
import { adaptiveKeywordWeight, collapseOverlaps, fuse, type Candidate } from './fuse.ts';
import { buildKeywordQuery, hasWord, splitEpisodeTerms, termCoverage, tokenize, withTerms } from './keyword.ts';
import { deepLink, thumbnailOf } from './links.ts';

/** Candidate pools per leg: wide enough that fusion can reorder, small enough to stay ~10 ms. */
export const SEARCH_DEFAULTS = {
  keywordPool: 100,
  densePool: 100,
  /** A number fixes the keyword weight; 'adaptive' sets it per query (see adaptiveKeywordWeight). */
  keywordWeight: 'adaptive' as number | 'adaptive',
  mode: 'hybrid' as 'hybrid' | 'keyword' | 'dense',
  /** Treat query words found in episode titles/guests as episode selectors (see splitEpisodeTerms). */
  episodeTerms: true,
  /** Added to the fused score (0..1) of a hit whose episode matches all episode-level terms. */
  episodeBoost: 0.15,
};

export type SearchTuning = typeof SEARCH_DEFAULTS;

export interface SearchParams {
  q: string;
  k: number;
  video?: string;
  channel?: string;
  from?: string;
  to?: string;
}

export interface SearchDeps {
  store: Store;
  embedder: Embedder;
}

/** Fused and collapsed candidates before they are turned into hits. */
export async function rankSegments(deps: SearchDeps, params: SearchParams, tuning: Partial<SearchTuning> = {}) {
  const t = { ...SEARCH_DEFAULTS, ...tuning };
  const { store, embedder } = deps;
  store.sync();
  const filter: SearchFilter = {
    videoIds: params.video ? [params.video] : undefined,
    channel: params.channel,
    from: params.from,
    to: params.to,
  };
  const filtered = Boolean(params.video || params.channel || params.from || params.to);
  const full = buildKeywordQuery(params.q);
  const split = t.episodeTerms ? splitEpisodeTerms(full.terms, store.titleVocabulary()) : { episode: [], passage: full.terms };
  // Only when something is left for the passage; otherwise the title words are all we have.
  const useSplit = split.episode.length > 0 && split.passage.length > 0;
  const kq = useSplit ? withTerms(full, split.passage) : full;
  const pool = Math.max(params.k * 3, t.keywordPool);

  const keyword = t.mode !== 'dense' && kq.match ? store.db.keywordSearch(kq.match, filtered ? filter : undefined, pool) : [];
  let dense: { id: number; similarity: number }[] = [];
  let queryVec: Float32Array | undefined;
  if (t.mode !== 'keyword' && store.vectors()) {
    [queryVec] = await embedder.embed([params.q]);
    const allowed = filtered ? store.db.segmentIdsMatching(filter) : undefined;
    dense = denseCandidates(store, queryVec, Math.max(params.k * 3, t.densePool), allowed);
  }

  // Complete both scores for the union so fusion compares like with like.
  const ids = [...new Set([...keyword.map((r) => r.id), ...dense.map((r) => r.id)])];
  const bm25 = new Map(keyword.map((r) => [r.id, r.bm25]));
  if (t.mode === 'hybrid' && kq.match) {
    const missing = ids.filter((id) => !bm25.has(id));
    for (const [id, s] of store.db.keywordScores(kq.match, missing)) bm25.set(id, s);
  }
  const sim = new Map(dense.map((r) => [r.id, r.similarity]));
  if (t.mode === 'hybrid' && queryVec) {
    const missing = ids.filter((id) => !sim.has(id));
    for (const [id, v] of store.db.vectorsOfSegments(missing)) sim.set(id, dot(queryVec, v));
  }
  // Quoted phrases are a hard constraint: a hit must contain them, whatever the dense leg says.
  const segments = store.db.segmentsByIds(kq.phrases.length ? ids.filter((id) => bm25.has(id)) : ids);
  const candidates: Candidate[] = segments.map((s) => ({
    id: s.id,
    videoId: s.videoId,
    startMs: s.startMs,
    endMs: s.endMs,
    bm25: bm25.get(s.id),
    similarity: sim.get(s.id),
  }));
  const byId = new Map(segments.map((s) => [s.id, s]));
  const best = keyword.length ? byId.get(keyword[0].id) : undefined;
  const weight = t.keywordWeight === 'adaptive' ? adaptiveKeywordWeight(best ? termCoverage(kq.terms, best.text) : 0) : t.keywordWeight;
  let fused = fuse(candidates, weight);
  const boost = useSplit && t.episodeBoost > 0;
  // One batched load of videos serves the boost and the callers: every candidate's when the
  // boost needs them, else only the ranked hits'.
  let videos = boost ? store.db.videosByIds([...new Set(candidates.map((c) => c.videoId))]) : undefined;
  if (boost) {
    const share = new Map([...videos!].map(([id, v]) => [id, episodeTermShare(split.episode, v)]));
    fused = fused
      .map((h) => ({ ...h, score: h.score + t.episodeBoost * (share.get(h.videoId) ?? 0) }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
  }
  const ranked = collapseOverlaps(fused, params.k);
  videos ??= store.db.videosByIds([...new Set(ranked.map((r) => r.videoId))]);
  return ranked.map((r) => ({ ...r, segment: byId.get(r.id)!, video: videos.get(r.videoId)! }));
}

/** Hybrid search: returns hits in the API shape. */
export async function search(deps: SearchDeps, params: SearchParams, tuning: Partial<SearchTuning> = {}): Promise<Hit[]> {
  const ranked = await rankSegments(deps, params, tuning);
  return ranked.map((r) => {
    const v = r.video;
    const chapter = v.chapters?.filter((c) => c.startMs <= r.startMs).at(-1);
    return {
      videoId: v.id,
      title: v.title,
      channel: v.channel ?? null,
      publishedAt: v.publishedAt ?? null,
      start: toSeconds(r.startMs),
      end: toSeconds(r.endMs),
      text: r.segment.text,
      score: Math.round(r.score * 10000) / 10000,
      url: deepLink(v, r.startMs),
      chapter: chapter?.title ?? null,
      speakers: r.segment.speakers,
      segmentId: r.id,
      youtubeId: v.youtubeId ?? null,
      thumbnail: thumbnailOf(v),
    };
  });
}

/** Share of the episode-level terms found in a video's title, guests or channel. */
function episodeTermShare(terms: string[], v: { title: string; speakers?: string[]; channel?: string }): number {
  const words = new Set(tokenize(`${v.title} ${(v.speakers ?? []).join(' ')} ${v.channel ?? ''}`));
  return terms.length ? terms.filter((t) => hasWord(words, t)).length / terms.length : 0;
}
