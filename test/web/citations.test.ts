import { describe, expect, it } from 'vitest';
import { paragraphs, splitCitations } from '../../web/src/lib/text/citations.ts';
import { citationTarget, groupByEpisode, hitToSource } from '../../web/src/lib/text/sources.ts';

describe('splitCitations', () => {
  it('cuts text and [n] markers apart', () => {
    expect(splitCitations('Pinker says so [1]. Also [2][3]')).toEqual([
      { kind: 'text', text: 'Pinker says so ' },
      { kind: 'cite', n: 1 },
      { kind: 'text', text: '. Also ' },
      { kind: 'cite', n: 2 },
      { kind: 'cite', n: 3 },
    ]);
  });

  it('expands [1, 2] into two citations', () => {
    expect(splitCitations('[1, 2]')).toEqual([
      { kind: 'cite', n: 1 },
      { kind: 'cite', n: 2 },
    ]);
  });

  it('leaves brackets that are not citations, and a half-streamed marker, as text', () => {
    expect(splitCitations('see [a] or [] or [1')).toEqual([{ kind: 'text', text: 'see [a] or [] or [1' }]);
  });

  it('keeps markup-looking text as plain text', () => {
    expect(splitCitations('<img src=x onerror=alert(1)> [4]')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)> ' },
      { kind: 'cite', n: 4 },
    ]);
  });

  it('gives nothing for an empty answer', () => {
    expect(splitCitations('')).toEqual([]);
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

  it('resolves a chip to its citation first, then to its source', () => {
    const sources = [source(1, 'a', 10), source(2, 'b', 20)];
    const citations = [{ n: 1, videoId: 'a', title: 'T a', start: 12.5, end: 14, quote: 'exact words', url: null }];
    expect(citationTarget(1, citations, sources)).toMatchObject({ videoId: 'a', start: 12.5, quote: 'exact words' });
    expect(citationTarget(2, citations, sources)).toMatchObject({ videoId: 'b', start: 20 });
    expect(citationTarget(9, citations, sources)).toBeNull();
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
    };
    expect(hitToSource(hit, 0)).toMatchObject({ n: 1, videoId: 'v', youtubeId: 'abcdefghijk', start: 61 });
  });
});
