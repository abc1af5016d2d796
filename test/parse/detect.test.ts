import { describe, expect, it } from 'vitest';
import { ParseError } from '../../indexer/domain.ts';
import { detectFormat, parseTranscript, SUPPORTED_EXTENSIONS } from '../../indexer/parse/detect.ts';

const VTT = 'WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n';
const SRT = '1\n00:00:00,000 --> 00:00:01,000\nhi\n';
const XML = '<?xml version="1.0" encoding="utf-8" ?><transcript><text start="0" dur="1">hi</text></transcript>';
const SRV3 = '<?xml version="1.0" encoding="utf-8" ?><timedtext format="3"><body><p t="0" d="1000">hi</p></body></timedtext>';
const JSON3 = '{"wireMagic":"pb3","events":[{"tStartMs":0,"dDurationMs":1000,"segs":[{"utf8":"hi"}]}]}';
const TXT = '00:00:00 hi\n00:00:01 there\n';
const MD = '**Host:** \\[00:00\\] hi\n';

describe('detectFormat', () => {
  it.each([
    ['a.vtt', VTT, 'vtt'],
    ['a.srt', SRT, 'srt'],
    ['a.xml', XML, 'timedtext-xml'],
    ['a.xml', SRV3, 'srv3'],
    ['a.srv3', SRV3, 'srv3'],
    ['a.json', JSON3, 'json3'],
    ['a.json3', JSON3, 'json3'],
    ['a.txt', TXT, 'txt'],
    ['a.md', MD, 'markdown'],
    ['A.VTT', VTT, 'vtt'],
  ] as const)('%s with %s-like content', (name, text, format) => {
    expect(detectFormat(name, text)).toBe(format);
  });

  it('trusts a content signature over a misleading extension', () => {
    expect(detectFormat('captions.txt', VTT)).toBe('vtt');
    expect(detectFormat('captions.txt', `\uFEFF${SRT}`)).toBe('srt');
    expect(detectFormat('download', JSON3)).toBe('json3');
    expect(detectFormat('noext', XML)).toBe('timedtext-xml');
  });

  it('falls back to the extension so a broken file gets its own parser error', () => {
    expect(detectFormat('broken.vtt', 'not a vtt')).toBe('vtt');
    expect(() => parseTranscript('broken.vtt', 'not a vtt')).toThrow('broken.vtt:1: missing "WEBVTT" header');
  });

  it('sniffs extensionless timestamped text and speaker Markdown', () => {
    expect(detectFormat('notes', TXT)).toBe('txt');
    expect(detectFormat('notes', MD)).toBe('markdown');
    expect(detectFormat('notes', 'nothing recognisable')).toBeNull();
  });

  it('lists every extension it recognises', () => {
    for (const ext of ['.vtt', '.srt', '.xml', '.srv3', '.json', '.json3', '.txt', '.md']) {
      expect(SUPPORTED_EXTENSIONS).toContain(ext);
    }
  });
});

describe('parseTranscript', () => {
  it.each([
    ['a.vtt', VTT, 'vtt'],
    ['a.srt', SRT, 'srt'],
    ['a.xml', XML, 'timedtext-xml'],
    ['a.xml', SRV3, 'srv3'],
    ['a.json3', JSON3, 'json3'],
    ['a.txt', TXT, 'txt'],
    ['a.md', MD, 'markdown'],
  ] as const)('dispatches %s (%s) to its parser', (name, text, format) => {
    const parsed = parseTranscript(name, text);
    expect(parsed.format).toBe(format);
    expect(parsed.cues[0]).toMatchObject({ startMs: 0, text: 'hi' });
  });

  it('throws ParseError for an unknown format', () => {
    expect(() => parseTranscript('notes.docx', 'hello')).toThrow(ParseError);
    expect(() => parseTranscript('notes.docx', 'hello')).toThrow(/notes\.docx: unknown transcript format/);
  });
});
