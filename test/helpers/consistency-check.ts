import type { Store } from '../../indexer/store/store.ts';

/**
 * Where SQLite segments, FTS rows and HNSW labels disagree, or a video's counts do not match
 * its rows; empty when the index is consistent. Free of vitest so bench scripts can use it.
 */
export function consistencyProblems(store: Store): string[] {
  const problems: string[] = [];
  const db = store.db.sqlite;
  const segmentIds = db.prepare('SELECT id FROM segments ORDER BY id').pluck().all() as number[];
  try {
    // Verifies the full-text index against its content table (throws SQLITE_CORRUPT_VTAB on mismatch).
    db.prepare("INSERT INTO segments_fts(segments_fts, rank) VALUES ('integrity-check', 1)").run();
  } catch (err) {
    problems.push(`FTS integrity check failed: ${(err as Error).message}`);
  }
  const labels = store.vectors()?.labels().sort((a, b) => a - b) ?? [];
  if (labels.length !== segmentIds.length || labels.some((l, i) => l !== segmentIds[i])) {
    problems.push(`HNSW labels (${labels.length}) differ from segment ids (${segmentIds.length})`);
  }
  const mismatched = db
    .prepare(
      `SELECT v.id FROM videos v WHERE v.status = 'indexed' AND (
         v.segment_count <> (SELECT count(*) FROM segments s WHERE s.video_id = v.id) OR
         v.cue_count <> (SELECT count(*) FROM cues c WHERE c.video_id = v.id))`,
    )
    .pluck()
    .all();
  if (mismatched.length > 0) problems.push(`videos whose counts differ from their rows: ${mismatched.join(', ')}`);
  const noVector = db.prepare('SELECT count(*) FROM segments s LEFT JOIN vectors v ON v.hash = s.vec_hash WHERE v.hash IS NULL').pluck().get() as number;
  if (noVector !== 0) problems.push(`${noVector} segments without a stored vector`);
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') problems.push(`SQLite integrity check: ${String(integrity)}`);
  return problems;
}
