/**
 * Picks the parser for a transcript file from its content and extension.
 */
import { type Cue, ParseError, type ParsedTranscript, type ParseWarning, type TranscriptFormat } from '../domain.ts';
import { formatClock } from '../time.ts';
import { parseSpeakerMarkdown } from './markdown.ts';
import { parsePodcastJson } from './podcast-json.ts';
import { parseSrt } from './srt.ts';
import { parseJson3, parseSrv3, parseTimedTextXml } from './timedtext.ts';
import { parseTimestampedTxt } from './txt.ts';
import { parseVtt } from './vtt.ts';
import { present } from '../present.ts';

/** File extensions (lower case, with the dot) that may hold a transcript. */
export const SUPPORTED_EXTENSIONS: readonly string[] = ['.vtt', '.srt', '.xml', '.srv3', '.json', '.json3', '.txt', '.md', '.markdown'];

// How much of the file the sniffers look at; every signature sits near the top.
const SNIFF_CHARS = 4096;

function extensionOf(fileName: string): string {
  const m = /\.[^./\\]+$/.exec(fileName);
  return m ? m[0].toLowerCase() : '';
}

const isSrv3 = (head: string) => /<timedtext\b[^>]*\bformat\s*=\s*["']3["']/.test(head) || /<body>\s*<p\s+t=/.test(head);

// Formats that announce themselves, whatever the file is called.
function sniff(head: string): TranscriptFormat | null {
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(head)) return 'vtt';
  if (/^[{[]/.test(head) && /"events"\s*:/.test(head)) return 'json3';
  if (/^[{[]/.test(head) && /"segments"\s*:/.test(head)) return 'podcast-json';
  if (head.startsWith('<')) {
    if (isSrv3(head)) return 'srv3';
    if (/<transcript[\s>]/.test(head)) return 'timedtext-xml';
  }
  if (/^(?:\d+[ \t]*\r?\n)?[ \t]*\d{1,2}:\d{2}:\d{2},\d{1,3}[ \t]+-->/.test(head)) return 'srt';
  return null;
}

/** The transcript format of a file from its content and extension, or null when unknown. */
export function detectFormat(fileName: string, text: string): TranscriptFormat | null {
  const head = text.slice(0, SNIFF_CHARS).replace(/^\uFEFF/, '').trimStart();
  const sniffed = sniff(head);
  if (sniffed) return sniffed;
  // No signature: trust the extension, so a broken file gets that format's precise error.
  switch (extensionOf(fileName)) {
    case '.vtt':
      return 'vtt';
    case '.srt':
      return 'srt';
    case '.xml':
    case '.srv3':
      return isSrv3(head) ? 'srv3' : 'timedtext-xml';
    case '.json':
    case '.json3':
      return 'json3';
    case '.txt':
      return 'txt';
    case '.md':
    case '.markdown':
      return 'markdown';
  }
  if (/^\*\*[^*\n]{1,80}:?\*\*:?/.test(head)) return 'markdown';
  if (/^\[?\d{1,2}(?::\d{2}){1,2}\]?[ \t]/.test(head)) return 'txt';
  return null;
}

/** Detects the format and parses; an unknown format is a ParseError. */
export function parseTranscript(fileName: string, text: string): ParsedTranscript & { format: TranscriptFormat } {
  const format = detectFormat(fileName, text);
  if (format === null) {
    throw new ParseError(fileName, 0, `unknown transcript format (supported: ${SUPPORTED_EXTENSIONS.join(' ')})`);
  }
  const parsed = parseAs(format, fileName, text);
  return { ...rejectImplausibleCues(parsed, fileName), format };
}

/**
 * Longest a single cue may last. Captions last seconds and a speaker's paragraph minutes; a cue
 * spanning hours is a timestamp followed by a whole transcript of untimed text (its length
 * estimated from the word count), which would make a fake many-hour episode.
 */
export const MAX_CUE_MS = 60 * 60_000;

const describe = (c: Cue) =>
  `cue at ${formatClock(c.startMs)} would last ${formatClock(c.endMs - c.startMs)} (${c.text.split(/\s+/).length} words after one timestamp)`;

/** Drops cues longer than MAX_CUE_MS with a warning each; a file with nothing else left is a ParseError. Pure. */
export function rejectImplausibleCues(parsed: ParsedTranscript, fileName: string): ParsedTranscript {
  const implausible = (c: Cue) => c.endMs - c.startMs > MAX_CUE_MS;
  if (!parsed.cues.some(implausible)) return parsed;
  const warnings: ParseWarning[] = [...parsed.warnings];
  const cues = parsed.cues.filter((c) => {
    if (!implausible(c)) return true;
    warnings.push({ line: 0, message: `implausible timing, cue dropped: ${describe(c)}` });
    return false;
  });
  if (cues.length === 0) {
    throw new ParseError(fileName, 0, `implausible timing: ${describe(present(parsed.cues.find(implausible), 'an implausible cue'))}; a transcript needs a timestamp at least every hour`);
  }
  return { cues, warnings };
}

function parseAs(format: TranscriptFormat, fileName: string, text: string): ParsedTranscript {
  switch (format) {
    case 'vtt':
      return parseVtt(text, fileName);
    case 'srt':
      return parseSrt(text, fileName);
    case 'timedtext-xml':
      return parseTimedTextXml(text, fileName);
    case 'srv3':
      return parseSrv3(text, fileName);
    case 'json3':
      return parseJson3(text, fileName);
    case 'txt':
      return parseTimestampedTxt(text, fileName);
    case 'markdown':
      return parseSpeakerMarkdown(text, fileName);
    case 'podcast-json':
      return parsePodcastJson(text, fileName);
    default: {
      const unhandled: never = format;
      throw new ParseError(fileName, 0, `no parser for format ${String(unhandled)}`);
    }
  }
}
