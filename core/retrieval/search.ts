import type { Embedder } from '../../indexer/embed/embedder.ts';
import type { SearchFilter } from '../../indexer/store/db.ts';
import type { Store } from '../../indexer/store/store.ts';
import { toSeconds } from '../../indexer/time.ts';
import type { Filters, Hit } from '../contract/api.ts';
import { candidateScores } from './bm25.ts';
import { denseCandidates, dot } from './dense.ts';
import { adaptiveKeywordWeight, collapseOverlaps, fuse, FUSION_DEFAULTS, type Candidate } from './fuse.ts';
import { addEpisodeEvidence, demoteBoilerplate, feedbackVector, smoothNeighbours, withNeighbours } from './localize.ts';
import { buildKeywordQuery, episodesNamed, hasWord, FUZZY, spellingVariants, splitEpisodeTerms, termCoverage, tokenize, withTerms, withVariants } from './keyword.ts';
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
  /**
   * Windows of the episodes the query names (see episodesNamed) added to the dense candidates, so
   * a named episode competes even when a big library's 100 nearest windows all lie elsewhere
   * (0 = off). At most `namedEpisodesMax` episodes.
   */
  namedEpisodeWindows: 30,
  namedEpisodesMax: 5,
  /** When every query word is an episode word, boost the episodes named (else plain keyword match). */
  boostWhenAllNamed: true,
  /** A window also earns this share of its better neighbour's score (see smoothNeighbours). */
  neighbourWeight: 0,
  /** Score multiplier cut for sponsor reads, introductions and sign-offs (see demoteBoilerplate). */
  boilerplateDemotion: 0,
  /** Pseudo-relevance feedback: weight of the top hits' mean vector added to the query (0 = off). */
  feedbackWeight: 0,
  /** How many top hits feed the feedback vector. */
  feedbackDocs: 3,
  /** Adaptive keyword weight = base + slope × coverage (see adaptiveKeywordWeight). */
  adaptiveBase: FUSION_DEFAULTS.adaptiveBase as number,
  adaptiveSlope: FUSION_DEFAULTS.adaptiveSlope as number,
  /** Which passages the adaptive weight reads the query's lexical coverage from. */
  coverageFrom: 'keyword' as 'keyword' | 'both',
  /**
   * Episode-level evidence: weight of the episode's top windows' mean score added to each window
   * (0 = off). 0.3 on the fused score: tune-half MRR@10 across .366 -> .382, QMSum val across .395 -> .398.
   */
  episodeEvidence: 0.3,
  /** How many of an episode's best windows make its evidence. */
  episodeEvidenceTop: 3,
  /** Which score the evidence reads: the fused one or the dense leg's. */
  episodeEvidenceBy: 'score' as 'score' | 'denseScore',
  /** Rare query words also match their likely misspellings in the index (see spellingVariants). */
  spellingVariants: false,
};

export type SearchTuning = typeof SEARCH_DEFAULTS;

/** A question, how many hits, and the contract's filters (one shape for search, answers and topics). */
export interface SearchParams extends Filters {
  q: string;
  k: number;
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
  const titleIndex = store.titleVocabulary();
  const split = t.episodeTerms ? splitEpisodeTerms(full.terms, titleIndex) : { episode: [], passage: full.terms };
  // Only when something is left for the passage; otherwise the title words are all we have.
  const useSplit = split.episode.length > 0 && split.passage.length > 0;
  const terms = useSplit ? withTerms(full, split.passage) : full;
  // Misheard names: rare words also match their near spellings (only when the query has terms to OR).
  const kq = t.spellingVariants && t.mode !== 'dense' && terms.terms.length ? withVariants(terms, variantsOf(params.q, terms.terms, store)) : terms;
  const pool = Math.max(params.k * 3, t.keywordPool);

  const keyword = t.mode !== 'dense' && kq.match ? store.db.keywordSearch(kq.match, filtered ? filter : undefined, pool) : [];
  let dense: { id: number; similarity: number }[] = [];
  let queryVec: Float32Array | undefined;
  if (t.mode !== 'keyword' && store.vectors()) {
    [queryVec] = await embedder.embed([params.q]);
    const allowed = filtered ? store.db.segmentIdsMatching(filter) : undefined;
    dense = denseCandidates(store, queryVec, Math.max(params.k * 3, t.densePool), allowed);
    const named = t.namedEpisodeWindows > 0 && !params.video ? episodesNamed(split.episode, titleIndex, t.namedEpisodesMax) : [];
    if (named.length) {
      const within = store.db.segmentIdsMatching({ ...filter, videoIds: named });
      const seen = new Set(dense.map((r) => r.id));
      for (const r of denseCandidates(store, queryVec, t.namedEpisodeWindows, within)) if (!seen.has(r.id)) dense.push(r);
    }
  }

