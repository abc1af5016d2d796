/**
 * Video metadata from a /player response, completed from the /next (watch page) response:
 * chapters and, when the player response lacks a microformat, the publish date.
 */
import type { VideoMeta } from '../domain.ts';
import { parseClock } from '../time.ts';
import { arr, dig, num, rec, str, text, walk, type Json } from './youtube-json.ts';

export interface Chapter {
  title: string;
  startMs: number;
}

/** VideoMeta plus what only YouTube has. */
export interface YouTubeVideoMeta extends VideoMeta {
  channelId?: string;
  chapters: Chapter[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Builds the metadata of video `id`. Returns undefined when the player response has no
 * videoDetails (error responses), since then there is nothing trustworthy to report.
 */
export function buildMeta(id: string, player: Json, next: Json | undefined): YouTubeVideoMeta | undefined {
  const details = rec(player.videoDetails);
  if (!details) return undefined;
  const mf = rec(dig(player, 'microformat', 'playerMicroformatRenderer'));
  const seconds = num(details.lengthSeconds) ?? num(mf?.lengthSeconds);
  const description = [details.shortDescription, text(mf?.description)].find((d) => typeof d === 'string' && d.trim() !== '') as string | undefined;
  return {
    id,
    youtubeId: id,
    url: `https://www.youtube.com/watch?v=${id}`,
    title: str(details.title) ?? str(text(mf?.title)) ?? `YouTube video ${id}`,
    channel: str(details.author) ?? str(mf?.ownerChannelName),
    channelId: str(details.channelId) ?? str(mf?.externalChannelId),
    publishedAt: str(mf?.publishDate) ?? str(mf?.uploadDate) ?? dateFromNext(next),
    // Upcoming streams report 0 seconds; that is "unknown", not "empty".
    durationMs: seconds ? seconds * 1000 : undefined,
    description,
    thumbnail: largestThumbnail(details.thumbnail) ?? largestThumbnail(mf?.thumbnail),
    chapters: next ? chapters(next) : [],
  };
}

/**
 * Chapters in start order. Creator chapters (the player bar's chapterRenderers, or the
 * description-chapters panel) win over YouTube's auto-chapters panel.
 */
function chapters(next: Json): Chapter[] {
  const fromBar: Chapter[] = [];
  walk(next.playerOverlays, (key, value) => {
    if (key !== 'chapterRenderer') return;
    const r = rec(value);
    const startMs = num(r?.timeRangeStartMillis);
    const title = text(r?.title).trim();
    if (startMs !== undefined && title) fromBar.push({ title, startMs: Math.round(startMs) });
  });
  if (fromBar.length > 0) return sortUnique(fromBar);
  const panels = new Map<string, Chapter[]>();
  for (const panel of arr(next.engagementPanels)) {
    const section = rec(dig(panel, 'engagementPanelSectionListRenderer'));
    const panelId = str(section?.panelIdentifier) ?? '';
    if (!panelId.startsWith('engagement-panel-macro-markers')) continue;
    const items = arr(dig(section, 'content', 'macroMarkersListRenderer', 'contents'));
    panels.set(panelId, items.flatMap(markerChapter));
  }
  const best = panels.get('engagement-panel-macro-markers-description-chapters') ?? [...panels.values()][0] ?? [];
  return sortUnique(best);
}

function markerChapter(item: unknown): Chapter[] {
  const r = rec(dig(item, 'macroMarkersListItemRenderer'));
  const title = text(r?.title).trim();
  const seconds = num(dig(r, 'onTap', 'watchEndpoint', 'startTimeSeconds'));
  const startMs = seconds !== undefined ? Math.round(seconds * 1000) : parseClock(text(r?.timeDescription));
  return title && startMs !== null ? [{ title, startMs }] : [];
}

function sortUnique(list: Chapter[]): Chapter[] {
  const sorted = [...list].sort((a, b) => a.startMs - b.startMs);
  return sorted.filter((c, i) => i === 0 || c.startMs !== sorted[i - 1].startMs);
}

function largestThumbnail(thumbnail: unknown): string | undefined {
  let best: { url: string; width: number } | undefined;
  for (const t of arr(dig(thumbnail, 'thumbnails'))) {
    const url = str(rec(t)?.url);
    const width = num(rec(t)?.width) ?? 0;
    if (url && (!best || width > best.width)) best = { url, width };
  }
  return best?.url;
}

/**
 * The watch page's dateText ("Aug 2, 2018", "Premiered Aug 2, 2018", "Streamed live on 2 Aug 2018")
 * as YYYY-MM-DD. Read only when the player response has no microformat; English because the
 * session's interface language is English.
 */
export function dateFromNext(next: Json | undefined): string | undefined {
  let dateText: string | undefined;
  walk(next?.contents, (key, value) => {
    if (dateText !== undefined) return false;
    if (key === 'videoPrimaryInfoRenderer') dateText = str(text(rec(value)?.dateText));
  });
  if (!dateText) return undefined;
  const us = /\b([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4})\b/.exec(dateText);
  const uk = /\b(\d{1,2}) ([A-Za-z]{3})[a-z]*\.? (\d{4})\b/.exec(dateText);
  const [mon, day, year] = us ? [us[1], us[2], us[3]] : uk ? [uk[2], uk[1], uk[3]] : [];
  const month = MONTHS.indexOf((mon ?? '').toLowerCase()) + 1;
  if (month === 0 || !day || !year) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}`;
}
