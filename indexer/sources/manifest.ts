import type { VideoMeta } from '../domain.ts';

/** Metadata fields a manifest or sidecar can set. */
export type MetaField = 'id' | 'title' | 'channel' | 'url' | 'publishedAt' | 'speakers' | 'description' | 'thumbnail';

/**
 * Column names tried for each field, in order, when the user gives no `--columns` mapping.
 * They cover the common spellings (e.g. Lexicap's `video_id`, `publish_date`, `guest_names`).
 */
export const DEFAULT_COLUMNS: Record<MetaField, string[]> = {
  id: ['video_id', 'youtube_id', 'videoId', 'id'],
  title: ['title', 'episode_title', 'name'],
  channel: ['channel', 'show', 'podcast', 'channel_name'],
  url: ['url', 'link', 'webpage_url'],
  publishedAt: ['publishedAt', 'published_at', 'publish_date', 'upload_date', 'date'],
  speakers: ['speakers', 'guest_names', 'guests', 'speaker'],
  description: ['description', 'summary'],
  thumbnail: ['thumbnail', 'thumbnail_url'],
};

/** Columns tried, in order, to find the row that belongs to a file. */
export const DEFAULT_KEY_COLUMNS = ['file', 'filename', 'path', 'episode_number', 'episode', 'number'];

export type ManifestRow = Record<string, string>;

export interface ManifestOptions {
  /** Column whose value identifies the file (a file name, a stem, or the episode number in the file name). */
  key?: string;
  /** Explicit `field → column` overrides, e.g. `{ id: 'video_id' }`. */
  columns?: Partial<Record<MetaField, string>>;
}

/** A manifest ready to answer "which metadata belongs to this file?". */
export interface Manifest {
  rows: ManifestRow[];
  key: string;
  columns: Partial<Record<MetaField, string>>;
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows keyed by the header. */
export function parseCsv(text: string): ManifestRow[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  const nonEmpty = records.filter((r) => r.some((f) => f.trim() !== ''));
  if (nonEmpty.length === 0) return [];
  const header = nonEmpty[0].map((h) => h.trim());
  return nonEmpty.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, (r[i] ?? '').trim()])));
}

/** Parses a JSON manifest: an array of objects, or an object mapping file names to objects. */
export function parseJsonManifest(text: string): ManifestRow[] {
  const data: unknown = JSON.parse(text);
  const stringify = (o: Record<string, unknown>): ManifestRow =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v == null ? '' : String(v)]));
  if (Array.isArray(data)) return data.filter((o) => o && typeof o === 'object').map((o) => stringify(o as Record<string, unknown>));
  if (data && typeof data === 'object') {
    return Object.entries(data as Record<string, unknown>).map(([file, o]) => ({ file, ...stringify((o ?? {}) as Record<string, unknown>) }));
  }
  throw new Error('a JSON manifest must be an array of objects or an object keyed by file name');
}

/** Resolves the key column and field columns against the manifest header. */
export function buildManifest(rows: ManifestRow[], options: ManifestOptions = {}): Manifest {
  const header = new Set(rows.flatMap((r) => Object.keys(r)));
  const key = options.key ?? DEFAULT_KEY_COLUMNS.find((c) => header.has(c));
  if (!key || !header.has(key)) {
    throw new Error(
      `manifest has no ${options.key ? `column "${options.key}"` : `key column (tried ${DEFAULT_KEY_COLUMNS.join(', ')})`}; ` +
        `pass --manifest-key with one of: ${[...header].join(', ')}`,
    );
  }
  const columns: Partial<Record<MetaField, string>> = {};
  for (const field of Object.keys(DEFAULT_COLUMNS) as MetaField[]) {
    const explicit = options.columns?.[field];
    if (explicit !== undefined) {
      if (!header.has(explicit)) throw new Error(`manifest has no column "${explicit}" (for ${field})`);
      columns[field] = explicit;
    } else {
      const found = DEFAULT_COLUMNS[field].find((c) => header.has(c) && c !== key);
      if (found) columns[field] = found;
    }
  }
  return { rows, key, columns };
}

/** Parses `title=episode_title,id=video_id` into a column mapping. */
export function parseColumnsOption(spec: string): Partial<Record<MetaField, string>> {
  const out: Partial<Record<MetaField, string>> = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [field, column] = part.split('=').map((s) => s.trim());
    if (!column || !(field in DEFAULT_COLUMNS)) {
      throw new Error(`bad --columns entry "${part}": expected FIELD=COLUMN with FIELD one of ${Object.keys(DEFAULT_COLUMNS).join(', ')}`);
    }
    out[field as MetaField] = column;
  }
  return out;
}

/** Words that may come before an episode number in a file name (`episode_001`, `ep-12`, `#7`). */
const EPISODE_WORD = /^(?:episode|ep|e|no|number|show)?$/i;

