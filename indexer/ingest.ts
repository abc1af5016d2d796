import { statSync } from 'node:fs';
import { ParseError } from './domain.ts';
import {
  commitTranscript,
  contentHash,
  embedMissing,
  embedSegments,
  prepareTranscript,
  segmentCues,
  type IngestDeps,
  type IngestOutcome,
  type Segmented,
} from './pipeline.ts';
import { loadTranscriptFile, type FileMetaDefaults, type LoadedTranscript } from './sources/files.ts';
import { lookupsOf, mergeIntoExisting, resolveIdentity } from './store/identity.ts';
import type { Store } from './store/store.ts';
import { present } from './present.ts';

/** Save the vector index at least this often during a long ingest, so a kill loses little. */
export const SAVE_EVERY_MS = 30_000;

export type FileEvent =
  | { type: 'start'; files: number; bytes: number }
  | { type: 'file'; file: string; index: number; outcome: IngestOutcome; warnings: FileWarning[]; notice?: string; bytesDone: number; segmentsDone: number }
  | { type: 'failed'; file: string; index: number; error: string; line?: number; bytesDone: number }
  | { type: 'done'; summary: IngestSummary };

/** Something a parser skipped or guessed in a file that was still indexed; `line` 0 when not tied to a line. */
export interface FileWarning {
  file: string;
  line: number;
  reason: string;
}

export interface IngestSummary {
  files: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Files not indexed; `error` is the reason (the file and line are their own fields). */
  failed: { file: string; line?: number; error: string }[];
  segments: number;
  embedded: number;
  /** How many warnings; each is in `warningList`. */
  warnings: number;
  warningList: FileWarning[];
  /** Identity decisions worth knowing: an id clash resolved, the same transcript from another path. */
  notices: { file: string; videoId: string; message: string }[];
  interrupted: boolean;
}

/**
 * Gives a loaded file its episode identity (indexer/store/identity.ts): the episode already
 * stored from the same path or with the same transcript keeps its id and stored metadata (only
 * fields this add provides are updated); a clashing id from another source gets a distinct one.
 */
function withIdentity(store: Store, input: LoadedTranscript, hash: string): { input: LoadedTranscript; notice?: string } {
  const fromMetadata = input.provided.has('id') || input.provided.has('youtubeId');
  const identity = resolveIdentity({ candidate: input.meta.id, source: present(input.source, 'the source of a loaded file'), contentHash: hash, fromMetadata }, lookupsOf(store.db));
  if (identity.kind === 'new') return { input: { ...input, meta: { ...input.meta, id: identity.id } }, notice: identity.notice };
  const meta = mergeIntoExisting(identity.existing, input.meta, input.provided);
  // The same transcript from another path is that episode: it keeps the path it was added from.
  const source = identity.existing.source && identity.existing.source !== input.source ? identity.existing.source : input.source;
  return { input: { ...input, meta, source }, notice: identity.notice };
}

/** A file read and segmented whose windows are being embedded while the previous file is committed. */
interface InFlight {
  index: number;
  file: string;
  input: LoadedTranscript;
  /** contentHash() of its cues, computed once for identity, the unchanged check and the commit. */
  hash: string;
  /** Undefined when the same transcript is already indexed (nothing to segment or embed). */
  segmented?: Segmented;
  /** Resolves to the number of vectors computed, or to the error (a value, never an unhandled rejection). */
  embedded: Promise<number | { error: unknown }>;
}

/**
 * Ingests transcript files in order. A bad file is reported and skipped; every finished file
 * is committed, so an interrupted run resumes where it stopped (finished files are unchanged).
 * While one file's windows are being embedded, the next file is already read, segmented and
 * queued for the embedder (vectors are keyed by text, so this needs no episode id), so the
 * workers do not idle while the main thread parses and writes. Which episode a file is gets
 * decided only after the file before it is committed, so two files in one run that are the same
 * episode, or clash on an id, are told apart exactly as in two separate runs.
 */
