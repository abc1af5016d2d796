/**
 * The HTTP contract: request and response shapes, once, as zod schemas. The web UI imports
 * types from here only. Times are seconds with millisecond precision.
 */
import { z } from 'zod';
import { ITEM_STATUSES, JOB_KINDS, JOB_MODES, JOB_PHASES, JOB_STATUSES, VIDEO_STATUSES } from '../../indexer/domain.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  // Date.parse rolls 2020-02-30 over to March 1st; a real date reads back unchanged.
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, 'not a real date');

/** Video ids are short tokens; anything path-like is refused before it reaches a query. */
export const VideoId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+$/, 'invalid video id')
  .refine((s) => !s.includes('..'), 'invalid video id');

/** What search, answers and topics can be restricted to (all combine with AND; topics take every one but `video`). */
export const Filters = z.object({
  /** Only this episode. */
  video: VideoId.optional(),
  /** Only this channel or show (exact name, any case). */
  channel: z.string().trim().min(1).max(200).optional(),
  /** Only episodes published on or after this date. */
  from: isoDate.optional(),
  /** Only episodes published on or before this date. */
  to: isoDate.optional(),
});
export type Filters = z.infer<typeof Filters>;

const datesInOrder = [(v: Pick<Filters, 'from' | 'to'>) => !v.from || !v.to || v.from <= v.to, { message: 'from must not be after to' }] as const;

// The filter fields come after the main ones, as before, so the first problem reported stays the same.
export const SearchQuery = z
  .object({
    q: z.string().trim().min(1, 'q is required').max(1000, 'q is too long (max 1000 characters)'),
    k: z.coerce.number().int().min(1).max(100).default(10),
    ...Filters.shape,
  })
  .refine(...datesInOrder);
export type SearchQuery = z.infer<typeof SearchQuery>;

export const Hit = z.object({
  videoId: z.string(),
  title: z.string(),
  channel: z.string().nullable(),
  publishedAt: z.string().nullable(),
  start: z.number(),
  end: z.number(),
  text: z.string(),
  score: z.number(),
  url: z.string().nullable(),
  chapter: z.string().nullable(),
  speakers: z.array(z.string()),
  segmentId: z.number(),
  youtubeId: z.string().nullable(),
  thumbnail: z.string().nullable(),
});
export type Hit = z.infer<typeof Hit>;

export const SearchResponse = z.object({ results: z.array(Hit) });
export type SearchResponse = z.infer<typeof SearchResponse>;

export const VideoSummary = z.object({
  id: z.string(),
  title: z.string(),
  channel: z.string().nullable(),
  publishedAt: z.string().nullable(),
  url: z.string().nullable(),
  youtubeId: z.string().nullable(),
  duration: z.number().nullable(),
  status: z.enum(VIDEO_STATUSES),
  error: z.string().nullable(),
  cues: z.number(),
  segments: z.number(),
  speakers: z.array(z.string()),
  source: z.string().nullable(), // a URL, or a transcript file's name (its path stays on the server)
  track: z.object({ lang: z.string(), kind: z.string() }).nullable(),
  thumbnail: z.string().nullable(),
  /** The episode's audio file (a podcast feed's enclosure), played by the episode page; null otherwise. */
  audioUrl: z.string().nullable(),
  /** When the episode entered this index (ISO time), kept across a re-index: "recent" for undated episodes. */
  addedAt: z.string(),
});
export type VideoSummary = z.infer<typeof VideoSummary>;

export const CueOut = z.object({ start: z.number(), end: z.number(), text: z.string(), speaker: z.string().nullable() });
export type CueOut = z.infer<typeof CueOut>;

export const VideoDetail = VideoSummary.extend({
  description: z.string().nullable(),
  chapters: z.array(z.object({ title: z.string(), start: z.number() })),
  transcript: z.array(CueOut),
});
export type VideoDetail = z.infer<typeof VideoDetail>;

export const VideoList = z.object({ videos: z.array(VideoSummary) });
export type VideoList = z.infer<typeof VideoList>;

export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  embedder: z.object({ id: z.string(), dimension: z.number(), note: z.string() }),
  /** The configured language model, or null for extractive (offline) answers. */
  llm: z.object({ model: z.string() }).nullable(),
  index: z.object({
    embedder: z.string().nullable(),
    videos: z.number(),
    indexed: z.number(),
    segments: z.number(),
    hours: z.number(),
  }),
});
export type Health = z.infer<typeof Health>;

export const ErrorBody = z.object({ error: z.string() });

export type ErrorBody = z.infer<typeof ErrorBody>;

/** `?format=` of endpoints that can also answer as Markdown (summaries, topics, answers). */
export const ExportFormat = z.object({ format: z.enum(['json', 'md']).default('json') });

/** `?format=` of GET /api/videos/:id/transcript. */
export const TranscriptFormat = z.object({ format: z.enum(['vtt', 'srt']).default('vtt') });

// ---- Cited answers (POST /api/ask) ----

export const HistoryTurn = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string().max(8000),
});

