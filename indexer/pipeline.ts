import { createHash } from 'node:crypto';
import type { Cue, VideoMeta } from './domain.ts';
import type { Embedder } from './embed/embedder.ts';
import { buildWindows, splitLongCues } from './segment/windows.ts';
import type { StoredSegmentInput } from './store/db.ts';
import type { Store } from './store/store.ts';
import { present } from './present.ts';

/** Bump when segmentation changes, so unchanged transcripts are re-segmented on the next add. */
export const SEGMENTER_VERSION = 'w1';

/** A parsed transcript with its metadata, from any source (files or YouTube). */
export interface TranscriptInput {
  meta: VideoMeta;
  cues: Cue[];
  source?: string;
  format?: string;
  chapters?: { title: string; startMs: number }[];
  track?: { lang: string; kind: string };
}

export type IngestOutcome = { status: 'added' | 'updated' | 'unchanged'; videoId: string; segments: number; embedded: number };

export interface IngestDeps {
  store: Store;
  embedder: Embedder;
}

/** Hash of what determines the stored segments: the cues and the segmenter version. */
export function contentHash(cues: Cue[]): string {
  const h = createHash('sha256').update(SEGMENTER_VERSION);
  for (const c of cues) h.update(`${c.startMs}|${c.endMs}|${c.speaker ?? ''}|${c.text}\n`);
  return h.digest('hex').slice(0, 32);
}

/** Hash of an embedded text; the vector cache key. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** What must happen to one transcript, worked out before any embedding starts. */
export type PreparedTranscript =
  | { kind: 'unchanged'; input: TranscriptInput; outcome: IngestOutcome }
  | { kind: 'changed'; input: TranscriptInput; hash: string; existed: boolean; cues: Cue[]; segments: StoredSegmentInput[]; missing: string[] };

/** Texts per embedding call: vectors are saved per slice, so a crash mid-episode loses little. */
export const EMBED_SLICE = 64;

/** A transcript's cues split into stored windows; depends on the cues only, not on the episode's id. */
export interface Segmented {
  cues: Cue[];
  segments: StoredSegmentInput[];
}

/** Splits over-long cues and builds the windows to embed. Pure. */
export function segmentCues(cues: Cue[]): Segmented {
  const split = splitLongCues(cues);
  return { cues: split, segments: buildWindows(split).map((w) => ({ ...w, vecHash: textHash(w.text) })) };
}

/** The distinct window texts whose vectors are not stored yet. */
function missingVectors(store: Store, segments: StoredSegmentInput[]): string[] {
  return [...new Set(segments.map((s) => s.vecHash))].filter((h) => !store.db.hasVector(h));
}

/**
 * Segments a transcript (or takes the windows and content hash already computed) and lists the
 * texts whose vectors are not stored yet. Pure apart from reads.
 */
export function prepareTranscript(deps: IngestDeps, input: TranscriptInput, segmented?: Segmented, hash = contentHash(input.cues)): PreparedTranscript {
  const { store, embedder } = deps;
  store.pin(embedder);
  const existing = store.db.getVideo(input.meta.id);
  if (existing?.status === 'indexed' && existing.contentHash === hash) {
    return { kind: 'unchanged', input, outcome: { status: 'unchanged', videoId: input.meta.id, segments: existing.segmentCount, embedded: 0 } };
  }
  const { cues, segments } = segmented ?? segmentCues(input.cues);
  return { kind: 'changed', input, hash, existed: existing !== undefined, cues, segments, missing: missingVectors(store, segments) };
}

/**
 * Embeds and stores the vectors a transcript's windows still lack, before the transcript knows
 * which episode it is (vectors are keyed by text, not by episode). Returns how many were computed.
 */
export async function embedSegments(deps: IngestDeps, segmented: Segmented): Promise<number> {
  deps.store.pin(deps.embedder);
  const missing = missingVectors(deps.store, segmented.segments);
  const textByHash = new Map(segmented.segments.map((s) => [s.vecHash, s.text]));
  await embedHashes(deps, missing, textByHash);
  return missing.length;
}

/**
 * Embeds the missing texts and stores each slice's vectors as soon as it is computed (a crash
 * loses no finished slice). Every slice is handed to the embedder at once, so a worker pool
 * stays busy to the end of the episode instead of idling at each slice boundary.
 */
export async function embedMissing(deps: IngestDeps, prepared: PreparedTranscript): Promise<void> {
  if (prepared.kind === 'unchanged' || prepared.missing.length === 0) return;
  await embedHashes(deps, prepared.missing, new Map(prepared.segments.map((s) => [s.vecHash, s.text])));
}

async function embedHashes(deps: IngestDeps, missing: string[], textByHash: Map<string, string>): Promise<void> {
  if (missing.length === 0) return;
  const slices: string[][] = [];
  for (let i = 0; i < missing.length; i += EMBED_SLICE) slices.push(missing.slice(i, i + EMBED_SLICE));
  const settled = await Promise.allSettled(
    slices.map(async (hashes) => {
      const vecs = await deps.embedder.embed(hashes.map((h) => present(textByHash.get(h), `the text of vector ${h}`)));
      deps.store.db.putVectors(hashes.map((h, j) => [h, vecs[j]] as [string, Float32Array]));
    }),
  );
  const failed = settled.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
}

/** Writes the transcript in one SQLite transaction, then brings the vector index in line. */
export function commitTranscript(deps: IngestDeps, prepared: PreparedTranscript): IngestOutcome {
  const { store } = deps;
  const { input } = prepared;
  if (prepared.kind === 'unchanged') {
    store.db.updateMeta(input.meta, input.chapters);
    return prepared.outcome;
  }
  const vectors = store.vectors();
  if (!vectors) throw new Error('vector index did not open after pinning the embedder');
  const { removed, added } = store.db.replaceVideo({
    meta: input.meta,
    source: input.source,
    format: input.format,
    contentHash: prepared.hash,
    chapters: input.chapters,
    track: input.track,
    cues: prepared.cues,
    segments: prepared.segments,
  });
  for (const id of removed) vectors.remove(id);
  const stored = store.db.vectorsOfSegments(added);
  for (const id of added) vectors.add(id, present(stored.get(id), `the vector of segment ${id}`));
  return { status: prepared.existed ? 'updated' : 'added', videoId: input.meta.id, segments: prepared.segments.length, embedded: prepared.missing.length };
}

/**
 * source → segments → vectors → store for one transcript. Vectors are cached by text hash
 * (written as soon as they are computed, so a crash loses no embedding work); the SQLite
 * write is one transaction, and the vector index is reconciled after it.
 */
export async function ingestTranscript(deps: IngestDeps, input: TranscriptInput): Promise<IngestOutcome> {
  const prepared = prepareTranscript(deps, input);
  await embedMissing(deps, prepared);
  return commitTranscript(deps, prepared);
}

/** Removes a video from SQLite and the vector index. Returns false if it was not there. */
export function removeVideo(store: Store, videoId: string): boolean {
  if (!store.db.getVideo(videoId)) return false;
  const removed = store.db.removeVideo(videoId);
  const vectors = store.vectors();
  for (const id of removed) vectors?.remove(id);
  store.db.pruneVectors();
  store.save();
  return true;
}
