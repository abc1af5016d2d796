import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import type { Embedder } from '../indexer/embed/embedder.ts';
import { EmbedderPool } from '../indexer/embed/pool.ts';
import { openEmbedder, type OpenedEmbedder } from '../indexer/embed/spec.ts';
import { ingestFiles } from '../indexer/ingest.ts';
import { textHash } from '../indexer/pipeline.ts';
import { listTranscriptFiles } from '../indexer/sources/files.ts';
import { buildManifest, parseColumnsOption, parseCsv, parseJsonManifest, type Manifest } from '../indexer/sources/manifest.ts';
import { acquireWriteLock } from '../indexer/store/lock.ts';
import { Store, VECTORS_FILE } from '../indexer/store/store.ts';
import { transformersOptions, type Config } from '../server/config.ts';
import type { CliValues } from './main.ts';
import { progressPrinter } from './progress.ts';

function loadManifest(values: CliValues): Manifest | undefined {
  if (!values.manifest) return undefined;
  const text = readFileSync(values.manifest, 'utf8');
  const rows = extname(values.manifest).toLowerCase() === '.json' ? parseJsonManifest(text) : parseCsv(text);
  return buildManifest(rows, {
    key: values['manifest-key'],
    columns: values.columns ? parseColumnsOption(values.columns) : undefined,
  });
}

/** Starts worker threads for bulk embedding; Transformers.js is multi-threaded already, so it gets one. */
async function bulkEmbedder(opened: OpenedEmbedder, workers: string | undefined): Promise<Embedder> {
  const requested = workers !== undefined ? Number(workers) : undefined;
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 0)) throw new Error('--workers must be a whole number');
  const size = requested ?? (opened.spec.kind === 'use-lite' ? availableParallelism() : 1);
  if (size === 0) return opened.embedder;
  const pool = await EmbedderPool.start(opened.spec, size);
  await opened.embedder.close();
  return pool;
}

/** Opens the index for writing: lock, embedder pinned to the index, stop flag on Ctrl-C. */
async function openForWriting(config: Config, values: CliValues, force?: 'reindex') {
  const store = Store.open(config.dataDir);
  const release = acquireWriteLock(config.dataDir);
  try {
    const opened = await openEmbedder(config.embedder, force ? undefined : store.embedderId, transformersOptions(config));
    if (!force) store.pin(opened.embedder);
    process.stderr.write(`${opened.note}\n`);
    const embedder = await bulkEmbedder(opened, values.workers);
    return { store, embedder, release };
  } catch (err) {
    release();
    store.close();
    throw err;
  }
}

function onInterrupt(): { stopped: () => boolean; dispose: () => void } {
  let stop = false;
  const handler = () => {
    if (stop) process.exit(130); // second Ctrl-C: the index is consistent after every file anyway
    stop = true;
    process.stderr.write('\nStopping after the current file (Ctrl-C again to quit now)…\n');
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return { stopped: () => stop, dispose: () => (process.off('SIGINT', handler), process.off('SIGTERM', handler)) };
}

/** `episodic add <files|folders...>` */
export async function runAdd(config: Config, args: string[], values: CliValues): Promise<number> {
  if (args.length === 0) {
    process.stderr.write('episodic add: give transcript files or folders\n');
    return 2;
  }
  let files: string[];
  let manifest: Manifest | undefined;
  try {
    files = await listTranscriptFiles(args);
    manifest = loadManifest(values);
  } catch (err) {
    process.stderr.write(`episodic add: ${(err as Error).message}\n`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write('episodic add: no transcript files found (.vtt .srt .xml .json .json3 .srv3 .txt .md)\n');
    return 1;
  }
  const { store, embedder, release } = await openForWriting(config, values);
  const interrupt = onInterrupt();
  try {
    const summary = await ingestFiles({ store, embedder }, files, { manifest, channel: values.channel }, progressPrinter(process.stderr, values.json), interrupt.stopped);
    if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      process.stdout.write(
        `${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.failed.length} failed · ` +
          `${summary.segments} segments (${summary.embedded} embedded)${summary.warnings ? ` · ${summary.warnings} parse warnings` : ''}\n`,
      );
      for (const f of summary.failed) process.stdout.write(`  failed: ${f.file}: ${f.error}\n`);
      if (summary.interrupted) process.stdout.write('Interrupted: run the same command again to resume.\n');
    }
    return summary.interrupted ? 130 : summary.failed.length ? 1 : 0;
  } finally {
    interrupt.dispose();
    await embedder.close();
    store.close();
    release();
  }
}

/** `episodic reindex`: re-embeds every segment with the configured embedder and rebuilds the vector index. */
export async function runReindex(config: Config, values: CliValues): Promise<number> {
  const { store, embedder, release } = await openForWriting(config, values, 'reindex');
  try {
    store.unpin();
    rmSync(join(config.dataDir, VECTORS_FILE), { force: true });
    store.pin(embedder);
    const rows = store.db.sqlite.prepare('SELECT DISTINCT text FROM segments').pluck().all() as string[];
    process.stderr.write(`Re-embedding ${rows.length} segments with ${embedder.id}…\n`);
    for (let i = 0; i < rows.length; i += 256) {
      const texts = rows.slice(i, i + 256);
      const vecs = await embedder.embed(texts);
      store.db.putVectors(texts.map((t, j) => [textHash(t), vecs[j]] as [string, Float32Array]));
      if (!values.json) process.stderr.write(`\r${Math.min(i + 256, rows.length)}/${rows.length}`);
    }
    // Segments keep their vec_hash (a hash of their text), so the vector index rebuilds from the new vectors.
    store.vectors();
    store.save();
    process.stdout.write(`\nReindexed ${rows.length} segments with ${embedder.id}.\n`);
    return 0;
  } finally {
    await embedder.close();
    store.close();
    release();
  }
}