export const AskRequest = z
  .object({
    question: z.string().trim().min(1, 'question is required').max(2000, 'question is too long (max 2000 characters)'),
    k: z.number().int().min(1).max(20).default(8),
    ...Filters.shape,
    history: z.array(HistoryTurn).max(20).default([]),
  })
  .refine(...datesInOrder);
export type AskRequest = z.infer<typeof AskRequest>;

/** One numbered source given to the model: adjacent windows of one episode merged into a time range. */
export const Source = z.object({
  n: z.number().int(),
  videoId: z.string(),
  title: z.string(),
  channel: z.string().nullable(),
  publishedAt: z.string().nullable(),
  youtubeId: z.string().nullable(),
  thumbnail: z.string().nullable(),
  start: z.number(),
  end: z.number(),
  text: z.string(),
  url: z.string().nullable(),
});
export type Source = z.infer<typeof Source>;

/**
 * A citation resolved by the server to a real cue: the moment to seek to and the words said there.
 * One per [n] marker in the answer, in order of appearance (`marker` 0 is the first chip).
 */
export const Citation = z.object({
  marker: z.number().int(),
  n: z.number().int(),
  videoId: z.string(),
  title: z.string(),
  start: z.number(),
  end: z.number(),
  quote: z.string(),
  url: z.string().nullable(),
});
export type Citation = z.infer<typeof Citation>;

export const AnswerMode = z.enum(['llm', 'extractive']);
export type AnswerMode = z.infer<typeof AnswerMode>;

/**
 * One quoted passage of an offline answer: whole sentences of one source, in answer order (best
 * first). `marker` is the index of its citation; episode fields repeat so a client can group.
 */
export const AnswerPassage = z.object({
  marker: z.number().int(),
  n: z.number().int(),
  videoId: z.string(),
  title: z.string(),
  publishedAt: z.string().nullable(),
  thumbnail: z.string().nullable(),
  start: z.number(),
  end: z.number(),
  text: z.string(),
  url: z.string().nullable(),
});
export type AnswerPassage = z.infer<typeof AnswerPassage>;

export const AskResponse = z.object({
  answer: z.string(),
  citations: z.array(Citation),
  sources: z.array(Source),
  mode: AnswerMode,
  /** The quoted passages of an offline answer (empty for a model's answer). */
  passages: z.array(AnswerPassage),
  /**
   * False when nothing in the library covers the question (the best passage is below the
   * relevance floor): the answer says so and its passages are only possibly related.
   */
  covered: z.boolean(),
  /** How well the best passage matches the question (0..1; the floor is compared with this); null without sources. */
  relevance: z.number().nullable(),
  /** Why the answer is extractive (no model configured, model failed…), or citations that were dropped. */
  notice: z.string().nullable(),
});
export type AskResponse = z.infer<typeof AskResponse>;

/** Server-sent events of a streamed answer, in order: sources, passage* (offline), delta*, citations, done (or error). */
export const AskEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('sources'), data: z.object({ sources: z.array(Source), mode: AnswerMode }) }),
  /** Offline answers: each passage as it is chosen, before the text (`covered` as in AskResponse). */
  z.object({ event: z.literal('passage'), data: z.object({ passage: AnswerPassage, covered: z.boolean() }) }),
  z.object({ event: z.literal('delta'), data: z.object({ text: z.string() }) }),
  z.object({ event: z.literal('citations'), data: z.object({ citations: z.array(Citation), invalid: z.array(z.number()) }) }),
  z.object({ event: z.literal('done'), data: AskResponse }),
  z.object({ event: z.literal('error'), data: ErrorBody }),
]);
export type AskEvent = z.infer<typeof AskEvent>;

// ---- Ingest jobs, YouTube and podcast feeds (POST /api/videos, GET /api/jobs, GET /api/jobs/:id, GET /api/jobs/:id/events,
// ---- POST /api/jobs/:id/resume). Owned by the YouTube queue; core/jobs.ts maps indexer/youtube-ingest.ts JobProgress to it.

export const AddVideosRequest = z.object({
  /** A YouTube video, playlist or channel URL, a bare video/playlist/channel id, or a podcast feed's URL. */
  source: z.string().trim().min(1, 'source is required').max(2000, 'source is too long'),
  /** Caption languages in order of preference, e.g. ["en", "de"]. */
  lang: z.array(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'invalid language code')).min(1).max(10).optional(),
});
export type AddVideosRequest = z.infer<typeof AddVideosRequest>;

export const JobId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const AddVideosResponse = z.object({ jobId: z.number().int() });
export type AddVideosResponse = z.infer<typeof AddVideosResponse>;

export const JobStatus = z.enum(JOB_STATUSES);
export const JobPhase = z.enum(JOB_PHASES);
export const JobItemStatus = z.enum(ITEM_STATUSES);

