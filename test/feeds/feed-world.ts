/**
 * A podcast host on 127.0.0.1 for the feed tests: a real HTTP server serving feeds written here
 * in the shapes real hosts emit (Buzzsprout/Transistor-style RSS with the iTunes and Podcasting
 * 2.0 namespaces, CDATA show notes, HTML entities), their transcripts (VTT, SRT, JSON, HTML),
 * chapters, artwork and a real WAV file, plus the awkward cases: a redirect, a 404 transcript,
 * a gzip-encoded response, a gzipped file, a 500-item feed and a feed that is not XML.
 * The feeds and transcripts are CONSTRUCTED for the tests; nothing here is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** A WAV file of `seconds` of silence (16-bit mono PCM): a real audio file any browser plays. */
export function silentWav(seconds: number, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const data = samples * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16); // fmt chunk size
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 2, 28); // byte rate
  b.writeUInt16LE(2, 32); // block align
  b.writeUInt16LE(16, 34); // bits per sample
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  return b;
}

/** Audio length of the WAV served for every episode: longer than every cue below. */
export const AUDIO_SECONDS = 120;

// ---------- transcripts ----------

/** Episode 1's captions: the fermentation episode, with voice tags. */
export const EP1_VTT = `WEBVTT

00:00:01.000 --> 00:00:06.500
<v Maya Ortiz>Welcome to Kitchen Science, the show about the chemistry of cooking.

00:00:06.500 --> 00:00:13.000
<v Maya Ortiz>Today my guest explains why sourdough starters smell like green apples.

00:00:13.000 --> 00:00:21.000
<v Tom Becker>The apple smell comes from ethyl acetate, an ester the wild yeast makes when it is hungry.

00:00:21.000 --> 00:00:29.500
<v Tom Becker>Feed the starter more often and the lactic acid bacteria take over, so it turns tangy instead.

00:00:29.500 --> 00:00:38.000
<v Maya Ortiz>So the smell is a signal of how long the culture has gone without flour.

00:00:38.000 --> 00:00:47.000
<v Tom Becker>Exactly, a starter kept at twenty four degrees needs feeding twice a day.

00:00:47.000 --> 00:00:58.000
<v Tom Becker>In a cold fridge the yeast slows down and one feeding a week is plenty.

00:00:58.000 --> 00:01:08.000
<v Maya Ortiz>That is all for today. Next week we talk about caramelised onions.
`;

/** Episode 1 also offers a JSON transcript; the VTT is preferred (same rank order as hosts list them). */
export const EP1_JSON = JSON.stringify({ version: '1.0.0', segments: [{ speaker: 'Maya Ortiz', startTime: 1, endTime: 6.5, body: 'JSON copy that should not be chosen over the VTT.' }] });

/** Episode 2's transcript: Podcasting 2.0 JSON, word-level like several hosts emit. */
export function ep2Json(): string {
  const sentences: [string, number, string][] = [
    ['Maya Ortiz', 2, 'Why do onions turn sweet when you cook them slowly?'],
    ['Priya Nair', 6, 'Heat breaks the long fructan chains into simple sugars like fructose and glucose.'],
    ['Priya Nair', 14, 'Then the Maillard reaction browns those sugars together with the amino acids.'],
    ['Maya Ortiz', 22, 'So patience, not added sugar, is the secret of caramelised onions.'],
    ['Priya Nair', 30, 'A pinch of baking soda raises the pH and speeds the browning, but the texture turns mushy.'],
  ];
  const segments = sentences.flatMap(([speaker, start, text]) =>
    text.split(' ').map((word, i) => ({ speaker, startTime: start + i * 0.4, endTime: start + i * 0.4 + 0.35, body: word })),
  );
  return JSON.stringify({ version: '1.0.0', segments });
}

export const EP2_CHAPTERS = JSON.stringify({
  version: '1.2.0',
  chapters: [
    { startTime: 0, title: 'Intro' },
    { startTime: 14.5, title: 'The Maillard reaction', img: 'https://example.com/x.jpg' },
    { startTime: 20, title: 'Sponsor', toc: false },
    { startTime: 30, title: 'Baking soda' },
  ],
});

/** Episode 6's captions, as SRT (for the feed added by refresh). */
export const EP6_SRT = `1
00:00:02,000 --> 00:00:09,000
Salt draws water out of aubergine slices by osmosis within twenty minutes.

2
00:00:09,000 --> 00:00:16,000
That is why salted aubergine fries without soaking up a pool of oil.
`;

/** An HTML transcript without timings: there is nothing to cite in it. */
const UNTIMED_HTML = '<html><body><p>Maya: Welcome back.</p><p>Guest: Thanks for having me.</p></body></html>';

// ---------- feeds ----------

export interface EpisodeSpec {
  guid: string;
  title: string;
  pubDate: string;
  /** Extra XML inside <item> (transcripts, chapters, persons). */
  extra?: string;
  duration?: string;
}

