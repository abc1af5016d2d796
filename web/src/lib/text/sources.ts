import type { Citation, Hit, Source } from '../../../../core/contract/api.ts';
import { pointCitation } from './citations.ts';

/** A search hit shown the way an answer's source is (the fallback when the server cannot answer). */
export function hitToSource(hit: Hit, index: number): Source {
  return {
    n: index + 1,
    videoId: hit.videoId,
    title: hit.title,
    channel: hit.channel,
    publishedAt: hit.publishedAt,
    youtubeId: hit.youtubeId,
    thumbnail: hit.thumbnail,
    start: hit.start,
    end: hit.end,
    text: hit.text,
    url: hit.url,
  };
}

/** Sources of one episode, in the order the episode first appears. */
export interface EpisodeGroup {
  videoId: string;
  first: Source;
  sources: Source[];
}

/** Groups sources by episode, keeping rank order between episodes and time order inside one. */
export function groupByEpisode(sources: readonly Source[]): EpisodeGroup[] {
  const groups = new Map<string, EpisodeGroup>();
  for (const s of sources) {
    const g = groups.get(s.videoId);
    if (g) g.sources.push(s);
    else groups.set(s.videoId, { videoId: s.videoId, first: s, sources: [s] });
  }
  for (const g of groups.values()) g.sources.sort((a, b) => a.start - b.start);
  return [...groups.values()];
}

/**
 * Where chip `marker` (citing source `n`) leads: the server's citation for that marker, else its
 * first citation of `n` (the streamed text can still hold markers the server later drops), else
 * source `n` itself (before citations arrive). Null when nothing matches.
 */
export function citationTarget(n: number, marker: number, citations: readonly Citation[], sources: readonly Source[]) {
  const c = pointCitation(n, marker, citations);
  if (c) return { videoId: c.videoId, title: c.title, start: c.start, quote: c.quote };
  const s = sources.find((x) => x.n === n);
  return s ? { videoId: s.videoId, title: s.title, start: s.start, quote: s.text } : null;
}
