import { statSync } from 'node:fs';
import { ParseError } from './domain.ts';
import { ingestTranscript, type IngestDeps, type IngestOutcome } from './pipeline.ts';
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

/**
 * Ingests transcript files one by one. A bad file is reported and skipped; every finished file
 * is committed, so an interrupted run resumes where it stopped (finished files are unchanged).
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
  for (const [index, file] of files.entries()) {
    if (shouldStop()) {
      summary.interrupted = true;
      break;
    }
    try {
      const input = loadTranscriptFile(file, defaults);
      const outcome = await ingestTranscript(deps, input);
      summary[outcome.status]++;
      summary.segments += outcome.segments;
      summary.embedded += outcome.embedded;
      summary.warnings += input.warnings.length;
      bytesDone += sizes[index];
      onEvent({ type: 'file', file, index, outcome, warnings: input.warnings.length, bytesDone, segmentsDone: summary.segments });
    } catch (err) {
      if (!(err instanceof ParseError) && !(err instanceof SyntaxError) && !isFileError(err)) throw err;
      bytesDone += sizes[index];
      const error = (err as Error).message;
      summary.failed.push({ file, error });
      onEvent({ type: 'failed', file, index, error, bytesDone });
    }
    if (Date.now() - lastSave > SAVE_EVERY_MS) {
      deps.store.save();
      lastSave = Date.now();
    }
  }
  deps.store.save();
  onEvent({ type: 'done', summary });
  return summary;
}

function isFileError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && code !== 'ENOSPC';
}
