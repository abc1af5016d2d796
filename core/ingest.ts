/**
 * Adding to the library: transcript files (with an optional manifest of titles and dates), a
 * YouTube video, playlist or channel or a podcast feed as a persisted job, and re-embedding the
 * whole index with another embedder. The CLI's add, refresh, resume and reindex and the HTTP
 * server's job manager all come through here. Errors carry a kind: a bad path, option or source
 * is `invalid`, no transcript among the paths `not_found`.
 */
import { readFileSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Embedder } from '../indexer/embed/embedder.ts';
import { ingestFiles as ingestFileList, type FileEvent, type IngestSummary } from '../indexer/ingest.ts';
import { textHash } from '../indexer/pipeline.ts';
import { cookieHeaderFromNetscape } from '../indexer/sources/cookies.ts';
import { createFeedSource, type FeedSource } from '../indexer/sources/feed.ts';
import { listTranscriptFiles } from '../indexer/sources/files.ts';
import { IngestRefError, parseIngestRef, type IngestRef } from '../indexer/sources/ingest-ref.ts';
import { buildManifest, parseColumnsOption, parseCsv, parseJsonManifest, type Manifest } from '../indexer/sources/manifest.ts';
import { proxiedFetch } from '../indexer/sources/proxy.ts';
import { createYouTubeSource, DEFAULT_LANGS, type YouTubeSource } from '../indexer/sources/youtube.ts';
import { parseYouTubeRef } from '../indexer/sources/youtube-url.ts';
import type { Follow, Job, JobStore } from '../indexer/store/jobs.ts';
import { VECTORS_FILE, type Store } from '../indexer/store/store.ts';
import { INGEST_DEFAULTS, openYouTubeJob, runYouTubeJob, type JobSummary, type RunOptions, type YouTubeIngestDeps } from '../indexer/youtube-ingest.ts';
import type { JobMode } from '../indexer/domain.ts';
import type { Config } from './config.ts';
import { CoreError, invalid } from './errors.ts';

export type { FileEvent, IngestSummary } from '../indexer/ingest.ts';
export type { IngestRef } from '../indexer/sources/ingest-ref.ts';
export type { JobProgress, JobSummary } from '../indexer/youtube-ingest.ts';
export { INGEST_DEFAULTS };

/** The extensions `add` reads, for the message when a folder holds none of them. */
const TRANSCRIPT_EXTENSIONS = '.vtt .srt .xml .json .json3 .srv3 .txt .md';

export interface FileSelection {
  /** Files and folders (folders are walked). */
  paths: string[];
  /** A CSV or JSON file of episode metadata, matched to files by `manifestKey`. */
  manifest?: string;
  manifestKey?: string;
  /** `--columns`: which manifest column holds which field. */
  columns?: string;
}

/**
 * The transcript files under `paths` and the manifest that describes them, read before the index
 * is opened so a wrong path changes nothing. `invalid` for no paths or an unreadable path or
 * manifest, `not_found` when no file has a transcript extension.
 */
export async function selectTranscriptFiles(selection: FileSelection): Promise<{ files: string[]; manifest?: Manifest }> {
  if (selection.paths.length === 0) throw invalid('give transcript files or folders');
  let files: string[];
  let manifest: Manifest | undefined;
  try {
    files = await listTranscriptFiles(selection.paths);
    manifest = selection.manifest ? loadManifest(selection.manifest, selection.manifestKey, selection.columns) : undefined;
  } catch (err) {
    throw invalid((err as Error).message);
  }
  if (files.length === 0) throw new CoreError('not_found', `no transcript files found (${TRANSCRIPT_EXTENSIONS})`);
  return { files, manifest };
}

function loadManifest(path: string, key: string | undefined, columns: string | undefined): Manifest {
  const text = readFileSync(path, 'utf8');
  const rows = extname(path).toLowerCase() === '.json' ? parseJsonManifest(text) : parseCsv(text);
  return buildManifest(rows, { key, columns: columns ? parseColumnsOption(columns) : undefined });
}

/**
 * Ingests transcript files in order, every finished file committed (so an interrupted run
 * resumes where it stopped); a bad file is reported in the summary and skipped.
 */
export function ingestFiles(
  deps: { store: Store; embedder: Embedder },
  files: string[],
  options: { manifest?: Manifest; channel?: string },
  onEvent?: (e: FileEvent) => void,
  shouldStop?: () => boolean,
): Promise<IngestSummary> {
  return ingestFileList(deps, files, options, onEvent, shouldStop);
}

/** How many segment texts are embedded per batch while re-indexing. */
const REINDEX_BATCH = 256;

/**
 * Re-embeds every segment with `embedder` and rebuilds the vector index from the new vectors
 * (segments keep their vec_hash, a hash of their text). The store must be open for writing and
 * not yet pinned to `embedder`. Returns how many distinct texts were embedded.
 */
