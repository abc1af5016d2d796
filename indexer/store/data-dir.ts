/**
 * The data folder's health: whether Episodic can write there and has room, and what a low-level
 * storage error (SQLite code or errno) means for the user, in words they can act on.
 */
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type DataDirProblem = 'read_only' | 'disk_full' | 'corrupt' | 'not_a_folder';

/** A problem with the data folder itself; its message says what to do. */
export class DataDirError extends Error {
  constructor(
    readonly problem: DataDirProblem,
    readonly dir: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'DataDirError';
  }
}

/** Below this much free space, commands that write refuse to start (EPISODIC_MIN_FREE_MB overrides). */
export const DEFAULT_MIN_FREE_MB = 50;

const codeOf = (err: unknown): string => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};

/**
 * What a storage error means, or undefined when it is not about the data folder. Pure: maps
 * SQLite result codes and errno values (read-only, full, damaged, not a folder) to a DataDirError.
 */
export function explainStorageError(err: unknown, dir: string): DataDirError | undefined {
  if (err instanceof DataDirError) return err;
  const code = codeOf(err);
  const detail = `${err instanceof Error ? err.message : String(err)}${code ? ` [${code}]` : ''}`;
  if (/^SQLITE_READONLY|^SQLITE_CANTOPEN|^(EACCES|EPERM|EROFS)$/.test(code)) {
    return new DataDirError(
      'read_only',
      dir,
      `cannot write to the data folder ${dir} (${detail}). Episodic keeps its index there and writes to it even to search ` +
        `(SQLite's write-ahead log). Make the folder writable for this user, or choose another one with --data or EPISODIC_DATA.`,
      { cause: err },
    );
  }
  if (/^SQLITE_FULL|^(ENOSPC|EDQUOT)$/.test(code)) {
    return new DataDirError(
      'disk_full',
      dir,
      `the disk holding ${dir} is full (${detail}). Nothing finished was lost: the last write was rolled back and the index ` +
        `is as it was after the last completed file or video. Free some space, then run the same command again to resume.`,
      { cause: err },
    );
  }
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) {
    return new DataDirError(
      'corrupt',
      dir,
      `the index database in ${dir} is damaged (${detail}). Run \`episodic repair\` to salvage what can be read and rebuild the rest ` +
        `(the damaged file is kept aside), or \`episodic doctor\` to see what is wrong first.`,
      { cause: err },
    );
  }
  if (/^(ENOTDIR|EEXIST)$/.test(code)) {
    return new DataDirError('not_a_folder', dir, `the data folder ${dir} is not a folder (${detail}). Choose a folder with --data or EPISODIC_DATA.`, { cause: err });
  }
  return undefined;
}

/**
 * Checks, before a command writes, that the data folder exists (creating it), takes a write
 * (a probe file, which also catches read-only mounts where permission bits say yes), and has at
 * least `minFreeMb` free. Throws DataDirError with what to do; returns the free space in MB
 * (undefined where statfs is unavailable).
 */
export function checkWritableDataDir(dir: string, minFreeMb = DEFAULT_MIN_FREE_MB): number | undefined {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, 'ok');
  } catch (err) {
    throw explainStorageError(err, dir) ?? err;
  } finally {
    rmSync(probe, { force: true });
  }
  const freeMb = freeSpaceMb(dir);
  if (freeMb !== undefined && freeMb < minFreeMb) {
    throw new DataDirError(
      'disk_full',
      dir,
      `only ${freeMb.toFixed(1)} MB free on the disk holding ${dir}; Episodic needs at least ${minFreeMb} MB to write its index safely. ` +
        `Free some space or choose a folder on another disk with --data or EPISODIC_DATA (EPISODIC_MIN_FREE_MB changes the limit).`,
    );
  }
  return freeMb;
}

/** Free space for this user on the disk holding `dir`, in MB; undefined where statfs is unavailable. */
function freeSpaceMb(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return (s.bavail * s.bsize) / 1024 / 1024;
  } catch {
    return undefined;
  }
}
