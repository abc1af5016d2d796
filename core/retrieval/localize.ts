/**
 * Localisation inside an episode: signals that move a hit from the right episode to the right
 * moment. Pure: scored candidates and texts in, adjusted scores out.
 */
import type { Scored } from './fuse.ts';

/**
 * Phrases of sponsor reads, introductions and sign-offs. A window holding several is a
 * boilerplate window: it names the guest and many topics, but answers nothing.
 */
const BOILERPLATE = [
  /\bsponsor(?:s|ed|ing)?\b/i,
  /\bbrought to you by\b/i,
  /\b(?:promo )?code\b.{0,40}\b(?:lex|podcast|talkpython|practicalai)/i,
  /\bcash ?app\b/i,
  /\bpatreon\b/i,
  /\bfive stars\b/i,
  /\bsubscribe (?:on|to)\b/i,
  /\bapple podcasts?\b/i,
  /\b(?:thank you|thanks) for (?:listening|joining|having me|coming|talking)\b/i,
  /\bleave you with\b/i,
  /\bthis is the (?:artificial intelligence|lex fridman) podcast\b/i,
  /\b(?:this|the following) is (?:a|my) conversation with\b/i,
  /\bfree trial\b|\bsign up\b|\bdiscount\b|\boff your first\b/i,
  /\bconnect with me on twitter\b|\bfollow (?:me|us) on\b/i,
];

/** How many distinct boilerplate phrases a text holds. */
export function boilerplateScore(text: string): number {
  return BOILERPLATE.filter((re) => re.test(text)).length;
}

/** A window is boilerplate when it holds at least this many distinct phrases. */
export const BOILERPLATE_MIN_PHRASES = 2;

/**
 * Multiplies the score of boilerplate windows by (1 - demotion) and re-sorts. `textOf` gives a
 * candidate's text.
 */
export function demoteBoilerplate<T extends Scored>(scored: T[], textOf: (id: number) => string, demotion: number): T[] {
  if (demotion <= 0) return scored;
  return scored
    .map((s) => (boilerplateScore(textOf(s.id)) >= BOILERPLATE_MIN_PHRASES ? { ...s, score: s.score * (1 - demotion) } : s))
    .sort((a, b) => b.score - a.score || a.id - b.id);
}

/**
 * Neighbour smoothing: a window also earns `weight` × the better score of the windows just
 * before and after it in the same episode (segment ids of one episode are consecutive), so an
 * answer said right after the topic is named still ranks. Scores are the fused ones, before.
 */
export function smoothNeighbours<T extends Scored>(scored: T[], weight: number): T[] {
  if (weight <= 0) return scored;
  const byId = new Map(scored.map((s) => [s.id, s]));
  const near = (s: T, id: number) => {
    const n = byId.get(id);
    return n && n.videoId === s.videoId ? n.score : 0;
  };
  return scored
    .map((s) => ({ ...s, score: s.score + weight * Math.max(near(s, s.id - 1), near(s, s.id + 1)) }))
    .sort((a, b) => b.score - a.score || a.id - b.id);
}

/** Ids of the windows just before and after each id (some may not exist or be in another episode). */
export function withNeighbours(ids: number[]): number[] {
  return [...new Set(ids.flatMap((id) => [id - 1, id, id + 1]))].filter((id) => id > 0);
}

/**
 * Pseudo-relevance feedback for the dense leg (Rocchio): the query vector moved towards the
 * mean of the top hits' vectors, re-normalised to unit length.
 */
export function feedbackVector(query: Float32Array, top: Float32Array[], weight: number): Float32Array {
  if (weight <= 0 || top.length === 0) return query;
  const out = new Float32Array(query.length);
  for (let i = 0; i < query.length; i++) {
    let mean = 0;
    for (const v of top) mean += v[i];
    out[i] = query[i] + (weight * mean) / top.length;
  }
  let norm = 0;
  for (let i = 0; i < out.length; i++) norm += out[i] * out[i];
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}

/**
 * Episode-level evidence: an episode whose several windows match the question is more likely
 * the one it is about than an episode with one lucky window. Each window earns `weight` × the
 * mean of its episode's `top` best scores (counting 0 for missing windows), so a lone match
 * gains less. `by` picks the score the evidence is read from: the fused score or the dense
 * leg's (which reads topic, not words). Within one episode every window gains the same, so
 * only the ranking across episodes changes.
 */
export function addEpisodeEvidence<T extends Scored>(scored: T[], weight: number, top: number, by: 'score' | 'denseScore' = 'score'): T[] {
  if (weight <= 0 || top <= 0) return scored;
  const perEpisode = new Map<string, number[]>();
  for (const s of scored) (perEpisode.get(s.videoId) ?? perEpisode.set(s.videoId, []).get(s.videoId)!).push(s[by]);
  const evidence = new Map(
    [...perEpisode].map(([id, values]) => {
      const best = values.sort((a, b) => b - a).slice(0, top);
      return [id, best.reduce((a, b) => a + b, 0) / top];
    }),
  );
  return scored
    .map((s) => ({ ...s, score: s.score + weight * evidence.get(s.videoId)! }))
    .sort((a, b) => b.score - a.score || a.id - b.id);
}
