import Database from 'better-sqlite3';
import type { Cue, Segment, VideoMeta, VideoStatus } from '../domain.ts';
import { applySchema } from './tables.ts';
export const SCHEMA_VERSION = '1';

export type { VideoStatus } from '../domain.ts';

export interface VideoRow extends VideoMeta {
  source?: string;
  format?: string;
  contentHash?: string;
  status: VideoStatus;
  error?: string;
  chapters?: { title: string; startMs: number }[];
  track?: { lang: string; kind: string };
  cueCount: number;
  segmentCount: number;
  addedAt: string;
  updatedAt: string;
}

/** A segment ready to be written: the window plus the hash of the text that was embedded. */
export interface StoredSegmentInput extends Segment {
  vecHash: string;
}

export interface SegmentRow {
  id: number;
  videoId: string;
  startMs: number;
  endMs: number;
  firstCue: number;
  lastCue: number;
  text: string;
  speakers: string[];
  vecHash: string;
}

/** Restricts search to some videos. All fields combine with AND. */
export interface SearchFilter {
  videoIds?: string[];
  channel?: string;
  from?: string;
  to?: string;
}

interface RawVideo {
  id: string;
  title: string;
  channel: string | null;
  url: string | null;
  youtube_id: string | null;
  published_at: string | null;
  speakers: string | null;
  duration_ms: number | null;
  description: string | null;
  thumbnail: string | null;
  /** Absent in an index opened read-only before the column was added. */
  audio_url?: string | null;
  chapters: string | null;
  track: string | null;
  source: string | null;
  format: string | null;
  content_hash: string | null;
  status: VideoStatus;
  error: string | null;
  cue_count: number;
  segment_count: number;
  added_at: string;
  updated_at: string;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function toVideoRow(r: RawVideo): VideoRow {
  return {
    id: r.id,
    title: r.title,
    channel: opt(r.channel),
    url: opt(r.url),
    youtubeId: opt(r.youtube_id),
    publishedAt: opt(r.published_at),
    speakers: r.speakers ? (JSON.parse(r.speakers) as string[]) : undefined,
    durationMs: opt(r.duration_ms),
    description: opt(r.description),
    thumbnail: opt(r.thumbnail),
    audioUrl: r.audio_url ?? undefined,
    chapters: r.chapters ? JSON.parse(r.chapters) : undefined,
    track: r.track ? JSON.parse(r.track) : undefined,
    source: opt(r.source),
    format: opt(r.format),
    contentHash: opt(r.content_hash),
    status: r.status,
    error: opt(r.error),
    cueCount: r.cue_count,
    segmentCount: r.segment_count,
    addedAt: r.added_at,
    updatedAt: r.updated_at,
  };
}

interface RawSegment {
  id: number;
  video_id: string;
  start_ms: number;
  end_ms: number;
  first_cue: number;
  last_cue: number;
  text: string;
  speakers: string | null;
  vec_hash: string;
}

function toSegmentRow(r: RawSegment): SegmentRow {
  return {
    id: r.id,
    videoId: r.video_id,
    startMs: r.start_ms,
    endMs: r.end_ms,
    firstCue: r.first_cue,
    lastCue: r.last_cue,
    text: r.text,
    speakers: r.speakers ? JSON.parse(r.speakers) : [],
    vecHash: r.vec_hash,
  };
}

/** Builds the SQL condition and parameters of a filter over the `videos` table aliased `v`. */
function filterSql(filter: SearchFilter | undefined): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter?.videoIds?.length) {
    parts.push(`v.id IN (${filter.videoIds.map(() => '?').join(',')})`);
    params.push(...filter.videoIds);
  }
  if (filter?.channel) {
    parts.push('v.channel = ? COLLATE NOCASE');
    params.push(filter.channel);
  }
  if (filter?.from) {
    parts.push('v.published_at >= ?');
    params.push(filter.from);
  }
  if (filter?.to) {
    // Dates compare as strings; `to` is inclusive of the whole day.
    parts.push('substr(v.published_at, 1, 10) <= ?');
    params.push(filter.to.slice(0, 10));
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/**
 * Columns added after schema version 1, added in place to an older index (ALTER TABLE ADD
 * COLUMN is cheap and old readers ignore the column), so no reindex is needed.
 */
function addMissingColumns(sqlite: Database.Database): void {
  const have = new Set((sqlite.prepare('PRAGMA table_info(videos)').all() as { name: string }[]).map((c) => c.name));
  if (!have.has('audio_url')) sqlite.exec('ALTER TABLE videos ADD COLUMN audio_url TEXT');
}

/** The SQLite adapter: every query of the index goes through this class. */
export class IndexDb {
  readonly sqlite: Database.Database;

  private constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
  }

  /** Opens (creating if needed) the SQLite file in WAL mode and applies the schema. */
  static open(file: string, options: { readonly?: boolean } = {}): IndexDb {
    const sqlite = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    if (!options.readonly) {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      applySchema(sqlite, 'index');
      addMissingColumns(sqlite);
      const version = sqlite.prepare('SELECT value FROM manifest WHERE key = ?').pluck().get('schema_version') as
        | string
        | undefined;
      if (version && version !== SCHEMA_VERSION) {
        throw new Error(`${file}: index schema version ${version}, this Episodic expects ${SCHEMA_VERSION}; run \`episodic reindex\``);
      }
      sqlite.prepare('INSERT OR IGNORE INTO manifest(key, value) VALUES (?, ?)').run('schema_version', SCHEMA_VERSION);
    }
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    return new IndexDb(sqlite);
  }

  close(): void {
    this.sqlite.close();
  }

  /** The first problem `PRAGMA quick_check` finds in the file's pages, or undefined when it is sound. */
  quickCheck(): string | undefined {
    const first = this.sqlite.prepare('PRAGMA quick_check(1)').pluck().get() as string;
    return first === 'ok' ? undefined : first.replace(/^\*\*\* in database \w+ \*\*\*\n/, '');
  }

  getManifest(key: string): string | undefined {
    return this.sqlite.prepare('SELECT value FROM manifest WHERE key = ?').pluck().get(key) as string | undefined;
  }

  setManifest(key: string, value: string): void {
    this.sqlite.prepare('INSERT INTO manifest(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  getVideo(id: string): VideoRow | undefined {
    const r = this.sqlite.prepare('SELECT * FROM videos WHERE id = ?').get(id) as RawVideo | undefined;
    return r && toVideoRow(r);
  }

  /** The video stored from this source (file path or URL), the most recently updated if several. */
  videoBySource(source: string): VideoRow | undefined {
    const r = this.sqlite.prepare('SELECT * FROM videos WHERE source = ? ORDER BY updated_at DESC LIMIT 1').get(source) as RawVideo | undefined;
    return r && toVideoRow(r);
  }

  /** An indexed video whose transcript has this content hash (the same transcript, wherever it came from). */
  videoByContentHash(hash: string): VideoRow | undefined {
    const r = this.sqlite.prepare("SELECT * FROM videos WHERE content_hash = ? AND status = 'indexed' ORDER BY added_at LIMIT 1").get(hash) as RawVideo | undefined;
    return r && toVideoRow(r);
  }

  listVideos(): VideoRow[] {
    const rows = this.sqlite.prepare('SELECT * FROM videos ORDER BY published_at IS NULL, published_at DESC, title').all() as RawVideo[];
    return rows.map(toVideoRow);
  }

  /** Videos by id, one batched query. */
  videosByIds(ids: string[]): Map<string, VideoRow> {
    if (ids.length === 0) return new Map();
    const rows = this.sqlite.prepare('SELECT v.* FROM videos v JOIN json_each(?) j ON j.value = v.id').all(JSON.stringify(ids)) as RawVideo[];
    return new Map(rows.map((r) => [r.id, toVideoRow(r)]));
  }

  /**
   * Lower-cased words of every video's title, channel and guests (the episode-level vocabulary),
   * each with the ids of the videos whose title, channel or guests hold it.
   * Speakers are left out where the transcript labels its speakers, since those names (or roles,
   * in meetings) are then passage words too.
   */
  titleVocabulary(): Map<string, string[]> {
    const rows = this.sqlite
      .prepare(
        `SELECT id, title, channel, speakers,
           EXISTS (SELECT 1 FROM cues c WHERE c.video_id = v.id AND c.speaker IS NOT NULL) AS labelled
         FROM videos v WHERE status = 'indexed'`,
      )
      .all() as { id: string; title: string; speakers: string | null; channel: string | null; labelled: number }[];
    const words = new Map<string, string[]>();
    for (const r of rows) {
      const guests = r.speakers && !r.labelled ? (JSON.parse(r.speakers) as string[]).join(' ') : '';
      for (const w of new Set(`${r.title} ${guests} ${r.channel ?? ''}`.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])) {
        const ids = words.get(w);
        if (ids) ids.push(r.id);
        else words.set(w, [r.id]);
      }
    }
    return words;
  }

  /**
   * Every word of the keyword index (as its tokenizer stores it, Porter-stemmed) with the number
   * of segments holding it, read through a temporary fts5vocab table (nothing is stored).
   */
  passageVocabulary(): Map<string, number> {
    this.sqlite.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.segments_vocab USING fts5vocab(main, 'segments_fts', 'row')");
    const rows = this.sqlite.prepare('SELECT term, doc FROM temp.segments_vocab').raw().all() as [string, number][];
    return new Map(rows);
  }

  /** How many segments hold a word, as the keyword index matches it (stemmed), counting up to `cap`. */
  documentCount(word: string, cap: number): number {
    return this.sqlite
      .prepare('SELECT count(*) FROM (SELECT 1 FROM segments_fts WHERE segments_fts MATCH ? LIMIT ?)')
      .pluck()
      .get(`"${word.replace(/"/g, '""')}"`, cap) as number;
  }

  /** The text of every segment, each distinct text once, in segment order (what `reindex` re-embeds). */
  distinctSegmentTexts(): string[] {
    return this.sqlite.prepare('SELECT DISTINCT text FROM segments ORDER BY id').pluck().all() as string[];
  }

  /** Segment ids of the videos matching a filter (restricts the dense leg). */
  segmentIdsMatching(filter: SearchFilter): number[] {
    const f = filterSql(filter);
    return this.sqlite
      .prepare(`SELECT s.id FROM segments s JOIN videos v ON v.id = s.video_id WHERE ${f.sql}`)
      .pluck()
      .all(...f.params) as number[];
  }

  /** Ids of the videos matching a filter (used to restrict the dense leg). */
  videoIdsMatching(filter: SearchFilter): string[] {
    const f = filterSql(filter);
    return this.sqlite.prepare(`SELECT v.id FROM videos v WHERE ${f.sql}`).pluck().all(...f.params) as string[];
  }

  cues(videoId: string): Cue[] {
    const rows = this.sqlite
      .prepare('SELECT start_ms, end_ms, text, speaker FROM cues WHERE video_id = ? ORDER BY idx')
      .all(videoId) as { start_ms: number; end_ms: number; text: string; speaker: string | null }[];
    return rows.map((r) => ({ startMs: r.start_ms, endMs: r.end_ms, text: r.text, ...(r.speaker ? { speaker: r.speaker } : {}) }));
  }

  /** Cues `first..last` (inclusive) of one video, with their indices. */
  cueRange(videoId: string, first: number, last: number): (Cue & { idx: number })[] {
    const rows = this.sqlite
      .prepare('SELECT idx, start_ms, end_ms, text, speaker FROM cues WHERE video_id = ? AND idx BETWEEN ? AND ? ORDER BY idx')
      .all(videoId, first, last) as { idx: number; start_ms: number; end_ms: number; text: string; speaker: string | null }[];
    return rows.map((r) => ({ idx: r.idx, startMs: r.start_ms, endMs: r.end_ms, text: r.text, ...(r.speaker ? { speaker: r.speaker } : {}) }));
  }

  segmentsOf(videoId: string): SegmentRow[] {
    const rows = this.sqlite.prepare('SELECT * FROM segments WHERE video_id = ? ORDER BY start_ms').all(videoId) as RawSegment[];
    return rows.map(toSegmentRow);
  }

  /** Segments by id, in the order of `ids` (unknown ids are skipped). One batched query. */
  segmentsByIds(ids: number[]): SegmentRow[] {
    if (ids.length === 0) return [];
    const rows = this.sqlite
      .prepare(`SELECT s.* FROM segments s JOIN json_each(?) j ON j.value = s.id`)
      .all(JSON.stringify(ids)) as RawSegment[];
    const byId = new Map(rows.map((r) => [r.id, toSegmentRow(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Every segment id with the video it belongs to, for the vector index's filters and repair. */
  segmentVideoPairs(): { id: number; videoId: string }[] {
    return this.sqlite.prepare('SELECT id, video_id AS videoId FROM segments').all() as { id: number; videoId: string }[];
  }

  hasVector(hash: string): boolean {
    return this.sqlite.prepare('SELECT 1 FROM vectors WHERE hash = ?').get(hash) !== undefined;
  }

  /** Vectors for the given text hashes (missing ones are absent from the map). */
  getVectors(hashes: string[]): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    if (hashes.length === 0) return out;
    const rows = this.sqlite
      .prepare('SELECT v.hash, v.vec FROM vectors v JOIN json_each(?) j ON j.value = v.hash')
      .all(JSON.stringify(hashes)) as { hash: string; vec: Buffer }[];
    for (const r of rows) out.set(r.hash, blobToVector(r.vec));
    return out;
  }

  /** Vectors of the given segment ids, joined through their text hash. */
  vectorsOfSegments(ids: number[]): Map<number, Float32Array> {
    const out = new Map<number, Float32Array>();
    if (ids.length === 0) return out;
    const rows = this.sqlite
      .prepare('SELECT s.id, v.vec FROM segments s JOIN json_each(?) j ON j.value = s.id JOIN vectors v ON v.hash = s.vec_hash')
      .all(JSON.stringify(ids)) as { id: number; vec: Buffer }[];
    for (const r of rows) out.set(r.id, blobToVector(r.vec));
    return out;
  }

  putVectors(entries: Iterable<[string, Float32Array]>): void {
    const stmt = this.sqlite.prepare('INSERT OR IGNORE INTO vectors(hash, vec) VALUES (?, ?)');
    this.sqlite.transaction(() => {
      for (const [hash, vec] of entries) stmt.run(hash, vectorToBlob(vec));
    })();
  }

  /**
   * Replaces everything stored for one video in a single transaction: a crash leaves either the
   * old version or the new one. Returns the ids of removed and added segments.
   */
  replaceVideo(input: {
    meta: VideoMeta;
    source?: string;
    format?: string;
    contentHash: string;
    chapters?: { title: string; startMs: number }[];
    track?: { lang: string; kind: string };
    cues: Cue[];
    segments: StoredSegmentInput[];
  }): { removed: number[]; added: number[] } {
    const now = new Date().toISOString();
    return this.sqlite.transaction(() => {
      const previous = this.getVideo(input.meta.id);
      const removed = this.deleteVideoContent(input.meta.id);
      const m = input.meta;
      this.sqlite
        .prepare(
          `INSERT INTO videos (id, title, channel, url, youtube_id, published_at, speakers, duration_ms, description, thumbnail,
             audio_url, chapters, track, source, format, content_hash, status, error, cue_count, segment_count, added_at, updated_at)
           VALUES (@id, @title, @channel, @url, @youtube_id, @published_at, @speakers, @duration_ms, @description, @thumbnail,
             @audio_url, @chapters, @track, @source, @format, @content_hash, 'indexed', NULL, @cue_count, @segment_count, @added_at, @updated_at)
           ON CONFLICT(id) DO UPDATE SET title = excluded.title, channel = excluded.channel, url = excluded.url,
             youtube_id = excluded.youtube_id, published_at = excluded.published_at, speakers = excluded.speakers,
             duration_ms = excluded.duration_ms, description = excluded.description, thumbnail = excluded.thumbnail,
             audio_url = excluded.audio_url,
             chapters = excluded.chapters, track = excluded.track, source = excluded.source, format = excluded.format,
             content_hash = excluded.content_hash, status = 'indexed', error = NULL, cue_count = excluded.cue_count,
             segment_count = excluded.segment_count, updated_at = excluded.updated_at`,
        )
        .run({
          id: m.id,
          title: m.title,
          channel: m.channel ?? null,
          url: m.url ?? null,
          youtube_id: m.youtubeId ?? null,
          published_at: m.publishedAt ?? null,
          speakers: m.speakers?.length ? JSON.stringify(m.speakers) : null,
          duration_ms: m.durationMs ?? (input.cues.length ? input.cues[input.cues.length - 1].endMs : null),
          description: m.description ?? null,
          thumbnail: m.thumbnail ?? null,
          audio_url: m.audioUrl ?? null,
          chapters: input.chapters?.length ? JSON.stringify(input.chapters) : null,
          track: input.track ? JSON.stringify(input.track) : null,
          source: input.source ?? null,
          format: input.format ?? null,
          content_hash: input.contentHash,
          cue_count: input.cues.length,
          segment_count: input.segments.length,
          added_at: previous?.addedAt ?? now,
          updated_at: now,
        });
      const cueStmt = this.sqlite.prepare('INSERT INTO cues (video_id, idx, start_ms, end_ms, text, speaker) VALUES (?, ?, ?, ?, ?, ?)');
      input.cues.forEach((c, i) => cueStmt.run(m.id, i, c.startMs, c.endMs, c.text, c.speaker ?? null));
      const segStmt = this.sqlite.prepare(
        'INSERT INTO segments (video_id, start_ms, end_ms, first_cue, last_cue, text, speakers, vec_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const ftsStmt = this.sqlite.prepare('INSERT INTO segments_fts (rowid, text) VALUES (?, ?)');
      const added: number[] = [];
      for (const s of input.segments) {
        const id = Number(
          segStmt.run(m.id, s.startMs, s.endMs, s.firstCue, s.lastCue, s.text, s.speakers.length ? JSON.stringify(s.speakers) : null, s.vecHash)
            .lastInsertRowid,
        );
        ftsStmt.run(id, s.text);
        added.push(id);
      }
      return { removed, added };
    })();
  }

  /** Updates descriptive metadata of an already indexed video (no content change). */
  updateMeta(m: VideoMeta, chapters?: { title: string; startMs: number }[]): void {
    this.sqlite
      .prepare(
        `UPDATE videos SET title = ?, channel = ?, url = ?, youtube_id = ?, published_at = ?, speakers = ?,
           description = coalesce(?, description), thumbnail = coalesce(?, thumbnail), chapters = coalesce(?, chapters),
           duration_ms = coalesce(?, duration_ms), audio_url = coalesce(?, audio_url)
         WHERE id = ?`,
      )
      .run(m.title, m.channel ?? null, m.url ?? null, m.youtubeId ?? null, m.publishedAt ?? null,
        m.speakers?.length ? JSON.stringify(m.speakers) : null, m.description ?? null, m.thumbnail ?? null,
        chapters?.length ? JSON.stringify(chapters) : null, m.durationMs ?? null, m.audioUrl ?? null, m.id);
  }

  /** Records a video that could not be indexed (no captions, private…) without touching its content. */
  setVideoStatus(meta: VideoMeta, status: VideoStatus, error?: string, source?: string): void {
    const now = new Date().toISOString();
    this.sqlite
      .prepare(
        `INSERT INTO videos (id, title, channel, url, youtube_id, published_at, speakers, duration_ms, description, thumbnail, audio_url, source, status, error, added_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, error = excluded.error, updated_at = excluded.updated_at,
           title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE videos.title END,
           speakers = coalesce(excluded.speakers, videos.speakers), description = coalesce(excluded.description, videos.description),
           audio_url = coalesce(excluded.audio_url, videos.audio_url), thumbnail = coalesce(excluded.thumbnail, videos.thumbnail)`,
      )
      .run(meta.id, meta.title, meta.channel ?? null, meta.url ?? null, meta.youtubeId ?? null, meta.publishedAt ?? null,
        meta.speakers?.length ? JSON.stringify(meta.speakers) : null, meta.durationMs ?? null, meta.description ?? null,
        meta.thumbnail ?? null, meta.audioUrl ?? null, source ?? null, status, error ?? null, now, now);
  }

  /** Deletes a video and its content. Returns the removed segment ids (for the vector index). */
  removeVideo(id: string): number[] {
    return this.sqlite.transaction(() => {
      const removed = this.deleteVideoContent(id);
      this.sqlite.prepare('DELETE FROM videos WHERE id = ?').run(id);
      return removed;
    })();
  }

  private deleteVideoContent(id: string): number[] {
    const ids = this.sqlite.prepare('SELECT id FROM segments WHERE video_id = ?').pluck().all(id) as number[];
    // External-content FTS needs the old text to remove its postings.
    this.sqlite
      .prepare("INSERT INTO segments_fts (segments_fts, rowid, text) SELECT 'delete', id, text FROM segments WHERE video_id = ?")
      .run(id);
    this.sqlite.prepare('DELETE FROM segments WHERE video_id = ?').run(id);
    this.sqlite.prepare('DELETE FROM cues WHERE video_id = ?').run(id);
    return ids;
  }

  /** Drops vectors no segment refers to any more. */
  pruneVectors(): number {
    return this.sqlite.prepare('DELETE FROM vectors WHERE hash NOT IN (SELECT vec_hash FROM segments)').run().changes;
  }

  /** BM25 keyword candidates. `match` is an FTS5 query built by the retrieval code. Lower bm25 is better. */
  keywordSearch(match: string, filter: SearchFilter | undefined, limit: number): { id: number; bm25: number }[] {
    const f = filterSql(filter);
    const filtered = f.sql !== '1';
    const sql = filtered
      ? `SELECT f.rowid AS id, bm25(segments_fts) AS bm25 FROM segments_fts f
           JOIN segments s ON s.id = f.rowid JOIN videos v ON v.id = s.video_id
         WHERE segments_fts MATCH ? AND ${f.sql} ORDER BY bm25 LIMIT ?`
      : `SELECT rowid AS id, bm25(segments_fts) AS bm25 FROM segments_fts WHERE segments_fts MATCH ? ORDER BY bm25 LIMIT ?`;
    return this.sqlite.prepare(sql).all(match, ...f.params, limit) as { id: number; bm25: number }[];
  }

  /**
   * Rows and tokens in the keyword index, as FTS5's bm25() reads them: the index's "averages"
   * record (row 1 of segments_fts_data: a varint row count, then a varint token total per column).
   */
  keywordTotals(): { rows: number; tokens: number } {
    const block = this.sqlite.prepare('SELECT block FROM segments_fts_data WHERE id = 1').pluck().get() as Buffer | undefined;
    if (!block?.length) return { rows: 0, tokens: 0 };
    const [rows, next] = readVarint(block, 0);
    const [tokens] = next < block.length ? readVarint(block, next) : [0];
    return { rows, tokens };
  }

  /**
   * How many segments hold each token (as the keyword index stores it: stemmed), read through a
   * temporary fts5vocab table. Each count walks that token's list of segments once.
   */
  documentCounts(tokens: string[]): number[] {
    this.sqlite.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.segments_vocab USING fts5vocab(main, 'segments_fts', 'row')");
    const get = this.sqlite.prepare('SELECT doc FROM temp.segments_vocab WHERE term = ?').pluck();
    return tokens.map((t) => (get.get(t) as number | undefined) ?? 0);
  }

  /** BM25 of specific segments for a query (0 rows for segments that do not match). */
  keywordScores(match: string, ids: number[]): Map<number, number> {
    if (ids.length === 0) return new Map();
    const rows = this.sqlite
      .prepare(`SELECT rowid AS id, bm25(segments_fts) AS bm25 FROM segments_fts WHERE segments_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`)
      .all(match, JSON.stringify(ids)) as { id: number; bm25: number }[];
    return new Map(rows.map((r) => [r.id, r.bm25]));
  }

  stats(): { videos: number; indexed: number; segments: number; cues: number; vectors: number; durationMs: number } {
    const q = (sql: string) => (this.sqlite.prepare(sql).pluck().get() as number | null) ?? 0;
    return {
      videos: q('SELECT count(*) FROM videos'),
      indexed: q("SELECT count(*) FROM videos WHERE status = 'indexed'"),
      segments: q('SELECT count(*) FROM segments'),
      cues: q('SELECT count(*) FROM cues'),
      vectors: q('SELECT count(*) FROM vectors'),
      durationMs: q("SELECT sum(duration_ms) FROM videos WHERE status = 'indexed'"),
    };
  }
}

export function vectorToBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function blobToVector(b: Buffer): Float32Array {
  // Copy: the Buffer may share a pool and be unaligned for a Float32Array view.
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** A SQLite varint at `offset` (big-endian 7-bit groups, a 9th byte of 8 bits) and the offset after it. */
export function readVarint(buf: Uint8Array, offset: number): [value: number, next: number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = buf[offset + i];
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, offset + i + 1];
  }
  return [value * 256 + buf[offset + 8], offset + 9];
}
