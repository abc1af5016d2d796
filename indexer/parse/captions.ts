/**
 * What caption formats (VTT, SRT, YouTube timedtext) share: timed blocks of lines, cleaned
 * caption lines with voice tags as speakers, and collapsing text that captions repeat.
 */
import type { Cue, ParseWarning } from '../domain.ts';
import { parseClock } from '../time.ts';
import { decodeEntities, normalizeSpace, stripTags } from './common.ts';

/**
 * Identical caption text repeated within this gap is one utterance shown twice (rolling
 * captions, ASR repetition loops), not the speaker saying it again after a pause.
 */
export const MAX_REPEAT_GAP_MS = 1000;

/** One displayed caption line, already cleaned. */
export interface CaptionLine {
  text: string;
  speaker?: string;
}

/** A caption as displayed: its timing and its cleaned lines, before repeats are collapsed. */
export interface CaptionDraft {
  startMs: number;
  endMs: number;
  lines: CaptionLine[];
}

/** A timed block of a VTT or SRT file; `timingLine` is 1-based. */
export interface CueBlock {
  timingLine: number;
  timing: string;
  text: string[];
}

export interface CueBlockSyntax {
  /** Whether a line ends a cue's text (VTT: only an empty line; SRT: any blank line). */
  endsText(line: string): boolean;
  /** Blocks to skip whole, e.g. VTT NOTE/STYLE/REGION. */
  skipBlock?(firstLine: string): boolean;
  /** A cue number that may directly precede a timing line without a blank line (SRT). */
  isCueNumber?(line: string): boolean;
}

/**
 * Splits VTT/SRT lines (from index `from`) into timed blocks. A line containing `-->` always
 * starts a new cue, even without the blank line before it; text with no timing line is
 * reported in `warnings` rather than dropped silently.
 */
export function scanCueBlocks(lines: string[], from: number, syntax: CueBlockSyntax, warnings: ParseWarning[]): CueBlock[] {
  const blocks: CueBlock[] = [];
  const n = lines.length;
  const skipToBlank = (i: number) => {
    while (i < n && !syntax.endsText(lines[i])) i++;
    return i;
  };
  let i = from;
  while (i < n) {
    if (lines[i].trim() === '') {
      i++;
      continue;
    }
    if (syntax.skipBlock?.(lines[i])) {
      i = skipToBlank(i);
      continue;
    }
    let t = i;
    if (!lines[t].includes('-->')) {
      if (t + 1 < n && lines[t + 1].includes('-->')) {
        t++; // the line before the timing is a cue identifier
      } else {
        warnings.push({ line: i + 1, message: `text without a timing line skipped: "${lines[i].trim().slice(0, 60)}"` });
        i = skipToBlank(i + 1);
        continue;
      }
    }
    const block: CueBlock = { timingLine: t + 1, timing: lines[t], text: [] };
    i = t + 1;
    while (i < n && !syntax.endsText(lines[i]) && !lines[i].includes('-->')) {
      if (syntax.isCueNumber?.(lines[i]) && i + 1 < n && lines[i + 1].includes('-->')) break;
      block.text.push(lines[i]);
      i++;
    }
    blocks.push(block);
  }
  return blocks;
}

/** Parses the `start --> end` of a VTT/SRT timing line; cue settings after the end are ignored. */
export function parseTimingLine(line: string): { startMs: number; endMs: number } | null {
  const m = /^\s*(\S+)\s+-->\s+(\S+)/.exec(line);
  if (!m) return null;
  const startMs = parseClock(m[1]);
  const endMs = parseClock(m[2]);
  return startMs === null || endMs === null ? null : { startMs, endMs };
}

// `<v Name>` or `<v.loud Name>`: the voice span of WebVTT, which names the speaker.
const VOICE_TAG = /^<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>/;

