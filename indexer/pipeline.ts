import { createHash } from 'node:crypto';
import type { Cue, VideoMeta } from './domain.ts';
import type { Embedder } from './embed/embedder.ts';
import { buildWindows, splitLongCues } from './segment/windows.ts';
import type { StoredSegmentInput } from './store/db.ts';
import type { Store } from './store/store.ts';

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

/**
 * source → segments → vectors → store for one transcript. Vectors are cached by text hash
 * (written as soon as they are computed, so a crash loses no embedding work); the SQLite
 * write is one transaction, and the vector index is reconciled after it.
 */
export async function ingestTranscript(deps: IngestDeps, input: TranscriptInput): Promise<IngestOutcome> {
  const { store, embedder } = deps;
  store.pin(embedder);
  const vectors = store.vectors();
  if (!vectors) throw new Error('vector index did not open after pinning the embedder');
  const hash = contentHash(input.cues);
  const existing = store.db.getVideo(input.meta.id);
  if (existing?.status === 'indexed' && existing.contentHash === hash) {
    store.db.updateMeta(input.meta, input.chapters);
    return { status: 'unchanged', videoId: input.meta.id, segments: existing.segmentCount, embedded: 0 };
  }
  const cues = splitLongCues(input.cues);
  const windows = buildWindows(cues);
  const segments: StoredSegmentInput[] = windows.map((w) => ({ ...w, vecHash: textHash(w.text) }));

  const missing = [...new Set(segments.map((s) => s.vecHash))].filter((h) => !store.db.hasVector(h));
  const textByHash = new Map(segments.map((s) => [s.vecHash, s.text]));
  // Embed in slices so progress is saved as it goes on multi-hour episodes.
  const SLICE = 64;
  for (let i = 0; i < missing.length; i += SLICE) {
    const hashes = missing.slice(i, i + SLICE);
    const vecs = await embedder.embed(hashes.map((h) => textByHash.get(h)!));
    store.db.putVectors(hashes.map((h, j) => [h, vecs[j]] as [string, Float32Array]));
  }

  const { removed, added } = store.db.replaceVideo({
    meta: input.meta,
    source: input.source,
    format: input.format,
    contentHash: hash,
    chapters: input.chapters,
    track: input.track,
    cues,
    segments,
  });
  for (const id of removed) vectors.remove(id);
  const stored = store.db.vectorsOfSegments(added);
  for (const id of added) vectors.add(id, stored.get(id)!);
  return { status: existing ? 'updated' : 'added', videoId: input.meta.id, segments: segments.length, embedded: missing.length };
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
