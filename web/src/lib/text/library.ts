import type { VideoSummary } from '../../../../core/contract/api.ts';
import type { LibrarySort } from '../route.ts';
import { formatDate, formatDuration } from './time.ts';

/** True when every word of `filter` appears in the episode's title, channel, speakers, id or date. */
export function matchesFilter(v: VideoSummary, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [v.title, v.channel ?? '', v.speakers.join(' '), v.id, v.publishedAt ?? '', v.status].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Indexed episodes first, then the ones still waiting, then the ones that could not be added. */
const STATUS_RANK: Partial<Record<VideoSummary['status'], number>> = { indexed: 0, no_captions: 2, no_transcript: 2, live_upcoming: 2, unavailable: 3, private: 3, age_restricted: 3, blocked: 4, error: 4 };

/** The episodes in the chosen order: newest first, A–Z, longest first, or by status (ties: title). */
export function sortVideos(videos: readonly VideoSummary[], by: LibrarySort): VideoSummary[] {
  const title = (a: VideoSummary, b: VideoSummary) => collator.compare(a.title, b.title);
  const cmp: Record<LibrarySort, (a: VideoSummary, b: VideoSummary) => number> = {
    date: (a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || title(a, b),
    title,
    duration: (a, b) => (b.duration ?? -1) - (a.duration ?? -1) || title(a, b),
    status: (a, b) => (STATUS_RANK[a.status] ?? 1) - (STATUS_RANK[b.status] ?? 1) || title(a, b),
  };
  return [...videos].sort(cmp[by]);
}

/** True for a video that was asked for but holds nothing to search (a failed or refused add). */
export const isFailedAdd = (v: VideoSummary): boolean => v.status !== 'indexed' && v.segments === 0;

export interface VideoGroup {
  /** The show, or null for episodes without one. */
  channel: string | null;
  videos: VideoSummary[];
}

/** Episodes grouped by show (shows A–Z, episodes without one last), keeping their order inside a group. */
export function groupByChannel(videos: readonly VideoSummary[]): VideoGroup[] {
  const groups = new Map<string | null, VideoSummary[]>();
  for (const v of videos) groups.set(v.channel, [...(groups.get(v.channel) ?? []), v]);
  return [...groups]
    .map(([channel, vs]) => ({ channel, videos: vs }))
    .sort((a, b) => (a.channel === null ? 1 : b.channel === null ? -1 : collator.compare(a.channel, b.channel)));
}

/** "Talk Python To Me · Mar 4, 2021 · 1 h 05 min", leaving out what is unknown (never an empty separator). */
export function videoMeta(v: Pick<VideoSummary, 'channel' | 'publishedAt' | 'duration'>): string {
  return [v.channel, formatDate(v.publishedAt), v.duration != null ? formatDuration(v.duration) : null].filter((s) => s && s.trim()).join(' · ');
}

export interface ExplainedError {
  /** One sentence a person can act on. */
  message: string;
  /** What to do next. */
  next: string;
  /** The error as the server recorded it, for a disclosure. */
  detail: string;
}

/**
 * Why a video could not be added, in plain words, with the raw error kept as detail. `status` is
 * the video's: a feed episode without a usable transcript needs no retry, and a feed's host is not YouTube.
 */
export function explainAddError(error: string, status?: VideoSummary['status']): ExplainedError {
  if (status === 'no_transcript') {
    return { message: 'The feed links no transcript this episode can be searched with.', next: 'It stays listed; `episodic refresh` checks the feed again after a day.', detail: error };
  }
  const feed = /\b(transcript|feed|chapters)\b/i.test(error);
  if (feed && /network error|fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up/i.test(error)) {
    return { message: "The podcast's host could not be reached.", next: 'Check the connection, then try again (`episodic resume` or `episodic refresh`).', detail: error };
  }
  if (/network error|fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up/i.test(error)) {
    return { message: 'YouTube could not be reached (offline?).', next: 'Check the connection, then try again. `episodic doctor` on the server names the exact cause.', detail: error };
  }
  if (/bot|sign in to confirm/i.test(error)) {
    return { message: 'YouTube asked for a sign-in check.', next: 'Give the server a cookies file (EPISODIC_YOUTUBE_COOKIES), then try again.', detail: error };
  }
  if (/429|too many/i.test(error)) {
    return { message: 'YouTube is limiting requests right now.', next: 'Wait a few minutes, then try again.', detail: error };
  }
  return { message: 'This video could not be added.', next: 'Try again; if it keeps failing, `episodic doctor` on the server explains why.', detail: error };
}

const couldNot = (n: number) => (n > 0 ? `${n} could not be added` : '');

/**
 * The library header's count, from the server's index totals: "92 episodes indexed (1 could not be
 * added)". A failed add is no episode, so this agrees with {@link listCount}.
 */
export function indexedCount(index: { videos: number; indexed: number }): string {
  const failed = couldNot(index.videos - index.indexed);
  return `${index.indexed} episodes indexed${failed ? ` (${failed})` : ''}`;
}

/** The list's count: "3 of 92 episodes · 1 could not be added" (the episodes shown of all the library's episodes). */
export function listCount(shown: number, videos: readonly VideoSummary[], failedShown: number): string {
  const episodes = videos.filter((v) => !isFailedAdd(v)).length;
  const failed = couldNot(failedShown);
  return `${shown} of ${episodes} episodes${failed ? ` · ${failed}` : ''}`;
}
