/**
 * Speaker-labelled Markdown transcripts (Changelog style):
 *
 *   **Chris Benson:** \[04:30\] I love it, I think ...
 *
 * Timestamps are sparse, so every word gets a time by linear interpolation (by word count)
 * between the timestamps around it. Pure: text in, cues out.
 */
import { type Cue, ParseError, type ParsedTranscript, type ParseWarning } from '../domain.ts';
import { parseClock } from '../time.ts';
import { DEFAULT_WORDS_PER_MINUTE, decodeEntities, finishCues, normalizeSpace, speakerField, splitLines, stripTags } from './common.ts';

/** Longest cue cut from a paragraph (about 15 s of speech), so a search hit points near its moment. */
export const MAX_CUE_WORDS = 40;

// Words that must precede the last timestamp before the file's own pace is trusted for extrapolation.
const MIN_WORDS_FOR_PACE = 200;

// A pace outside this range (words per minute) means odd timestamps, not odd speech; use the default.
const PLAUSIBLE_WPM = { min: 80, max: 250 };

// Labels that mark a production note rather than a person; their only content is the time of a break.
const NON_SPEAKER_LABELS = new Set(['break', 'intro', 'outro']);

// `**Name:**`, `**Name**:`, and the typo `**Name: W**ord` (the stray `**` is removed as emphasis later).
const SPEAKER_LABEL = /^\s*\*\*([^*:\n]{1,80}?)\s*(?:\*\*\s*:|:\s*\*\*|:)\s*/;

// A time in brackets, usually escaped: `\[12:34\]`, `\[01:02:03.45\]`, `[00:16:16:05]` (frames),
// typos like `\[00:11**:** 51.07\]`, and labelled ones like `\[unintelligible 00:10:26.06\]`.
// Spaces inside the label must be followed by a label character, and the spaces after the label
// belong to the label's optional group, so a `[` followed by a long run of spaces is read in
// linear time (two `\s*` around an optional label split the run every way: quadratic).
const MARKER = /\\?\[\s*(?:([A-Za-z][A-Za-z/'-]*(?: +[A-Za-z/'-]+)*)\s*)?(\d{1,2}(?:\s*\**:\**\s*\d{1,2}){1,3}(?:\.\d{1,3})?)\s*\\?\]/g;

interface Anchor {
  /** Index of the word the time belongs to (the word after the marker). */
  pos: number;
  ms: number;
}

interface Piece {
  words: string[];
  /** Index of the first word among all words of the file. */
  pos: number;
  speaker?: string;
}

// `HH:MM:SS:FF` carries video frames, which are dropped.
function markerMs(clock: string): number | null {
  const parts = clock.replace(/[*\s]/g, '').split(':');
  return parseClock((parts.length === 4 ? parts.slice(0, 3) : parts).join(':'));
}

const ESCAPED = 0xe000; // private-use code points stand in for backslash-escaped characters

// Longest emphasised span, in characters: bounds the search for a closing `*`/`_`, which
// would otherwise rescan the rest of the paragraph for every unmatched opener.
const MAX_EMPHASIS_CHARS = 500;
const EMPHASIS = new RegExp(String.raw`(^|[^\w*])([*_])(?=\S)(.{0,${MAX_EMPHASIS_CHARS}}?\S)\2(?![\w*])`, 'g');

