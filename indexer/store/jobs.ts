/**
 * The persisted ingest queue (jobs, their items, followed lists) over the index's own SQLite
 * connection, so a job's progress commits in the same file as the videos it produced.
 */
import type Database from 'better-sqlite3';
import { ITEM_STATUSES, type ItemStatus, type JobKind, type JobMode, type JobStatus } from '../domain.ts';
import { applySchema } from './tables.ts';
import { present } from '../present.ts';

/** A job is finished only when done; anything else is picked up again by the next add or resume. */
const UNFINISHED: readonly JobStatus[] = ['queued', 'running', 'paused', 'failed'];

export interface Job {
  id: number;
  kind: JobKind;
  mode: JobMode;
  source: string;
  status: JobStatus;
  message?: string;
  listedAt?: number;
  createdAt: number;
  updatedAt: number;
  total: number;
  counts: Record<ItemStatus, number>;
}

export interface JobItem {
  videoId: string;
  position: number;
  title?: string;
  status: ItemStatus;
  attempts: number;
  error?: string;
  updatedAt: number;
}

export interface Follow {
  source: string;
  kind: 'playlist' | 'channel' | 'feed';
  createdAt: number;
  lastListedAt?: number;
}

interface RawJob {
  id: number;
  kind: JobKind;
  mode: JobMode;
  source: string;
  status: JobStatus;
  message: string | null;
  listed_at: number | null;
  created_at: number;
  updated_at: number;
}

interface RawItem {
  video_id: string;
  position: number;
  title: string | null;
  status: ItemStatus;
  attempts: number;
  error: string | null;
  updated_at: number;
}

function emptyCounts(): Record<ItemStatus, number> {
  return Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
}

/** The queue tables (jobs.sql; `Store.jobs`). Every method is one statement or one transaction. */
export class JobStore {
  constructor(private readonly sqlite: Database.Database) {
    applySchema(sqlite, 'jobs');
  }

  create(input: { kind: JobKind; mode: JobMode; source: string }, now: number): Job {
    const id = Number(
      this.sqlite
        .prepare("INSERT INTO jobs (kind, mode, source, status, created_at, updated_at) VALUES (?, ?, ?, 'queued', ?, ?)")
        .run(input.kind, input.mode, input.source, now, now).lastInsertRowid,
    );
    return present(this.get(id), `job ${id}`);
  }

  get(id: number): Job | undefined {
    const row = this.sqlite.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as RawJob | undefined;
    return row && this.toJob(row);
  }

  /** The newest job for `source` that did not finish, if any: the one to resume. */
  findUnfinished(source: string): Job | undefined {
    const row = this.sqlite
      .prepare(`SELECT * FROM jobs WHERE source = ? AND status IN (${UNFINISHED.map(() => '?').join(',')}) ORDER BY id DESC LIMIT 1`)
      .get(source, ...UNFINISHED) as RawJob | undefined;
    return row && this.toJob(row);
  }

  /** Every unfinished job, oldest first. */
  unfinished(): Job[] {
    const rows = this.sqlite
      .prepare(`SELECT * FROM jobs WHERE status IN (${UNFINISHED.map(() => '?').join(',')}) ORDER BY id`)
      .all(...UNFINISHED) as RawJob[];
    return rows.map((r) => this.toJob(r));
  }

  /** The newest jobs first. */
  recent(limit: number): Job[] {
    const rows = this.sqlite.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as RawJob[];
    return rows.map((r) => this.toJob(r));
  }

  setStatus(id: number, status: JobStatus, message: string | undefined, now: number): void {
    this.sqlite.prepare('UPDATE jobs SET status = ?, message = ?, updated_at = ? WHERE id = ?').run(status, message ?? null, now, id);
  }

  markListed(id: number, now: number): void {
    this.sqlite.prepare('UPDATE jobs SET listed_at = ?, updated_at = ? WHERE id = ?').run(now, now, id);
  }

  /** Appends videos in listing order; ones already in the job are ignored. Returns how many were new. */
  addItems(id: number, videos: { videoId: string; title?: string }[], now: number): number {
    const next = this.sqlite.prepare('SELECT coalesce(max(position) + 1, 0) FROM job_items WHERE job_id = ?').pluck();
    const insert = this.sqlite.prepare(
      "INSERT OR IGNORE INTO job_items (job_id, video_id, position, title, status, updated_at) VALUES (?, ?, ?, ?, 'queued', ?)",
    );
    return this.sqlite.transaction(() => {
      // The next position is read once: reading max(position) per row made a long listing quadratic.
      let position = next.get(id) as number;
      let added = 0;
      for (const v of videos) {
        const changes = insert.run(id, v.videoId, position, v.title ?? null, now).changes;
        position += changes;
        added += changes;
      }
      if (added) this.sqlite.prepare('UPDATE jobs SET updated_at = ? WHERE id = ?').run(now, id);
      return added;
    })();
  }

  items(id: number, status?: ItemStatus): JobItem[] {
    const rows = (
      status
        ? this.sqlite.prepare('SELECT * FROM job_items WHERE job_id = ? AND status = ? ORDER BY position').all(id, status)
        : this.sqlite.prepare('SELECT * FROM job_items WHERE job_id = ? ORDER BY position').all(id)
    ) as RawItem[];
    return rows.map((r) => ({
      videoId: r.video_id,
      position: r.position,
      title: r.title ?? undefined,
      status: r.status,
      attempts: r.attempts,
      error: r.error ?? undefined,
      updatedAt: r.updated_at,
    }));
  }

  /** Records one fetch of an item: its final status, or `queued` again with the reason (a block). */
  recordAttempt(id: number, videoId: string, status: ItemStatus, error: string | undefined, now: number): void {
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare('UPDATE job_items SET status = ?, error = ?, attempts = attempts + 1, updated_at = ? WHERE job_id = ? AND video_id = ?')
        .run(status, error ?? null, now, id, videoId);
      this.sqlite.prepare('UPDATE jobs SET updated_at = ? WHERE id = ?').run(now, id);
    })();
  }

  counts(id: number): Record<ItemStatus, number> {
    const rows = this.sqlite.prepare('SELECT status, count(*) AS n FROM job_items WHERE job_id = ? GROUP BY status').all(id) as {
      status: ItemStatus;
      n: number;
    }[];
    const counts = emptyCounts();
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  /** Remembers a playlist, channel or feed for `episodic refresh`; adding it again keeps its history. */
  follow(source: string, kind: Follow['kind'], now: number): void {
    this.sqlite.prepare('INSERT OR IGNORE INTO follows (source, kind, created_at) VALUES (?, ?, ?)').run(source, kind, now);
  }

  markFollowListed(source: string, now: number): void {
    this.sqlite.prepare('UPDATE follows SET last_listed_at = ? WHERE source = ?').run(now, source);
  }

  follows(): Follow[] {
    const rows = this.sqlite.prepare('SELECT * FROM follows ORDER BY created_at, source').all() as {
      source: string;
      kind: Follow['kind'];
      created_at: number;
      last_listed_at: number | null;
    }[];
    return rows.map((r) => ({ source: r.source, kind: r.kind, createdAt: r.created_at, lastListedAt: r.last_listed_at ?? undefined }));
  }

  private toJob(r: RawJob): Job {
    const counts = this.counts(r.id);
    return {
      id: r.id,
      kind: r.kind,
      mode: r.mode,
      source: r.source,
      status: r.status,
      message: r.message ?? undefined,
      listedAt: r.listed_at ?? undefined,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      counts,
    };
  }
}
