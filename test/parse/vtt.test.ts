import { describe, expect, it } from 'vitest';
import { ParseError } from '../../indexer/domain.ts';
import { parseVtt } from '../../indexer/parse/vtt.ts';
import { expectWellFormed } from './well-formed.ts';

const vtt = (...lines: string[]) => lines.join('\n');

describe('parseVtt', () => {
  it('reads mixed MM:SS / H:MM:SS / HH:MM:SS timings, settings, identifiers and skips NOTE/STYLE/REGION', () => {
    const text = vtt(
      'WEBVTT - a title',
      'Kind: captions',
      '',
      'STYLE',
      '::cue { color: red }',
      '',
      'REGION',
      'id:fred width:40%',
      '',
      'NOTE this is a comment',
      'that spans two lines',
      '',
      '1',
      '00:01.000 --> 00:04.500 align:start position:0%',
      '   Hello   there,',
      'general Kenobi.  ',
      '',
      'intro-2',
      '59:59.999 --> 1:00:02.000',
      'Crossing the hour.',
      '',
      '01:00:02.000 --> 01:00:03.250 line:90%',
      'Two-digit hours.',
      '',
    );
    const { cues, warnings } = parseVtt(text, 'a.vtt');
    expect(cues).toEqual([
      { startMs: 1000, endMs: 4500, text: 'Hello there, general Kenobi.' },
      { startMs: 3_599_999, endMs: 3_602_000, text: 'Crossing the hour.' },
      { startMs: 3_602_000, endMs: 3_603_250, text: 'Two-digit hours.' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('accepts a BOM and CRLF line endings', () => {
    const text = '\uFEFFWEBVTT\r\n\r\n00:00.500 --> 00:01.000\r\nHi.\r\n\r\n00:01.000 --> 00:02.000\r\nBye.\r\n';
    expect(parseVtt(text, 'crlf.vtt').cues).toEqual([
      { startMs: 500, endMs: 1000, text: 'Hi.' },
      { startMs: 1000, endMs: 2000, text: 'Bye.' },
    ]);
  });

  it('turns voice tags into speakers, one cue per speaker inside a caption', () => {
    const text = vtt(
      'WEBVTT',
      '',
      '00:00.000 --> 00:02.000',
      '<v Roger Bingham>We are in New York City',
      '',
      '00:02.000 --> 00:04.000',
      '<v.loud Neil deGrasse Tyson>Yes!</v>',
      '',
      '00:04.000 --> 00:06.000',
      '<v Roger Bingham>Hi</v>',
      '<v Neil deGrasse Tyson>Hello',
    );
    expect(parseVtt(text, 'v.vtt').cues).toEqual([
      { startMs: 0, endMs: 2000, text: 'We are in New York City', speaker: 'Roger Bingham' },
      { startMs: 2000, endMs: 4000, text: 'Yes!', speaker: 'Neil deGrasse Tyson' },
      { startMs: 4000, endMs: 6000, text: 'Hi', speaker: 'Roger Bingham' },
      { startMs: 4000, endMs: 6000, text: 'Hello', speaker: 'Neil deGrasse Tyson' },
    ]);
  });

  it('strips inline tags and karaoke timestamps, then decodes entities', () => {
    const text = vtt(
      'WEBVTT',
      '',
      '00:00.000 --> 00:03.000',
      '<c.colorE5E5E5>I</c> <i>really</i> <b>mean</b> it &amp; more &lt;3 &gt;&nbsp; it&#39;s &#x41; R&D; &bogus;',
      '',
      '00:03.000 --> 00:04.000',
      'hello<00:00:03.320><c> everyone</c> &lt;i&gt;literal&lt;/i&gt;',
    );
    expect(parseVtt(text, 't.vtt').cues.map((c) => c.text)).toEqual([
      "I really mean it & more <3 > it's A R&D; &bogus;", // unknown entities stay as written
      // Escaped tags are text the captioner meant to show, so they survive.
      'hello everyone <i>literal</i>',
    ]);
  });

  it('drops the "- " that marks a speaker change in older captions', () => {
    const text = vtt('WEBVTT', '', '00:00.000 --> 00:02.000', '- Are you ready?', "- Yeah, let's do it.");
    expect(parseVtt(text, 'd.vtt').cues).toEqual([{ startMs: 0, endMs: 2000, text: "Are you ready? Yeah, let's do it." }]);
  });

  it('collapses YouTube ASR rolling captions so each piece of text appears once, at the time it was introduced', () => {
    // The shape yt-dlp writes for auto-captions: every cue repeats the previous line, and
    // 10 ms cues only repeat it. A lone-space line sits inside the cue text.
    const text = vtt(
      'WEBVTT',
      'Kind: captions',
      'Language: en',
      '',
      '00:00:00.000 --> 00:00:02.790 align:start position:0%',
      ' ',
      'hello<00:00:00.320><c> everyone</c><00:00:00.640><c> welcome</c>',
      '',
      '00:00:02.790 --> 00:00:02.800 align:start position:0%',
      'hello everyone welcome',
      ' ',
      '',
      '00:00:02.800 --> 00:00:05.430 align:start position:0%',
      'hello everyone welcome',
      'to<00:00:03.040><c> the</c><00:00:03.360><c> show</c>',
      '',
      '00:00:05.430 --> 00:00:05.440 align:start position:0%',
      'to the show',
      ' ',
      '',
      '00:00:05.440 --> 00:00:08.000 align:start position:0%',
      'to the show',
      'today<00:00:05.800><c> we</c><00:00:06.100><c> talk</c><00:00:06.500><c> about</c><00:00:07.000><c> parsers</c>',
      '',
    );
    const { cues, warnings } = parseVtt(text, 'asr.vtt');
    expect(cues).toEqual([
      { startMs: 0, endMs: 2800, text: 'hello everyone welcome' },
      { startMs: 2800, endMs: 5440, text: 'to the show' },
      { startMs: 5440, endMs: 8000, text: 'today we talk about parsers' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('merges an ASR repetition loop into one cue but keeps the same words said again after a pause', () => {
    const text = vtt(
      'WEBVTT',
      '',
      '00:10.000 --> 00:11.000',
      'and you have to do it in Python.',
      '',
      '00:11.000 --> 00:12.000',
      'and you have to do it in Python.',
      '',
      '00:12.000 --> 00:13.500',
      'and you have to do it in Python.',
      '',
      '00:20.000 --> 00:21.000',
      'and you have to do it in Python.',
    );
    expect(parseVtt(text, 'loop.vtt').cues).toEqual([
      { startMs: 10_000, endMs: 13_500, text: 'and you have to do it in Python.' },
      { startMs: 20_000, endMs: 21_000, text: 'and you have to do it in Python.' },
    ]);
  });

  it('does not treat the same words from another speaker as a repeat', () => {
    const text = vtt('WEBVTT', '', '00:00.000 --> 00:01.000', '<v A>Yeah.', '', '00:01.000 --> 00:02.000', '<v B>Yeah.');
    expect(parseVtt(text, 's.vtt').cues.map((c) => c.speaker)).toEqual(['A', 'B']);
  });

  it('skips bad cues with a warning naming the line and keeps the rest', () => {
    const text = vtt(
      'WEBVTT', // 1
      '',
      '00:00.000 --> 00:01.000', // 3
      'first',
      '',
      '00:05.000 --> 00:02.000', // 6: ends before it starts
      'backwards',
      '',
      '00:xx.000 --> 00:03.000', // 9: unreadable
      'garbled',
      '',
      'orphan text without timing', // 12
      '',
      '00:06.000 --> 00:07.000', // 14
      'last',
    );
    const { cues, warnings } = parseVtt(text, 'bad.vtt');
    expect(cues.map((c) => c.text)).toEqual(['first', 'last']);
    expect(warnings.map((w) => w.line)).toEqual([6, 9, 12]);
    expect(warnings[0].message).toMatch(/ends before it starts/);
    expect(warnings[1].message).toMatch(/unparseable timing/);
  });

  it('starts a new cue at a timing line even without the blank line before it', () => {
    const text = vtt('WEBVTT', '', '00:00.000 --> 00:01.000', 'one', '00:01.000 --> 00:02.000', 'two');
    expect(parseVtt(text, 'n.vtt').cues.map((c) => c.text)).toEqual(['one', 'two']);
  });

  it('sorts cues that are out of order in the file', () => {
    const text = vtt('WEBVTT', '', '00:05.000 --> 00:06.000', 'later', '', '00:01.000 --> 00:02.000', 'earlier');
    const { cues } = parseVtt(text, 'o.vtt');
    expect(cues.map((c) => c.text)).toEqual(['earlier', 'later']);
    expectWellFormed(cues);
  });

  it('throws ParseError with file and line for a missing header', () => {
    const call = () => parseVtt('00:00.000 --> 00:01.000\nhi\n', 'nohead.vtt');
    expect(call).toThrow(ParseError);
    expect(call).toThrow('nohead.vtt:1: missing "WEBVTT" header');
    expect(() => parseVtt('WEBVTTX\n\n00:00.000 --> 00:01.000\nhi', 'x.vtt')).toThrow(ParseError);
  });

  it('throws ParseError when no cue survives, pointing at the first skipped one', () => {
    expect(() => parseVtt('WEBVTT\n\nNOTE nothing here\n', 'empty.vtt')).toThrow('empty.vtt: no WebVTT cues found');
    try {
      parseVtt('WEBVTT\n\n00:09.000 --> 00:01.000\nbackwards\n', 'allbad.vtt');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).file).toBe('allbad.vtt');
      expect((err as ParseError).reason).toBe('no usable WebVTT cues (1 skipped, first at line 3)');
    }
  });
});
