import { availableParallelism } from 'node:os';
import type { Embedder } from '../indexer/embed/embedder.ts';
import { EmbedderPool } from '../indexer/embed/pool.ts';
import { openEmbedder, type OpenedEmbedder } from '../indexer/embed/spec.ts';
import { checkWritableDataDir } from '../indexer/store/data-dir.ts';
import { acquireWriteLock } from '../indexer/store/lock.ts';
import { Store } from '../indexer/store/store.ts';
import { transformersOptions, type Config } from '../core/config.ts';
import { usageError } from './errors.ts';
import type { CliValues } from './main.ts';
/** Starts worker threads for bulk embedding; Transformers.js is multi-threaded already, so it gets one. */
export async function bulkEmbedder(opened: OpenedEmbedder, workers: string | undefined): Promise<Embedder> {
  const requested = workers !== undefined ? Number(workers) : undefined;
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 0)) throw usageError('--workers must be a whole number');
  const size = requested ?? (opened.spec.kind === 'use-lite' ? availableParallelism() : 1);
  if (size === 0) return opened.embedder;
  const pool = await EmbedderPool.start(opened.spec, size);
  await opened.embedder.close();
  return pool;
}

/** Opens the embedder for `pinned` (saying which on stderr) on worker threads for bulk embedding. */
export async function openBulkEmbedder(config: Config, pinned: string | undefined, workers: string | undefined): Promise<Embedder> {
  const opened = await openEmbedder(config.embedder, pinned, transformersOptions(config));
  process.stderr.write(`${opened.note}\n`);
  try {
    return await bulkEmbedder(opened, workers);
  } catch (err) {
    await opened.embedder.close();
    throw err;
  }
}

/** Opens the index for writing: the write lock, and the embedder the index is pinned to, on worker threads. */
export async function openForWriting(config: Config, values: CliValues, force?: 'reindex') {
  checkWritableDataDir(config.dataDir, config.minFreeMb);
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

/** Ctrl-C (or SIGTERM) asks the running command to stop after the unit in progress; a second one quits at once. */
export function onInterrupt(message: string): { signal: AbortSignal; stopped: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130); // second Ctrl-C: every finished unit is committed
    controller.abort();
    process.stderr.write(`\n${message}\n`);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    stopped: () => controller.signal.aborted,
    dispose: () => (process.off('SIGINT', handler), process.off('SIGTERM', handler)),
  };
}
