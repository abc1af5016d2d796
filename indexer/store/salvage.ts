/**
 * Diagnosis and repair of a damaged index (`episodic repair`). SQLite is the source of truth;
 * what can be derived from it (the FTS index, the HNSW file) is rebuilt, vectors are re-embedded,
 * and a damaged SQLite file is salvaged into a fresh one: every readable row is copied, and an
 * episode is either kept whole or dropped and reported, never left half-indexed.
 */
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import { copyFileSync, existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../embed/embedder.ts';
import { textHash } from '../pipeline.ts';
import {
  countsProblem,
  ftsProblem,
  implausibleVectors,
  isCorruptionError,
  missingVectorsProblem,
  quoteId,
  segmentIds,
  storageDamage,
  videosWithWrongCounts,
} from './checks.ts';
import { IndexDb } from './db.ts';
import { EPISODE_LIST_FILE, readEpisodeList, type ListedEpisode } from './episode-list.ts';
import { reconcile } from './repair.ts';
import { copyTable, type Key, type Row, type TableCopy, type TableLayout, tableLayouts } from './salvage-copy.ts';
import { DB_FILE, Store, VECTORS_FILE } from './store.ts';
import { applySchema, TABLES, tableInfo } from './tables.ts';
import { present } from '../present.ts';

export type ProblemKind = 'sqlite' | 'fts' | 'counts' | 'vectors' | 'embedder' | 'hnsw';

export interface IndexProblem {
  kind: ProblemKind;
  message: string;
}

export interface IndexDiagnosis {
  dbFile: string;
  /** False when there is no index yet (nothing to check). */
  exists: boolean;
  /** The SQLite file itself is damaged or not a database: only a salvage copy can fix it. */
  damaged: boolean;
  problems: IndexProblem[];
}

/**
 * Checks an index directory: SQLite's storage (`integrity_check`, or that the file cannot be read
 * at all), the FTS index against its content, videos whose counts differ from their rows,
 * segments with no stored vector, stored vectors that are not plausible embeddings, and the saved
 * HNSW file's live labels against the segment ids. When the storage is damaged the other checks
 * are skipped (they would fail on the same pages). Writes nothing; the connection is read-write
 * only because FTS5's integrity check is an INSERT (closing it may checkpoint a leftover WAL).
 */
export function diagnoseIndex(dir: string): IndexDiagnosis {
  const dbFile = join(dir, DB_FILE);
  const out: IndexDiagnosis = { dbFile, exists: existsSync(dbFile), damaged: false, problems: [] };
  if (!out.exists) return out;
  const problem = (kind: ProblemKind, message: string | undefined) => {
    if (message) out.problems.push({ kind, message });
  };
  let db: Database.Database;
  try {
    db = new Database(dbFile, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    out.damaged = isCorruptionError(err);
    problem('sqlite', `cannot open ${dbFile}: ${(err as Error).message}`);
    return out;
  }
  try {
    try {
      const damage = storageDamage(db);
      if (damage.length) {
        out.damaged = true;
        problem('sqlite', `the database file is damaged: ${damage.slice(0, 3).join('; ')}${damage.length > 3 ? ` (and ${damage.length - 3} more)` : ''}`);
      }
    } catch (err) {
      if (!isCorruptionError(err)) throw err;
      out.damaged = true;
      const notADb = (err as { code?: string }).code === 'SQLITE_NOTADB';
      problem('sqlite', notADb ? `${dbFile} is not a database (${(err as Error).message})` : `the database file cannot be read: ${(err as Error).message}`);
      return out;
    }
    // Further checks would only fail on the same damaged pages; they run again after the salvage.
    if (out.damaged) return out;
    const check = (kind: ProblemKind, fn: () => string | undefined) => {
      try {
        problem(kind, fn());
      } catch (err) {
        if (isCorruptionError(err)) out.damaged = true;
        problem(kind, `${kind} check failed: ${(err as Error).message}`);
      }
    };
    check('fts', () => ftsProblem(db));
    check('counts', () => countsProblem(db));
    check('vectors', () => missingVectorsProblem(db));
    check('vectors', () => implausibleVectorsProblem(db));
    check('embedder', () => (!manifestDimension(db) && segmentIds(db).length ? 'segments exist but no embedder is pinned in the manifest' : undefined));
    check('hnsw', () => hnswProblem(db, dir));
  } finally {
    db.close();
  }
  return out;
}

function manifestDimension(db: Database.Database): number | undefined {
  const d = db.prepare("SELECT value FROM manifest WHERE key = 'dimension'").pluck().get() as string | undefined;
  return d ? Number(d) : undefined;
}

function implausibleVectorsProblem(db: Database.Database): string | undefined {
  const dim = manifestDimension(db);
  if (!dim) return undefined;
  const n = implausibleVectors(db, dim).length;
  return n ? `${n} stored vectors are damaged (not ${dim} finite numbers of unit length)` : undefined;
}

/**
 * The HNSW file against the segment ids, as saved on disk (opening a Store would patch it in
 * memory). Labels marked deleted stay in the file and are not live; only live extra labels count.
 */
function hnswProblem(db: Database.Database, dir: string): string | undefined {
  const dim = manifestDimension(db);
  const ids = segmentIds(db);
  if (!dim) return undefined;
  const file = join(dir, VECTORS_FILE);
  if (!existsSync(file)) return ids.length ? `the vector index file ${VECTORS_FILE} is missing (${ids.length} segments)` : undefined;
  const index = new hnswlib.HierarchicalNSW('cosine', dim);
  try {
    index.readIndexSync(file, true);
  } catch (err) {
    return `the vector index file ${VECTORS_FILE} is unreadable: ${(err as Error).message}`;
  }
  const want = new Set(ids);
  const labels = index.getIdsList();
  const isLive = (label: number) => {
    try {
      index.getPoint(label);
      return true;
    } catch {
      return false;
    }
  };
  const live = labels.filter((l) => want.has(l) || isLive(l));
  const { add, remove } = reconcile(live, ids);
  if (add.length === 0 && remove.length === 0) return undefined;
  return `HNSW labels (${live.length}) differ from segment ids (${ids.length}): ${add.length} segments missing from ${VECTORS_FILE}, ${remove.length} labels of deleted segments`;
}

/** An episode whose rows could not all be recovered: removed from the index, to be added again. */
export interface LostVideo {
  id: string;
  title?: string;
  /** The file path or URL it came from (videos.source), when known. */
  source?: string;
  url?: string;
  reason: string;
}

export interface SalvageReport {
  /** Where the damaged file was kept (its -wal and -shm too, with the same suffix). */
  damagedFile: string;
  /** Whether anything could be read; false for a file that is not a database. */
  readable: boolean;
  /** Why nothing (or not everything) could be read. */
  error?: string;
  tables: TableCopy[];
  rowsCopied: number;
}

export type RepairStep = 'diagnose' | 'salvage' | 'videos' | 'fts' | 'embed' | 'vectors' | 'verify';

export interface RepairProgress {
  step: RepairStep;
  message: string;
  done?: number;
  total?: number;
}

export interface IndexRepairReport {
  dir: string;
  /** What was wrong. */
  before: IndexProblem[];
  /** What was done, in order, for people. */
  actions: string[];
  salvage?: SalvageReport;
  videosKept: number;
  videosLost: LostVideo[];
  /** Rows read but not kept: refused by the new database, or cues and segments of lost episodes. */
  rowsDropped: number;
  vectorsReembedded: number;
  ftsRebuilt: boolean;
  hnswRebuilt: boolean;
  /** What is still wrong (re-diagnosed after the repair); empty on success. */
  after: IndexProblem[];
  ok: boolean;
}

/** What the index says about its embedder, for opening the right one. */
export interface EmbedderHint {
  /** The pinned embedder id; undefined when the manifest lost it. */
  pinned?: string;
  /** The dimension of the vectors still stored (the most common one), when any are. */
  storedDimension?: number;
}

/**
 * The embedder to re-embed with, or a function that opens the one the index needs; called only
 * when vectors must be computed (or the embedder pin must be restored).
 */
export type EmbedderSource = Embedder | ((hint: EmbedderHint) => Promise<Embedder>);

/**
 * Repairs an index directory in place. The caller holds the write lock and no Store is open on
 * it. In order: (a) salvages a damaged SQLite file into a fresh one (the damaged file is kept as
 * `episodic.sqlite.damaged-<timestamp>`), dropping episodes that are not whole; (b) rebuilds the
 * FTS index if its check fails; (c) re-embeds segments whose vector is missing; (d) rebuilds the
 * HNSW file from the stored vectors. Ends by diagnosing again: `ok` when nothing is left.
 */
export async function repairIndex(dir: string, embedder: EmbedderSource, onProgress: (p: RepairProgress) => void = () => {}): Promise<IndexRepairReport> {
  // Read before anything is rewritten: closing a Store refreshes the list from the database.
  const listed = readEpisodeList(dir);
  const before = diagnoseIndex(dir);
  const report: IndexRepairReport = {
    dir,
    before: before.problems,
    actions: [],
    videosKept: 0,
    videosLost: [],
    rowsDropped: 0,
    vectorsReembedded: 0,
    ftsRebuilt: false,
    hnswRebuilt: false,
    after: before.problems,
    ok: before.problems.length === 0,
  };
  onProgress({ step: 'diagnose', message: before.problems.length ? `${before.problems.length} problem(s) found` : 'no problems found' });
  if (!before.exists || before.problems.length === 0) {
    if (before.exists) report.videosKept = countIndexed(dir);
    return report;
  }
  const kinds = new Set(before.problems.map((p) => p.kind));

  if (before.damaged) {
    const { salvage, lost, dropped } = salvageDatabase(dir, onProgress);
    report.salvage = salvage;
    report.videosLost.push(...lost);
    report.rowsDropped += dropped + salvage.tables.reduce((n, t) => n + t.rejected, 0);
    report.ftsRebuilt = true;
    report.actions.push(
      salvage.readable
        ? `copied ${salvage.rowsCopied} readable rows into a fresh database and rebuilt its keyword index`
        : `nothing could be read from the damaged file (${salvage.error}); started a fresh, empty index`,
      `kept the damaged file as ${salvage.damagedFile}`,
    );
    if (lost.length) report.actions.push(`removed ${lost.length} episode(s) whose rows were not all readable; add them again`);
  }

  // Not verified on open: the diagnosis above is the check, and a stale keyword index (which
  // quick_check reports) is what this is about to rebuild.
  const store = Store.open(dir, { verify: 'never' });
  try {
    // A salvage rebuilt the keyword index already; otherwise the diagnosis says whether it must be.
    if (!before.damaged && kinds.has('fts')) {
      onProgress({ step: 'fts', message: 'rebuilding the keyword index' });
      store.db.sqlite.prepare("INSERT INTO segments_fts(segments_fts) VALUES ('rebuild')").run();
      report.ftsRebuilt = true;
      report.actions.push('rebuilt the keyword (FTS) index from the segments');
    }

    // A healthy file can still hold a half-indexed episode (counts that differ from the rows); a
    // salvage has dropped those already.
    const { lost, dropped } = before.damaged ? { lost: [], dropped: 0 } : dropIncompleteVideos(store.db, onProgress);
    if (lost.length) report.actions.push(`removed ${lost.length} half-indexed episode(s); add them again`);
    report.videosLost.push(...lost);
    report.rowsDropped += dropped;

    // Episodes the damaged file no longer shows at all (unreadable pages, or nothing readable):
    // the list kept beside the database names them and their sources.
    if (before.damaged) {
      const unlisted = recordListedLosses(store.db, listed, new Set(report.videosLost.map((v) => v.id)));
      if (unlisted.length) report.actions.push(`listed ${unlisted.length} episode(s) the damaged file no longer showed (from ${EPISODE_LIST_FILE}); add them again`);
      report.videosLost.push(...unlisted);
    }

    if (before.damaged || kinds.has('vectors') || kinds.has('embedder')) report.vectorsReembedded = await reembedMissing(store, embedder, onProgress);
    if (report.vectorsReembedded) report.actions.push(`re-embedded ${report.vectorsReembedded} missing or damaged vector(s)`);

    if (before.damaged || lost.length || report.vectorsReembedded || kinds.has('hnsw') || kinds.has('vectors') || kinds.has('embedder')) {
      onProgress({ step: 'vectors', message: 'rebuilding the vector index from the stored vectors' });
      const vectorsFile = join(dir, VECTORS_FILE);
      // With no embedder left to rebuild it, the old file is the last trace of the vectors: kept aside.
      if (!store.dimension && existsSync(vectorsFile)) renameSync(vectorsFile, `${vectorsFile}.damaged-${stamp()}`);
      rmSync(vectorsFile, { force: true });
      const vectors = store.vectors(); // no file: opens empty and adds every segment's stored vector
      store.save();
      report.hnswRebuilt = true;
      report.actions.push(vectors ? `rebuilt ${VECTORS_FILE} (${vectors.size} vectors)` : `kept the old ${VECTORS_FILE} aside (no embedder is pinned any more to rebuild it)`);
    }
    report.videosKept = store.db.stats().indexed;
  } finally {
    store.close();
  }

  onProgress({ step: 'verify', message: 'checking the repaired index' });
  report.after = diagnoseIndex(dir).problems;
  report.ok = report.after.length === 0;
  return report;
}

/** A file-name-safe timestamp for files kept aside. */
function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/**
 * Episodes the list beside the database (episode-list.ts) says were indexed and the repaired
 * database does not hold: each is recorded with status `error` and its source, like an episode
 * dropped by the salvage, so `episodic list` shows it until it is added again.
 */
function recordListedLosses(db: IndexDb, listed: ListedEpisode[], alreadyLost: Set<string>): LostVideo[] {
  const when = new Date().toISOString().slice(0, 10);
  const lost: LostVideo[] = [];
  db.sqlite.transaction(() => {
    for (const e of listed) {
      if (e.status !== 'indexed' || alreadyLost.has(e.id) || db.getVideo(e.id)?.status === 'indexed') continue;
      const from = e.source ?? e.url;
      db.setVideoStatus(
        { id: e.id, title: e.title, url: e.url },
        'error',
        `lost in an index repair on ${when}: the damaged database had no readable trace of it; add it again${from ? ` from ${from}` : ''}`,
        e.source,
      );
      lost.push({ id: e.id, title: e.title, source: e.source, url: e.url, reason: `unreadable in the damaged database (known from ${EPISODE_LIST_FILE})` });
    }
  })();
  return lost;
}

function countIndexed(dir: string): number {
  // Read-write, like diagnoseIndex: a read-only connection would leave the -wal and -shm files behind.
  const db = new Database(join(dir, DB_FILE), { fileMustExist: true });
  try {
    return db.prepare("SELECT count(*) FROM videos WHERE status = 'indexed'").pluck().get() as number;
  } finally {
    db.close();
  }
}

/**
 * Copies every readable row of the damaged database into a fresh one made by the store's own
 * code path (IndexDb.open, then the schema of each other table it had: tables.ts), makes every episode whole or drops it, rebuilds the FTS
 * index, then swaps the files: the damaged one is kept aside with its -wal and -shm.
 */
function salvageDatabase(dir: string, onProgress: (p: RepairProgress) => void): { salvage: SalvageReport; lost: LostVideo[]; dropped: number } {
  const file = join(dir, DB_FILE);
  const tmp = join(dir, `${DB_FILE}.salvage-${process.pid}`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(tmp + suffix, { force: true });
  const salvage: SalvageReport = { damagedFile: '', readable: true, tables: [], rowsCopied: 0 };
  const dest = IndexDb.open(tmp);
  let lost: LostVideo[] = [];
  let dropped = 0;
  try {
    const src = new Database(file, { readonly: true, fileMustExist: true });
    try {
      let layouts: TableLayout[] = [];
      try {
        layouts = tableLayouts(src);
      } catch (err) {
        if (!isCorruptionError(err)) throw err;
        salvage.readable = false;
        salvage.error = (err as Error).message;
      }
      createMissingTables(src, dest, layouts);
      layouts.sort((a, b) => rank(a) - rank(b));
      dest.sqlite.pragma('foreign_keys = OFF'); // children may be copied before (or without) their parent row
      dest.sqlite.transaction(() => {
        for (const layout of layouts) {
          onProgress({ step: 'salvage', message: `copying ${layout.name}` });
          const copy = copyInto(src, dest.sqlite, layout);
          if (copy) salvage.tables.push(copy);
        }
        mergeSequences(src, dest.sqlite);
      })();
      dest.sqlite.pragma('foreign_keys = ON');
    } finally {
      src.close();
    }
    salvage.rowsCopied = salvage.tables.reduce((n, t) => n + t.copied, 0);
    // The keyword index first: removing an episode deletes its FTS postings, which must be there.
    dest.sqlite.prepare("INSERT INTO segments_fts(segments_fts) VALUES ('rebuild')").run();
    ({ lost, dropped } = dropIncompleteVideos(dest, onProgress));
    const fkErrors = dest.sqlite.pragma('foreign_key_check') as unknown[];
    if (fkErrors.length) throw new Error(`salvaged database still has ${fkErrors.length} rows without their parent row`);
  } catch (err) {
    dest.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(tmp + suffix, { force: true });
    throw err;
  }
  dest.close(); // checkpoints and removes the temp file's WAL
  salvage.damagedFile = swapInSalvaged(file, tmp);
  return { salvage, lost, dropped };
}

/** Where a table comes in the copy: TABLES' order, WITHOUT ROWID tables after rowid ones, unknown tables last in each. */
function rank(layout: TableLayout): number {
  const i = TABLES.findIndex((t) => t.name === layout.name);
  return (layout.withoutRowid ? 100 : 0) + (i === -1 ? 50 : i);
}

/** Known tables from their own schema file (the store's code path); any other table the damaged file had, from its stored SQL. */
function createMissingTables(src: Database.Database, dest: IndexDb, layouts: TableLayout[]): void {
  const schemas = new Set(layouts.flatMap((l) => tableInfo(l.name)?.schema ?? []));
  for (const schema of schemas) if (schema !== 'index') applySchema(dest.sqlite, schema);
  const existing = new Set(tableLayouts(dest.sqlite).map((l) => l.name));
  for (const layout of layouts) {
    if (existing.has(layout.name)) continue;
    const sql = src.prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'index'").pluck().all(layout.name) as string[];
    for (const statement of sql) dest.sqlite.exec(statement);
  }
}

/** Copies one table; undefined when the new database has no such table. */
function copyInto(src: Database.Database, dest: Database.Database, layout: TableLayout): TableCopy | undefined {
  const destColumns = new Set((dest.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(layout.name) as string[]));
  if (destColumns.size === 0) return undefined;
  const columns = layout.columns.filter((c) => destColumns.has(c));
  const insert = dest.prepare(
    `INSERT OR REPLACE INTO ${quoteId(layout.name)} (${columns.map(quoteId).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const seekSql = tableInfo(layout.name)?.seekKeys;
  const seekPoints: Key[] | undefined = seekSql ? (dest.prepare(seekSql).raw().all() as Key[]) : undefined;
  return copyTable(
    src,
    { ...layout, columns },
    (row: Row) => {
      try {
        insert.run(columns.map((c) => row[c]));
        return true;
      } catch (err) {
        // A value the schema refuses (garbage read back as NULL or a wrong type) skips the row;
        // anything else (a full disk) stops the salvage.
        if (/^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG)/.test(String((err as { code?: unknown }).code))) return false;
        throw err;
      }
    },
    { seekPoints },
  );
}

/** AUTOINCREMENT counters never go back: segment ids are vector labels elsewhere. */
function mergeSequences(src: Database.Database, dest: Database.Database): void {
  let rows: { name: string; seq: number }[] = [];
  try {
    rows = src.prepare('SELECT name, seq FROM sqlite_sequence').all() as { name: string; seq: number }[];
  } catch {
    return; // unreadable or absent: the copied rows' ids set the counters
  }
  for (const { name, seq } of rows) {
    const has = dest.prepare('SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?').get('table', name);
    if (!has) continue;
    const updated = dest.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(seq, name).changes;
    if (!updated) dest.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(name, seq);
  }
}

/**
 * Keeps the damaged file as `<db>.damaged-<timestamp>` (a hard link, so the index path is never
 * missing), moves its -wal/-shm next to it, then renames the salvaged file over the index path.
 */
function swapInSalvaged(file: string, salvaged: string): string {
  const aside = `${file}.damaged-${stamp()}`;
  try {
    linkSync(file, aside);
  } catch {
    copyFileSync(file, aside);
  }
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  renameSync(salvaged, file);
  return aside;
}

/**
 * "No episode is half-indexed": an indexed video whose cue or segment rows differ from its counts
 * loses its rows and stays listed with status `error` and a message naming its source, so the user
 * re-adds it (a YouTube refresh retries it too). Cues and segments of a video whose own row is gone
 * are removed the same way. Stored vectors are kept: re-adding the same transcript reuses them.
 */
function dropIncompleteVideos(db: IndexDb, onProgress: (p: RepairProgress) => void): { lost: LostVideo[]; dropped: number } {
  const sqlite = db.sqlite;
  const lost: LostVideo[] = [];
  let dropped = 0;
  const rowsOf = (id: string) => ({
    cues: sqlite.prepare('SELECT count(*) FROM cues WHERE video_id = ?').pluck().get(id) as number,
    segments: sqlite.prepare('SELECT count(*) FROM segments WHERE video_id = ?').pluck().get(id) as number,
  });
  const when = new Date().toISOString().slice(0, 10);
  sqlite.transaction(() => {
    for (const id of videosWithWrongCounts(sqlite)) {
      const v = present(db.getVideo(id), `video ${id}`);
      const found = rowsOf(id);
      dropped += found.cues + found.segments;
      const from = v.source ?? v.url;
      db.removeVideo(id);
      db.setVideoStatus(
        { id, title: v.title, channel: v.channel, url: v.url, youtubeId: v.youtubeId, publishedAt: v.publishedAt },
        'error',
        `lost in an index repair on ${when}: its transcript rows were damaged; add it again${from ? ` from ${from}` : ''}`,
        v.source,
      );
      lost.push({
        id,
        title: v.title,
        source: v.source,
        url: v.url,
        reason: `${found.cues} of ${v.cueCount} cues and ${found.segments} of ${v.segmentCount} segments were readable`,
      });
    }
    const orphans = sqlite
      .prepare('SELECT video_id FROM cues WHERE video_id NOT IN (SELECT id FROM videos) UNION SELECT video_id FROM segments WHERE video_id NOT IN (SELECT id FROM videos)')
      .pluck()
      .all() as string[];
    // A YouTube ingest lists its videos by their YouTube id in job_items: that id is enough to re-add it.
    const hasJobItems = sqlite.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'job_items'").get() !== undefined;
    const fromYouTube = (id: string) => hasJobItems && sqlite.prepare('SELECT 1 FROM job_items WHERE video_id = ?').get(id) !== undefined;
    for (const id of orphans) {
      const found = rowsOf(id);
      dropped += found.cues + found.segments;
      const url = fromYouTube(id) ? `https://www.youtube.com/watch?v=${id}` : undefined;
      db.removeVideo(id);
      db.setVideoStatus(
        { id, title: id, url, youtubeId: url ? id : undefined },
        'error',
        `lost in an index repair on ${when}: its record was damaged; add it again${url ? ` from ${url}` : ''}`,
      );
      lost.push({ id, url, reason: `its video record was unreadable (${found.cues} cues and ${found.segments} segments without it)` });
    }
  })();
  if (lost.length) onProgress({ step: 'videos', message: `${lost.length} episode(s) were not whole and were removed` });
  return { lost, dropped };
}

/**
 * Embeds the text of every segment whose vector is missing (or damaged: see isPlausibleVector) and
 * stores it under its text hash. Opens the embedder only when there is something to do, or
 * when segments exist but the manifest lost its embedder pin. Returns how many were embedded.
 */
async function reembedMissing(store: Store, source: EmbedderSource, onProgress: (p: RepairProgress) => void): Promise<number> {
  const sqlite = store.db.sqlite;
  const missingRows = () =>
    sqlite
      .prepare('SELECT s.vec_hash AS hash, min(s.text) AS text FROM segments s LEFT JOIN vectors v ON v.hash = s.vec_hash WHERE v.hash IS NULL GROUP BY s.vec_hash')
      .all() as { hash: string; text: string }[];
  const dropDamaged = (dim: number) => {
    const del = sqlite.prepare('DELETE FROM vectors WHERE hash = ?');
    const bad = implausibleVectors(sqlite, dim);
    sqlite.transaction(() => bad.forEach((h) => del.run(h)))();
    return bad.length;
  };

  const pinnedDimension = store.dimension;
  if (pinnedDimension) dropDamaged(pinnedDimension);
  const unpinned = !store.embedderId && store.db.stats().segments > 0;
  if (missingRows().length === 0 && !unpinned) return 0;

  const storedDimension = sqlite.prepare('SELECT length(vec) / 4 FROM vectors GROUP BY length(vec) ORDER BY count(*) DESC LIMIT 1').pluck().get() as
    | number
    | undefined;
  const embedder = typeof source === 'function' ? await source({ pinned: store.embedderId, storedDimension }) : source;
  store.pin(embedder); // refuses another embedder than the one the index was built with
  if (!pinnedDimension) dropDamaged(embedder.dimension); // a pinned index was checked above
  const missing = missingRows();
  const fixHash = sqlite.prepare('UPDATE segments SET vec_hash = ? WHERE vec_hash = ?');
  const SLICE = 64;
  for (let i = 0; i < missing.length; i += SLICE) {
    const slice = missing.slice(i, i + SLICE);
    const vecs = await embedder.embed(slice.map((m) => m.text));
    sqlite.transaction(() => {
      const hashes = slice.map((m) => textHash(m.text));
      // A vec_hash that is not its text's hash (a damaged value) is corrected to it.
      slice.forEach((m, j) => hashes[j] !== m.hash && fixHash.run(hashes[j], m.hash));
      store.db.putVectors(hashes.map((h, j) => [h, vecs[j]] as [string, Float32Array]));
    })();
    onProgress({ step: 'embed', message: 're-embedding missing vectors', done: Math.min(i + SLICE, missing.length), total: missing.length });
  }
  return missing.length;
}