/**
 * The episode number a file name leads with: `304-asyncio.vtt` → 304, `episode_001_large.vtt` → 1,
 * `ep12.vtt` → 12; undefined when the name does not start with a number (`talk-2021-03.vtt`).
 */
export function leadingEpisodeNumber(stem: string): number | undefined {
  const m = /^[#\s_-]*([A-Za-z]*)[\s_#.-]*(\d+)(?!\d)/.exec(stem);
  if (!m || !EPISODE_WORD.test(m[1])) return undefined;
  return Number(m[2]);
}

/** Whether every non-empty value of the key column is an episode number (`12`, `12.0`). */
function keyIsNumeric(manifest: Manifest): boolean {
  const values = manifest.rows.map((r) => (r[manifest.key] ?? '').trim()).filter(Boolean);
  return values.length > 0 && values.every((v) => /^\d+(\.0+)?$/.test(v));
}

/** Words of four letters or more, lower case: enough to tell whether a file name and a title talk about the same thing. */
function contentWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/\p{L}{4,}/gu) ?? []).filter((w) => !NOT_CONTENT.has(w)));
}
const NOT_CONTENT = new Set(['episode', 'large', 'small', 'medium', 'transcript', 'captions', 'subtitles', 'with', 'from', 'about', 'what', 'that', 'this', 'your', 'podcast', 'edition', 'part']);

export type RowMatch =
  /** `name`: the key equals the file name or stem; `number`: the key is the file's leading episode number. */
  | { row: ManifestRow; by: 'name' | 'number' }
  /** The episode number matched a row that is evidently another episode: not used, and said so. */
  | { row?: undefined; refused: ManifestRow; reason: string };

/**
 * Finds the manifest row for a file: the key value equals the file name or its stem
 * (case-insensitive), or, when the key column holds episode numbers, equals the number the file
 * name leads with. A number match whose row title shares no word with a descriptive file name
 * (`304-asyncio-all-the-things` against "Jim Keller: Moore's Law…") is refused: it is another show.
 */
export function matchRow(manifest: Manifest, fileName: string): RowMatch | undefined {
  const base = fileName.replace(/^.*[\\/]/, '');
  const stem = base.replace(/\.[^.]+$/, '');
  const lower = new Set([fileName.toLowerCase(), base.toLowerCase(), stem.toLowerCase()]);
  const byName = manifest.rows.find((row) => {
    const v = (row[manifest.key] ?? '').trim();
    return v !== '' && (lower.has(v.toLowerCase()) || lower.has(v.replace(/^.*[\\/]/, '').toLowerCase()));
  });
  if (byName) return { row: byName, by: 'name' };
  const number = leadingEpisodeNumber(stem);
  if (number === undefined || !keyIsNumeric(manifest)) return undefined;
  const row = manifest.rows.find((r) => Number((r[manifest.key] ?? '').trim()) === number && (r[manifest.key] ?? '').trim() !== '');
  if (!row) return undefined;
  const described = contentWords(stem.replace(/^\D*\d+/, ''));
  const titleColumn = manifest.columns.title;
  const rowTitle = titleColumn ? (row[titleColumn] ?? '') : '';
  const title = contentWords(rowTitle);
  if (described.size >= 2 && title.size > 0 && ![...described].some((w) => title.has(w))) {
    return { refused: row, reason: `the file name starts with ${number} but manifest row ${number} is "${rowTitle}", which shares no word with it; metadata not taken from the manifest (use --manifest-key with a file-name column to match explicitly)` };
  }
  return { row, by: 'number' };
}

/** The manifest row for a file (see matchRow). */
export function findRow(manifest: Manifest, fileName: string): ManifestRow | undefined {
  return matchRow(manifest, fileName)?.row;
}

/** Maps a manifest or sidecar row to metadata fields (only those present and non-empty). */
export function rowToMeta(row: ManifestRow, columns: Partial<Record<MetaField, string>>): Partial<VideoMeta> {
  const get = (f: MetaField) => {
    const c = columns[f];
    const v = c ? row[c] : undefined;
    return v && v.trim() ? v.trim() : undefined;
  };
  const meta: Partial<VideoMeta> = {};
  const id = get('id');
  if (id) meta.id = id;
  const title = get('title');
  if (title) meta.title = title;
  const channel = get('channel');
  if (channel) meta.channel = channel;
  const url = get('url');
  if (url) meta.url = url;
  const date = get('publishedAt');
  if (date) meta.publishedAt = normalizeDate(date);
  const speakers = get('speakers');
  if (speakers) meta.speakers = speakers.split(/\s*[,;|]\s*|\s+and\s+/).filter(Boolean);
  const description = get('description');
  if (description) meta.description = description;
  const thumbnail = get('thumbnail');
  if (thumbnail) meta.thumbnail = thumbnail;
  return meta;
}

/** `2018-04-19 00:00:00` → `2018-04-19`; `20180419` → `2018-04-19`; full ISO times keep their date part. */
export function normalizeDate(value: string): string | undefined {
  const v = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(0, 10);
}