export const JobView = z.object({
  id: z.number().int(),
  kind: z.enum(JOB_KINDS),
  mode: z.enum(JOB_MODES),
  source: z.string(),
  status: JobStatus,
  phase: JobPhase,
  /** Videos no longer queued, out of `total` listed so far. */
  done: z.number().int(),
  total: z.number().int(),
  counts: z.record(JobItemStatus, z.number().int()),
  /** Videos being fetched or written right now. */
  current: z.array(z.object({ videoId: z.string(), title: z.string().nullable() })),
  /** Why the job is paused or failed. */
  message: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JobView = z.infer<typeof JobView>;

export const JobList = z.object({ jobs: z.array(JobView) });
export type JobList = z.infer<typeof JobList>;

/** Server-sent events of GET /api/jobs/:id/events: progress*, then done (or error). */
export const JobEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('progress'), data: JobView }),
  z.object({ event: z.literal('done'), data: JobView }),
  z.object({ event: z.literal('error'), data: ErrorBody }),
]);
export type JobEvent = z.infer<typeof JobEvent>;

// ==== Episode and topic summaries (GET /api/videos/:id/summary, POST /api/topics). Owned by core/summary. ====

/** One cited statement: a bullet, a paragraph or the TL;DR. Every [n] in `text` has one citation, in order. */
export const SummaryPoint = z.object({
  text: z.string(),
  citations: z.array(Citation),
});
export type SummaryPoint = z.infer<typeof SummaryPoint>;

/** A question a listener would ask, answered from the episode; the answer is cited. */
export const SummaryQa = z.object({
  question: z.string(),
  answer: z.string(),
  citations: z.array(Citation),
});
export type SummaryQa = z.infer<typeof SummaryQa>;

/** A stretch of the episode summarised on its own before the reduce step (a chapter or ~20 minutes). */
export const SummaryPart = z.object({ start: z.number(), end: z.number(), title: z.string().nullable() });
export type SummaryPart = z.infer<typeof SummaryPart>;

export const SummaryQuery = z.object({
  /** `refresh=1` regenerates instead of serving the cached summary. */
  refresh: z.enum(['1', '0', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true'),
});
export type SummaryQuery = z.infer<typeof SummaryQuery>;

export const EpisodeSummary = z.object({
  videoId: z.string(),
  title: z.string(),
  channel: z.string().nullable(),
  publishedAt: z.string().nullable(),
  url: z.string().nullable(),
  duration: z.number().nullable(),
  /** `extractive`: quoted from the transcript (no model, or the model failed). */
  mode: AnswerMode,
  /** The model that wrote it, or null for extractive summaries. */
  model: z.string().nullable(),
  promptVersion: z.string(),
  generatedAt: z.string(),
  /** True when served from the summary cache. */
  cached: z.boolean(),
  tldr: SummaryPoint,
  insights: z.array(SummaryPoint),
  questions: z.array(SummaryQa),
  takeaways: z.array(SummaryPoint),
  parts: z.array(SummaryPart),
  /** Why the summary is extractive, or citations that were dropped or added. */
  notice: z.string().nullable(),
  /** Source numbers the model cited that do not exist (removed from the text). */
  invalid: z.array(z.number()),
});
export type EpisodeSummary = z.infer<typeof EpisodeSummary>;

export const TopicRequest = z
  .object({
    topic: z.string().trim().min(1, 'topic is required').max(300, 'topic is too long (max 300 characters)'),
    ...Filters.omit({ video: true }).shape,
  })
  .refine(...datesInOrder);
export type TopicRequest = z.infer<typeof TopicRequest>;

/** One episode that really discusses the topic (more than a passing mention). */
export const TopicEpisode = z.object({
  videoId: z.string(),
  title: z.string(),
  channel: z.string().nullable(),
  publishedAt: z.string().nullable(),
  url: z.string().nullable(),
  /** Minutes of the episode spent on the topic (merged relevant windows). */
  minutes: z.number(),
  /** Relevant windows found in the episode. */
  mentions: z.number().int(),
  relevance: z.number(),
  /** Where the topic is discussed, in episode order. */
  spans: z.array(z.object({ start: z.number(), end: z.number() })),
  points: z.array(SummaryPoint),
});
export type TopicEpisode = z.infer<typeof TopicEpisode>;

export const TopicTimelineEntry = z.object({
  videoId: z.string(),
  title: z.string(),
  publishedAt: z.string().nullable(),
  /** The moment the card's point is quoted from (its first citation); the episode's first discussion is its first span. */
  start: z.number(),
  minutes: z.number(),
  point: SummaryPoint,
});
export type TopicTimelineEntry = z.infer<typeof TopicTimelineEntry>;

export const TopicSummary = z.object({
  topic: z.string(),
  mode: AnswerMode,
  model: z.string().nullable(),
  /** Episodes by relevance. */
  episodes: z.array(TopicEpisode),
  /** One entry per episode, oldest first (undated episodes last). */
  timeline: z.array(TopicTimelineEntry),
  /** A short synthesis citing across episodes (model mode; empty when extractive). */
  synthesis: z.array(SummaryPoint),
  counts: z.object({
    episodes: z.number().int(),
    minutes: z.number(),
    mentions: z.number().int(),
    /** Episodes that only mention the topic in passing (not counted above). */
    passing: z.number().int(),
  }),
  notice: z.string().nullable(),
  invalid: z.array(z.number()),
});
export type TopicSummary = z.infer<typeof TopicSummary>;
