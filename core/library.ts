/** The library: which episodes are indexed, their details and transcripts, and removing one. */
import { basename } from 'node:path';
import { z } from 'zod';
import type { Cue } from '../indexer/domain.ts';
import { removeVideo } from '../indexer/pipeline.ts';
import type { VideoRow } from '../indexer/store/db.ts';
import type { Store } from '../indexer/store/store.ts';
import { formatClock, toSeconds } from '../indexer/time.ts';
import { Filters, VideoId, VideoSummary, type CueOut, type VideoDetail } from './contract/api.ts';
import { deepLink, thumbnailOf } from './retrieval/links.ts';
import { indexedVideo } from './summary/episode.ts';
import { conflict, invalid, notFound, parseInput } from './errors.ts';
import { cleanCues, toSrt, toVtt } from './export.ts';
import { underLock } from './lock.ts';

export const LIBRARY_DEFAULTS = {
  /** A transcript range without an end covers this much (s): a few minutes of talk, ~1,500 words. */
  rangeSeconds: 600,
  /** The longest range one request returns (s), so one call cannot dump a three-hour transcript. */
  maxRangeSeconds: 1800,
};

/**
 * What the API shows of where a video came from: a URL as it is, a file by its name only. The
 * full path stays server-side, so a server shared on a network does not show its file system.
 */
export function publicSource(source: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? source : basename(source.replace(/\\/g, '/'));
}

export function toVideoSummary(v: VideoRow): VideoSummary {
  return {
    id: v.id,
    title: v.title,
    channel: v.channel ?? null,
    publishedAt: v.publishedAt ?? null,
    url: v.url ?? null,
    youtubeId: v.youtubeId ?? null,
    duration: v.durationMs != null ? toSeconds(v.durationMs) : null,
    status: v.status,
    error: v.error ?? null,
    cues: v.cueCount,
    segments: v.segmentCount,
    speakers: v.speakers ?? [],
    source: v.source ? publicSource(v.source) : null,
    track: v.track ?? null,
    thumbnail: thumbnailOf(v),
    audioUrl: v.audioUrl ?? null,
    addedAt: v.addedAt,
  };
}

const toCueOut = (c: Cue): CueOut => ({ start: toSeconds(c.startMs), end: toSeconds(c.endMs), text: c.text, speaker: c.speaker ?? null });

export function toVideoDetail(v: VideoRow, cues: Cue[]): VideoDetail {
  return {
    ...toVideoSummary(v),
    description: v.description ?? null,
    chapters: (v.chapters ?? []).map((c) => ({ title: c.title, start: toSeconds(c.startMs) })),
    transcript: cues.map(toCueOut),
  };
}

export const EpisodeFilter = z.object({
  channel: Filters.shape.channel,
  /** `indexed`, `no_captions`, … */
  status: VideoSummary.shape.status.optional(),
});
export type EpisodeFilter = z.infer<typeof EpisodeFilter>;

/** Every video in the index (newest first, as stored), optionally only one channel's or one status's. */
export function listEpisodes(store: Store, filter: unknown = {}): VideoSummary[] {
  const { channel, status } = parseInput(EpisodeFilter, filter);
  const wanted = channel?.toLowerCase();
  return store.db
    .listVideos()
    .filter((v) => (!wanted || v.channel?.toLowerCase() === wanted) && (!status || v.status === status))
    .map(toVideoSummary);
}

/** Metadata, chapters and the full transcript of one video; `not_found` for an unknown id. */
export function getEpisode(store: Store, videoId: unknown): VideoDetail {
  const id = parseInput(VideoId, videoId);
  const v = store.db.getVideo(id);
  if (!v) throw notFound(`video "${id}"`);
  return toVideoDetail(v, store.db.cues(id));
}

export const TranscriptRangeRequest = z
  .object({
    videoId: VideoId,
    /** Seconds from the start of the episode. */
    start: z.number().min(0).default(0),
    end: z.number().min(0).optional(),
  })
  .refine((r) => r.end === undefined || r.end > r.start, { message: 'end must be after start', path: ['end'] });
export type TranscriptRangeRequest = z.input<typeof TranscriptRangeRequest>;

