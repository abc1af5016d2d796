import { describe, expect, it } from 'vitest';
import { ParseError } from '../../indexer/domain.ts';
import { detectFormat, parseTranscript } from '../../indexer/parse/detect.ts';
import { parsePodcastJson } from '../../indexer/parse/podcast-json.ts';
import { expectWellFormed } from './well-formed.ts';

describe('parsePodcastJson', () => {
  it('reads phrase segments with speakers, seconds as numbers or strings, entities and tags', () => {
    const json = JSON.stringify({
      version: '1.0.0',
      segments: [
        { speaker: 'Ann Lee', startTime: 0.5, endTime: 4.25, body: 'Welcome back to the show, everyone &amp; friends.' },
        { speaker: 'Bob', startTime: '4.3', endTime: '9.001', body: 'Thanks for <i>having</i> me on today, Ann.' },
        { startTime: 9.5, endTime: 12, body: '  No speaker on this one at all, which is allowed  ' },
      ],
    });
    const { cues, warnings } = parsePodcastJson(json, 'a.json');
    expect(cues).toEqual([
      { startMs: 500, endMs: 4250, text: 'Welcome back to the show, everyone & friends.', speaker: 'Ann Lee' },
      { startMs: 4300, endMs: 9001, text: 'Thanks for having me on today, Ann.', speaker: 'Bob' },
      { startMs: 9500, endMs: 12000, text: 'No speaker on this one at all, which is allowed' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('joins word-level segments into phrases at sentence ends, speaker changes and pauses', () => {
    const words = (speaker: string, from: number, list: string[]) =>
      list.map((body, i) => ({ speaker, startTime: from + i * 0.3, endTime: from + i * 0.3 + 0.25, body }));
    const json = JSON.stringify({
      version: '1.0.0',
      segments: [
        ...words('Ann', 0, ['So', 'what', 'is', 'it?', 'Tell', 'me.']),
        ...words('Bob', 2, ['It', 'is', 'a', 'feed']),
        // A pause of 3 s before the next word starts a new line.
        ...words('Bob', 6.15, ['with', 'transcripts']),
      ],
    });
    const { cues } = parsePodcastJson(json, 'w.json');
    expect(cues).toEqual([
      { startMs: 0, endMs: 1150, text: 'So what is it?', speaker: 'Ann' },
      { startMs: 1200, endMs: 1750, text: 'Tell me.', speaker: 'Ann' },
      { startMs: 2000, endMs: 3150, text: 'It is a feed', speaker: 'Bob' },
      { startMs: 6150, endMs: 6700, text: 'with transcripts', speaker: 'Bob' },
    ]);
    expectWellFormed(cues);
  });

  it('lets a phrase at the word limit finish its sentence when it ends within a few words, never a one-word line', () => {
    const words = (list: string[]) => list.map((body, i) => ({ speaker: 'Ada', startTime: i * 0.3, endTime: i * 0.3 + 0.25, body }));
    // 17 words: the limit is 16 and the sentence ends one word later: before, "orbit." stood alone on its own line.
    const sentence = 'Thin air drags on the station every single day and slowly lowers the height of its orbit.'.split(' ');
    const { cues } = parsePodcastJson(JSON.stringify({ segments: words([...sentence, 'A', 'new', 'one.']) }), 'w.json');
    expect(cues.map((c) => c.text)).toEqual([sentence.join(' '), 'A new one.']);
    // A sentence that runs on well past the limit still breaks at 16 words.
    const long = Array.from({ length: 30 }, (_, i) => `w${i}`);
    const split = parsePodcastJson(JSON.stringify({ segments: words([...long.slice(0, -1), 'end.']) }), 'l.json').cues;
    expect(split.map((c) => c.text.split(' ').length)).toEqual([16, 14]);
    expectWellFormed(split);
  });

  it('skips segments with unusable times with a warning naming the segment, and sorts the rest', () => {
    const json = JSON.stringify({
      segments: [
        { startTime: 10, endTime: 11, body: 'later one, said second' },
        { startTime: -1, endTime: 2, body: 'negative start' },
        { startTime: 5, endTime: 4, body: 'ends before it starts' },
        { startTime: 'soon', endTime: 4, body: 'unreadable' },
        { startTime: 2, endTime: 3, body: 'earlier one, said first' },
        { startTime: 3, endTime: 4, body: '' },
        null,
      ],
    });
    const { cues, warnings } = parsePodcastJson(json, 'b.json');
    expect(cues.map((c) => c.text)).toEqual(['earlier one, said first', 'later one, said second']);
    expect(warnings.map((w) => w.message)).toEqual([
      'segment #1 without a valid startTime/endTime; skipped',
      'segment #2 without a valid startTime/endTime; skipped',
      'segment #3 without a valid startTime/endTime; skipped',
    ]);
  });

  it('throws ParseError for invalid JSON, a document without segments, or no usable segment', () => {
    expect(() => parsePodcastJson('{"segments": [', 'c.json')).toThrow(ParseError);
    expect(() => parsePodcastJson('{"version":"1.0.0"}', 'd.json')).toThrow('d.json: no "segments" array: not a Podcasting 2.0 JSON transcript');
    expect(() => parsePodcastJson('{"segments":[{"startTime":"x","body":"y"}]}', 'e.json')).toThrow('no usable Podcasting 2.0 JSON cues (1 skipped');
  });

  it('is detected by its "segments" key whatever the file is called', () => {
    const json = '{"version":"1.0.0","segments":[{"speaker":"A","startTime":1,"endTime":2,"body":"Hello there, listeners."}]}';
    expect(detectFormat('transcript.json', json)).toBe('podcast-json');
    expect(detectFormat('download', json)).toBe('podcast-json');
    expect(parseTranscript('t.json', json)).toMatchObject({ format: 'podcast-json', cues: [{ startMs: 1000, endMs: 2000, speaker: 'A' }] });
  });
});
