import type { VideoSummary } from '../../../../server/contract/api.ts';

/** True when every word of `filter` appears in the episode's title, channel, speakers, id or date. */
export function matchesFilter(v: VideoSummary, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [v.title, v.channel ?? '', v.speakers.join(' '), v.id, v.publishedAt ?? '', v.status].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}