export async function ingestFiles(
  deps: IngestDeps,
  files: string[],
  defaults: FileMetaDefaults,
  onEvent: (e: FileEvent) => void = () => {},
  shouldStop: () => boolean = () => false,
): Promise<IngestSummary> {
  const sizes = files.map((f) => statSync(f).size);
  const summary: IngestSummary = {
    files: files.length,
    added: 0,
    updated: 0,
    unchanged: 0,
    failed: [],
    segments: 0,
    embedded: 0,
    warnings: 0,
    warningList: [],
    notices: [],
    interrupted: false,
  };
  onEvent({ type: 'start', files: files.length, bytes: sizes.reduce((a, b) => a + b, 0) });
  let bytesDone = 0;
  let lastSave = Date.now();
  const fail = (file: string, index: number, err: unknown) => {
    if (!(err instanceof ParseError) && !(err instanceof SyntaxError) && !isFileError(err)) throw err;
    bytesDone += sizes[index];
    // The file is its own field: the reason alone, so a message never names the path twice.
    const parse = err instanceof ParseError && err.file === file ? err : undefined;
    const error = parse ? parse.reason : fileErrorReason(err as Error, file);
    const line = parse && parse.line > 0 ? parse.line : undefined;
    summary.failed.push({ file, ...(line ? { line } : {}), error });
    onEvent({ type: 'failed', file, index, error, line, bytesDone });
  };
  let inFlight: InFlight | undefined;
  const finish = async () => {
    if (!inFlight) return;
    const { index, file, input: loaded, hash, segmented, embedded } = inFlight;
    inFlight = undefined;
    const early = await embedded;
    let outcome: IngestOutcome;
    let notice: string | undefined;
    let input: LoadedTranscript;
    try {
      if (typeof early !== 'number') throw early.error;
      ({ input, notice } = withIdentity(deps.store, loaded, hash));
      const prepared = prepareTranscript(deps, input, segmented, hash);
      await embedMissing(deps, prepared);
      outcome = commitTranscript(deps, prepared);
      if (outcome.status !== 'unchanged') outcome = { ...outcome, embedded: outcome.embedded + early };
    } catch (err) {
      fail(file, index, err);
      return;
    }
    summary[outcome.status]++;
    summary.segments += outcome.segments;
    summary.embedded += outcome.embedded;
    const warnings = input.warnings.map((w) => ({ file, line: w.line, reason: w.message }));
    summary.warnings += warnings.length;
    summary.warningList.push(...warnings);
    if (notice) summary.notices.push({ file, videoId: outcome.videoId, message: notice });
    bytesDone += sizes[index];
    onEvent({ type: 'file', file, index, outcome, warnings, notice, bytesDone, segmentsDone: summary.segments });
  };
  try {
    for (const [index, file] of files.entries()) {
      if (shouldStop()) {
        summary.interrupted = true;
        break;
      }
      let next: InFlight | undefined;
      let failure: unknown;
      try {
        const input = loadTranscriptFile(file, defaults);
        // A transcript already indexed (here or under another path) is most likely unchanged: no windows to build.
        const hash = contentHash(input.cues);
        const known = deps.store.db.videoByContentHash(hash);
        const segmented = known?.status === 'indexed' ? undefined : segmentCues(input.cues);
        const embedded = segmented ? embedSegments(deps, segmented).catch((error: unknown) => ({ error })) : Promise.resolve(0);
        next = { index, file, input, hash, segmented, embedded };
      } catch (err) {
        failure = err;
      }
      // The previous file is committed before this one is reported, so events keep file order.
      await finish();
      if (next) inFlight = next;
      else fail(file, index, failure);
      if (Date.now() - lastSave > SAVE_EVERY_MS) {
        deps.store.save();
        lastSave = Date.now();
      }
    }
    await finish();
  } finally {
    // On an unexpected error, let the embedding already queued settle before the caller closes the store.
    if (inFlight) await inFlight.embedded;
  }
  deps.store.save();
  onEvent({ type: 'done', summary });
  return summary;
}

function isFileError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && code !== 'ENOSPC';
}

/** An errno message without the path Node puts in it ("EACCES: permission denied, open '/x/a.vtt'"). */
function fileErrorReason(err: Error, file: string): string {
  return err.message.replace(`, open '${file}'`, '').replace(`'${file}'`, 'the file').replace(`${file}: `, '');
}