export interface TranscriptRange {
  video: VideoSummary;
  /** The range actually returned, in seconds (the end may be cut to the episode or the limit). */
  start: number;
  end: number;
  /** Opens the episode at `start`. */
  url: string | null;
  /** Cleaned cues (rolling duplicates merged) that overlap the range. */
  cues: CueOut[];
  /** True when the requested range was longer than the limit and was cut. */
  truncated: boolean;
}

/**
 * The cues of one indexed episode between `start` and `end` (seconds; default a ten-minute range,
 * at most thirty minutes). Times come from the stored cues only.
 */
export function transcriptRange(store: Store, input: unknown): TranscriptRange {
  const req = parseInput(TranscriptRangeRequest, input);
  const video = indexedVideo(store, req.videoId);
  const cues = cleanCues(store.db.cues(video.id));
  const durationMs = video.durationMs ?? cues.at(-1)?.endMs ?? 0;
  const startMs = Math.round(req.start * 1000);
  if (startMs >= durationMs) throw invalid(`start: the episode is only ${formatClock(durationMs)} long`);
  const wantedEndMs = req.end !== undefined ? Math.round(req.end * 1000) : startMs + LIBRARY_DEFAULTS.rangeSeconds * 1000;
  const limitMs = startMs + LIBRARY_DEFAULTS.maxRangeSeconds * 1000;
  const endMs = Math.min(wantedEndMs, limitMs, durationMs);
  return {
    video: toVideoSummary(video),
    start: toSeconds(startMs),
    end: toSeconds(endMs),
    url: deepLink(video, startMs),
    cues: cues.filter((c) => c.endMs > startMs && c.startMs < endMs).map(toCueOut),
    truncated: wantedEndMs > limitMs && endMs === limitMs,
  };
}

/** Removes a video and all its data (the caller holds the index's write lock); `not_found` if unknown. */
export function removeEpisode(store: Store, videoId: unknown): void {
  const id = parseInput(VideoId, videoId);
  if (!removeVideo(store, id)) throw notFound(`video "${id}"`);
}

/**
 * Removes a video, taking the index's write lock with `acquireLock` for the time it takes:
 * `not_found` for an unknown id, `conflict` when another writer holds the lock or there is no
 * lock to take (a server that cannot write).
 */
export function removeEpisodeLocked(store: Store, videoId: unknown, acquireLock: (() => () => void) | undefined): void {
  const id = parseInput(VideoId, videoId);
  if (!store.db.getVideo(id)) throw notFound(`video "${id}"`);
  if (!acquireLock) throw conflict('this server cannot remove videos');
  const release = underLock(acquireLock);
  try {
    removeEpisode(store, id);
  } finally {
    release();
  }
}

export const SUBTITLE_FORMATS = ['srt', 'vtt'] as const;
export type SubtitleFormat = (typeof SUBTITLE_FORMATS)[number];

/**
 * A video's cleaned transcript as SubRip or WebVTT; `not_found` for an unknown id. With
 * `indexedOnly` (the CLI's export), `conflict` for a video without an indexed transcript, where
 * otherwise its (empty) file is returned.
 */
export function subtitles(store: Store, videoId: unknown, format: SubtitleFormat, options: { indexedOnly?: boolean } = {}): { id: string; text: string } {
  const id = parseInput(VideoId, videoId);
  const video = options.indexedOnly ? indexedVideo(store, id) : store.db.getVideo(id);
  if (!video) throw notFound(`video "${id}"`);
  const cues = store.db.cues(id); // toSrt / toVtt clean them
  return { id, text: format === 'srt' ? toSrt(cues) : toVtt(cues, video.title) };
}

/** The stored cues of a video (times in milliseconds), or undefined for an unknown id. */
export function storedCues(store: Store, videoId: string): Cue[] | undefined {
  return store.db.getVideo(videoId) ? store.db.cues(videoId) : undefined;
}

/** What the index holds: videos (indexed or not), segments, cues, stored vectors and indexed hours. */
export function libraryStats(store: Store): ReturnType<Store['db']['stats']> & { hours: number } {
  const s = store.db.stats();
  return { ...s, hours: s.durationMs / 3_600_000 };
}
