import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { explainStorageError } from './data-dir.ts';
import { IndexDb } from './db.ts';
import { reconcile } from './repair.ts';
import { VectorIndex } from './vectors.ts';

export const DB_FILE = 'episodic.sqlite';
export const VECTORS_FILE = 'vectors.hnsw';

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
  ) {}

  /** @throws DataDirError when the folder is read-only, full or the database is damaged */
  static open(dir: string): Store {
    try {
      mkdirSync(dir, { recursive: true });
      return new Store(dir, IndexDb.open(join(dir, DB_FILE)));
    } catch (err) {
      throw explainStorageError(err, dir) ?? err;
    }
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
    const { index, note } = VectorIndex.open(join(this.dir, VECTORS_FILE), dim);
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

  private vocabulary: { key: string; words: Set<string> } | undefined;

  /**
   * The episode-level vocabulary (`IndexDb.titleVocabulary`), cached until this or another
   * connection writes: search asks for it on every query.
   */
  titleVocabulary(): Set<string> {
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

  /** Changes when this or another connection writes. */
  private changeKey(): string {
    const dataVersion = this.db.sqlite.pragma('data_version', { simple: true }) as number;
    const ownChanges = this.db.sqlite.prepare('SELECT total_changes()').pluck().get() as number;
    return `${dataVersion}:${ownChanges}`;
  }

  /** Persists the vector index (atomic rename). */
  save(): void {
    this.vectorIndex?.save();
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
