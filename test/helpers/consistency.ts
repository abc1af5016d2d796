import { expect } from 'vitest';
import type { Store } from '../../indexer/store/store.ts';
import { consistencyProblems } from './consistency-check.ts';

/** Asserts SQLite segments, FTS rows and HNSW labels agree exactly, and every video's counts match its rows. */
export function expectConsistent(store: Store): void {
  expect(consistencyProblems(store)).toEqual([]);
}
