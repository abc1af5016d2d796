import { describe, expect, it } from 'vitest';
import { ParseError } from '../../indexer/domain.ts';
import { parseTimestampedTxt } from '../../indexer/parse/txt.ts';

describe('parseTimestampedTxt', () => {
  it('reads HH:MM:SS, [HH:MM:SS] and MM:SS lines; untimed lines continue the previous cue', () => {
    const text = [
      'Episode 12: a title line', // 1: before any timestamp
      '00:00:00 <v Michael Kennedy>Welcome to the show.',
      '',
      '00:00:05 Thanks for having me.',
      'and a continued line.',
      '[00:01:10] Bracketed form.',
      '01:15 Short form at the end with eight words.',
    ].join('\n');
    const { cues, warnings } = parseTimestampedTxt(text, 'a.txt');
    expect(cues).toEqual([
      { startMs: 0, endMs: 5000, text: 'Welcome to the show.', speaker: 'Michael Kennedy' },
      { startMs: 5000, endMs: 70_000, text: 'Thanks for having me. and a continued line.' },
      { startMs: 70_000, endMs: 75_000, text: 'Bracketed form.' },
      // Last cue: 8 words at 150 wpm = 3.2 s.
      { startMs: 75_000, endMs: 78_200, text: 'Short form at the end with eight words.' },
    ]);
    expect(warnings).toEqual([{ line: 1, message: 'text before the first timestamp skipped' }]);
  });

  it('gives a short last cue at least one second', () => {
    const { cues } = parseTimestampedTxt('00:00:01 Hi.\n00:00:02 Bye.', 'b.txt');
    expect(cues.at(-1)).toEqual({ startMs: 2000, endMs: 3000, text: 'Bye.' });
  });

  it('joins a line whose timestamp goes back in time to the previous cue, with a warning', () => {
    const { cues, warnings } = parseTimestampedTxt('00:00:10 one\n00:00:05 two\n00:00:20 three', 'c.txt');
    expect(cues).toEqual([
      { startMs: 10_000, endMs: 20_000, text: 'one two' },
      { startMs: 20_000, endMs: 21_000, text: 'three' },
    ]);
    expect(warnings.map((w) => w.line)).toEqual([2]);
  });

  it('throws ParseError when there is no timestamped line', () => {
    expect(() => parseTimestampedTxt('just prose\n\nmore prose', 'd.txt')).toThrow(ParseError);
  });
});
