/**
 * Generated summaries, kept in the index's SQLite file (summaries.sql). A summary is valid for
 * one transcript (its content hash), one model and one prompt version: change any of them and it
 * is made again. The table is created on the first write, so opening an index to read never
 * writes to it.
 */
import type Database from 'better-sqlite3';
import { explainStorageError } from './data-dir.ts';
import { applySchema } from './tables.ts';

export interface SummaryKey {
  videoId: string;
  contentHash: string;
  model: string;
  promptVersion: string;
}

/** The summary cache over the index database (`Store.summaries`). */
export class SummaryCache {
  private ready = false;

  constructor(private readonly sqlite: Database.Database) {}

  private ensure(): void {
    if (this.ready) return;
    applySchema(this.sqlite, 'summaries');
    this.ready = true;
  }

  private exists(): boolean {
    return this.ready || this.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'summaries'").get() !== undefined;
  }

  /** The cached body for this key, or undefined. */
  get(key: SummaryKey): unknown {
    if (!this.exists()) return undefined;
    const row = this.sqlite
      .prepare('SELECT body FROM summaries WHERE video_id = ? AND content_hash = ? AND model = ? AND prompt_version = ?')
      .get(key.videoId, key.contentHash, key.model, key.promptVersion) as { body: string } | undefined;
    return row ? JSON.parse(row.body) : undefined;
  }

  /**
   * Stores a summary, dropping the video's summaries of older transcripts and of removed videos.
   * Returns false, after logging why, when the index cannot take the write (a full disk, a
   * read-only folder): the summary the caller made is still good, it is just not kept.
   */
  put(key: SummaryKey, body: unknown): boolean {
    try {
      this.write(key, body);
      return true;
    } catch (err) {
      const storage = explainStorageError(err, 'the index folder');
      if (!storage) throw err;
      console.error(`[episodic] the summary of ${key.videoId} was not saved: ${storage.message}`);
      return false;
    }
  }

  private write(key: SummaryKey, body: unknown): void {
    this.ensure();
    this.sqlite.transaction(() => {
      this.sqlite.prepare('DELETE FROM summaries WHERE video_id = ? AND content_hash <> ?').run(key.videoId, key.contentHash);
      this.sqlite.prepare('DELETE FROM summaries WHERE video_id NOT IN (SELECT id FROM videos)').run();
      this.sqlite
        .prepare(
          `INSERT INTO summaries (video_id, content_hash, model, prompt_version, created_at, body) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (video_id, content_hash, model, prompt_version) DO UPDATE SET created_at = excluded.created_at, body = excluded.body`,
        )
        .run(key.videoId, key.contentHash, key.model, key.promptVersion, new Date().toISOString(), JSON.stringify(body));
    })();
  }

  /** Number of cached summaries (for tests and stats). */
  count(videoId?: string): number {
    if (!this.exists()) return 0;
    const sql = videoId ? 'SELECT count(*) FROM summaries WHERE video_id = ?' : 'SELECT count(*) FROM summaries';
    return this.sqlite.prepare(sql).pluck().get(...(videoId ? [videoId] : [])) as number;
  }
}