export async function reindex(deps: { store: Store; embedder: Embedder; dataDir: string }, onProgress?: (done: number, total: number) => void): Promise<number> {
  const { store, embedder } = deps;
  store.unpin();
  rmSync(join(deps.dataDir, VECTORS_FILE), { force: true });
  store.pin(embedder);
  const rows = store.db.distinctSegmentTexts();
  onProgress?.(0, rows.length);
  for (let i = 0; i < rows.length; i += REINDEX_BATCH) {
    const texts = rows.slice(i, i + REINDEX_BATCH);
    const vecs = await embedder.embed(texts);
    store.db.putVectors(texts.map((t, j) => [textHash(t), vecs[j]] as [string, Float32Array]));
    onProgress?.(Math.min(i + REINDEX_BATCH, rows.length), rows.length);
  }
  store.vectors();
  store.save();
  return rows.length;
}

/**
 * Reads what `add` and `POST /api/videos` accept besides files: a YouTube reference or a feed
 * URL. `invalid` with the reason (prefixed by `field` when given) otherwise.
 */
export function parseIngestSource(text: string, field?: string): IngestRef {
  try {
    return parseIngestRef(text);
  } catch (err) {
    if (err instanceof IngestRefError) throw invalid(field ? `${field}: ${err.message}` : err.message);
    throw err;
  }
}

/** The source a followed playlist, channel or feed is listed from again on refresh. */
export function followRef(follow: Pick<Follow, 'kind' | 'source'>): IngestRef {
  return follow.kind === 'feed' ? { kind: 'feed', url: follow.source } : parseYouTubeRef(follow.source);
}

/** `--channel X` picks follows by URL, handle or id: a parsed reference, or a case-insensitive substring. */
export function followMatches(source: string, wanted: string): boolean {
  try {
    const ref = parseYouTubeRef(wanted);
    const other = parseYouTubeRef(source);
    if (ref.kind === 'playlist' && other.kind === 'playlist') return ref.id === other.id;
    if (ref.kind === 'channel' && other.kind === 'channel') {
      const key = (r: typeof ref) => (r.channelId ?? r.handle ?? r.customName ?? r.user ?? '').toLowerCase();
      return key(ref) === key(other) && (ref.tab === null || ref.tab === other.tab);
    }
  } catch {
    // Not a reference: fall through to a substring match.
  }
  return source.toLowerCase().includes(wanted.toLowerCase());
}

/** The unfinished job for `ref` (to resume it), or a new one. */
export function openIngestJob(jobs: JobStore, ref: IngestRef, mode: JobMode, now: number): { job: Job; resumed: boolean } {
  return openYouTubeJob(jobs, ref, mode, now);
}

/**
 * Runs a job to its end (or until `options.signal` fires or a block pauses it): lists the source,
 * fetches its videos a few at a time and writes them to the index one at a time.
 */
export function runIngestJob(deps: YouTubeIngestDeps, jobId: number, options: RunOptions): Promise<JobSummary> {
  return runYouTubeJob(deps, jobId, options);
}

export interface SourceOptions {
  /** Caption (and feed transcript) languages, best first. */
  lang: string[];
  /** Videos in flight at once. */
  concurrency: number;
  /** The Cookie header for youtube.com. */
  cookies?: string;
}

/**
 * Parses the remote-source options as the user wrote them (`en,de`, `4`, a cookies.txt path,
 * read here); `invalid` with the option's name otherwise.
 */
export function parseSourceOptions(input: { lang?: string; concurrency?: string; cookies?: string }, nowMs: number): SourceOptions {
  const lang = input.lang
    ? input.lang
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean)
    : DEFAULT_LANGS;
  if (lang.length === 0 || lang.some((l) => !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(l))) {
    throw invalid(`--lang takes language codes separated by commas, e.g. en,de (got "${input.lang}")`);
  }
  const concurrency = input.concurrency !== undefined ? Number(input.concurrency) : INGEST_DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw invalid('--concurrency must be a whole number from 1 to 16');
  if (input.cookies === undefined) return { lang, concurrency };
  let text: string;
  try {
    text = readFileSync(input.cookies, 'utf8');
  } catch (err) {
    throw invalid(`--cookies: cannot read ${input.cookies}: ${(err as Error).message}`);
  }
  const cookies = cookieHeaderFromNetscape(text, input.cookies, nowMs);
  if (!cookies) throw invalid(`--cookies: ${input.cookies} has no unexpired youtube.com cookies`);
  return { lang, concurrency, cookies };
}

/** The fetch remote sources use: through the configured proxy when there is one. */
export function sourceFetch(config: Pick<Config, 'httpsProxy'>): typeof fetch {
  return config.httpsProxy ? proxiedFetch(config.httpsProxy) : globalThis.fetch;
}

/** Builds the YouTube and feed sources for one run; feeds share the fetch (so the proxy), the languages and the retry reporting. */
export async function createSources(options: {
  fetch: typeof fetch;
  lang: string[];
  cookies?: string;
  now: () => number;
  onRetry?: (retry: { delayMs: number; error: Error }) => void;
}): Promise<{ source: YouTubeSource; feeds: FeedSource }> {
  const backoff = options.onRetry ? { onRetry: options.onRetry } : undefined;
  const source = await createYouTubeSource({ fetch: options.fetch, lang: options.lang, cookies: options.cookies, backoff });
  const feeds = createFeedSource({ fetch: options.fetch, lang: options.lang, now: options.now, backoff });
  return { source, feeds };
}
