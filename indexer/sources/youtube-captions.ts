/**
 * Which caption track to use and how to get its cues: the transcript panel (InnerTube
 * get_transcript) first, the track's timedtext baseUrl second.
 */
import { ParseError, type Cue } from '../domain.ts';
import { finishCues } from '../parse/common.ts';
import { parseJson3, parseTimedTextXml } from '../parse/timedtext.ts';
import { YouTubeBlockedError } from './youtube-errors.ts';
import { arr, dig, num, rec, str, text, walk, type Json } from './youtube-json.ts';

export interface CaptionTrack {
  lang: string;
  kind: 'manual' | 'asr';
  /** Display name ("English (auto-generated)"); the transcript panel's language menu uses it. */
  name: string;
  baseUrl: string;
}

/** Calls an InnerTube endpoint with a JSON body and returns the JSON response. */
export type InnertubeCall = (endpoint: string, body: Json) => Promise<Json>;

/** The caption tracks a /player response lists, in its order. */
export function captionTracks(player: Json): CaptionTrack[] {
  const tracks = arr(dig(player, 'captions', 'playerCaptionsTracklistRenderer', 'captionTracks'));
  return tracks.flatMap((t) => {
    const r = rec(t);
    const lang = str(r?.languageCode);
    const baseUrl = str(r?.baseUrl);
    if (!lang || !baseUrl) return [];
    return [{ lang, kind: r?.kind === 'asr' ? 'asr' : 'manual', name: text(r?.name), baseUrl } satisfies CaptionTrack];
  });
}

/**
 * Picks the track for the first language of `priority` that has one. Within a language a
 * manual track beats ASR, and an exact code beats a regional variant ("en" takes "en-GB"
 * when there is no plain "en"). Returns undefined when no listed language has a track.
 */
export function chooseTrack(tracks: CaptionTrack[], priority: string[]): CaptionTrack | undefined {
  for (const wanted of priority.map((l) => l.toLowerCase())) {
    const primary = wanted.split('-')[0];
    const exact = (t: CaptionTrack) => t.lang.toLowerCase() === wanted;
    const variant = (t: CaptionTrack) => t.lang.toLowerCase().split('-')[0] === primary;
    for (const kind of ['manual', 'asr'] as const) {
      const ofKind = tracks.filter((t) => t.kind === kind);
      const found = ofKind.find(exact) ?? ofKind.find(variant);
      if (found) return found;
    }
  }
  return undefined;
}

/** The get_transcript params of the watch page's transcript panel, if it has one. */
export function transcriptParams(next: Json | undefined): string | undefined {
  let params: string | undefined;
  walk(next?.engagementPanels, (key, value) => {
    if (params === undefined && key === 'getTranscriptEndpoint') params = str(rec(value)?.params);
  });
  return params;
}

/**
 * Cues of `track` from the transcript panel. The panel opens on YouTube's default language;
 * when that is not `track`, its language menu's entry for the track is requested instead.
 * @throws Error explaining why the panel could not give this track's cues
 */
export async function cuesFromPanel(call: InnertubeCall, params: string, track: CaptionTrack, trackCount: number): Promise<Cue[]> {
  let panel = await call('/get_transcript', { params });
  const menu = languageMenu(panel);
  if (menu.length > 0) {
    const entry = menu.find((m) => m.title === track.name);
    if (!entry) throw new Error(`language menu has no "${track.name}" (has ${menu.map((m) => m.title).join(', ')})`);
    if (!entry.selected) {
      if (!entry.continuation) throw new Error(`language menu entry "${track.name}" has no continuation`);
      panel = await call('/get_transcript', { params: entry.continuation });
    }
  } else if (trackCount > 1) {
    // Without a menu we cannot tell which of several languages the panel shows.
    throw new Error('no language menu');
  }
  const cues = panelCues(panel);
  if (cues.length === 0) throw new Error('no segments');
  return cues;
}

interface MenuEntry {
  title: string;
  selected: boolean;
  continuation?: string;
}

function languageMenu(panel: Json): MenuEntry[] {
  let items: unknown[] = [];
  walk(panel, (key, value) => {
    if (key === 'transcriptFooterRenderer') items = arr(dig(value, 'languageMenu', 'sortFilterSubMenuRenderer', 'subMenuItems'));
  });
  return items.flatMap((item) => {
    const r = rec(item);
    const title = text(r?.title);
    if (!title) return [];
    return [{ title, selected: r?.selected === true, continuation: str(dig(r, 'continuation', 'reloadContinuationData', 'continuation')) }];
  });
}

/** Segment rows of the panel as cues; section headers (chapter titles) are not speech and are skipped. */
function panelCues(panel: Json): Cue[] {
  const cues: Cue[] = [];
  walk(panel, (key, value) => {
    if (key !== 'transcriptSegmentRenderer') return;
    const r = rec(value);
    const startMs = num(r?.startMs);
    const endMs = num(r?.endMs);
    const line = text(r?.snippet);
    if (startMs !== undefined && line.trim()) cues.push({ startMs, endMs: endMs ?? startMs, text: line });
    return false;
  });
  return finishCues(cues);
}

/**
 * Cues of `track` from its timedtext baseUrl: json3 first (exact millisecond timing), the
 * classic XML if json3 fails. An empty body means YouTube wants a PO token for this URL.
 * @throws Error with the reasons both formats failed
 */
export async function cuesFromBaseUrl(getText: (url: string) => Promise<string>, track: CaptionTrack): Promise<Cue[]> {
  const url = new URL(track.baseUrl);
  if (url.protocol !== 'https:' || !/(^|\.)youtube\.com$/.test(url.hostname)) {
    throw new Error(`caption URL is not on youtube.com: ${url.hostname}`);
  }
  const poToken = url.searchParams.get('exp')?.includes('xpe') ? ' (the URL requires a PO token: exp=xpe)' : '';
  const problems: string[] = [];
  url.searchParams.set('fmt', 'json3');
  const attempts: [string, string, (body: string, file: string) => { cues: Cue[] }][] = [
    [url.href, 'json3', parseJson3],
    [withoutFmt(url), 'xml', parseTimedTextXml],
  ];
  for (const [href, format, parse] of attempts) {
    try {
      const body = await getText(href);
      if (body.trim() === '') {
        problems.push(`${format}: empty body${poToken}`);
        continue;
      }
      return parse(body, `${track.lang}.${format}`).cues;
    } catch (err) {
      if (err instanceof YouTubeBlockedError) throw err;
      problems.push(err instanceof ParseError ? err.message : `${format}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(problems.join('; '));
}

function withoutFmt(url: URL): string {
  const copy = new URL(url.href);
  copy.searchParams.delete('fmt');
  return copy.href;
}
