/**
 * Podcast feeds (RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, and Atom) read into
 * plain data: the show and every episode with its GUID, enclosure, artwork, transcripts,
 * chapters link and people. Pure: XML text in, data out; fetching is in feed.ts.
 */
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeEntities, normalizeSpace } from '../parse/common.ts';
import { parseClock } from '../time.ts';

export const PODCAST_NS = 'https://podcastindex.org/namespace/1.0';
export const ITUNES_NS = 'http://www.itunes.com/dtds/podcast-1.0.dtd';
const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** One `<podcast:transcript>`. */
export interface FeedTranscript {
  url: string;
  type: string;
  language?: string;
  /** `captions` marks a timed caption file. */
  rel?: string;
}

/** One `<podcast:person>`: a host, guest or other credit. */
export interface FeedPerson {
  name: string;
  role: string;
  group: string;
  href?: string;
  img?: string;
}

export interface FeedEpisode {
  /** Episodic's id: derived from the feed and the item's GUID (see episodeId). */
  id: string;
  guid: string;
  title: string;
  /** YYYY-MM-DD (UTC) from pubDate / published. */
  publishedAt?: string;
  durationMs?: number;
  /** The page of the episode (`<link>`), or the GUID when it is a permalink. */
  link?: string;
  enclosure?: { url: string; type?: string; length?: number };
  image?: string;
  description?: string;
  language?: string;
  transcripts: FeedTranscript[];
  chapters?: { url: string; type?: string };
  persons: FeedPerson[];
}

export interface Feed {
  title: string;
  link?: string;
  image?: string;
  author?: string;
  language?: string;
  /** `<podcast:guid>`: the show's identity, stable across feed URL moves. */
  podcastGuid?: string;
  episodes: FeedEpisode[];
}

/** The text is not a feed we can read; `line` is 1-based, 0 when not tied to a line. */
export class FeedParseError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${reason}${line > 0 ? ` (line ${line})` : ''}`);
    this.name = 'FeedParseError';
  }
}

/**
 * The id of a feed episode: `pod-` and 24 hex digits of SHA-256 over the show's identity (its
 * `<podcast:guid>`, else the feed URL it was added by) and the item's GUID. Stable as long as
 * the GUID is (which is what GUIDs are for), distinct across shows even when two feeds number
 * their items 1, 2, 3, and safe as a URL path segment.
 */
export function episodeId(feedKey: string, guid: string): string {
  return `pod-${createHash('sha256').update(`${feedKey}\n${guid}`).digest('hex').slice(0, 24)}`;
}

type Node = Record<string, unknown>;

const ARRAY_TAGS = new Set(['item', 'entry', 'link', 'enclosure', 'transcript', 'person', 'category']);

/**
 * Parses a feed. Namespace prefixes are resolved from the document's declarations, so a feed
 * that binds the Podcasting 2.0 namespace to another prefix still has its transcripts read.
 * @param feedKey the show's identity for episode ids when the feed has no `<podcast:guid>`
 * @throws FeedParseError for text that is not well-formed XML, or XML that is not RSS or Atom
 */
export function parseFeed(xml: string, feedKey: string): Feed {
  const text = xml.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new FeedParseError(0, 'the feed is empty');
  // The most common mistake: the show's web page instead of its feed.
  if (/^\s*<(!doctype\s+html|html)\b/i.test(text)) throw new FeedParseError(0, "an HTML page, not an RSS or Atom feed (the show's website rather than its feed URL?)");
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new FeedParseError(valid.err.line, `not well-formed XML: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    // Descriptions carry HTML entities (&nbsp; &rsquo;) that XML alone does not define.
    htmlEntities: true,
    isArray: (name) => ARRAY_TAGS.has(localName(name)),
  });
  let doc: Node;
  try {
    doc = parser.parse(text) as Node;
  } catch (err) {
    throw new FeedParseError(0, `not readable XML: ${(err as Error).message}`);
  }
  const rss = rec(doc.rss) ?? rec(doc['rdf:RDF']);
  if (rss) {
    const ns = prefixes(rss);
    const channel = rec(rss.channel);
    if (!channel) throw new FeedParseError(0, 'RSS without a <channel>');
    // RSS 1.0 keeps items beside the channel; RSS 2.0 inside it.
    const items = [...nodes(channel.item), ...nodes(rss.item)];
    return buildFeed(channel, items, ns, feedKey, 'rss');
  }
  const atom = rec(doc.feed);
  if (atom) return buildFeed(atom, nodes(atom.entry), prefixes(atom), feedKey, 'atom');
  const root = Object.keys(doc).find((k) => !k.startsWith('?'));
  throw new FeedParseError(0, `not an RSS or Atom feed (the document is <${root ?? 'nothing'}>)`);
}

