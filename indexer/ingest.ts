import { statSync } from 'node:fs';
import { ParseError } from './domain.ts';
import { contentHash, ingestTranscript, type IngestDeps, type IngestOutcome } from './pipeline.ts';
import { loadTranscriptFile, type FileMetaDefaults, type LoadedTranscript } from './sources/files.ts';
import { lookupsOf, mergeIntoExisting, resolveIdentity } from './store/identity.ts';
import type { Store } from './store/store.ts';

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
function withIdentity(store: Store, input: LoadedTranscript): { input: LoadedTranscript; notice?: string } {
  const fromMetadata = input.provided.has('id') || input.provided.has('youtubeId');
  const identity = resolveIdentity({ candidate: input.meta.id, source: input.source!, contentHash: contentHash(input.cues), fromMetadata }, lookupsOf(store.db));
  if (identity.kind === 'new') return { input: { ...input, meta: { ...input.meta, id: identity.id } }, notice: identity.notice };
  const meta = mergeIntoExisting(identity.existing, input.meta, input.provided);
  // The same transcript from another path is that episode: it keeps the path it was added from.
  const source = identity.existing.source && identity.existing.source !== input.source ? identity.existing.source : input.source;
  return { input: { ...input, meta, source }, notice: identity.notice };
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
  for (const [index, file] of files.entries()) {
    if (shouldStop()) {
      summary.interrupted = true;
      break;
    }
    try {
      const { input, notice } = withIdentity(deps.store, loadTranscriptFile(file, defaults));
      const outcome = await ingestTranscript(deps, input);
      summary[outcome.status]++;
      summary.segments += outcome.segments;
      summary.embedded += outcome.embedded;
      const warnings = input.warnings.map((w) => ({ file, line: w.line, reason: w.message }));
      summary.warnings += warnings.length;
      summary.warningList.push(...warnings);
      if (notice) summary.notices.push({ file, videoId: outcome.videoId, message: notice });
      bytesDone += sizes[index];
      onEvent({ type: 'file', file, index, outcome, warnings, notice, bytesDone, segmentsDone: summary.segments });
    } catch (err) {
      if (!(err instanceof ParseError) && !(err instanceof SyntaxError) && !isFileError(err)) throw err;
      bytesDone += sizes[index];
      // The file is its own field: the reason alone, so a message never names the path twice.
      const parse = err instanceof ParseError && err.file === file ? err : undefined;
      const error = parse ? parse.reason : fileErrorReason(err as Error, file);
      const line = parse && parse.line > 0 ? parse.line : undefined;
      summary.failed.push({ file, ...(line ? { line } : {}), error });
      onEvent({ type: 'failed', file, index, error, line, bytesDone });
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

/** An errno message without the path Node puts in it ("EACCES: permission denied, open '/x/a.vtt'"). */
function fileErrorReason(err: Error, file: string): string {
  return err.message.replace(`, open '${file}'`, '').replace(`'${file}'`, 'the file').replace(`${file}: `, '');
}
