import { describe, expect, it } from 'vitest';
import { paragraphs, splitAnswer } from '../../web/src/lib/text/citations.ts';
import { citationTarget, groupByEpisode, hitToSource } from '../../web/src/lib/text/sources.ts';

describe('splitAnswer', () => {
  it('cuts text and [n] markers apart, numbering the chips in order', () => {
    expect(splitAnswer('Pinker says so [1]. Also [2][1]')).toEqual([
      [
        { kind: 'text', text: 'Pinker says so ' },
        { kind: 'cite', n: 1, marker: 0 },
        { kind: 'text', text: '. Also ' },
        { kind: 'cite', n: 2, marker: 1 },
        { kind: 'cite', n: 1, marker: 2 },
      ],
    ]);
  });

  it('expands [1, 2] and [3;4] into one chip per number', () => {
    expect(splitAnswer('[1, 2] [3;4]').flat().filter((p) => p.kind === 'cite')).toEqual([
      { kind: 'cite', n: 1, marker: 0 },
      { kind: 'cite', n: 2, marker: 1 },
      { kind: 'cite', n: 3, marker: 2 },
      { kind: 'cite', n: 4, marker: 3 },
    ]);
  });

  it('keeps counting markers across paragraphs', () => {
    const blocks = splitAnswer('First [1].\n\nSecond [1].');
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toContainEqual({ kind: 'cite', n: 1, marker: 1 });
  });

  it('leaves brackets that are not citations, and a half-streamed marker, as text', () => {
    expect(splitAnswer('see [a] or [] or [1')).toEqual([[{ kind: 'text', text: 'see [a] or [] or [1' }]]);
  });

  it('keeps markup-looking text as plain text', () => {
    expect(splitAnswer('<img src=x onerror=alert(1)> [4]')).toEqual([
      [
        { kind: 'text', text: '<img src=x onerror=alert(1)> ' },
        { kind: 'cite', n: 4, marker: 0 },
      ],
    ]);
  });

  it('gives nothing for an empty answer', () => {
    expect(splitAnswer('')).toEqual([]);
  });
});

describe('paragraphs', () => {
  it('splits on blank lines only', () => {
    expect(paragraphs('a\nb\n\n  \nc\n')).toEqual(['a\nb', 'c']);
  });
});

const source = (n: number, videoId: string, start: number) => ({
  n,
  videoId,
  title: `T ${videoId}`,
  channel: null,
  publishedAt: null,
  youtubeId: null,
  thumbnail: null,
  start,
  end: start + 30,
  text: `text ${n}`,
  url: null,
});

describe('sources', () => {
  it('groups by episode in rank order, moments in time order', () => {
    const groups = groupByEpisode([source(1, 'b', 50), source(2, 'a', 10), source(3, 'b', 5)]);
    expect(groups.map((g) => [g.videoId, g.sources.map((s) => s.n)])).toEqual([
      ['b', [3, 1]],
      ['a', [2]],
    ]);
  });

  it('resolves a chip to the citation of its marker, then of its number, then to its source', () => {
    const sources = [source(1, 'a', 10), source(2, 'b', 20)];
    const cite = (marker: number, start: number) => ({ marker, n: 1, videoId: 'a', title: 'T a', start, end: start + 2, quote: `at ${start}`, url: null });
    const citations = [cite(0, 12.5), cite(1, 40)];
    expect(citationTarget(1, 0, citations, sources)).toMatchObject({ videoId: 'a', start: 12.5, quote: 'at 12.5' });
    expect(citationTarget(1, 1, citations, sources)).toMatchObject({ start: 40 });
    expect(citationTarget(1, 7, citations, sources)).toMatchObject({ start: 12.5 });
    expect(citationTarget(2, 2, citations, sources)).toMatchObject({ videoId: 'b', start: 20 });
    expect(citationTarget(9, 3, citations, sources)).toBeNull();
  });

  it('turns a search hit into a numbered source with its YouTube id', () => {
    const hit = {
      videoId: 'v',
      title: 'T',
      channel: 'C',
      publishedAt: '2018-01-01',
      start: 61,
      end: 90,
      text: 'x',
      score: 1,
      url: 'https://www.youtube.com/watch?v=abcdefghijk&t=61s',
      chapter: null,
      speakers: [],
      segmentId: 3,
      youtubeId: 'abcdefghijk',
      thumbnail: null,
    };
    expect(hitToSource(hit, 0)).toMatchObject({ n: 1, videoId: 'v', youtubeId: 'abcdefghijk', start: 61 });
  });
});
