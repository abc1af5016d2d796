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
  const cues: Cue[] = [];
  // The phrase being joined from word-level segments, if any.
  let open: (Cue & { words: number }) | null = null;
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
    const joinable = words <= WORD_SEGMENT_MAX_WORDS;
    if (
      open &&
      joinable &&
      open.speaker === speaker &&
      startMs >= open.startMs &&
      startMs - open.endMs <= JOIN_MAX_GAP_MS &&
      open.words + words <= JOIN_MAX_WORDS &&
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
