/**
 * Consistency checks over an open index database, shared by `episodic repair` (salvage.ts) and
 * the tests' consistency helper. Each returns one human-readable problem, or undefined when fine.
 */
import type Database from 'better-sqlite3';
import { blobToVector } from './db.ts';

/** Segment ids in ascending order (the labels the vector index must hold). */
export function segmentIds(db: Database.Database): number[] {
  return db.prepare('SELECT id FROM segments ORDER BY id').pluck().all() as number[];
}

/** Verifies the full-text index against its content table (FTS5 throws SQLITE_CORRUPT_VTAB on a mismatch). */
export function ftsProblem(db: Database.Database): string | undefined {
  try {
    db.prepare("INSERT INTO segments_fts(segments_fts, rank) VALUES ('integrity-check', 1)").run();
    return undefined;
  } catch (err) {
    return `FTS integrity check failed: ${(err as Error).message}`;
  }
}

/** Pure: whether the vector index's labels are exactly the segment ids (both sorted ascending). */
export function labelProblem(labels: readonly number[], ids: readonly number[]): string | undefined {
  if (labels.length !== ids.length || labels.some((l, i) => l !== ids[i])) {
    return `HNSW labels (${labels.length}) differ from segment ids (${ids.length})`;
  }
  return undefined;
}

/** Indexed videos whose recorded cue or segment count differs from their rows (half-indexed episodes). */
export function videosWithWrongCounts(db: Database.Database): string[] {
  return db
    .prepare(
      `SELECT v.id FROM videos v WHERE v.status = 'indexed' AND (
         v.segment_count <> (SELECT count(*) FROM segments s WHERE s.video_id = v.id) OR
         v.cue_count <> (SELECT count(*) FROM cues c WHERE c.video_id = v.id))`,
    )
    .pluck()
    .all() as string[];
}

export function countsProblem(db: Database.Database): string | undefined {
  const mismatched = videosWithWrongCounts(db);
  return mismatched.length > 0 ? `videos whose counts differ from their rows: ${mismatched.join(', ')}` : undefined;
}

/** How many segments point at a text hash with no row in `vectors`. */
function segmentsWithoutVector(db: Database.Database): number {
  return db.prepare('SELECT count(*) FROM segments s LEFT JOIN vectors v ON v.hash = s.vec_hash WHERE v.hash IS NULL').pluck().get() as number;
}

export function missingVectorsProblem(db: Database.Database): string | undefined {
  const n = segmentsWithoutVector(db);
  return n !== 0 ? `${n} segments without a stored vector` : undefined;
}

/**
 * Pure: whether a stored vector is a plausible embedding: `dimension` finite floats of unit length
 * (both embedders L2-normalise; all-zero is allowed). A damaged overflow page is read back without
 * any error from SQLite, so this is how garbage in a `vec` blob is caught.
 */
export function isPlausibleVector(blob: Buffer, dimension: number): boolean {
  if (blob.byteLength !== dimension * 4) return false;
  const v = blobToVector(blob);
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) return false;
    sum += v[i] * v[i];
  }
  return sum === 0 || Math.abs(Math.sqrt(sum) - 1) < 1e-3;
}

/** Hashes of stored vectors that are not plausible embeddings of `dimension` (wrong size, not finite, not unit length). */
export function implausibleVectors(db: Database.Database, dimension: number): string[] {
  const bad: string[] = [];
  for (const r of db.prepare('SELECT hash, vec FROM vectors').iterate() as Iterable<{ hash: string; vec: Buffer }>) {
    if (!isPlausibleVector(r.vec, dimension)) bad.push(r.hash);
  }
  return bad;
}

/** The first line of `PRAGMA integrity_check` when it is not 'ok' (throws on an unreadable file). */
export function integrityProblem(db: Database.Database): string | undefined {
  const integrity = db.pragma('integrity_check', { simple: true });
  return integrity !== 'ok' ? `SQLite integrity check: ${String(integrity)}` : undefined;
}

/** Whether an error from SQLite means the file itself is damaged (not busy, locked or read-only). */
export function isCorruptionError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_INDEX' || code === 'SQLITE_CORRUPT_SEQUENCE';
}

/** Pure: `integrity_check` lines that come from FTS5's own check (the keyword index), not from the b-trees. */
function isFtsIntegrityLine(line: string): boolean {
  return /^fts5:|FTS5 table/i.test(line);
}

/**
 * Checks the file's b-trees, leaving FTS5 content checks out: a stale keyword index is rebuilt
 * in place, damaged storage needs a salvage copy. SQLite ≥ 3.44 runs FTS5's check inside
 * `integrity_check`, and that check throws when it reads a damaged content table; then every real
 * table is checked on its own to tell which it is. Throws when the file cannot be read at all.
 */
export function storageDamage(db: Database.Database): string[] {
  try {
    const lines = (db.prepare('PRAGMA integrity_check(100)').pluck().all() as string[]).map((l) => l.replace(/^\*\*\* in database \w+ \*\*\*\n/, ''));
    return lines.filter((l) => l !== 'ok' && !isFtsIntegrityLine(l));
  } catch (err) {
    if (!isCorruptionError(err) && (err as { code?: unknown }).code !== 'SQLITE_CORRUPT_VTAB') throw err;
  }
  const tables = db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'shadow')").pluck().all() as string[];
  const damage: string[] = [];
  for (const t of tables) {
    try {
      const lines = db.prepare(`PRAGMA integrity_check(${quoteId(t)})`).pluck().all() as string[];
      damage.push(...lines.filter((l) => l !== 'ok' && !isFtsIntegrityLine(l)).map((l) => `${t}: ${l}`));
    } catch (err) {
      if (!isCorruptionError(err)) throw err;
      damage.push(`${t}: ${(err as Error).message}`);
    }
  }
  return damage;
}

/** Quotes an SQL identifier. */
export function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
