import { describe, expect, it } from 'vitest';
import { ParseError } from '../../indexer/domain.ts';
import { MAX_CUE_WORDS, parseSpeakerMarkdown } from '../../indexer/parse/markdown.ts';
import { expectWellFormed } from './well-formed.ts';

describe('parseSpeakerMarkdown', () => {
  it('interpolates times by word count between sparse markers and keeps speakers', () => {
    // Word positions: P1 0-3, P2 3-9, P3 9-13, P5 13-21. Anchors (position, ms):
    // (0,0) (3,10000) (13,20000) (13,50000) (13,55000) (18,58000).
    const md = [
      '**Alice Smith:** Hello there friend.',
      '',
      '**Bob:** \\[00:10\\] One two three four five six.',
      '',
      'Still Bob speaking here.',
      '',
      '**Break:** \\[00:20\\] to \\[00:50\\]',
      '',
      '**Alice Smith:** \\[00:55\\] *Back* after the [break](https://example.com) with \\[unintelligible 00:58\\] some words.',
    ].join('\n');
    const { cues, warnings } = parseSpeakerMarkdown(md, 'a.md');
    expect(cues).toEqual([
      { startMs: 0, endMs: 10_000, text: 'Hello there friend.', speaker: 'Alice Smith' },
      // 6 of the 10 words between 00:10 and 00:20.
      { startMs: 10_000, endMs: 16_000, text: 'One two three four five six.', speaker: 'Bob' },
      { startMs: 16_000, endMs: 20_000, text: 'Still Bob speaking here.', speaker: 'Bob' },
      // The break's range leaves a gap; after the last marker (00:58, 3 words before the
      // end) the pace is the 150 wpm default because too few words precede it.
      {
        startMs: 55_000,
        endMs: 59_200,
        text: 'Back after the break with [unintelligible] some words.',
        speaker: 'Alice Smith',
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('extrapolates past the last marker at the file pace and packs sentences into cues', () => {
    const sentence = 'a b c d e f g h i j.'; // 10 words
    const md = [`**Host:** ${Array(30).fill(sentence).join(' ')}`, '', `**Guest:** \\[03:00\\] ${Array(3).fill(sentence).join(' ')}`].join('\n');
    const { cues } = parseSpeakerMarkdown(md, 'b.md');
    // 300 words in 3 minutes = 600 ms per word (100 wpm), used after 03:00 as well.
    expect(cues.map((c) => [c.startMs, c.endMs, c.text.split(' ').length, c.speaker])).toEqual([
      ...Array.from({ length: 7 }, (_, k) => [k * 24_000, (k + 1) * 24_000, MAX_CUE_WORDS, 'Host']),
      [168_000, 180_000, 20, 'Host'],
      [180_000, 198_000, 30, 'Guest'],
    ]);
    expectWellFormed(cues);
  });

  it('starts a new cue at a mid-paragraph marker', () => {
    const { cues } = parseSpeakerMarkdown('**A:** one two. \\[00:10\\] three four.', 'c.md');
    expect(cues).toEqual([
      { startMs: 0, endMs: 10_000, text: 'one two.', speaker: 'A' },
      { startMs: 10_000, endMs: 10_800, text: 'three four.', speaker: 'A' },
    ]);
  });

  it('ignores a marker that goes back in time, with a warning', () => {
    const { cues, warnings } = parseSpeakerMarkdown('**A:** \\[01:00\\] a b c.\n\n**B:** \\[00:30\\] d e f.', 'd.md');
    expect(cues).toEqual([
      { startMs: 60_000, endMs: 61_200, text: 'a b c.', speaker: 'A' },
      { startMs: 61_200, endMs: 62_400, text: 'd e f.', speaker: 'B' },
    ]);
    expect(warnings).toEqual([{ line: 3, message: 'timestamp "\\[00:30\\]" is earlier than the one before it; ignored' }]);
  });

  it('reads the marker and label variants found in Changelog transcripts', () => {
    const md = [
      '**Nicholas Harris**: \\[00:11**:** 51.07\\] Yeah, I was an engineer.',
      '',
      '**Chris Benson: I**ndeed, I do. \\*bleep\\* &quot;quoted&quot; `code` and __bold__ and snake_case_name.',
      '',
      '**Break:** [00:16:16:05]',
      '',
      '**Daniel Whitenack:** \\[01:00:01.20\\] Back.',
    ].join('\n');
    const { cues, warnings } = parseSpeakerMarkdown(md, 'e.md');
    expect(warnings).toEqual([]);
    expect(cues.map((c) => [c.startMs, c.speaker, c.text])).toEqual([
      [711_070, 'Nicholas Harris', 'Yeah, I was an engineer.'],
      // 5 of the 15 words between 11:51.07 and the break at 16:16.
      [799_380, 'Chris Benson', 'Indeed, I do. *bleep* "quoted" code and bold and snake_case_name.'],
      [3_601_200, 'Daniel Whitenack', 'Back.'],
    ]);
    // The frames in `[00:16:16:05]` are dropped: the break ends the previous text at 16:16.
    expect(cues[1].endMs).toBe(976_000);
  });

  it('throws ParseError when there is no transcript text', () => {
    expect(() => parseSpeakerMarkdown('**Break:** \\[13:03\\]\n\n', 'f.md')).toThrow(ParseError);
    expect(() => parseSpeakerMarkdown('', 'g.md')).toThrow('g.md: no transcript text found');
  });
});
