import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown when another live process is writing to the same index. */
export class IndexLockedError extends Error {
  constructor(readonly pid: number) {
    super(`another Episodic process (pid ${pid}) is writing to this index; wait for it to finish`);
    this.name = 'IndexLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the single-writer lock of an index directory. Readers never need it (SQLite WAL);
 * writers do, because the HNSW file is saved whole. A lock left by a killed process is taken over.
 */
export function acquireWriteLock(dir: string): () => void {
  const file = join(dir, 'write.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) throw new IndexLockedError(pid);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the write lock ${file}`);
}