/**
 * Cleans the text lines of one caption: voice tags become the speaker (inherited by later
 * lines of the same caption), other tags are stripped, entities decoded, whitespace
 * collapsed, and a leading "- " (old caption style for "another person speaks") removed.
 */
export function captionLines(raw: string[]): CaptionLine[] {
  const out: CaptionLine[] = [];
  let speaker: string | undefined;
  for (const line of raw) {
    for (const part of line.includes('<v') ? line.split(/(?=<v[.\s>])/) : [line]) {
      const voice = VOICE_TAG.exec(part);
      if (voice) speaker = normalizeSpace(decodeEntities(voice[1] ?? '')) || undefined;
      let text = normalizeSpace(decodeEntities(stripTags(part)));
      if (text.startsWith('-')) text = text.replace(/^-(?:\s+|$)/, '');
      if (text !== '') out.push(speaker ? { text, speaker } : { text });
      if (part.includes('</v>')) speaker = undefined;
    }
  }
  return out;
}

/**
 * Times and cleans timed blocks. A timing that cannot be read, or that ends before it
 * starts, skips its cue with a warning naming the line.
 */
export function blocksToDrafts(
  blocks: CueBlock[],
  warnings: ParseWarning[],
  prepareLine: (raw: string) => string = (raw) => raw,
): CaptionDraft[] {
  const drafts: CaptionDraft[] = [];
  for (const block of blocks) {
    const timing = parseTimingLine(block.timing);
    if (!timing) {
      warnings.push({ line: block.timingLine, message: `unparseable timing "${block.timing.trim()}"; cue skipped` });
    } else if (timing.endMs < timing.startMs) {
      warnings.push({ line: block.timingLine, message: 'cue ends before it starts; cue skipped' });
    } else {
      drafts.push({ startMs: timing.startMs, endMs: timing.endMs, lines: captionLines(block.text.map(prepareLine)) });
    }
  }
  // Scanning and timing problems were found in two passes; report them in file order.
  warnings.sort((a, b) => a.line - b.line);
  return drafts;
}

const sameLine = (a: CaptionLine, b: CaptionLine) => a.text === b.text && a.speaker === b.speaker;

// Length of the longest suffix of `prev` that is also a prefix of `cur`.
function overlap(prev: CaptionLine[], cur: CaptionLine[]): number {
  for (let k = Math.min(prev.length, cur.length); k > 0; k--) {
    let match = true;
    for (let i = 0; i < k && match; i++) match = sameLine(prev[prev.length - k + i], cur[i]);
    if (match) return k;
  }
  return 0;
}

/**
 * Turns displayed captions (in file order) into cues, keeping each piece of text once.
 * Rolling captions (YouTube ASR) repeat the previous caption's last line before adding a
 * new one, and show 10 ms captions that only repeat it; ASR loops repeat a whole caption.
 * Lines that repeat the end of the previous caption are dropped, and a caption with nothing
 * new only extends the previous cue. Lines of different speakers become separate cues.
 */
export function collapseRepeats(drafts: CaptionDraft[]): Cue[] {
  const cues: Cue[] = [];
  let prev: CaptionDraft | undefined;
  for (const draft of drafts) {
    if (draft.lines.length === 0) continue;
    const contiguous = prev !== undefined && draft.startMs - prev.endMs <= MAX_REPEAT_GAP_MS;
    const fresh = prev && contiguous ? draft.lines.slice(overlap(prev.lines, draft.lines)) : draft.lines;
    prev = draft;
    if (fresh.length === 0) {
      const last = cues.at(-1);
      if (last) last.endMs = Math.max(last.endMs, draft.endMs);
      continue;
    }
    let current: Cue | undefined;
    for (const line of fresh) {
      if (current && current.speaker === line.speaker) {
        current.text = `${current.text} ${line.text}`;
      } else {
        current = { startMs: draft.startMs, endMs: draft.endMs, text: line.text };
        if (line.speaker) current.speaker = line.speaker;
        cues.push(current);
      }
    }
  }
  return cues;
}
