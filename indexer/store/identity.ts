/**
 * Episode identity: which stored episode a transcript file is. The same source file (same path,
 * or the same transcript content elsewhere) is one episode whatever flags it was added with, and
 * keeps the id it first got; a different source whose id clashes with a stored episode gets a
 * distinct id (the candidate plus a short content hash) and a notice. Nothing is silently replaced.
 */
import type { VideoMeta } from '../domain.ts';
import type { IndexDb, VideoRow } from './db.ts';

/** Hex digits of the content hash appended to a clashing id; grown until the id is free. */
export const CLASH_SUFFIX_CHARS = 6;

export interface IdentityInput {
  /** The id the file's metadata (or its name) asks for. */
  candidate: string;
  /** Where the transcript comes from (an absolute file path). */
  source: string;
  /** contentHash() of its cues: equal for the same transcript wherever it lives. */
  contentHash: string;
  /** Whether the candidate came from metadata (sidecar, manifest, a YouTube URL), not the file name. */
  fromMetadata?: boolean;
}

export type Identity =
  | { kind: 'new'; id: string; notice?: string }
  | { kind: 'existing'; id: string; existing: VideoRow; notice?: string };

/** What the store knows, as lookups; IndexDb provides them, a test can pass plain maps. */
export interface IdentityLookups {
  bySource(source: string): VideoRow | undefined;
  byContentHash(hash: string): VideoRow | undefined;
  byId(id: string): VideoRow | undefined;
}

export function lookupsOf(db: IndexDb): IdentityLookups {
  return { bySource: (s) => db.videoBySource(s), byContentHash: (h) => db.videoByContentHash(h), byId: (id) => db.getVideo(id) };
}

/** Decides which episode a transcript is. Pure over the lookups. */
export function resolveIdentity(input: IdentityInput, known: IdentityLookups): Identity {
  const { candidate, source, contentHash } = input;
  const sameSource = known.bySource(source);
  if (sameSource) {
    const notice =
      sameSource.id !== candidate && input.fromMetadata
        ? `already indexed as "${sameSource.id}" and keeps that id (its metadata now says "${candidate}"; \`episodic remove ${sameSource.id}\` first to re-add it under the new id)`
        : undefined;
    return { kind: 'existing', id: sameSource.id, existing: sameSource, notice };
  }
  const sameContent = known.byContentHash(contentHash);
  if (sameContent) {
    return {
      kind: 'existing',
      id: sameContent.id,
      existing: sameContent,
      notice: `the same transcript as "${sameContent.id}"${sameContent.source ? ` (${sameContent.source})` : ''}: one episode, not added twice`,
    };
  }
  const taken = known.byId(candidate);
  // A record with no source and nothing indexed (a repair's placeholder) is the slot to fill.
  if (!taken || (!taken.source && taken.status !== 'indexed')) return { kind: 'new', id: candidate };
  for (let n = CLASH_SUFFIX_CHARS; n <= contentHash.length; n += 2) {
    const id = `${candidate}-${contentHash.slice(0, n)}`;
    const other = known.byId(id);
    if (!other) {
      return {
        kind: 'new',
        id,
        notice: `the id "${candidate}" belongs to another episode${taken.source ? ` (${taken.source})` : ''}; indexed as "${id}"`,
      };
    }
  }
  throw new Error(`no free id for ${source} (every "${candidate}-<hash>" is taken)`);
}

/**
 * The metadata to store when a file is an episode already indexed: the stored metadata, with
 * only the fields this add really provides (sidecar, manifest, --channel, cue speakers) on top,
 * so adding a file again without its manifest does not replace a real title with the file name.
 */
export function mergeIntoExisting(existing: VideoRow, meta: VideoMeta, provided: ReadonlySet<keyof VideoMeta>): VideoMeta {
  const kept: VideoMeta = {
    id: existing.id,
    title: existing.title,
    channel: existing.channel,
    url: existing.url,
    publishedAt: existing.publishedAt,
    speakers: existing.speakers,
    durationMs: existing.durationMs,
    description: existing.description,
    thumbnail: existing.thumbnail,
    youtubeId: existing.youtubeId,
  };
  for (const field of provided) if (field !== 'id' && meta[field] !== undefined) (kept as unknown as Record<string, unknown>)[field] = meta[field];
  return kept;
}