function item(base: string, e: EpisodeSpec, n: number): string {
  return `
    <item>
      <title>${e.title}</title>
      <guid isPermaLink="false">${e.guid}</guid>
      <pubDate>${e.pubDate}</pubDate>
      <link>${base}/episodes/${n}</link>
      <description><![CDATA[<p>Show notes for <b>${e.title}</b> &mdash; with <a href="https://example.com">links</a> & ampersands.</p>]]></description>
      <enclosure url="${base}/audio/${n}.wav" length="${AUDIO_SECONDS * 16000 + 44}" type="audio/wav"/>
      <itunes:duration>${e.duration ?? '02:00'}</itunes:duration>
      <itunes:image href="${base}/art/${n}.jpg"/>
      <itunes:explicit>false</itunes:explicit>${e.extra ?? ''}
    </item>`;
}

/** The main show: entities in the title, CDATA notes, five episodes covering every transcript case. */
export function showEpisodes(base: string): EpisodeSpec[] {
  return [
    {
      guid: 'ks-0001',
      title: 'Sourdough &amp; the smell of green apples',
      pubDate: 'Tue, 03 Mar 2026 06:00:00 GMT',
      extra: `
      <podcast:transcript url="${base}/t/1.json" type="application/json" language="en"/>
      <podcast:transcript url="${base}/t/1.vtt" type="text/vtt" language="en" rel="captions"/>
      <podcast:person role="host" href="https://example.com/maya" img="${base}/art/maya.jpg">Maya Ortiz</podcast:person>
      <podcast:person role="guest">Tom Becker</podcast:person>
      <podcast:person group="writing" role="editor">Sam Editor</podcast:person>`,
    },
    {
      guid: 'ks-0002',
      title: 'Caramelised onions &#8211; patience is sweet',
      pubDate: 'Tue, 10 Mar 2026 06:00:00 GMT',
      duration: '3600',
      extra: `
      <podcast:transcript url="${base}/t/2.json" type="application/json"/>
      <podcast:chapters url="${base}/t/2.chapters.json" type="application/json+chapters"/>
      <podcast:person role="guest">Priya Nair</podcast:person>`,
    },
    {
      guid: 'ks-0003',
      title: 'The lost transcript',
      pubDate: 'Tue, 17 Mar 2026 06:00:00 GMT',
      extra: `
      <podcast:transcript url="${base}/t/missing.vtt" type="text/vtt"/>`,
    },
    { guid: 'ks-0004', title: 'An episode with no transcript at all', pubDate: 'Tue, 24 Mar 2026 06:00:00 GMT' },
    {
      guid: 'ks-0005',
      title: 'Only an untimed HTML transcript',
      pubDate: 'Tue, 31 Mar 2026 06:00:00 GMT',
      extra: `
      <podcast:transcript url="${base}/t/5.html" type="text/html"/>`,
    },
  ];
}

export const LATER_EPISODE: EpisodeSpec = {
  guid: 'ks-0006',
  title: 'Salting aubergines',
  pubDate: 'Tue, 07 Apr 2026 06:00:00 GMT',
};

export function rss(base: string, episodes: EpisodeSpec[], opts: { podcastGuid?: boolean; prefix?: string } = {}): string {
  const p = opts.prefix ?? 'podcast';
  const items = episodes
    .map((e, i) => item(base, { ...e, extra: e.extra?.replaceAll('podcast:', `${p}:`) }, i + 1))
    .reverse() // feeds list the newest first
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:${p}="https://podcastindex.org/namespace/1.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <atom:link href="${base}/show.xml" rel="self" type="application/rss+xml"/>
    <title>Kitchen Science &amp; Friends</title>
    <link>${base}/</link>
    <language>en-us</language>
    <description><![CDATA[The <em>chemistry</em> of cooking.]]></description>
    <itunes:author>Maya Ortiz</itunes:author>
    <itunes:image href="${base}/art/show.jpg"/>
    ${opts.podcastGuid === false ? '' : `<${p}:guid>917393e3-1b1e-5cef-ace4-edaa54e1f810</${p}:guid>`}
    <${p}:locked>no</${p}:locked>${items}
  </channel>
</rss>`;
}

/** 500 items, the first ten with an SRT transcript each (the rest: no transcript). */
export function bigFeed(base: string): string {
  const episodes: EpisodeSpec[] = Array.from({ length: 500 }, (_, i) => ({
    guid: `https://big.example.com/episodes/${i + 1}`,
    title: `Big show episode ${i + 1}`,
    pubDate: new Date(Date.UTC(2015, 0, 1) + i * 7 * 86_400_000).toUTCString(),
    extra: i < 10 ? `\n      <podcast:transcript url="${base}/t/big/${i + 1}.srt" type="application/x-subrip"/>` : '',
  }));
  return rss(base, episodes, { podcastGuid: false });
}

