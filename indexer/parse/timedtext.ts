/**
 * YouTube caption bodies from the timedtext endpoint: the classic XML (`<transcript>`),
 * srv3 (`<timedtext format="3">`) and json3. Pure: text in, cues out.
 */
import { type Cue, ParseError, type ParsedTranscript, type ParseWarning } from '../domain.ts';
import { type CaptionDraft, collapseRepeats } from './captions.ts';
import { decodeEntities, finishCues, lineAt, noCuesReason, normalizeSpace, stripTags } from './common.ts';

// Entities are decoded before tags are stripped because YouTube escapes its formatting
// tags (`&lt;i>`), and decoded once more because some bodies are double-escaped (`&amp;#39;`).
function xmlText(raw: string): string {
  return normalizeSpace(decodeEntities(stripTags(decodeEntities(raw.replace(/<br\s*\/?>/gi, ' ')))));
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? (m[1] ?? m[2]) : undefined;
}

// Drafts from every `<tag …>text</tag>` (or `<tag …/>`) element; `timing` reads its
// attributes and returns null when they are unusable, which becomes a warning.
function xmlDrafts(
  text: string,
  tag: string,
  timing: (attrs: string) => { startMs: number; endMs: number } | null,
  warnings: ParseWarning[],
): CaptionDraft[] {
  const drafts: CaptionDraft[] = [];
  // Attributes never contain `<`, and an element without its closing tag ends where the next
  // one starts: each scan stops at the next element, so broken files parse in linear time and
  // the text of an unclosed element stays its own (it used to swallow the next element).
  const element = new RegExp(`<${tag}\\b([^<>]*?)(?:\\/>|>((?:(?!<${tag}\\b)[\\s\\S])*?)(?:<\\/${tag}>|(?=<${tag}\\b)|$))`, 'g');
  for (const m of text.matchAll(element)) {
    const time = timing(m[1]);
    if (!time) {
      warnings.push({ line: lineAt(text, m.index), message: `<${tag}> without a valid time; skipped` });
      continue;
    }
    const body = xmlText(m[2] ?? '');
    drafts.push({ ...time, lines: body ? [{ text: body }] : [] });
  }
  return drafts;
}

// A start and a duration, both non-negative numbers, scaled to integer milliseconds.
function span(start: string | undefined, duration: string | undefined, toMs: number) {
  const s = Number(start);
  const d = Number(duration ?? 0);
  if (start === undefined || !Number.isFinite(s) || s < 0 || !Number.isFinite(d) || d < 0) return null;
  const startMs = Math.round(s * toMs);
  return msSpan(startMs, startMs + Math.round(d * toMs));
}

// Times too large for whole milliseconds (`start="1e308"` is finite seconds, infinite ms) are unusable.
const msSpan = (startMs: number, endMs: number) => (Number.isSafeInteger(startMs) && Number.isSafeInteger(endMs) ? { startMs, endMs } : null);

// ASR captions stay on screen while the next line is spoken, so a cue's display end can
// pass the next cue's start; the next start is the better end of the speech.
function clipToNextStart(cues: Cue[]): Cue[] {
  for (let i = 0; i + 1 < cues.length; i++) {
    const next = cues[i + 1].startMs;
    if (next >= cues[i].startMs && next < cues[i].endMs) cues[i].endMs = next;
  }
  return cues;
}

function finish(drafts: CaptionDraft[], warnings: ParseWarning[], file: string, kind: string): ParsedTranscript {
  const cues = finishCues(clipToNextStart(collapseRepeats(drafts)));
  if (cues.length === 0) throw new ParseError(file, 0, noCuesReason(kind, warnings));
  return { cues, warnings };
}

/** Parses the classic timedtext XML: `<transcript><text start="1.2" dur="3.4">…</text>`. */
export function parseTimedTextXml(text: string, file: string): ParsedTranscript {
  if (!/<transcript[\s>]/.test(text)) throw new ParseError(file, 1, 'no <transcript> element: not timedtext XML');
  const warnings: ParseWarning[] = [];
  const drafts = xmlDrafts(text, 'text', (a) => span(attr(a, 'start'), attr(a, 'dur'), 1000), warnings);
  return finish(drafts, warnings, file, 'timedtext');
}

/**
 * Parses srv3: `<timedtext format="3"><body><p t="ms" d="ms">`. Word spans (`<s>`) carry
 * their own spacing, so stripping their tags keeps it; ASR "append" paragraphs (`a="1"`)
 * hold only a line break and come out empty.
 */
export function parseSrv3(text: string, file: string): ParsedTranscript {
  if (!/<timedtext[\s>]/.test(text)) throw new ParseError(file, 1, 'no <timedtext> element: not srv3');
  const warnings: ParseWarning[] = [];
  const drafts = xmlDrafts(text, 'p', (a) => span(attr(a, 't'), attr(a, 'd'), 1), warnings);
  return finish(drafts, warnings, file, 'srv3');
}

interface Json3Event {
  tStartMs?: unknown;
  dDurationMs?: unknown;
  segs?: { utf8?: unknown }[];
}

// V8 reports "at position N" for JSON syntax errors; turn that into a line.
function jsonErrorLine(text: string, err: unknown): number {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  return m ? lineAt(text, Number(m[1])) : 0;
}

/**
 * Parses json3: `{"events":[{"tStartMs","dDurationMs","segs":[{"utf8"}]}]}`. Events
 * without segs (window definitions) and ASR "append" events (`aAppend: 1`) holding only a
 * line break carry no speech and are skipped.
 */
export function parseJson3(text: string, file: string): ParsedTranscript {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ParseError(file, jsonErrorLine(text, err), `invalid JSON: ${(err as Error).message}`);
  }
  const events = (doc as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) throw new ParseError(file, 0, 'no "events" array: not json3');

  const warnings: ParseWarning[] = [];
  const drafts: CaptionDraft[] = [];
  events.forEach((event: Json3Event, index) => {
    if (!Array.isArray(event?.segs)) return;
    const body = normalizeSpace(event.segs.map((seg) => (typeof seg?.utf8 === 'string' ? seg.utf8 : '')).join(''));
    if (body === '') return;
    const { tStartMs: start, dDurationMs: dur = 0 } = event;
    const time = typeof start === 'number' && start >= 0 && typeof dur === 'number' && dur >= 0 ? msSpan(Math.round(start), Math.round(start + dur)) : null;
    if (!time) {
      // Parsed JSON has no line numbers; the event index locates the problem.
      warnings.push({ line: 0, message: `event #${index} without a valid tStartMs/dDurationMs; skipped` });
      return;
    }
    drafts.push({ ...time, lines: [{ text: body }] });
  });
  return finish(drafts, warnings, file, 'json3');
}
