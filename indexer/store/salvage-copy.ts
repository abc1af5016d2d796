/**
 * Copies the readable rows of a damaged SQLite table. A damaged page makes every statement that
 * touches it fail with SQLITE_CORRUPT, and that page holds a contiguous range of keys. So a table
 * is scanned in key order until a read fails, then the scan resumes at the first key past the
 * damaged range. For rowid tables that key is found by seeking single rowids, then by doubling and
 * bisecting; for WITHOUT ROWID tables, by seeking keys known from other tables (a video's cues
 * start at its id). Work is bounded by a probe budget per table.
 */
import type Database from 'better-sqlite3';
import { isCorruptionError, quoteId } from './checks.ts';

export type SqlValue = number | bigint | string | Buffer | null;

/** A position in a table's b-tree: `[rowid]`, or the primary key of a WITHOUT ROWID table (or a prefix of it). */
export type Key = SqlValue[];

export type Row = Record<string, SqlValue>;

/** Pure: SQLite's sort order (NULL < numbers < text < blob; text and blobs byte-wise, as BINARY collation). */
export function compareSqlValues(a: SqlValue, b: SqlValue): number {
  const rank = (v: SqlValue) => (v === null ? 0 : typeof v === 'number' || typeof v === 'bigint' ? 1 : typeof v === 'string' ? 2 : 3);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 1) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ra === 2) return Buffer.compare(Buffer.from(a as string, 'utf8'), Buffer.from(b as string, 'utf8'));
  return Buffer.compare(a as Buffer, b as Buffer);
}

/** Pure: compares two keys on their common prefix, so `['v1']` equals `['v1', 7]`. */
export function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareSqlValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

/** Pure: renders a key for a report, e.g. `rowid 103` or `("ep3", 12)`. */
function formatKey(layout: Pick<TableLayout, 'withoutRowid' | 'key'>, key: Key): string {
  const show = (v: SqlValue) => (typeof v === 'string' ? JSON.stringify(v) : Buffer.isBuffer(v) ? `x'${v.toString('hex')}'` : String(v));
  if (!layout.withoutRowid) return `rowid ${show(key[0])}`;
  return key.length === 1 ? `${layout.key[0]} ${show(key[0])}` : `(${key.map(show).join(', ')})`;
}

/**
 * The first key at which `readable` holds, in (lo, hi], where `readable(lo)` is known false.
 * Pure search: `linear` single steps first (a damaged leaf holds a handful of rows), then doubling
 * and bisection, so a large damaged subtree costs O(log n) probes. Undefined when none up to `hi`.
 */