export function atomFeed(base: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:pc="https://podcastindex.org/namespace/1.0" xml:lang="en">
  <title>Atom Kitchen</title>
  <id>urn:uuid:atom-kitchen</id>
  <link rel="alternate" href="${base}/atom"/>
  <entry>
    <id>urn:uuid:atom-ep-1</id>
    <title>Atom episode: emulsions</title>
    <published>2026-02-01T10:00:00Z</published>
    <link rel="alternate" href="${base}/atom/1"/>
    <link rel="enclosure" href="${base}/audio/1.wav" type="audio/wav" length="1000"/>
    <summary>Mayonnaise &amp; lecithin.</summary>
    <pc:transcript url="${base}/t/6.srt" type="application/srt"/>
  </entry>
</feed>`;
}

// ---------- the server ----------

export interface FeedWorld {
  base: string;
  /** Every request path, in order. */
  log: string[];
  /** Adds an episode to /show.xml (as a host publishing a new one). */
  publish(e: EpisodeSpec & { transcript?: string }): void;
  close(): Promise<void>;
}

/** Starts the host on a free loopback port. */
export async function startFeedWorld(): Promise<FeedWorld> {
  const log: string[] = [];
  const extra: EpisodeSpec[] = [];
  let base = '';
  const wav = silentWav(AUDIO_SECONDS);

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': type, ...headers });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', base).pathname;
    log.push(path);
    const bigSrt = /^\/t\/big\/(\d+)\.srt$/.exec(path);
    if (bigSrt) return send(res, 200, 'application/x-subrip', `1\n00:00:01,000 --> 00:00:05,000\nBig show episode ${bigSrt[1]} talks about kettles number ${bigSrt[1]}.\n`);
    if (path.startsWith('/audio/')) return serveAudio(req, res, wav);
    if (path.startsWith('/art/')) return send(res, 200, 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#c63"/></svg>');
    switch (path) {
      case '/show.xml':
        return send(res, 200, 'application/rss+xml; charset=utf-8', rss(base, [...showEpisodes(base), ...extra]));
      case '/other-prefix.xml':
        return send(res, 200, 'application/xml', rss(base, showEpisodes(base).slice(0, 2), { prefix: 'p20', podcastGuid: false }));
      case '/old-feed':
        // Hosts move feeds with a permanent redirect (often more than one hop).
        return send(res, 301, 'text/plain', 'moved', { Location: '/older-feed' });
      case '/older-feed':
        return send(res, 302, 'text/plain', 'moved', { Location: `${base}/show.xml` });
      case '/gzip.xml':
        // Content-Encoding: the body is compressed on the wire.
        return send(res, 200, 'application/rss+xml', gzipSync(rss(base, showEpisodes(base).slice(0, 2))), { 'Content-Encoding': 'gzip' });
      case '/show.xml.gz':
        // A gzipped file served as is, without Content-Encoding.
        return send(res, 200, 'application/gzip', gzipSync(atomFeed(base)));
      case '/atom.xml':
        return send(res, 200, 'application/atom+xml', atomFeed(base));
      case '/big.xml':
        return send(res, 200, 'application/rss+xml', bigFeed(base));
      case '/broken.xml':
        return send(res, 200, 'application/rss+xml', rss(base, showEpisodes(base)).replace('</channel>', ''));
      case '/not-a-feed':
        return send(res, 200, 'text/html', '<!doctype html><html><body><h1>My podcast</h1></body></html>');
      case '/t/1.vtt':
        return send(res, 200, 'text/vtt', EP1_VTT);
      case '/t/1.json':
        return send(res, 200, 'application/json', EP1_JSON);
      case '/t/2.json':
        return send(res, 200, 'application/json', gzipSync(ep2Json()), { 'Content-Encoding': 'gzip' });
      case '/t/2.chapters.json':
        return send(res, 200, 'application/json+chapters', EP2_CHAPTERS);
      case '/t/5.html':
        return send(res, 200, 'text/html', UNTIMED_HTML);
      case '/t/6.srt':
        return send(res, 200, 'application/x-subrip', EP6_SRT);
      default:
        return send(res, 404, 'text/plain', 'not found');
    }
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    log,
    publish(e) {
      extra.push({ ...e, extra: `\n      <podcast:transcript url="${base}/t/6.srt" type="application/x-subrip" language="en"/>` });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Serves audio with byte ranges, as hosts and CDNs do (browsers seek media with Range requests). */
function serveAudio(req: IncomingMessage, res: ServerResponse, wav: Buffer): void {
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (!range) {
    res.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': wav.length, 'Accept-Ranges': 'bytes' });
    res.end(wav);
    return;
  }
  const start = range[1] ? Number(range[1]) : Math.max(0, wav.length - Number(range[2]));
  const end = range[1] && range[2] ? Math.min(Number(range[2]), wav.length - 1) : wav.length - 1;
  if (start >= wav.length || start > end) {
    res.writeHead(416, { 'Content-Range': `bytes */${wav.length}` });
    res.end();
    return;
  }
  res.writeHead(206, { 'Content-Type': 'audio/wav', 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${wav.length}`, 'Accept-Ranges': 'bytes' });
  res.end(wav.subarray(start, end + 1));
}
