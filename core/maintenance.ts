/**
 * Looking after the index: the checks `episodic doctor` reports (the index, the proxy, one real
 * YouTube request) and `episodic repair` (salvage a damaged database, rebuild what is derived).
 * The checks return findings for the caller to show; nothing here prints.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../indexer/embed/embedder.ts';
import { USE_LITE_DIMENSION, USE_LITE_ID } from '../indexer/embed/use-lite.ts';
import { proxyFromEnv, redactProxy } from '../indexer/sources/proxy.ts';
import { createYouTubeSource } from '../indexer/sources/youtube.ts';
import { YouTubeError } from '../indexer/sources/youtube-errors.ts';
import { checkWritableDataDir } from '../indexer/store/data-dir.ts';
import { acquireWriteLock } from '../indexer/store/lock.ts';
import { diagnoseIndex, repairIndex, type IndexRepairReport, type RepairProgress } from '../indexer/store/salvage.ts';
import { DB_FILE, Store } from '../indexer/store/store.ts';
import type { Config } from './config.ts';

export type { IndexRepairReport, RepairProgress } from '../indexer/store/salvage.ts';
export { YouTubeError } from '../indexer/sources/youtube-errors.ts';

/** One finding: `true` passes, `'warn'` is worth knowing, `false` is something to fix. */
export interface Finding {
  ok: boolean | 'warn';
  message: string;
}

/**
 * Checks the index in `config.dataDir` without writing to it: the full integrity check first (a
 * damaged file must not read as fine because the pages read so far were readable), then the
 * counts, the pinned embedder against the configured one, the vector index, unfinished jobs.
 */
export function checkIndex(config: Pick<Config, 'dataDir' | 'embedder'>): Finding[] {
  const findings: Finding[] = [];
  const check = (ok: boolean | 'warn', message: string) => findings.push({ ok, message });
  if (!existsSync(join(config.dataDir, DB_FILE))) {
    check('warn', `no index yet (nothing added); it will be created by the first \`episodic add\``);
    return findings;
  }
  let diagnosis: ReturnType<typeof diagnoseIndex>;
  try {
    diagnosis = diagnoseIndex(config.dataDir);
  } catch (err) {
    check(false, `cannot check the index: ${(err as Error).message}`);
    return findings;
  }
  for (const p of diagnosis.problems) check(false, `${p.kind}: ${p.message}`);
  if (diagnosis.damaged) {
    check(false, 'the database file is damaged: run `episodic repair` (it keeps the damaged file aside and lists any episode to add again)');
    return findings;
  }
  if (diagnosis.problems.length === 0) check(true, 'SQLite integrity check, keyword index, counts, stored vectors and vector file all pass');
  else check(false, 'run `episodic repair` to fix the problems above');
  let store: Store;
  try {
    store = Store.open(config.dataDir);
  } catch (err) {
    check(false, `cannot open the index: ${(err as Error).message}`);
    return findings;
  }
  try {
    const s = store.db.stats();
    check(true, `opened: ${s.videos} videos (${s.indexed} indexed), ${s.segments} segments, ${s.vectors} stored vectors`);
    const pinned = store.embedderId;
    if (!pinned) {
      check(s.segments === 0 ? 'warn' : false, s.segments === 0 ? 'no embedder pinned yet (empty index)' : 'segments exist but no embedder is pinned: run `episodic reindex`');
    } else {
      const mismatch =
        (config.embedder === 'use-lite' && pinned !== 'use-lite') || (config.embedder === 'transformers' && !pinned.startsWith('transformers:'));
      check(!mismatch, `embedder pinned: ${pinned} (${store.dimension}-d)${mismatch ? `, but --embedder ${config.embedder} was requested` : ''}`);
      const vectors = store.vectors();
      const labels = vectors?.labels().length ?? 0;
      const repair = store.lastRepair;
      const repaired = repair && (repair.added > 0 || repair.removed > 0);
      check(
        labels === s.segments ? (repaired || repair?.note ? 'warn' : true) : false,
        `vector index: ${labels} vectors for ${s.segments} segments` +
          (repaired ? `; the file was behind SQLite and was repaired in memory (added ${repair.added}, removed ${repair.removed}); the next add or serve saves it` : '') +
          (repair?.note ? `; ${repair.note}` : ''),
      );
    }
    for (const job of store.jobs.unfinished()) {
      check('warn', `job ${job.id} (${job.source}) is ${job.status}: ${job.counts.queued} of ${job.total} queued${job.message ? `; ${job.message}` : ''} (episodic resume)`);
    }
  } catch (err) {
    check(false, (err as Error).message);
  } finally {
    // Read-only check: close SQLite without saving the vector file (another process may be writing).
    store.db.close();
  }
  return findings;
}

/** The proxy remote requests go through, from the environment, with any password hidden; undefined for none. */
export function proxyInUse(env: Record<string, string | undefined>): string | undefined {
  const proxy = proxyFromEnv(env);
  return proxy && redactProxy(proxy);
}

/** "Me at the zoo": the first YouTube video, public since 2005, with English captions. */
export const PROBE_VIDEO_ID = 'jNQXAC9IVRw';

/** What one real request for the probe video's captions gave: the captions, or the error exactly as seen. */
export type YouTubeProbe = { video: { title: string; lang: string; kind: string; via: string; cues: number } } | { error: YouTubeError };

/** Fetches the probe video's captions once, with no retry, so the first failure is reported as it is. */
export async function probeYouTube(options: { fetch: typeof fetch; cookies?: string }): Promise<YouTubeProbe> {
  const source = await createYouTubeSource({ fetch: options.fetch, cookies: options.cookies, backoff: { maxAttempts: 1 } });
  try {
    const video = await source.getVideo(PROBE_VIDEO_ID);
    return { video: { title: video.meta.title, lang: video.track.lang, kind: video.track.kind, via: video.via, cues: video.cues.length } };
  } catch (err) {
    return { error: err instanceof YouTubeError ? err : new YouTubeError('error', String(err), { cause: err }) };
  }
}

/**
 * Diagnoses the index and fixes what it can: a damaged SQLite file is salvaged before any Store
 * opens it; `openEmbedder` is called (with the embedder the index was built with) only when
 * vectors must be computed again. Undefined when there is no index. Takes the write lock, so it
 * throws like any writer when the folder is read-only, full or locked by another process.
 */
export async function repairLibrary(
  config: Pick<Config, 'dataDir' | 'embedder' | 'minFreeMb'>,
  openEmbedder: (pinned: string | undefined) => Promise<Embedder>,
  onProgress?: (p: RepairProgress) => void,
): Promise<IndexRepairReport | undefined> {
  const dir = config.dataDir;
  if (!existsSync(join(dir, DB_FILE))) return undefined;
  checkWritableDataDir(dir, config.minFreeMb); // a salvage writes a copy of the database
  const release = acquireWriteLock(dir);
  let embedder: Embedder | undefined;
  try {
    return await repairIndex(
      dir,
      async ({ pinned, storedDimension }) => {
        // The pin was lost with the manifest: 512-d vectors can only come from the bundled USE-lite.
        if (!pinned && config.embedder === 'auto' && storedDimension === USE_LITE_DIMENSION) pinned = USE_LITE_ID;
        embedder = await openEmbedder(pinned);
        return embedder;
      },
      onProgress,
    );
  } finally {
    await embedder?.close();
    release();
  }
}
