/**
 * Reading feeds, pure: the CONSTRUCTED feeds of feed-world.ts (shaped like hosts' RSS and Atom)
 * and small hand-written ones for the edge cases.
 */
import { describe, expect, it } from 'vitest';
import { durationMs, episodeId, FeedParseError, parseChaptersJson, parseFeed, rankTranscripts } from '../../indexer/sources/feed-parse.ts';
import { parseFeedTranscript } from '../../indexer/sources/feed.ts';
import { parseIngestRef, IngestRefError } from '../../indexer/sources/ingest-ref.ts';
import { atomFeed, bigFeed, EP2_CHAPTERS, rss, showEpisodes } from './feed-world.ts';

const BASE = 'http://127.0.0.1:9';
const SHOW_GUID = '917393e3-1b1e-5cef-ace4-edaa54e1f810';

describe('parseFeed', () => {
  const feed = parseFeed(rss(BASE, showEpisodes(BASE)), `${BASE}/show.xml`);

  it('reads the show: title with entities, artwork, language, podcast:guid', () => {
    expect(feed).toMatchObject({ title: 'Kitchen Science & Friends', image: `${BASE}/art/show.jpg`, language: 'en-us', podcastGuid: SHOW_GUID, author: 'Maya Ortiz', link: `${BASE}/` });
    expect(feed.episodes).toHaveLength(5);
  });

  it('reads every episode field: GUID, title, date, duration, enclosure, link, artwork, show notes from CDATA', () => {
    const ep1 = feed.episodes.find((e) => e.guid === 'ks-0001')!;
    expect(ep1).toMatchObject({
      id: episodeId(SHOW_GUID, 'ks-0001'),
      title: 'Sourdough & the smell of green apples',
      publishedAt: '2026-03-03',
      durationMs: 120_000,
      link: `${BASE}/episodes/1`,
      enclosure: { url: `${BASE}/audio/1.wav`, type: 'audio/wav', length: 120 * 16000 + 44 },
      image: `${BASE}/art/1.jpg`,
      language: 'en-us',
      chapters: undefined,
    });
    // CDATA keeps the HTML, which becomes text; &mdash; inside CDATA is an HTML entity, decoded.
    expect(ep1.description).toBe('Show notes for Sourdough & the smell of green apples — with links & ampersands.');
    expect(ep1.transcripts).toEqual([
      { url: `${BASE}/t/1.json`, type: 'application/json', language: 'en', rel: undefined },
      { url: `${BASE}/t/1.vtt`, type: 'text/vtt', language: 'en', rel: 'captions' },
    ]);
    expect(ep1.persons).toEqual([
      { name: 'Maya Ortiz', role: 'host', group: 'cast', href: 'https://example.com/maya', img: `${BASE}/art/maya.jpg` },
      { name: 'Tom Becker', role: 'guest', group: 'cast', href: undefined, img: undefined },
      { name: 'Sam Editor', role: 'editor', group: 'writing', href: undefined, img: undefined },
    ]);
    const ep2 = feed.episodes.find((e) => e.guid === 'ks-0002')!;
    expect(ep2).toMatchObject({ title: 'Caramelised onions – patience is sweet', durationMs: 3_600_000, chapters: { url: `${BASE}/t/2.chapters.json`, type: 'application/json+chapters' } });
  });

  it('resolves the Podcasting 2.0 namespace by its URI, whatever the prefix', () => {
    const other = parseFeed(rss(BASE, showEpisodes(BASE).slice(0, 2), { prefix: 'p20', podcastGuid: false }), `${BASE}/other.xml`);
    expect(other.episodes.map((e) => e.transcripts.length)).toEqual([1, 2]);
    // Without podcast:guid the feed URL scopes the ids.
    expect(other.episodes[1].id).toBe(episodeId(`${BASE}/other.xml`, 'ks-0001'));
  });

  it('reads Atom entries with enclosure links', () => {
    const atom = parseFeed(atomFeed(BASE), `${BASE}/atom.xml`);
    expect(atom.title).toBe('Atom Kitchen');
    expect(atom.episodes).toEqual([
      expect.objectContaining({
        guid: 'urn:uuid:atom-ep-1',
        title: 'Atom episode: emulsions',
        publishedAt: '2026-02-01',
        link: `${BASE}/atom/1`,
        enclosure: { url: `${BASE}/audio/1.wav`, type: 'audio/wav', length: 1000 },
        description: 'Mayonnaise & lecithin.',
        language: 'en',
        transcripts: [{ url: `${BASE}/t/6.srt`, type: 'application/srt', language: undefined, rel: undefined }],
      }),
    ]);
  });

  it('reads a 500-item feed in order with distinct ids', () => {
    const big = parseFeed(bigFeed(BASE), `${BASE}/big.xml`);
    expect(big.episodes).toHaveLength(500);
    expect(new Set(big.episodes.map((e) => e.id)).size).toBe(500);
    expect(big.episodes[0].title).toBe('Big show episode 500');
    // An isPermaLink="false" GUID that happens to be a URL is not used as the link.
    expect(big.episodes[0].link).toBe(`${BASE}/episodes/500`);
  });

  it('keeps undeclared HTML entities and items without a GUID, and drops a repeated GUID', () => {
    const xml = `<rss><channel><title>Caf&#233; Talk&nbsp;Show &hellip;</title>
      <item><title>One&rsquo;s</title><enclosure url="https://cdn.example.com/one.mp3" type="audio/mpeg"/></item>
      <item><title>Two</title><guid>dup</guid></item><item><title>Two again</title><guid>dup</guid></item>
      <item><description>nothing to identify it by</description></item>
    </channel></rss>`;
    const f = parseFeed(xml, 'https://example.com/f.xml');
    expect(f.title).toBe("Café Talk Show …");
    expect(f.episodes.map((e) => [e.title, e.guid])).toEqual([
      ['One’s', 'https://cdn.example.com/one.mp3'],
      ['Two', 'dup'],
    ]);
  });

  it('refuses text that is not well-formed XML, with the line, and XML that is not a feed', () => {
    const broken = rss(BASE, showEpisodes(BASE)).replace('</channel>', '');
    expect(() => parseFeed(broken, 'x')).toThrow(FeedParseError);
    try {
      parseFeed(broken, 'x');
    } catch (err) {
      expect((err as FeedParseError).message).toMatch(/^not well-formed XML: .+ \(line \d+\)$/);
      expect((err as FeedParseError).line).toBeGreaterThan(1);
    }
    expect(() => parseFeed('<!DOCTYPE html><html><body>hi</body></html>', 'x')).toThrow('an HTML page, not an RSS or Atom feed');
    expect(() => parseFeed('<opml><body/></opml>', 'x')).toThrow('not an RSS or Atom feed (the document is <opml>)');
    expect(() => parseFeed('', 'x')).toThrow('the feed is empty');
  });
});

