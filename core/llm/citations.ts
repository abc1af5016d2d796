/**
 * Citation resolution, pure: the model cites sources as [n]; the server turns every marker
 * into a real moment — the cue inside source n that best matches the sentence carrying the
 * marker. Markers naming no source are removed from the text and reported.
 */
import type { Cue } from '../../indexer/domain.ts';
import { endsSentence } from '../../indexer/segment/windows.ts';
import { toSeconds } from '../../indexer/time.ts';
import type { Citation } from '../contract/api.ts';
import { contentStems } from '../retrieval/keyword.ts';
import { present } from '../../indexer/present.ts';

/** What the resolver needs to know about source n. */
export interface SourceCues {
  n: number;
  videoId: string;
  title: string;
  /** The cues inside the source's time range, in order. */
  cues: Cue[];
  /** Builds the deep link for a moment of this source's video. */
  link: (startMs: number) => string | null;
}

export interface ResolvedCitation {
  /** Position of the marker in the answer (0 = first [n] in the text). */
  marker: number;
  n: number;
  videoId: string;
  title: string;
  startMs: number;
  endMs: number;
  quote: string;
  url: string | null;
}

const MARKER = /\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;

/** Splits text into sentences, keeping citation markers with the sentence they end. */
export function sentencesWithMarkers(text: string): string[] {
  return text
    .split(/(?<=[.!?…](?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])*)\s+(?!\[\d)|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The cue where the sentence's matching passage starts: the cue (with its neighbours as context)
 * sharing the most content words with the sentence, moved back to the start of the transcript
 * sentence it belongs to while the earlier cues still share words with it. Ties go to the
 * earlier cue.
 */
export function bestCue(sentence: string, cues: Cue[]): { index: number; score: number } {
  const target = contentStems(sentence.replace(MARKER, ' '));
  const shared = (text: string) => [...contentStems(text)].filter((w) => target.has(w)).length;
  let best = { index: 0, score: -1 };
  cues.forEach((_, i) => {
    const window = [cues[i - 1], cues[i], cues[i + 1]].filter(Boolean);
    const own = contentStems(cues[i].text);
    const around = contentStems(window.map((c) => c.text).join(' '));
    let score = 0;
    for (const w of target) {
      if (own.has(w)) score += 1;
      else if (around.has(w)) score += 0.25;
    }
    if (score > best.score) best = { index: i, score };
  });
  let start = best.index;
  while (start > 0 && !endsSentence(cues[start - 1].text) && shared(cues[start - 1].text) > 0) start--;
  return { index: start, score: best.score };
}

/** A resolved citation in the API's shape (times in seconds). */
export function toCitation(c: ResolvedCitation): Citation {
  return { marker: c.marker, n: c.n, videoId: c.videoId, title: c.title, start: toSeconds(c.startMs), end: toSeconds(c.endMs), quote: c.quote, url: c.url };
}

/**
 * Resolves every [n] in `text`. Returns the text with invalid markers removed, one citation per
 * remaining marker in order of appearance (each at the cue best matching its own sentence), and
 * the invalid numbers.
 */
export function resolveCitations(text: string, sources: SourceCues[]): { text: string; citations: ResolvedCitation[]; invalid: number[] } {
  const byN = new Map(sources.map((s) => [s.n, s]));
  const invalid = new Set<number>();
  const cleaned = text
    .replace(MARKER, (_, list: string) => {
      const nums = list.split(/\s*[,;]\s*/).map(Number);
      const valid = nums.filter((n) => (byN.get(n)?.cues.length ?? 0) > 0);
      for (const n of nums) if (!valid.includes(n)) invalid.add(n);
      return valid.map((n) => `[${n}]`).join('');
    })
    .replace(/[ \t]+([.,;:!?])/g, '$1');
  const citations: ResolvedCitation[] = [];
  for (const sentence of sentencesWithMarkers(cleaned)) {
    for (const m of sentence.matchAll(/\[(\d+)\]/g)) {
      const n = Number(m[1]);
      const source = present(byN.get(n), `source ${n}`);
      const cue = source.cues[bestCue(sentence, source.cues).index];
      citations.push({ marker: citations.length, n, videoId: source.videoId, title: source.title, startMs: cue.startMs, endMs: cue.endMs, quote: cue.text, url: source.link(cue.startMs) });
    }
  }
  return { text: cleaned, citations, invalid: [...invalid].sort((a, b) => a - b) };
}
