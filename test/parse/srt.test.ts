import { describe, expect, it } from 'vitest';
import { ParseError } from '../../indexer/domain.ts';
import { parseSrt } from '../../indexer/parse/srt.ts';

describe('parseSrt', () => {
  it('reads numbered and unnumbered blocks with CRLF, BOM, tags and positioning', () => {
    const text = [
      '\uFEFF1',
      '00:00:01,000 --> 00:00:02,500',
      '<i>Hello</i> <font color="#ffffff">world</font>',
      '',
      '00:00:03,000 --> 00:00:04,000',
      'no number here',
      'second line',
      '',
      '',
      '3',
      '00:00:05,000 --> 00:00:06,000 X1:100 X2:200 Y1:10 Y2:20',
      '{\\an8}Top text',
      '4',
      '00:01:02,500 --> 01:00:05,000',
      'missing blank line before &amp; after',
      '',
    ].join('\r\n');
    const { cues, warnings } = parseSrt(text, 'a.srt');
    expect(cues).toEqual([
      { startMs: 1000, endMs: 2500, text: 'Hello world' },
      { startMs: 3000, endMs: 4000, text: 'no number here second line' },
      { startMs: 5000, endMs: 6000, text: 'Top text' },
      { startMs: 62_500, endMs: 3_605_000, text: 'missing blank line before & after' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('warns about a bad timing or stray text and keeps the other cues', () => {
    const text = [
      '1', // 1
      '00:00:01,000 --> 00:00:02,000',
      'kept',
      '',
      '2', // 5
      '00:00:09,000 --> 00:00:03,000', // 6
      'backwards',
      '',
      'stray text', // 9
      '',
      '4',
      '00:00:10,000 --> 00:00:11,000',
      'also kept',
    ].join('\n');
    const { cues, warnings } = parseSrt(text, 'b.srt');
    expect(cues.map((c) => c.text)).toEqual(['kept', 'also kept']);
    expect(warnings.map((w) => w.line)).toEqual([6, 9]);
  });

  it('throws ParseError for a file without cues', () => {
    expect(() => parseSrt('', 'empty.srt')).toThrow(ParseError);
    expect(() => parseSrt('just some prose\nwithout timings\n', 'prose.srt')).toThrow(
      'prose.srt: no usable SRT cues (1 skipped, first at line 1)',
    );
  });
});
