/** The index's write lock in the core's terms: another process holding it is a `conflict`. */
import { IndexLockedError } from '../indexer/store/lock.ts';
import { conflict } from './errors.ts';

/** Runs work that takes the write lock (its acquisition, starting a job); a refusal becomes a `conflict`. */
export function underLock<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof IndexLockedError) throw conflict(err.message);
    throw err;
  }
}
