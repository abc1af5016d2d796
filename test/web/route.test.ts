import { describe, expect, it } from 'vitest';
import { carryThread, episodeHref, MAX_THREAD, parseRoute, routeHref, type Route } from '../../web/src/lib/route.ts';
import { formatDuration, formatTimestamp, youtubeIdFromUrl, youtubeLink } from '../../web/src/lib/text/time.ts';

const roundTrip = (r: Route) => {
  const url = new URL(routeHref(r), 'http://x');
  return parseRoute(url.pathname, url.search);
};

describe('routes', () => {
  it('round-trips every view through its URL', () => {
    const routes: Route[] = [
      { view: 'ask', q: 'what is love?', filters: { channel: 'Lex & co', from: '2018-01-01' }, thread: [] },
      { view: 'ask', q: 'and then?', filters: {}, thread: ['what is love?', 'why & how'] },
      { view: 'ask', q: '', filters: {}, thread: [] },
      { view: 'episode', id: 'ep/1 x', t: 12.5, q: 'q', filters: { video: 'v' }, thread: ['first?'] },
      { view: 'episode', id: 'abc', t: null, q: '', filters: {}, thread: [] },
      { view: 'library', filter: 'pinker', sort: 'date', group: false },
      { view: 'library', filter: '', sort: 'duration', group: true },
      { view: 'topic', q: 'free will & fate', filters: { channel: 'Lex', from: '2019-01-01', to: '2020-01-01' } },
      { view: 'topic', q: '', filters: {} },
    ];
    for (const r of routes) expect(roundTrip(r)).toEqual(r);
  });

  it('keeps at most MAX_THREAD earlier questions, the newest ones', () => {
    const many = Array.from({ length: MAX_THREAD + 3 }, (_, i) => `q${i}`);
    const r = roundTrip({ view: 'ask', q: 'last', filters: {}, thread: many });
    expect(r).toMatchObject({ thread: many.slice(3) });
  });

  it('carries the conversation onto links that keep its question, and only those', () => {
    const here = new URL('http://x/?h=first&h=second&q=third');
    expect(carryThread(here, new URL('http://x/episode/a?t=5&q=third')).search).toBe('?h=first&h=second&t=5&q=third');
    expect(carryThread(here, new URL('http://x/?q=other')).search).toBe('?q=other');
    expect(carryThread(here, new URL('http://x/?h=x&q=third')).search).toBe('?h=x&q=third');
    expect(carryThread(new URL('http://x/?q=third'), new URL('http://x/episode/a?q=third')).search).toBe('?q=third');
  });

  it('reads YouTube-style ?t= values', () => {
    expect(parseRoute('/episode/a', '?t=90s')).toMatchObject({ t: 90 });
    expect(parseRoute('/episode/a', '?t=1m30s')).toMatchObject({ t: 90 });
    expect(parseRoute('/episode/a', '?t=nope')).toMatchObject({ t: null });
  });

  it('gives a topic every filter but the episode one', () => {
    expect(parseRoute('/topic', '?q=ai&video=x&channel=c')).toEqual({ view: 'topic', q: 'ai', filters: { channel: 'c' } });
  });

  it('knows unknown paths', () => {
    expect(parseRoute('/nowhere', '')).toEqual({ view: 'missing', path: '/nowhere' });
    expect(parseRoute('/library/', '')).toEqual({ view: 'library', filter: '', sort: 'date', group: false });
  });

  it('builds episode links with the question kept', () => {
    expect(episodeHref('abc', 75.25, 'meaning of life')).toBe('/episode/abc?t=75.25&q=meaning+of+life');
  });
});

describe('time formatting', () => {
  it('formats timestamps and durations', () => {
    expect(formatTimestamp(75.9)).toBe('1:15');
    expect(formatTimestamp(3725)).toBe('1:02:05');
    // Non-breaking spaces: "1 h 05 min" never wraps between a number and its unit.
    expect(formatDuration(2280)).toBe('38\u00a0min');
    expect(formatDuration(4978)).toBe('1\u00a0h\u00a023\u00a0min');
    expect(formatDuration(3900)).toBe('1\u00a0h\u00a005\u00a0min');
    expect(formatDuration(4978)).not.toMatch(/ /);
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(15.2)).toBe('15\u00a0s');
  });

  it('builds and reads YouTube links', () => {
    expect(youtubeLink('Gi8LUnhP5yU', 75.9)).toBe('https://www.youtube.com/watch?v=Gi8LUnhP5yU&t=75s');
    expect(youtubeIdFromUrl('https://youtu.be/Gi8LUnhP5yU?t=3')).toBe('Gi8LUnhP5yU');
    expect(youtubeIdFromUrl('https://www.youtube.com/embed/Gi8LUnhP5yU')).toBe('Gi8LUnhP5yU');
    expect(youtubeIdFromUrl('https://example.com/?v=1')).toBeNull();
    expect(youtubeIdFromUrl(null)).toBeNull();
  });
});