  // Complete both scores for the union so fusion compares like with like.
  const union = [...new Set([...keyword.map((r) => r.id), ...dense.map((r) => r.id)])];
  // Smoothing needs the neighbours' scores too; they are candidates in their own right.
  const ids = t.neighbourWeight > 0 && t.mode === 'hybrid' ? withNeighbours(union) : union;
  const bm25 = new Map(keyword.map((r) => [r.id, r.bm25]));
  const loaded = store.db.segmentsByIds(ids);
  if (t.mode === 'hybrid' && kq.match) {
    for (const [id, s] of candidateScores(store, kq, loaded.filter((r) => !bm25.has(r.id)))) bm25.set(id, s);
  }
  const sim = new Map(dense.map((r) => [r.id, r.similarity]));
  if (t.mode === 'hybrid' && queryVec) {
    const missing = ids.filter((id) => !sim.has(id));
    for (const [id, v] of store.db.vectorsOfSegments(missing)) sim.set(id, dot(queryVec, v));
  }
  // Quoted phrases are a hard constraint: a hit must contain them, whatever the dense leg says.
  const rows = kq.phrases.length ? loaded.filter((r) => bm25.has(r.id)) : loaded;
  // A neighbour counts only inside an episode a leg found, so filters (per video) still hold.
  const found = new Set(union);
  const episodes = new Set(rows.filter((s) => found.has(s.id)).map((s) => s.videoId));
  const segments = ids === union ? rows : rows.filter((s) => episodes.has(s.videoId));
  if (t.feedbackWeight > 0 && queryVec && t.mode !== 'keyword') {
    // Dense scores from the query moved towards the best first-pass hits (pseudo-relevance feedback).
    const first = fuse(
      segments.map((s) => ({ id: s.id, videoId: s.videoId, startMs: s.startMs, endMs: s.endMs, bm25: bm25.get(s.id), similarity: sim.get(s.id) })),
      t.keywordWeight === 'adaptive' ? FUSION_DEFAULTS.keywordWeight : t.keywordWeight,
    );
    const top = collapseOverlaps(first, t.feedbackDocs).map((h) => h.id);
    const vectors = store.db.vectorsOfSegments(segments.map((s) => s.id));
    const moved = feedbackVector(queryVec, top.flatMap((id) => (vectors.has(id) ? [vectors.get(id)!] : [])), t.feedbackWeight);
    for (const [id, v] of vectors) sim.set(id, dot(moved, v));
  }
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
  const bestDense = dense.length ? byId.get(dense[0].id) : undefined;
  const coverage = (seg: typeof best) => (seg ? termCoverage(kq.terms, seg.text) : 0);
  // How lexical the query is: measured on the best keyword passage, or (coverageFrom 'both') the
  // lower of that and the best dense passage, so a paraphrase whose words occur somewhere else
  // in the collection still leans on the encoder.
  const lexical = t.coverageFrom === 'both' && bestDense ? Math.min(coverage(best), coverage(bestDense)) : coverage(best);
  const weight = t.keywordWeight === 'adaptive' ? adaptiveKeywordWeight(lexical, t.adaptiveBase, t.adaptiveSlope) : t.keywordWeight;
  let fused = fuse(candidates, weight);
  fused = smoothNeighbours(fused, t.neighbourWeight);
  fused = demoteBoilerplate(fused, (id) => byId.get(id)!.text, t.boilerplateDemotion);
  fused = addEpisodeEvidence(fused, t.episodeEvidence, t.episodeEvidenceTop, t.episodeEvidenceBy);
  const boost = (useSplit || (t.boostWhenAllNamed && split.episode.length > 0)) && t.episodeBoost > 0;
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

/**
 * Spelling variants of the query words that look like rare names (written with a capital letter,
 * in few segments) or that the index does not hold at all: other words are left alone, since a
 * correct word expanded into its rare neighbours only adds noise.
 */
function variantsOf(q: string, terms: string[], store: Store): string[] {
  const vocabulary = store.passageVocabulary();
  const capitalised = new Set((q.match(/\p{Lu}[\p{L}\p{N}]*/gu) ?? []).map((w) => w.toLowerCase()));
  return terms
    .filter((w) => w.length >= FUZZY.minLength)
    .filter((w) => {
      const docs = store.db.documentCount(w, FUZZY.maxDocs + 1);
      return docs === 0 || (capitalised.has(w) && docs <= FUZZY.maxDocs);
    })
    .flatMap((w) => spellingVariants(w, vocabulary));
}

/** Share of the episode-level terms found in a video's title, guests or channel. */
function episodeTermShare(terms: string[], v: { title: string; speakers?: string[]; channel?: string }): number {
  const words = new Set(tokenize(`${v.title} ${(v.speakers ?? []).join(' ')} ${v.channel ?? ''}`));
  return terms.length ? terms.filter((t) => hasWord(words, t)).length / terms.length : 0;
}
