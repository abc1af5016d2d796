/**
 * Timestamped plain text, one cue per line: `HH:MM:SS text`, `MM:SS text` or
 * `[HH:MM:SS] text`, optionally `<v Name>` before the text. Pure: text in, cues out.
 */
import { type Cue, ParseError, type ParsedTranscript, type ParseWarning } from '../domain.ts';
import { parseClock } from '../time.ts';
import { decodeEntities, estimateSpeechMs, finishCues, normalizeSpace, speakerField, splitLines, stripTags } from './common.ts';

const CLOCK = String.raw`\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?`;
const TIMED_LINE = new RegExp(String.raw`^\s*(?:\[(${CLOCK})\]|(${CLOCK}))(?:\s+(.*))?$`);
const VOICE = /^<v(?:\.[^\s>]*)?\s+([^>]*)>/;

/** Parses timestamped text; an untimed line continues the previous cue. */
export function parseTimestampedTxt(text: string, file: string): ParsedTranscript {
  const warnings: ParseWarning[] = [];
  const cues: Cue[] = [];
  splitLines(text).forEach((line, index) => {
    if (line.trim() === '') return;
    const m = TIMED_LINE.exec(line);
    const startMs = m ? parseClock(m[1] ?? m[2]) : null;
    const last = cues.at(-1);
    if (startMs === null) {
      if (last) last.text = `${last.text} ${line}`;
      else warnings.push({ line: index + 1, message: 'text before the first timestamp skipped' });
      return;
    }
    let body = m?.[3] ?? '';
    const voice = VOICE.exec(body);
    body = body.replace(/<\/v>/g, '');
    if (last && startMs < last.startMs) {
      // Keeping the cue in place would break time order; its text still belongs here.
      warnings.push({ line: index + 1, message: 'timestamp goes back in time; text joined to the previous cue' });
      last.text = `${last.text} ${body}`;
      return;
    }
    cues.push({ startMs, endMs: startMs, text: body, ...speakerField(voice?.[1]?.trim()) });
  });

  for (const cue of cues) cue.text = normalizeSpace(decodeEntities(stripTags(cue.text)));
  // A line lasts until the next one starts; the last one as long as its words take to say.
  cues.forEach((cue, i) => {
    cue.endMs = i + 1 < cues.length ? cues[i + 1].startMs : cue.startMs + estimateSpeechMs(cue.text);
  });
  const finished = finishCues(cues);
  if (finished.length === 0) {
    throw new ParseError(file, 0, 'no timestamped lines (expected "HH:MM:SS text", "MM:SS text" or "[HH:MM:SS] text")');
  }
  return { cues: finished, warnings };
}
