import type { Cue, Segment } from '../domain.ts';

/**
 * Window parameters. A window is what one search hit shows and one vector represents.
 * About 50 s of speech is ~125 words (~165 model tokens): long enough to hold a question and
 * its answer, short enough that the hit lands within the right minute and fits a 256-token encoder.
 */
export const WINDOW_DEFAULTS = {
  /** Close a window at the first sentence end after this much speech. */
  targetMs: 50_000,
  /** Never close at a sentence end before this (unless a hard limit forces it). */
  minMs: 25_000,
  /** Hard limits: close even mid-sentence (unpunctuated auto-captions). */
  maxMs: 75_000,
  maxWords: 160,
  /** Overlap: the next window repeats the last sentence(s) of this one, up to these limits. */
  overlapMs: 12_000,
  overlapWords: 35,
  /** A pause this long means a new topic or a break: start a new window. */
  gapMs: 30_000,
  /** Cues longer than this (Markdown paragraphs) are split into sentences before windowing. */
  longCueWords: 45,
} as const;

export type WindowOptions = { -readonly [K in keyof typeof WINDOW_DEFAULTS]: number };

const SENTENCE_END = /[.!?…]["'”’)\]]*$/;

export function wordCount(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

export function endsSentence(text: string): boolean {
  return SENTENCE_END.test(text.trim());
}

/**
 * Splits cues longer than `longCueWords` into sentence-sized cues with times interpolated by
 * character position, so seeking inside a long paragraph lands near the sentence.
 */
export function splitLongCues(cues: Cue[], opts: Partial<WindowOptions> = {}): Cue[] {
  const limit = opts.longCueWords ?? WINDOW_DEFAULTS.longCueWords;
  const out: Cue[] = [];
  for (const cue of cues) {
    if (wordCount(cue.text) <= limit) {
      out.push(cue);
      continue;
    }
    const pieces = splitSentences(cue.text).flatMap((s) => chunkWords(s, limit));
    const totalChars = pieces.reduce((n, p) => n + p.length, 0);
    const span = cue.endMs - cue.startMs;
    let chars = 0;
    for (const piece of pieces) {
      const startMs = cue.startMs + Math.round((span * chars) / totalChars);
      chars += piece.length;
      const endMs = cue.startMs + Math.round((span * chars) / totalChars);
      out.push({ startMs, endMs, text: piece, ...(cue.speaker ? { speaker: cue.speaker } : {}) });
    }
  }
  return out;
}

/** Splits text after `.`, `!`, `?` followed by whitespace and a capital, digit or quote. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…]["'”’)\]]*)\s+(?=["'“‘([]?[A-Z0-9])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function chunkWords(sentence: string, limit: number): string[] {
  const words = sentence.split(/\s+/).filter(Boolean);
  if (words.length <= limit) return [sentence];
  const n = Math.ceil(words.length / limit);
  const size = Math.ceil(words.length / n);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(' '));
  return out;
}

/** Text of cues `first..last` with `Speaker:` labels where the speaker changes. */
export function windowText(cues: Cue[], first: number, last: number): string {
  const parts: string[] = [];
  let speaker: string | undefined;
  for (let i = first; i <= last; i++) {
    const c = cues[i];
    if (c.speaker && c.speaker !== speaker) {
      parts.push(`${parts.length ? '\n' : ''}${c.speaker}: ${c.text}`);
      speaker = c.speaker;
    } else {
      parts.push(c.text);
    }
  }
  return parts.join(' ').replace(/ \n/g, '\n');
}

/**
 * Groups cues into overlapping, sentence-aware windows. Pure: the same cues always give the
 * same windows. Windows never cross a pause longer than `gapMs`.
 */
export function buildWindows(cues: Cue[], options: Partial<WindowOptions> = {}): Segment[] {
  const o: WindowOptions = { ...WINDOW_DEFAULTS, ...options };
  const words = cues.map((c) => wordCount(c.text));
  const segments: Segment[] = [];
  let start = 0;
  while (start < cues.length) {
    const end = closeWindow(cues, words, start, o);
    segments.push(makeSegment(cues, start, end));
    if (end >= cues.length - 1) break;
    start = nextStart(cues, words, start, end, o);
  }
  return segments;
}

function closeWindow(cues: Cue[], words: number[], start: number, o: WindowOptions): number {
  let total = words[start];
  let lastSentenceEnd = -1;
  for (let j = start; j < cues.length; j++) {
    const duration = cues[j].endMs - cues[start].startMs;
    if (j > start) total += words[j];
    if (endsSentence(cues[j].text) && duration >= o.minMs) lastSentenceEnd = j;
    if (j === cues.length - 1) return j;
    const next = cues[j + 1];
    if (next.startMs - cues[j].endMs > o.gapMs) return j;
    if (duration >= o.targetMs && endsSentence(cues[j].text)) return j;
    const wouldExceed = total + words[j + 1] > o.maxWords || next.endMs - cues[start].startMs > o.maxMs;
    if (wouldExceed) return lastSentenceEnd >= 0 ? lastSentenceEnd : j;
  }
  return cues.length - 1;
}

/** The next window starts at the last sentence(s) of this one, within the overlap limits. */
function nextStart(cues: Cue[], words: number[], start: number, end: number, o: WindowOptions): number {
  if (end + 1 < cues.length && cues[end + 1].startMs - cues[end].endMs > o.gapMs) return end + 1;
  let best = end + 1;
  let fallback = end + 1;
  let w = 0;
  for (let k = end; k > start; k--) {
    w += words[k];
    if (w > o.overlapWords || cues[end].endMs - cues[k].startMs > o.overlapMs) break;
    if (endsSentence(cues[k - 1].text)) best = k;
    fallback = k;
  }
  if (best <= end) return best;
  // No sentence boundary (unpunctuated captions): overlap by the cues that fit the limits.
  return fallback;
}

function makeSegment(cues: Cue[], first: number, last: number): Segment {
  const speakers = [...new Set(cues.slice(first, last + 1).flatMap((c) => (c.speaker ? [c.speaker] : [])))];
  return {
    startMs: cues[first].startMs,
    endMs: Math.max(...cues.slice(first, last + 1).map((c) => c.endMs)),
    text: windowText(cues, first, last),
    speakers,
    firstCue: first,
    lastCue: last,
  };
}
