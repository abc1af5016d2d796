/**
 * WebVTT parser (Whisper exports, YouTube captions, podcast transcripts). Pure: text in,
 * cues out.
 */
import { ParseError, type ParsedTranscript, type ParseWarning } from '../domain.ts';
import { blocksToDrafts, type CueBlockSyntax, collapseRepeats, scanCueBlocks } from './captions.ts';
import { finishCues, noCuesReason, splitLines } from './common.ts';

const VTT_SYNTAX: CueBlockSyntax = {
  // Only a truly empty line ends a cue: YouTube puts a lone-space line inside cue text.
  endsText: (line) => line === '',
  skipBlock: (line) => /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(line),
};

/** Parses a WebVTT file into cues; bad cues become warnings, a non-VTT file a ParseError. */
export function parseVtt(text: string, file: string): ParsedTranscript {
  const lines = splitLines(text);
  if (!/^WEBVTT(?:[ \t]|$)/.test(lines[0])) throw new ParseError(file, 1, 'missing "WEBVTT" header');

  // Header metadata (`Kind: captions`, `Language: en`) runs until the first empty line.
  let i = 1;
  while (i < lines.length && lines[i] !== '' && !lines[i].includes('-->')) i++;

  const warnings: ParseWarning[] = [];
  const drafts = blocksToDrafts(scanCueBlocks(lines, i, VTT_SYNTAX, warnings), warnings);
  const cues = finishCues(collapseRepeats(drafts));
  if (cues.length === 0) throw new ParseError(file, 0, noCuesReason('WebVTT', warnings));
  return { cues, warnings };
}