describe('episode ids, durations, transcripts, chapters, feed URLs', () => {
  it('derives ids that are stable, distinct per show, and safe as a path segment', () => {
    const a = episodeId('https://a.example.com/feed', '1');
    expect(a).toBe(episodeId('https://a.example.com/feed', '1'));
    expect(a).not.toBe(episodeId('https://b.example.com/feed', '1'));
    expect(a).toMatch(/^pod-[0-9a-f]{24}$/);
    expect(encodeURIComponent(a)).toBe(a);
  });

  it('reads itunes:duration as seconds or a clock', () => {
    expect([durationMs('3600'), durationMs('59:59'), durationMs('1:02:03'), durationMs('12.5'), durationMs('soon'), durationMs('0')]).toEqual([3_600_000, 3_599_000, 3_723_000, 12_500, undefined, undefined]);
  });

  it('ranks transcripts by language priority, then timed formats before HTML and plain text', () => {
    const t = (type: string, language?: string) => ({ url: `https://x/${type}/${language}`, type, language });
    const episode = { language: 'en-us', transcripts: [t('text/plain'), t('text/html', 'de'), t('application/json', 'de'), t('text/html'), t('application/x-subrip', 'en'), t('text/vtt', 'fr')] };
    expect(rankTranscripts(episode, ['de', 'en']).ranked.map((x) => `${x.type}/${x.language ?? '-'}`)).toEqual(['application/json/de', 'text/html/de', 'application/x-subrip/en', 'text/html/-', 'text/plain/-']);
    const none = rankTranscripts(episode, ['ja']);
    expect(none.ranked).toEqual([]);
    expect(none.available).toContain('text/vtt (fr)');
  });

  it('reads a transcript by its declared type and its content; untimed HTML or text is refused', () => {
    const t = (type: string, path = 't') => ({ url: `https://host.example.com/${path}`, type });
    const html = '<html><body><p>00:00:01 <b>Maya:</b> Hello &amp; welcome.</p><p>00:00:04 Glad to be here.</p></body></html>';
    expect(parseFeedTranscript(t('text/html'), html)).toEqual({
      format: 'txt',
      cues: [expect.objectContaining({ startMs: 1000, text: 'Maya: Hello & welcome.' }), expect.objectContaining({ startMs: 4000, text: 'Glad to be here.' })],
    });
    // SRT served as text/plain, found by its content.
    expect(parseFeedTranscript(t('text/plain'), '1\n00:00:01,000 --> 00:00:02,000\nHi\n')).toMatchObject({ format: 'srt', cues: [{ startMs: 1000, endMs: 2000, text: 'Hi' }] });
    expect(parseFeedTranscript(t('text/plain'), 'Just words, no times.')).toEqual({ problem: 'transcript https://host.example.com/t (text/plain): no timings to cite', untimed: true });
    // A broken timed file is a real error, not a missing transcript.
    expect(parseFeedTranscript(t('text/vtt'), 'WEBVTT\n\nnot a cue')).toMatchObject({ untimed: false, problem: expect.stringContaining('(text/vtt): no ') });
  });

  it('reads JSON chapters in order, leaving out hidden ones and anything unreadable', () => {
    expect(parseChaptersJson(EP2_CHAPTERS)).toEqual([
      { title: 'Intro', startMs: 0 },
      { title: 'The Maillard reaction', startMs: 14_500 },
      { title: 'Baking soda', startMs: 30_000 },
    ]);
    expect(parseChaptersJson('{"chapters": "no"}')).toEqual([]);
    expect(parseChaptersJson('not json')).toEqual([]);
  });

  it('takes any http(s) URL that is not YouTube as a feed, and explains anything else', () => {
    expect(parseIngestRef('https://feeds.example.com/show.rss')).toEqual({ kind: 'feed', url: 'https://feeds.example.com/show.rss' });
    expect(parseIngestRef('https://youtu.be/GJLlxj_dtq8')).toEqual({ kind: 'video', id: 'GJLlxj_dtq8' });
    expect(() => parseIngestRef('https://www.youtube.com/feed/trending')).toThrow(IngestRefError);
    expect(() => parseIngestRef('ftp://example.com/feed')).toThrow(/a podcast feed is added by its http\(s\) URL/);
    expect(() => parseIngestRef('not a url')).toThrow(/Not a YouTube video, playlist or channel/);
  });
});