/** The prefix bound to each namespace we read, defaulting to the conventional one. */
interface Prefixes {
  podcast: string;
  itunes: string;
  atom: string;
}

function prefixes(root: Node): Prefixes {
  const bound = (uri: string, fallback: string) => {
    for (const [key, value] of Object.entries(root)) {
      if (key.startsWith('@xmlns:') && typeof value === 'string' && value.trim().replace(/\/$/, '') === uri.replace(/\/$/, '')) return key.slice(7);
    }
    return fallback;
  };
  return { podcast: bound(PODCAST_NS, 'podcast'), itunes: bound(ITUNES_NS, 'itunes'), atom: bound(ATOM_NS, 'atom') };
}

function buildFeed(channel: Node, items: Node[], ns: Prefixes, feedKey: string, kind: 'rss' | 'atom'): Feed {
  const title = plain(channel.title) ?? 'Untitled feed';
  const image = attr(first(channel[`${ns.itunes}:image`]), 'href') ?? plain(rec(first(channel.image))?.url) ?? plain(channel.logo) ?? plain(channel.icon);
  const language = plain(channel.language) ?? attr(channel, 'xml:lang');
  const podcastGuid = plain(channel[`${ns.podcast}:guid`]);
  const key = podcastGuid ?? feedKey;
  const seen = new Set<string>();
  const episodes: FeedEpisode[] = [];
  for (const item of items) {
    const episode = kind === 'rss' ? rssEpisode(item, ns, key, language) : atomEpisode(item, ns, key, language);
    // A GUID repeated within one feed is one episode (hosts sometimes list an item twice).
    if (!episode || seen.has(episode.id)) continue;
    seen.add(episode.id);
    episodes.push({ ...episode, image: episode.image ?? image });
  }
  return {
    title,
    link: kind === 'rss' ? plain(first(channel.link)) : atomLink(channel, 'alternate'),
    image,
    author: plain(channel[`${ns.itunes}:author`]) ?? plain(rec(channel.author)?.name) ?? plain(channel.author),
    language,
    podcastGuid,
    episodes,
  };
}

function rssEpisode(item: Node, ns: Prefixes, feedKey: string, feedLanguage: string | undefined): FeedEpisode | undefined {
  const guidNode = first(item.guid);
  const guidText = plain(guidNode);
  const enclosure = rec(first(item.enclosure));
  const enclosureUrl = httpUrl(attr(enclosure, 'url'));
  const link = httpUrl(plain(first(item.link)));
  const title = plain(item.title) ?? plain(item[`${ns.itunes}:title`]);
  // The spec requires a GUID; feeds without one are identified by what else stays put.
  const guid = guidText ?? enclosureUrl ?? link ?? (title ? `${title}|${plain(item.pubDate) ?? ''}` : undefined);
  if (!guid) return undefined;
  const permalink = guidText !== undefined && attr(guidNode, 'isPermaLink') !== 'false' && httpUrl(guidText) ? guidText : undefined;
  const length = Number(attr(enclosure, 'length'));
  return {
    id: episodeId(feedKey, guid),
    guid,
    title: title ?? 'Untitled episode',
    publishedAt: isoDate(plain(item.pubDate) ?? plain(item['dc:date'])),
    durationMs: durationMs(plain(item[`${ns.itunes}:duration`])),
    link: link ?? permalink,
    enclosure: enclosureUrl ? { url: enclosureUrl, type: attr(enclosure, 'type'), length: Number.isFinite(length) && length > 0 ? length : undefined } : undefined,
    image: httpUrl(attr(first(item[`${ns.itunes}:image`]), 'href')) ?? httpUrl(attr(first(item[`${ns.podcast}:images`]), 'srcset')?.split(/\s/)[0]),
    description: htmlToText(plain(item['content:encoded']) ?? plain(item.description) ?? plain(item[`${ns.itunes}:summary`])),
    language: feedLanguage,
    ...podcastTags(item, ns),
  };
}

