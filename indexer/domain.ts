/**
 * Domain types shared by the indexer and the server. Times are integer milliseconds.
 */

/** One caption or transcript line with its timing. */
export interface Cue {
  startMs: number;
  endMs: number;
  text: string;
  speaker?: string;
}

/** A non-fatal problem found while parsing: the parser kept going. */
export interface ParseWarning {
  line: number;
  message: string;
}

export interface ParsedTranscript {
  cues: Cue[];
  warnings: ParseWarning[];
}

/** A file that cannot be parsed at all. `line` is 1-based; 0 when not tied to a line. */
export class ParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${reason}`);
    this.name = 'ParseError';
  }
}

export type TranscriptFormat = 'vtt' | 'srt' | 'timedtext-xml' | 'json3' | 'srv3' | 'txt' | 'markdown' | 'podcast-json';

/** Descriptive metadata of one video or episode. */
export interface VideoMeta {
  id: string;
  title: string;
  channel?: string;
  url?: string;
  publishedAt?: string; // ISO date (YYYY-MM-DD or full ISO)
  speakers?: string[];
  durationMs?: number;
  description?: string;
  thumbnail?: string;
  /** YouTube id when the episode is on YouTube; used for deep links and the player. */
  youtubeId?: string;
  /** The episode's audio file (a feed's enclosure); the episode page plays it. */
  audioUrl?: string;
}

/** A retrieval window over consecutive cues of one video. */
export interface Segment {
  startMs: number;
  endMs: number;
  text: string;
  speakers: string[];
  /** Index of the first and last cue (inclusive) of this segment in the video's cue list. */
  firstCue: number;
  lastCue: number;
}

/**
 * Why a video could not be indexed (YouTube and feed failures, generic errors). `no_captions`:
 * a YouTube video without captions; `no_transcript`: a feed episode whose feed links no usable one.
 */
export const FAILURE_STATUSES = ['no_captions', 'no_transcript', 'unavailable', 'private', 'age_restricted', 'live_upcoming', 'blocked', 'error'] as const;
export type FailureStatus = (typeof FAILURE_STATUSES)[number];

/** The state of a video in the index (the contract's VideoSummary.status is this enum). */
export const VIDEO_STATUSES = ['indexed', 'pending', ...FAILURE_STATUSES] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

// ---- Ingest jobs (indexer/store/jobs.ts persists them; the contract's JobView shows them).

export const JOB_STATUSES = ['queued', 'running', 'paused', 'done', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JOB_MODES = ['add', 'refresh'] as const;
export type JobMode = (typeof JOB_MODES)[number];
/** What a job's source names: YouTube references, or a podcast feed URL. */
export const JOB_KINDS = ['video', 'playlist', 'channel', 'feed'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
/** Where a job's run is: waiting for the queue, listing its source, fetching items, or finished (for now). */
export const JOB_PHASES = ['waiting', 'listing', 'fetching', 'finished'] as const;
export type JobPhase = (typeof JOB_PHASES)[number];

/**
 * What happened to one video of a job: `queued` until fetched, then its outcome; `skipped` when
 * the index already has it from a transcript file. A block never ends an item: it stays queued.
 */
export const ITEM_STATUSES = ['queued', 'indexed', 'skipped', 'no_captions', 'no_transcript', 'unavailable', 'private', 'age_restricted', 'live_upcoming', 'error'] as const satisfies readonly (
  | 'queued'
  | 'skipped'
  | Exclude<VideoStatus, 'pending' | 'blocked'>
)[];
export type ItemStatus = (typeof ITEM_STATUSES)[number];
