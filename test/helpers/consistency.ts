import { expect } from 'vitest';
import type { Store } from '../../indexer/store/store.ts';

/** Asserts SQLite segments, FTS rows and HNSW labels agree exactly, and every video's counts match its rows. */
export function expectConsistent(store: Store): void {
  const db = store.db.sqlite;
  const segmentIds = (db.prepare('SELECT id FROM segments ORDER BY id').pluck().all() as number[]);
  // Verifies the full-text index against its content table (throws SQLITE_CORRUPT_VTAB on mismatch).
  db.prepare("INSERT INTO segments_fts(segments_fts, rank) VALUES ('integrity-check', 1)").run();
  const labels = store.vectors()?.labels().sort((a, b) => a - b) ?? [];
  expect(labels).toEqual(segmentIds);
  const mismatched = db
    .prepare(
      `SELECT v.id FROM videos v WHERE v.status = 'indexed' AND (
         v.segment_count <> (SELECT count(*) FROM segments s WHERE s.video_id = v.id) OR
         v.cue_count <> (SELECT count(*) FROM cues c WHERE c.video_id = v.id))`,
    )
    .pluck()
    .all();
  expect(mismatched).toEqual([]);
  const noVector = db.prepare('SELECT count(*) FROM segments s LEFT JOIN vectors v ON v.hash = s.vec_hash WHERE v.hash IS NULL').pluck().get();
  expect(noVector).toBe(0);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
}