function atomEpisode(entry: Node, ns: Prefixes, feedKey: string, feedLanguage: string | undefined): FeedEpisode | undefined {
  const guid = plain(entry.id) ?? atomLink(entry, 'enclosure') ?? atomLink(entry, 'alternate');
  if (!guid) return undefined;
  const enclosure = nodes(entry.link).find((l) => attr(l, 'rel') === 'enclosure' && httpUrl(attr(l, 'href')));
  const length = Number(attr(enclosure, 'length'));
  return {
    id: episodeId(feedKey, guid),
    guid,
    title: plain(entry.title) ?? 'Untitled episode',
    publishedAt: isoDate(plain(entry.published) ?? plain(entry.updated)),
    durationMs: durationMs(plain(entry[`${ns.itunes}:duration`])),
    link: atomLink(entry, 'alternate'),
    enclosure: enclosure ? { url: attr(enclosure, 'href') ?? '', type: attr(enclosure, 'type'), length: Number.isFinite(length) && length > 0 ? length : undefined } : undefined,
    image: httpUrl(attr(first(entry[`${ns.itunes}:image`]), 'href')),
    description: htmlToText(plain(entry.content) ?? plain(entry.summary)),
    language: attr(entry, 'xml:lang') ?? feedLanguage,
    ...podcastTags(entry, ns),
  };
}

/** The Podcasting 2.0 tags of an item: transcripts, chapters, persons. */
function podcastTags(item: Node, ns: Prefixes): Pick<FeedEpisode, 'transcripts' | 'chapters' | 'persons'> {
  const transcripts = nodes(item[`${ns.podcast}:transcript`]).flatMap((t): FeedTranscript[] => {
    const url = httpUrl(attr(t, 'url'));
    if (!url) return [];
    return [{ url, type: (attr(t, 'type') ?? '').toLowerCase().split(';')[0].trim(), language: attr(t, 'language'), rel: attr(t, 'rel') }];
  });
  const chaptersNode = first(item[`${ns.podcast}:chapters`]);
  const chaptersUrl = httpUrl(attr(chaptersNode, 'url'));
  const persons = nodes(item[`${ns.podcast}:person`]).flatMap((p): FeedPerson[] => {
    const name = plain(p);
    if (!name) return [];
    return [{ name, role: (attr(p, 'role') ?? 'host').toLowerCase(), group: (attr(p, 'group') ?? 'cast').toLowerCase(), href: httpUrl(attr(p, 'href')), img: httpUrl(attr(p, 'img')) }];
  });
  return { transcripts, chapters: chaptersUrl ? { url: chaptersUrl, type: attr(chaptersNode, 'type') } : undefined, persons };
}

// ---------- transcripts and chapters ----------

/** How much a transcript type is worth: timed formats first, then HTML, then plain text. */
export function transcriptRank(type: string): number {
  switch (type) {
    case 'text/vtt':
      return 0;
    case 'application/x-subrip':
    case 'application/srt':
    case 'text/srt':
    case 'text/x-srt':
      return 1;
    case 'application/json':
      return 2;
    case 'text/html':
      return 3;
    case 'text/plain':
      return 4;
    default:
      return 5;
  }
}

/** Whether a transcript language (`en-US`) satisfies a wanted one (`en`). */
const langMatches = (have: string, want: string) => {
  const h = have.toLowerCase();
  const w = want.toLowerCase();
  return h === w || h.startsWith(`${w}-`) || w.startsWith(`${h}-`);
};

/**
 * The transcripts worth trying, best first: in the wanted languages (in their order; a transcript
 * without a language is taken to be in the episode's), then by type (timed before HTML before
 * plain text). Empty when none is in a wanted language; `available` then says what there is.
 */
