import { statSync } from 'node:fs';
import { ParseError } from './domain.ts';
import { commitTranscript, embedMissing, prepareTranscript, type IngestDeps, type IngestOutcome, type PreparedTranscript } from './pipeline.ts';
import { loadTranscriptFile, type FileMetaDefaults } from './sources/files.ts';

/** Save the vector index at least this often during a long ingest, so a kill loses little. */
export const SAVE_EVERY_MS = 30_000;

export type FileEvent =
  | { type: 'start'; files: number; bytes: number }
  | { type: 'file'; file: string; index: number; outcome: IngestOutcome; warnings: number; bytesDone: number; segmentsDone: number }
  | { type: 'failed'; file: string; index: number; error: string; bytesDone: number }
  | { type: 'done'; summary: IngestSummary };

export interface IngestSummary {
  files: number;
  added: number;
  updated: number;
  unchanged: number;
  failed: { file: string; error: string }[];
  segments: number;
  embedded: number;
  warnings: number;
  interrupted: boolean;
}

/** A file whose vectors are being computed while the next file is read and segmented. */
interface InFlight {
  index: number;
  file: string;
  warnings: number;
  prepared: PreparedTranscript;
  /** Resolves to the embedding error, if any (kept as a value so it is never an unhandled rejection). */
  embedded: Promise<unknown>;
}

/**
 * Ingests transcript files in order. A bad file is reported and skipped; every finished file
 * is committed, so an interrupted run resumes where it stopped (finished files are unchanged).
 * While one file's windows are being embedded, the next file is already read, segmented and
 * queued for the embedder, so the workers do not idle while the main thread parses and writes.
 */
export async function ingestFiles(
  deps: IngestDeps,
  files: string[],
  defaults: FileMetaDefaults,
  onEvent: (e: FileEvent) => void = () => {},
  shouldStop: () => boolean = () => false,
): Promise<IngestSummary> {
  const sizes = files.map((f) => statSync(f).size);
  const summary: IngestSummary = { files: files.length, added: 0, updated: 0, unchanged: 0, failed: [], segments: 0, embedded: 0, warnings: 0, interrupted: false };
  onEvent({ type: 'start', files: files.length, bytes: sizes.reduce((a, b) => a + b, 0) });
  let bytesDone = 0;
  let lastSave = Date.now();
  const fail = (file: string, index: number, err: unknown) => {
    if (!isExpectedFailure(err)) throw err;
    bytesDone += sizes[index];
    const error = (err as Error).message;
    summary.failed.push({ file, error });
    onEvent({ type: 'failed', file, index, error, bytesDone });
  };
  let inFlight: InFlight | undefined;
  const finish = async () => {
    if (!inFlight) return;
    const { index, file, warnings, prepared, embedded } = inFlight;
    inFlight = undefined;
    const embedError = await embedded;
    let outcome: IngestOutcome;
    try {
      if (embedError !== undefined) throw embedError;
      outcome = commitTranscript(deps, prepared);
    } catch (err) {
      fail(file, index, err);
      return;
    }
    summary[outcome.status]++;
    summary.segments += outcome.segments;
    summary.embedded += outcome.embedded;
    summary.warnings += warnings;
    bytesDone += sizes[index];
    onEvent({ type: 'file', file, index, outcome, warnings, bytesDone, segmentsDone: summary.segments });
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
        const prepared = prepareTranscript(deps, input);
        next = { index, file, warnings: input.warnings.length, prepared, embedded: embedMissing(deps, prepared).then(() => undefined, (err: unknown) => err) };
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

function isExpectedFailure(err: unknown): boolean {
  return err instanceof ParseError || err instanceof SyntaxError || isFileError(err);
}

function isFileError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && code !== 'ENOSPC';
}
