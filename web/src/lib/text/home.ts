import type { VideoSummary } from '../../../../core/contract/api.ts';

/** How many example questions and recent episodes the home page offers. */
export const EXAMPLES = 4;
export const RECENT = 5;

/** The subject of an episode title: "Elon Musk: Tesla Autopilot | Lex Fridman Podcast #18" → "Tesla Autopilot". */
export function titleSubject(title: string): string | null {
  const main = title.split(/\s[|–—]\s/)[0].trim();
  const afterColon = main.includes(':') ? main.slice(main.indexOf(':') + 1).trim() : main;
  const subject = afterColon.replace(/^#?\d+\s*[:.-]?\s*/, '').trim();
  // "Practical AI 100" names the show, not a subject; a bare number or one word of a name is no question.
  if (!subject || /\d+$/.test(subject) || subject.length < 3) return null;
  return subject;
}

/**
 * A few questions built from the library's own episode titles (newest first, one per episode),
 * so a first visit shows what can be asked of this library rather than of an imagined one.
 */
export function exampleQuestions(videos: readonly VideoSummary[], n = EXAMPLES): string[] {
  const out: string[] = [];
  for (const v of recentEpisodes(videos, videos.length)) {
    const subject = titleSubject(v.title);
    if (!subject) continue;
    const who = v.speakers[0];
    const q = who && !subject.includes(who) ? `What did ${who} say about ${subject}?` : `What was said about ${subject}?`;
    if (!out.includes(q)) out.push(q);
    if (out.length >= n) break;
  }
  return out;
}

/** When an episode counts as new: its publish date, else when it was added to the index (most files are undated). */
const recency = (v: Pick<VideoSummary, 'publishedAt' | 'addedAt'>) => {
  const t = Date.parse(v.publishedAt ?? v.addedAt ?? '');
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
};

/** The newest indexed episodes: by publish date, falling back to when each was added; ties by title. */
export function recentEpisodes(videos: readonly VideoSummary[], n = RECENT): VideoSummary[] {
  return videos
    .filter((v) => v.status === 'indexed')
    .map((v) => ({ v, t: recency(v) }))
    .sort((a, b) => (a.t === b.t ? a.v.title.localeCompare(b.v.title) : b.t - a.t))
    .map((x) => x.v)
    .slice(0, n);
}
