import { describe, expect, it } from 'vitest';
import type { Citation, TopicTimelineEntry } from '../../core/contract/api.ts';
import { pointCitation } from '../../web/src/lib/text/citations.ts';
import { formatMinutes, plural, timelineMoment, timelineOrder } from '../../web/src/lib/text/topic.ts';

const entry = (videoId: string, publishedAt: string | null): TopicTimelineEntry => ({
  videoId,
  title: videoId,
  publishedAt,
  start: 0,
  minutes: 1,
  point: { text: '', citations: [] },
});

describe('topic timeline', () => {
  it('orders oldest first, undated last, ties as given', () => {
    const out = timelineOrder([entry('u1', null), entry('c', '2020-05-01'), entry('a', '2018-01-02'), entry('u2', 'not a date'), entry('b', '2020-05-01'), entry('d', '2019-12-31')]);
    expect(out.map((e) => e.videoId)).toEqual(['a', 'd', 'c', 'b', 'u1', 'u2']);
  });

  it('says where an episode first discusses the topic, and where the card quotes when that is later', () => {
    const spans = (...starts: number[]) => ({ spans: starts.map((start) => ({ start, end: start + 30 })) });
    // Chollet #120 on "artificial general intelligence": discussed from 5:45, the card quotes 35:35.
    expect(timelineMoment({ start: 2135.6 }, spans(2469, 345.2, 429))).toBe('First discussed at 5:45 · quoted at 35:35');
    expect(timelineMoment({ start: 509.56 }, spans(509.56, 1460))).toBe('First discussed at 8:29');
    expect(timelineMoment({ start: 509.56 })).toBe('First discussed at 8:29');
    expect(timelineMoment({ start: 509.56 }, spans())).toBe('First discussed at 8:29');
  });

  it('formats minutes and counts', () => {
    expect(formatMinutes(0.4)).toBe('under a minute');
    expect(formatMinutes(1.2)).toBe('1\u00a0minute');
    expect(formatMinutes(18.2)).toBe('18\u00a0minutes');
    expect(formatMinutes(75)).toBe('1\u00a0h\u00a015\u00a0min');
    expect([plural(1, 'episode'), plural(1200, 'passage')]).toEqual(['1 episode', '1,200 passages']);
  });
});

describe('citations of a cited statement', () => {
  const c = (marker: number, n: number): Citation => ({ marker, n, videoId: 'v', title: 't', start: marker * 10 + n, end: 0, quote: '', url: null });

  it('finds the citation of a chip by marker, else the first of its source', () => {
    const cites = [c(0, 2), c(1, 5), c(2, 2)];
    expect(pointCitation(2, 2, cites)?.start).toBe(22);
    expect(pointCitation(5, 1, cites)?.start).toBe(15);
    expect(pointCitation(2, 7, cites)?.start).toBe(2);
    expect(pointCitation(9, 0, cites)).toBeUndefined();
  });
});
