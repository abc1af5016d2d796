import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainStorageError } from './data-dir.ts';
import { IndexDb } from './db.ts';
import { EPISODE_LIST_FILE, toListed, writeEpisodeList } from './episode-list.ts';
import { JobStore } from './jobs.ts';
import { reconcile } from './repair.ts';
import { SummaryCache } from './summaries.ts';
import { VectorIndex } from './vectors.ts';

export const DB_FILE = 'episodic.sqlite';
export const VECTORS_FILE = 'vectors.hnsw';

/**
 * `PRAGMA quick_check` reads every page of the database once: measured at 200–310 MB/s on this
 * project's 2-core machine under load, on an index at 0.63 MB per audio hour, that is 1.4–2.1 s
 * for the 705-hour Lexicap index (441 MB); `integrity_check` takes 3.1–3.6 s. Too slow for every
 * `episodic search`, so a file up to this size is checked on every open (≈ 100 hours, ≤ 0.3 s)…
 */
export const QUICK_CHECK_ALWAYS_BYTES = 64 * 1024 * 1024;
/** …and a bigger one whenever it changed (size or modification time) since its last passing check, recorded here. */
export const CHECKED_STAMP_FILE = 'episodic.sqlite.checked';
/** Tokens whose document counts the store remembers (the 705-hour library holds ~30,000 distinct tokens). */
const MAX_CACHED_TOKENS = 100_000;

/** How Store.open checks the database's pages (see QUICK_CHECK_ALWAYS_BYTES). */
export type VerifyMode = 'auto' | 'never';

/**
 * Whether Store.open runs quick_check: never for `never`; otherwise a file up to
 * QUICK_CHECK_ALWAYS_BYTES every time, a bigger one unless it is unchanged (same size and
 * modification time) since its last passing check.
 */
export function needsPageCheck(mode: VerifyMode, size: number, unchangedSinceCheck: boolean): boolean {
  if (mode === 'never') return false;
  return size <= QUICK_CHECK_ALWAYS_BYTES || !unchangedSinceCheck;
}

/** Thrown when an index is opened with a different embedder than the one that built it. */
export class EmbedderMismatchError extends Error {
  constructor(
    readonly indexEmbedder: string,
    readonly requested: string,
  ) {
    super(
      `this index was built with embedder "${indexEmbedder}" but "${requested}" was requested; ` +
        `use --embedder ${indexEmbedder.startsWith('transformers:') ? 'transformers' : indexEmbedder}, or run \`episodic reindex --embedder ...\` to rebuild it`,
    );
    this.name = 'EmbedderMismatchError';
  }
}

export interface RepairReport {
  added: number;
  removed: number;
  note?: string;
}

/** Runs quick_check as `mode` asks; throws an SQLITE_CORRUPT error (explained by data-dir.ts) on damage. */
function verifyPages(dir: string, file: string, db: IndexDb, mode: VerifyMode): void {
  if (mode === 'never') return;
  const { size, mtimeMs } = statSync(file);
  const stampFile = join(dir, CHECKED_STAMP_FILE);
  const stamp = `${size} ${mtimeMs}`;
  const big = size > QUICK_CHECK_ALWAYS_BYTES;
  const unchanged = big && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
  if (!needsPageCheck(mode, size, unchanged)) return;
  const problem = db.quickCheck();
  if (problem) {
    rmSync(stampFile, { force: true });
    throw Object.assign(new Error(`PRAGMA quick_check: ${problem}`), { code: 'SQLITE_CORRUPT' });
  }
  if (big) {
    try {
      writeFileSync(stampFile, stamp);
    } catch {
      // Unwritable folder: the next open checks again, which is only slower.
    }
  }
}

/**
 * An open index directory: the SQLite database plus the HNSW file derived from it.
 * The vector index opens once the embedder (and so the dimension) is pinned.
 */
export class Store {
  private vectorIndex: VectorIndex | undefined;
  private dataVersion = -1;

  private constructor(
    readonly dir: string,
    readonly db: IndexDb,
  ) {
    // A connection that writes nothing (list, search) leaves the episode list as it found it.
    this.listedAtChanges = this.totalChanges();
  }

