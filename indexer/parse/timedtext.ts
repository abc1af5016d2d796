/**
 * YouTube caption bodies from the timedtext endpoint: the classic XML (`<transcript>`),
 * srv3 (`<timedtext format="3">`) and json3. Pure: text in, cues out.
 */
import { type Cue, ParseError, type ParsedTranscript, type ParseWarning } from '../domain.ts';
import {
  type CaptionDraft,
  collapseRepeats,
  decodeEntities,
  finishCues,
  lineAt,
  noCuesReason,
  normalizeSpace,
  stripTags,
} from './common.ts';

/**
 * Caption text from XML character data. Entities are decoded before tags are stripped
 * because YouTube escapes its formatting tags (`&lt;i>`), and decoded once more because
 * some bodies are double-escaped (`&amp;#39;`).
 */
function xmlText(raw: string): string {
  return normalizeSpace(decodeEntities(stripTags(decodeEntities(raw.replace(/<br\s*\/?>/gi, ' ')))));
}

/** Attribute value by name from an XML start tag's attribute text. */
function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * ASR captions stay on screen while the next line is spoken, so a cue's display end can
 * pass the next cue's start; the next start is the better end of the speech.
 */
function clipToNextStart(cues: Cue[]): Cue[] {
  for (let i = 0; i + 1 < cues.length; i++) {
    const next = cues[i + 1].startMs;
    if (next >= cues[i].startMs && next < cues[i].endMs) cues[i].endMs = next;
  }
  return cues;
}

/** Parses the classic timedtext XML: `<transcript><text start="1.2" dur="3.4">…</text>`. */
export function parseTimedTextXml(text: string, file: string): ParsedTranscript {
  if (!/<transcript[\s>]/.test(text)) throw new ParseError(file, 1, 'no <transcript> element: not timedtext XML');
  const warnings: ParseWarning[] = [];
  const drafts: CaptionDraft[] = [];
  for (const m of text.matchAll(/<text\b([^>]*?)(?:\/>|>([\s\S]*?)<\/text>)/g)) {
    const start = Number(attr(m[1], 'start'));
    const dur = Number(attr(m[1], 'dur') ?? 0);
    if (!Number.isFinite(start) || start < 0 || !Number.isFinite(dur) || dur < 0) {
      warnings.push({ line: lineAt(text, m.index), message: 'text element without a valid start/dur; skipped' });
      continue;
    }
    const body = xmlText(m[2] ?? '');
    const startMs = Math.round(start * 1000);
    drafts.push({ startMs, endMs: startMs + Math.round(dur * 1000), lines: body ? [{ text: body }] : [] });
  }
  const cues = finishCues(clipToNextStart(collapseRepeats(drafts)));
  if (cues.length === 0) throw new ParseError(file, 0, noCuesReason('timedtext', warnings));
  return { cues, warnings };
}

/** Parses srv3: `<timedtext format="3"><body><p t="ms" d="ms">` with optional `<s>` word children. */
export function parseSrv3(text: string, file: string): ParsedTranscript {
  if (!/<timedtext[\s>]/.test(text)) throw new ParseError(file, 1, 'no <timedtext> element: not srv3');
  const warnings: ParseWarning[] = [];
  const drafts: CaptionDraft[] = [];
  for (const m of text.matchAll(/<p\b([^>]*?)(?:\/>|>([\s\S]*?)<\/p>)/g)) {
    const t = Number(attr(m[1], 't'));
    const d = Number(attr(m[1], 'd') ?? 0);
    if (!Number.isFinite(t) || t < 0 || !Number.isFinite(d) || d < 0) {
      warnings.push({ line: lineAt(text, m.index), message: 'p element without a valid t/d; skipped' });
      continue;
    }
    // `<s>` children carry words with their own spacing; stripping the tags keeps it.
    // Append paragraphs (a="1") hold only a line break and so end up empty.
    const body = xmlText(m[2] ?? '');
    drafts.push({ startMs: Math.round(t), endMs: Math.round(t + d), lines: body ? [{ text: body }] : [] });
  }
  const cues = finishCues(clipToNextStart(collapseRepeats(drafts)));
  if (cues.length === 0) throw new ParseError(file, 0, noCuesReason('srv3', warnings));
  return { cues, warnings };
}

interface Json3Event {
  tStartMs?: unknown;
  dDurationMs?: unknown;
  segs?: { utf8?: unknown }[];
}

/** Line of a JSON syntax error, from the "position N" that V8 puts in its message. */
function jsonErrorLine(text: string, err: unknown): number {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  return m ? lineAt(text, Number(m[1])) : 0;
}

/**
 * Parses json3: `{"events":[{"tStartMs","dDurationMs","segs":[{"utf8"}]}]}`. Events
 * without segs (window definitions) and ASR "append" events holding only a line break
 * carry no speech and are skipped.
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
    const start = event.tStartMs;
    const dur = event.dDurationMs ?? 0;
    if (typeof start !== 'number' || start < 0 || typeof dur !== 'number' || dur < 0) {
      // JSON has no useful line numbers once parsed; the event index locates the problem.
      warnings.push({ line: 0, message: `event #${index} without a valid tStartMs/dDurationMs; skipped` });
      return;
    }
    drafts.push({ startMs: Math.round(start), endMs: Math.round(start + dur), lines: [{ text: body }] });
  });
  const cues = finishCues(clipToNextStart(collapseRepeats(drafts)));
  if (cues.length === 0) throw new ParseError(file, 0, noCuesReason('json3', warnings));
  return { cues, warnings };
}