export function rankTranscripts(episode: Pick<FeedEpisode, 'transcripts' | 'language'>, langs: string[]): { ranked: FeedTranscript[]; available: string[] } {
  const langIndex = (t: FeedTranscript) => {
    const lang = t.language ?? episode.language;
    // Unknown language in a feed that does not say: assume it is the one the listener wants.
    if (!lang) return 0;
    const i = langs.findIndex((w) => langMatches(lang, w));
    return i === -1 ? Infinity : i;
  };
  const ranked = episode.transcripts
    .map((t, order) => ({ t, lang: langIndex(t), rank: transcriptRank(t.type), order }))
    .filter((x) => x.lang !== Infinity)
    .sort((a, b) => a.lang - b.lang || a.rank - b.rank || a.order - b.order)
    .map((x) => x.t);
  const available = episode.transcripts.map((t) => `${t.type || 'unknown type'}${t.language ? ` (${t.language})` : ''}`);
  return { ranked, available };
}

/**
 * Chapters from a Podcasting 2.0 JSON chapters file (`{version, chapters: [{startTime, title, toc?}]}`),
 * in start order; chapters hidden from the table of contents (`toc: false`) are left out.
 * Returns [] for anything unreadable: chapters are a nicety, never a reason to fail an episode.
 */
export function parseChaptersJson(text: string): { title: string; startMs: number }[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return [];
  }
  const list = (doc as { chapters?: unknown } | null)?.chapters;
  if (!Array.isArray(list)) return [];
  const out: { title: string; startMs: number }[] = [];
  for (const c of list as { startTime?: unknown; title?: unknown; toc?: unknown }[]) {
    const start = typeof c?.startTime === 'number' ? c.startTime : typeof c?.startTime === 'string' ? Number(c.startTime) : NaN;
    const title = typeof c?.title === 'string' ? normalizeSpace(c.title) : '';
    if (!Number.isFinite(start) || start < 0 || title === '' || c.toc === false) continue;
    out.push({ title, startMs: Math.round(start * 1000) });
  }
  out.sort((a, b) => a.startMs - b.startMs);
  return out.filter((c, i) => i === 0 || c.startMs !== out[i - 1].startMs);
}

/**
 * An HTML transcript as text lines: block ends become line breaks, tags go, entities are
 * decoded. Hosts' HTML transcripts put a timestamp before each paragraph, which the
 * timestamped-text parser then reads; without timestamps there is nothing to cite.
 */
export function htmlTranscriptToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
      .replace(/<br\s*\/?>|<\/(p|div|li|h\d|tr|section|article)>/gi, '\n')
      .replace(/<[^<>]*>/g, ' '),
  )
    .split('\n')
    .map((l) => normalizeSpace(l))
    .filter(Boolean)
    .join('\n');
}

// ---------- small readers ----------

function rec(v: unknown): Node | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
}

function nodes(v: unknown): Node[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  // A bare-text element (`<item>x</item>`) has no fields; an attribute-only one is an object.
  return list.map((x) => (typeof x === 'string' ? { '#text': x } : rec(x))).filter((x): x is Node => x !== undefined);
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
}

/** The trimmed text of an element (CDATA included), or undefined when empty. */
function plain(v: unknown): string | undefined {
  const raw = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : typeof rec(v)?.['#text'] === 'string' ? (rec(v)?.['#text'] as string) : undefined;
  const text = raw === undefined ? undefined : normalizeSpace(raw);
  return text ? text : undefined;
}

function attr(v: unknown, name: string): string | undefined {
  const value = rec(v)?.[`@${name}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function atomLink(node: Node, rel: string): string | undefined {
  const link = nodes(node.link).find((l) => (attr(l, 'rel') ?? 'alternate') === rel);
  return httpUrl(attr(link, 'href'));
}

/** An absolute http(s) URL, or undefined: nothing else is fetched or linked. */
function httpUrl(v: string | undefined): string | undefined {
  if (!v) return undefined;
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function isoDate(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(0, 10);
}

/** `itunes:duration`: seconds (`3600`, `3600.5`) or a clock (`1:00:00`, `59:59`). */
export function durationMs(v: string | undefined): number | undefined {
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) {
    const ms = Math.round(Number(v) * 1000);
    return ms > 0 ? ms : undefined;
  }
  const ms = parseClock(v);
  return ms !== null && ms > 0 ? ms : undefined;
}

function htmlToText(html: string | undefined): string | undefined {
  if (!html) return undefined;
  const text = htmlTranscriptToText(html);
  return text || undefined;
}