// Links, emphasis, code marks and inline HTML removed, escapes resolved. Link text holds no
// brackets and link targets no parentheses or spaces, so unmatched `[` or `](` cost linear time.
function plainText(markdown: string): string {
  const text = markdown
    // Hide escaped characters so `\*bleep\*` is not read as emphasis.
    .replace(/\\([\\`*_{}[\]()#+\-.!|~<>"' ])/g, (_, c: string) => String.fromCharCode(ESCAPED + c.charCodeAt(0)))
    .replace(/!\[[^\][]*\]\([^()\s]*\)/g, '')
    .replace(/\[([^\][]*)\]\([^()\s]*\)/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*|__/g, '')
    .replace(EMPHASIS, '$1$3')
    .replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - ESCAPED));
  return normalizeSpace(decodeEntities(stripTags(text)));
}

// Paragraphs (runs of non-blank lines) with the 1-based line each starts on.
function paragraphs(text: string): { line: number; raw: string }[] {
  const out: { line: number; raw: string }[] = [];
  let current: { line: number; raw: string } | undefined;
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') current = undefined;
    else if (current) current.raw += `\n${line}`;
    else out.push((current = { line: i + 1, raw: line }));
  });
  return out;
}

// Splits a run of words into cues of whole sentences, at most MAX_CUE_WORDS each unless one sentence is longer.
function sentenceChunks(words: string[]): [number, number][] {
  const chunks: [number, number][] = [];
  let start = 0;
  let lastSentenceEnd = 0;
  words.forEach((word, i) => {
    if (i + 1 - start > MAX_CUE_WORDS && lastSentenceEnd > start) {
      chunks.push([start, lastSentenceEnd]);
      start = lastSentenceEnd;
    }
    if (/[.!?…]["”’')\]]*$/.test(word)) lastSentenceEnd = i + 1;
  });
  if (start < words.length) chunks.push([start, words.length]);
  return chunks;
}

// Time of a word position by linear interpolation between anchors (sorted by position,
// non-decreasing in time, first at position 0). Where several anchors share a position
// ("Break: 13:03 to 15:20"), text ending there ends at the first and text starting there
// starts at the last. Past the last anchor, time advances at `msPerWord`.
function timeAt(anchors: Anchor[], pos: number, side: 'start' | 'end', msPerWord: number): number {
  let lo = 0;
  let hi = anchors.length; // first anchor with anchor.pos > pos
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (anchors[mid].pos <= pos) lo = mid + 1;
    else hi = mid;
  }
  let i = lo - 1;
  if (anchors[i].pos === pos) {
    if (side === 'end') while (i > 0 && anchors[i - 1].pos === pos) i--;
    return anchors[i].ms;
  }
  const prev = anchors[i];
  const next = anchors[i + 1];
  if (!next) return prev.ms + (pos - prev.pos) * msPerWord;
  return prev.ms + ((next.ms - prev.ms) * (pos - prev.pos)) / (next.pos - prev.pos);
}

// The file's average pace from start to last timestamp, or the default when that is unknown or implausible.
function msPerWordOf(anchors: Anchor[]): number {
  const last = anchors[anchors.length - 1];
  const fallback = 60_000 / DEFAULT_WORDS_PER_MINUTE;
  if (last.pos < MIN_WORDS_FOR_PACE || last.ms <= 0) return fallback;
  const wpm = (last.pos * 60_000) / last.ms;
  return wpm >= PLAUSIBLE_WPM.min && wpm <= PLAUSIBLE_WPM.max ? last.ms / last.pos : fallback;
}

/**
 * Parses a speaker-labelled Markdown transcript. Bare timestamps (`\[12:34\]`) start a new
 * cue; labelled ones (`\[unintelligible 00:10:26.06\]`) stand for a missing word, so they
 * pin the time of that spot without splitting the sentence, and the text keeps
 * `[unintelligible]`. Text before the first timestamp starts at 0; a timestamp earlier
 * than one before it is ignored with a warning.
 */
export function parseSpeakerMarkdown(text: string, file: string): ParsedTranscript {
  const warnings: ParseWarning[] = [];
  const anchors: Anchor[] = [{ pos: 0, ms: 0 }];
  const pieces: Piece[] = [];
  let pos = 0;
  let speaker: string | undefined;

  for (const para of paragraphs(text)) {
    const label = SPEAKER_LABEL.exec(para.raw);
    const noteOnly = label !== null && NON_SPEAKER_LABELS.has(label[1].trim().toLowerCase());
    if (label) speaker = noteOnly ? undefined : label[1].trim();
    const offset = label ? label[0].length : 0;
    const body = para.raw.slice(offset);

    let run: Piece = { words: [], pos, speaker };
    const flush = () => {
      if (run.words.length > 0) pieces.push(run);
      run = { words: [], pos, speaker };
    };
    const addText = (markdown: string) => {
      if (noteOnly) return;
      const words = plainText(markdown).split(' ').filter(Boolean);
      run.words.push(...words);
      pos += words.length;
    };

    let last = 0;
    for (const m of body.matchAll(MARKER)) {
      addText(body.slice(last, m.index));
      last = m.index + m[0].length;
      const ms = markerMs(m[2]);
      const line = para.line + (para.raw.slice(0, offset + m.index).match(/\n/g)?.length ?? 0);
      const previous = anchors[anchors.length - 1].ms;
      if (ms === null) {
        warnings.push({ line, message: `unreadable timestamp "${m[0]}" ignored` });
      } else if (ms < previous) {
        warnings.push({ line, message: `timestamp "${m[0]}" is earlier than the one before it; ignored` });
      } else {
        if (!m[1]) flush();
        anchors.push({ pos, ms });
      }
      if (m[1]) addText(`[${m[1].trim()}]`);
    }
    addText(body.slice(last));
    flush();
  }

  const msPerWord = msPerWordOf(anchors);
  const cues: Cue[] = [];
  for (const piece of pieces) {
    for (const [a, b] of sentenceChunks(piece.words)) {
      cues.push({
        startMs: timeAt(anchors, piece.pos + a, 'start', msPerWord),
        endMs: timeAt(anchors, piece.pos + b, 'end', msPerWord),
        text: piece.words.slice(a, b).join(' '),
        ...speakerField(piece.speaker),
      });
    }
  }
  const finished = finishCues(cues);
  if (finished.length === 0) throw new ParseError(file, 0, 'no transcript text found');
  return { cues: finished, warnings };
}