  /**
   * Opens the index, checking the database's pages first (`PRAGMA quick_check`) so a damaged file
   * gives the error pointing at `episodic repair` instead of answers read from garbage. `auto`
   * (every command and the server): small files every time, big ones when changed since their last
   * passing check (needsPageCheck); `never` (repair, which runs its own diagnosis).
   * @throws DataDirError when the folder is read-only, full or the database is damaged
   */
  static open(dir: string, options: { verify?: VerifyMode } = {}): Store {
    let db: IndexDb | undefined;
    try {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, DB_FILE);
      db = IndexDb.open(file);
      verifyPages(dir, file, db, options.verify ?? 'auto');
      return new Store(dir, db);
    } catch (err) {
      db?.close();
      throw explainStorageError(err, dir) ?? err;
    }
  }

  /**
   * The check Store.open runs with `auto`, for a caller that opened with `never` to start other
   * work first (the server starts loading the encoder, then checks).
   * @throws DataDirError when the database is damaged
   */
  checkPages(): void {
    try {
      verifyPages(this.dir, join(this.dir, DB_FILE), this.db, 'auto');
    } catch (err) {
      throw explainStorageError(err, this.dir) ?? err;
    }
  }

  private jobStore: JobStore | undefined;
  private summaryCache: SummaryCache | undefined;

  /** The persisted ingest queue (jobs, their items, followed lists); its tables are created on first use. */
  get jobs(): JobStore {
    this.jobStore ??= new JobStore(this.db.sqlite);
    return this.jobStore;
  }

  /** The summary cache; its table is created on the first write. */
  get summaries(): SummaryCache {
    this.summaryCache ??= new SummaryCache(this.db.sqlite);
    return this.summaryCache;
  }

  get embedderId(): string | undefined {
    return this.db.getManifest('embedder');
  }

  get dimension(): number | undefined {
    const d = this.db.getManifest('dimension');
    return d ? Number(d) : undefined;
  }

  /** Pins the index to an embedder on first use; refuses a different one later. */
  pin(embedder: { id: string; dimension: number }): void {
    const current = this.embedderId;
    if (current === undefined) {
      this.db.sqlite.transaction(() => {
        this.db.setManifest('embedder', embedder.id);
        this.db.setManifest('dimension', String(embedder.dimension));
      })();
      return;
    }
    if (current !== embedder.id || this.dimension !== embedder.dimension) {
      throw new EmbedderMismatchError(current, embedder.id);
    }
  }

  /** Forgets the pinned embedder and every vector (used by reindex before re-embedding). */
  unpin(): void {
    this.db.sqlite.transaction(() => {
      this.db.sqlite.prepare("DELETE FROM manifest WHERE key IN ('embedder', 'dimension')").run();
      this.db.sqlite.prepare('DELETE FROM vectors').run();
    })();
    this.vectorIndex = undefined;
  }

  /**
   * The vector index, opened and reconciled with SQLite on first call. Returns undefined when
   * the index has no embedder yet (nothing was ever ingested).
   */
  vectors(): VectorIndex | undefined {
    if (this.vectorIndex) return this.vectorIndex;
    const dim = this.dimension;
    if (!dim) return undefined;
    return this.adopt(VectorIndex.open(join(this.dir, VECTORS_FILE), dim));
  }

  /**
   * The same as vectors(), with the file read off this thread: for start-up, which loads the
   * encoder meanwhile.
   */
  async loadVectors(): Promise<VectorIndex | undefined> {
    if (this.vectorIndex) return this.vectorIndex;
    const dim = this.dimension;
    if (!dim) return undefined;
    const opened = await VectorIndex.openAsync(join(this.dir, VECTORS_FILE), dim);
    // A synchronous vectors() call may have opened it while the file was being read.
    return this.vectorIndex ?? this.adopt(opened);
  }

  private adopt({ index, note }: { index: VectorIndex; note?: string }): VectorIndex {
    this.vectorIndex = index;
    const report = this.repair();
    if (note) this.lastRepair = { ...report, note };
    return index;
  }

  lastRepair: RepairReport | undefined;

  /**
   * Makes the vector index agree with SQLite: after a crash between a SQLite commit and the
   * HNSW save, or after another process (the CLI) wrote to the same index.
   */
  repair(): RepairReport {
    const index = this.vectorIndex;
    if (!index) return { added: 0, removed: 0 };
    this.dataVersion = this.db.sqlite.pragma('data_version', { simple: true }) as number;
    const ids = this.db.segmentVideoPairs().map((p) => p.id);
    const { add, remove } = reconcile(index.labels(), ids);
    for (const label of remove) index.remove(label);
    const missing: number[] = [];
    for (let i = 0; i < add.length; i += 2000) {
      const batch = add.slice(i, i + 2000);
      const vecs = this.db.vectorsOfSegments(batch);
      for (const id of batch) {
        const v = vecs.get(id);
        if (v) index.add(id, v);
        else missing.push(id);
      }
    }
    if (missing.length) {
      throw new Error(`${missing.length} segments have no stored vector (first: ${missing[0]}); run \`episodic reindex\``);
    }
    this.lastRepair = { added: add.length, removed: remove.length };
    return this.lastRepair;
  }

  /** Cheap check on every read: if another connection committed, reconcile the vectors. */
  sync(): void {
    if (!this.vectorIndex) {
      this.vectors();
      return;
    }
    const v = this.db.sqlite.pragma('data_version', { simple: true }) as number;
    if (v !== this.dataVersion) this.repair();
  }

  private vocabulary: { key: string; words: Map<string, string[]> } | undefined;

  /**
   * The episode-level vocabulary (`IndexDb.titleVocabulary`), cached until this or another
   * connection writes: search asks for it on every query.
   */
  titleVocabulary(): ReadonlyMap<string, readonly string[]> {
    const key = this.changeKey();
    if (this.vocabulary?.key !== key) this.vocabulary = { key, words: this.db.titleVocabulary() };
    return this.vocabulary.words;
  }

  private passageWords: { key: string; words: Map<string, number> } | undefined;

  /** The keyword index's words and document counts (`IndexDb.passageVocabulary`), cached like titleVocabulary. */
  passageVocabulary(): Map<string, number> {
    const key = this.changeKey();
    if (this.passageWords?.key !== key) this.passageWords = { key, words: this.db.passageVocabulary() };
    return this.passageWords.words;
  }

  private keywordStats: { key: string; rows: number; avgLength: number; docs: Map<string, number> } | undefined;

  /**
   * What BM25 needs from the whole keyword index for these tokens (stemmed, as the index stores
   * them): its rows, their average length in tokens and the rows holding each token. Cached until
   * the index changes (like titleVocabulary), each token's count when first asked for, so a
   * search costs the same whatever the library's size once its words have been seen.
   */
  keywordStatistics(tokens: string[]): { rows: number; avgLength: number; docs: number[] } {
    const key = this.changeKey();
    if (this.keywordStats?.key !== key) {
      const { rows, tokens: total } = this.db.keywordTotals();
      this.keywordStats = { key, rows, avgLength: rows ? total / rows : 0, docs: new Map() };
    }
    const { docs } = this.keywordStats;
    const missing = [...new Set(tokens.filter((t) => !docs.has(t)))];
    if (missing.length) {
      // Bounded by the index's vocabulary, plus words it does not hold; drop them all past that.
      if (docs.size + missing.length > MAX_CACHED_TOKENS) docs.clear();
      const counts = this.db.documentCounts(missing);
      missing.forEach((t, i) => docs.set(t, counts[i]));
    }
    return { rows: this.keywordStats.rows, avgLength: this.keywordStats.avgLength, docs: tokens.map((t) => docs.get(t) ?? 0) };
  }

  /** Changes when this or another connection writes. */
  private changeKey(): string {
    const dataVersion = this.db.sqlite.pragma('data_version', { simple: true }) as number;
    const ownChanges = this.totalChanges();
    return `${dataVersion}:${ownChanges}`;
  }

  private listedAtChanges: number;

  private totalChanges(): number {
    return this.db.sqlite.prepare('SELECT total_changes()').pluck().get() as number;
  }

  /** Persists the vector index (atomic rename), and the episode list when this connection changed anything. */
  save(): void {
    this.vectorIndex?.save();
    this.saveEpisodeList();
  }

  /**
   * Keeps episodes.json (episode-list.ts) in step with SQLite: rewritten after this connection
   * wrote, or when missing (an index from before the list existed). Best effort: the list only
   * helps a later repair, so failing to write it must not fail the command.
   */
  private saveEpisodeList(): void {
    try {
      const changes = this.totalChanges();
      if (changes === this.listedAtChanges && existsSync(join(this.dir, EPISODE_LIST_FILE))) return;
      const videos = this.db.listVideos();
      if (videos.length || existsSync(join(this.dir, EPISODE_LIST_FILE))) writeEpisodeList(this.dir, toListed(videos));
      this.listedAtChanges = changes;
    } catch {
      // A read-only or full folder: the command reports that itself where it matters.
    }
  }

  /** Saves the vector file and closes SQLite; SQLite is closed even when the save fails (a full disk). */
  close(): void {
    try {
      this.save();
    } finally {
      this.db.close();
    }
  }
}