export function firstReadable(lo: number, hi: number, readable: (k: number) => boolean, linear = 64): number | undefined {
  for (let k = lo + 1; k <= Math.min(lo + linear, hi); k++) if (readable(k)) return k;
  let bad = lo + linear;
  let step = linear;
  let good: number | undefined;
  while (bad < hi) {
    step *= 2;
    const k = Math.min(lo + step, hi);
    if (readable(k)) {
      good = k;
      break;
    }
    bad = k;
  }
  if (good === undefined) return undefined;
  while (good - bad > 1) {
    const mid = Math.floor((bad + good) / 2);
    if (readable(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

export interface TableLayout {
  name: string;
  columns: string[];
  /** The primary-key columns of a WITHOUT ROWID table; `['rowid']` otherwise. */
  key: string[];
  withoutRowid: boolean;
}

/** The ordinary tables of a database (no virtual, shadow or sqlite_ tables). Throws if the schema is unreadable. */
export function tableLayouts(db: Database.Database): TableLayout[] {
  const tables = db
    .prepare("SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string; wr: number }[];
  return tables.map(({ name, wr }) => {
    const info = db.prepare('SELECT name, pk FROM pragma_table_info(?) ORDER BY cid').all(name) as { name: string; pk: number }[];
    const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    return { name, columns: info.map((c) => c.name), key: wr ? pk : ['rowid'], withoutRowid: wr === 1 };
  });
}

/** Keys strictly between `after` and `before` could not be read (undefined: from the start / to the end). */
export interface UnreadableRange {
  after?: string;
  before?: string;
  /** For rowid tables with both ends known: how many rowids lie in between (an upper bound on lost rows). */
  rowids?: number;
}

export interface TableCopy {
  table: string;
  /** Rows read and written to the new database. */
  copied: number;
  /** Rows read but refused by the new database (e.g. a NOT NULL column read as garbage). */
  rejected: number;
  unreadable: UnreadableRange[];
  /** Seeks made to get past damaged pages. */
  probes: number;
  /** Set when the table could not be read to its end (no seek point left, or the probe budget ran out). */
  gaveUp?: string;
}

export interface CopyOptions {
  /** Prefixes of keys known to exist (a WITHOUT ROWID table's resume points), in any order. */
  seekPoints?: Key[];
  /** Seeks allowed past damaged pages before the rest of the table is given up. */
  maxProbes?: number;
}

class ProbeBudgetExceeded extends Error {}

/**
 * Reads every readable row of `layout.name` from `src` in key order and hands it to `write`
 * (which returns false when the destination refuses it). Only corruption errors are tolerated;
 * anything else (busy, I/O) is thrown.
 */
export function copyTable(src: Database.Database, layout: TableLayout, write: (row: Row) => boolean, opts: CopyOptions = {}): TableCopy {
  const maxProbes = opts.maxProbes ?? 20_000;
  const t = quoteId(layout.name);
  const keyCols = layout.withoutRowid ? layout.key.map(quoteId) : ['rowid'];
  const keyAliases = keyCols.map((_, i) => `__k${i}`);
  // NOT INDEXED: read the table's own b-tree, never a covering index that would hide its damage.
  const select = `SELECT ${keyCols.map((c, i) => `${c} AS ${keyAliases[i]}`).join(', ')}, ${layout.columns.map(quoteId).join(', ')} FROM ${t} NOT INDEXED`;
  const order = ` ORDER BY ${keyCols.join(', ')}`;
  const tuple = (cols: string[]) => `(${cols.join(', ')})`;
  const params = (n: number) => tuple(Array.from({ length: n }, () => '?'));
  const scanAll = src.prepare(select + order);
  const scanAfter = src.prepare(`${select} WHERE ${tuple(keyCols)} > ${params(keyCols.length)}${order}`);
  const seeks = new Map<number, Database.Statement>();
  const seekStmt = (n: number) => {
    let s = seeks.get(n);
    if (!s) seeks.set(n, (s = src.prepare(`${select} WHERE ${tuple(keyCols.slice(0, n))} >= ${params(n)}${order} LIMIT 1`)));
    return s;
  };

  const result: TableCopy = { table: layout.name, copied: 0, rejected: 0, unreadable: [], probes: 0 };
  let pos: Key | undefined;
  const take = (raw: Row) => {
    const key = keyAliases.map((a) => raw[a]);
    const row: Row = {};
    for (const c of layout.columns) row[c] = raw[c];
    if (write(row)) result.copied++;
    else result.rejected++;
    pos = key;
  };
  /** The first row at or after `key`: a row, null (no row there: the table ends), or undefined (damaged). */
  const seek = (key: Key): Row | null | undefined => {
    if (++result.probes > maxProbes) throw new ProbeBudgetExceeded();
    try {
      return (seekStmt(key.length).get(...key) as Row | undefined) ?? null;
    } catch (err) {
      if (!isCorruptionError(err)) throw err;
      return undefined;
    }
  };
  const sortedSeekPoints = [...(opts.seekPoints ?? [])].sort(compareKeys);

  /**
   * Past a damaged range that starts right after `pos`: the next readable row; `end` when a seek
   * landed past the last row; `lost` when no seek got past the damage.
   */
  const resume = (): { row: Row } | { end: true } | { lost: string } => {
    if (!layout.withoutRowid) {
      const last: { row?: Row | null } = {};
      const at = firstReadable(pos === undefined ? 0 : Number(pos[0]), Number.MAX_SAFE_INTEGER, (k) => {
        const r = seek([k]);
        if (r !== undefined) last.row = r;
        return r !== undefined;
      });
      // The search's last successful seek is the one at `at`.
      if (at === undefined) return { lost: 'every rowid after it is unreadable' };
      return last.row ? { row: last.row } : { end: true };
    }
    for (const point of sortedSeekPoints) {
      if (pos !== undefined && compareKeys(point, pos) <= 0) continue;
      const r = seek(point);
      if (r === null) return { end: true };
      if (r !== undefined) return { row: r };
    }
    return { lost: 'no known key past the damaged pages' };
  };

  for (;;) {
    try {
      for (const raw of pos === undefined ? scanAll.iterate() : scanAfter.iterate(...pos)) take(raw as Row);
      return result;
    } catch (err) {
      if (!isCorruptionError(err)) throw err;
    }
    let next: ReturnType<typeof resume>;
    try {
      next = resume();
    } catch (err) {
      if (!(err instanceof ProbeBudgetExceeded)) throw err;
      next = { lost: `gave up after ${maxProbes} seeks past damaged pages` };
    }
    if (!('row' in next)) {
      result.unreadable.push(range(layout, pos, undefined));
      if ('lost' in next) result.gaveUp = next.lost;
      return result;
    }
    result.unreadable.push(range(layout, pos, keyAliases.map((a) => next.row[a])));
    take(next.row);
  }
}

function range(layout: TableLayout, after: Key | undefined, before: Key | undefined): UnreadableRange {
  const r: UnreadableRange = {};
  if (after) r.after = formatKey(layout, after);
  if (before) r.before = formatKey(layout, before);
  if (!layout.withoutRowid && after && before) r.rowids = Number(before[0]) - Number(after[0]) - 1;
  return r;
}
