/**
 * SubRip (.srt) parser. Pure: text in, cues out.
 */
import { ParseError, type ParsedTranscript, type ParseWarning } from '../domain.ts';
import { blocksToDrafts, type CueBlockSyntax, collapseRepeats, scanCueBlocks } from './captions.ts';
import { finishCues, noCuesReason, splitLines } from './common.ts';

const SRT_SYNTAX: CueBlockSyntax = {
  endsText: (line) => line.trim() === '',
  isCueNumber: (line) => /^\s*\d+\s*$/.test(line),
};

// `{\an8}`-style positioning overrides are layout, not speech.
const stripOverrides = (raw: string) => raw.replace(/\{\\[^}]*\}/g, '');

/** Parses a SubRip file into cues; cue numbers are optional, bad cues become warnings. */
export function parseSrt(text: string, file: string): ParsedTranscript {
  const warnings: ParseWarning[] = [];
  const blocks = scanCueBlocks(splitLines(text), 0, SRT_SYNTAX, warnings);
  const cues = finishCues(collapseRepeats(blocksToDrafts(blocks, warnings, stripOverrides)));
  if (cues.length === 0) throw new ParseError(file, 0, noCuesReason('SRT', warnings));
  return { cues, warnings };
}
