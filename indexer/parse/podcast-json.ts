/**
 * The Podcasting 2.0 JSON transcript (`<podcast:transcript type="application/json">`):
 * `{"version":"1.0.0","segments":[{"speaker","startTime","endTime","body"}]}`, times in seconds.
 * Hosts emit either phrases or single words per segment; runs of word-level segments are joined
 * into phrases so the transcript reads as lines and citations still land within a few seconds.
 * Pure: text in, cues out.
 */
import { type Cue, ParseError, type ParsedTranscript, type ParseWarning } from '../domain.ts';
import { decodeEntities, finishCues, lineAt, noCuesReason, normalizeSpace, speakerField, stripTags } from './common.ts';

/** Segments of at most this many words are word-level output, joined with their neighbours. */
export const WORD_SEGMENT_MAX_WORDS = 3;
/** A joined phrase closes at a sentence end, at this many words, */
export const JOIN_MAX_WORDS = 16;
/** …or before a pause longer than this (a pause is a line break when reading). */
export const JOIN_MAX_GAP_MS = 1500;
/**
 * A phrase at the word limit still takes the next words when its sentence ends within this many
 * more, so a line does not end "…slowly lowers the" with "orbit." alone on the next.
 */
export const JOIN_SLACK_WORDS = 6;

interface Segment {
  startTime?: unknown;
  endTime?: unknown;
  speaker?: unknown;
  body?: unknown;
}

// V8 reports "at position N" for JSON syntax errors; turn that into a line.
function jsonErrorLine(text: string, err: unknown): number {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  return m ? lineAt(text, Number(m[1])) : 0;
}

/** Seconds as a number or a numeric string, to whole milliseconds; null when unusable. */
function toMs(value: unknown): number | null {
  const s = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(s) || s < 0) return null;
  const ms = Math.round(s * 1000);
  return Number.isSafeInteger(ms) ? ms : null;
}

const wordCount = (s: string) => (s === '' ? 0 : s.split(' ').length);
const SENTENCE_END = /[.!?…]["”’)]?$/;

/**
 * Parses a Podcasting 2.0 JSON transcript.
 * @throws ParseError when the text is not JSON, has no `segments` array, or no usable segment
 */
export function parsePodcastJson(text: string, file: string): ParsedTranscript {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ParseError(file, jsonErrorLine(text, err), `invalid JSON: ${(err as Error).message}`);
  }
  const segments = (doc as { segments?: unknown } | null)?.segments;
  if (!Array.isArray(segments)) throw new ParseError(file, 0, 'no "segments" array: not a Podcasting 2.0 JSON transcript');

  const warnings: ParseWarning[] = [];
  const usable: { startMs: number; endMs: number; body: string; speaker: string | undefined; words: number; joinable: boolean }[] = [];
  segments.forEach((raw: Segment, index) => {
    const seg = raw !== null && typeof raw === 'object' ? raw : {};
    const body = typeof seg.body === 'string' ? normalizeSpace(stripTags(decodeEntities(seg.body))) : '';
    if (body === '') return;
    const startMs = toMs(seg.startTime);
    // endTime is required by the spec; a missing one ends at the start (the next cue bounds it).
    const endMs = seg.endTime === undefined ? startMs : toMs(seg.endTime);
    if (startMs === null || endMs === null || endMs < startMs) {
      // Parsed JSON has no line numbers; the segment index locates the problem.
      warnings.push({ line: 0, message: `segment #${index} without a valid startTime/endTime; skipped` });
      return;
    }
    const speaker = typeof seg.speaker === 'string' && seg.speaker.trim() !== '' ? normalizeSpace(seg.speaker) : undefined;
    const words = wordCount(body);
    usable.push({ startMs, endMs, body, speaker, words, joinable: words <= WORD_SEGMENT_MAX_WORDS });
  });

  // Whether segment i and the ones after it that would join it finish a sentence within `budget` words.
  const endsWithin = (i: number, budget: number): boolean => {
    for (let j = i; j < usable.length && budget >= usable[j].words; j++) {
      const seg = usable[j];
      const prev = usable[j - 1];
      if (!seg.joinable || (j > i && (seg.speaker !== prev.speaker || seg.startMs - prev.endMs > JOIN_MAX_GAP_MS))) return false;
      budget -= seg.words;
      if (SENTENCE_END.test(seg.body)) return true;
    }
    return false;
  };

  const cues: Cue[] = [];
  // The phrase being joined from word-level segments, if any.
  let open: (Cue & { words: number }) | null = null;
  usable.forEach(({ startMs, endMs, body, speaker, words, joinable }, i) => {
    if (
      open &&
      joinable &&
      open.speaker === speaker &&
      startMs >= open.startMs &&
      startMs - open.endMs <= JOIN_MAX_GAP_MS &&
      (open.words + words <= JOIN_MAX_WORDS || endsWithin(i, JOIN_MAX_WORDS + JOIN_SLACK_WORDS - open.words)) &&
      !SENTENCE_END.test(open.text)
    ) {
      open.text += ` ${body}`;
      open.endMs = Math.max(open.endMs, endMs);
      open.words += words;
      return;
    }
    if (open) cues.push(close(open));
    open = null;
    if (joinable) open = { startMs, endMs, text: body, words, ...speakerField(speaker) };
    else cues.push({ startMs, endMs, text: body, ...speakerField(speaker) });
  });
  if (open) cues.push(close(open));
  const finished = finishCues(cues);
  if (finished.length === 0) throw new ParseError(file, 0, noCuesReason('Podcasting 2.0 JSON', warnings));
  return { cues: finished, warnings };
}

function close(c: Cue & { words: number }): Cue {
  const { words: _words, ...cue } = c;
  return cue;
}
