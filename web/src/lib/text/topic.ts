import type { TopicEpisode, TopicTimelineEntry } from '../../../../core/contract/api.ts';
import { formatTimestamp } from './time.ts';

/** Timeline entries oldest first, undated ones last, ties in the server's order. */
export function timelineOrder(entries: readonly TopicTimelineEntry[]): TopicTimelineEntry[] {
  const time = (e: TopicTimelineEntry) => {
    const t = e.publishedAt ? Date.parse(e.publishedAt) : Number.NaN;
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  return entries
    .map((e, i) => ({ e, i, t: time(e) }))
    .sort((a, b) => (a.t === b.t ? a.i - b.i : a.t < b.t ? -1 : 1))
    .map((x) => x.e);
}

/** `0.4` → `under a minute`, `18.2` → `18 minutes`, `75` → `1 h 15 min`. */
export function formatMinutes(minutes: number): string {
  if (minutes < 1) return 'under a minute';
  const m = Math.round(minutes);
  if (m < 60) return `${m}\u00a0minute${m === 1 ? '' : 's'}`;
  return `${Math.floor(m / 60)}\u00a0h\u00a0${String(m % 60).padStart(2, '0')}\u00a0min`;
}

/** `1 episode`, `3 episodes`. */
export const plural = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

/**
 * The moment line of a timeline card. The card quotes one key point (`entry.start` is that quote's
 * cue), which is often not where the episode first discusses the topic: say both when they differ,
 * so "first discussed" is never the time of a later quote.
 */
export function timelineMoment(entry: Pick<TopicTimelineEntry, 'start'>, episode?: Pick<TopicEpisode, 'spans'>): string {
  const first = episode?.spans.length ? Math.min(...episode.spans.map((s) => s.start)) : entry.start;
  if (Math.abs(first - entry.start) < 1 || first > entry.start) return `First discussed at ${formatTimestamp(entry.start)}`;
  return `First discussed at ${formatTimestamp(first)} · quoted at ${formatTimestamp(entry.start)}`;
}
