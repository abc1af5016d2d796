import { countsProblem, ftsProblem, integrityProblem, labelProblem, missingVectorsProblem, segmentIds } from '../../indexer/store/checks.ts';
import type { Store } from '../../indexer/store/store.ts';

/**
 * Where SQLite segments, FTS rows and HNSW labels disagree, or a video's counts do not match
 * its rows; empty when the index is consistent. Free of vitest so bench scripts can use it.
 * The checks themselves live in indexer/store/checks.ts, shared with `episodic repair`.
 */
export function consistencyProblems(store: Store): string[] {
  const db = store.db.sqlite;
  const ids = segmentIds(db);
  const fts = ftsProblem(db);
  const labels = store.vectors()?.labels().sort((a, b) => a - b) ?? [];
  const problems = [fts, labelProblem(labels, ids), countsProblem(db), missingVectorsProblem(db), integrityProblem(db)];
  return problems.filter((p): p is string => p !== undefined);
}
