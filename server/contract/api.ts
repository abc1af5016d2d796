/**
 * The HTTP contract: request and response shapes, once, as zod schemas. The web UI imports
 * types from here only. Times are seconds with millisecond precision.
 */
import { z } from 'zod';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date');

/** Video ids are short tokens; anything path-like is refused before it reaches a query. */
export const VideoId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+$/, 'invalid video id')
  .refine((s) => !s.includes('..'), 'invalid video id');

export const SearchQuery = z
  .object({
    q: z.string().trim().min(1, 'q is required').max(1000, 'q is too long (max 1000 characters)'),
    k: z.coerce.number().int().min(1).max(100).default(10),
    video: VideoId.optional(),
    channel: z.string().trim().min(1).max(200).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'from must not be after to' });
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
  status: z.string(),
  error: z.string().nullable(),
  cues: z.number(),
  segments: z.number(),
  speakers: z.array(z.string()),
  source: z.string().nullable(),
  track: z.object({ lang: z.string(), kind: z.string() }).nullable(),
});
export type VideoSummary = z.infer<typeof VideoSummary>;

export const CueOut = z.object({ start: z.number(), end: z.number(), text: z.string(), speaker: z.string().nullable() });
export type CueOut = z.infer<typeof CueOut>;

export const VideoDetail = VideoSummary.extend({
  description: z.string().nullable(),
  thumbnail: z.string().nullable(),
  chapters: z.array(z.object({ title: z.string(), start: z.number() })),
  transcript: z.array(CueOut),
});
export type VideoDetail = z.infer<typeof VideoDetail>;

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

// ---- Cited answers (POST /api/ask) ----

export const HistoryTurn = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string().max(8000),
});

export const AskRequest = z
  .object({
    question: z.string().trim().min(1, 'question is required').max(2000, 'question is too long (max 2000 characters)'),
    k: z.number().int().min(1).max(20).default(8),
    video: VideoId.optional(),
    channel: z.string().trim().min(1).max(200).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    history: z.array(HistoryTurn).max(20).default([]),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'from must not be after to' });
export type AskRequest = z.infer<typeof AskRequest>;

/** One numbered source given to the model: adjacent windows of one episode merged into a time range. */
export const Source = z.object({
  n: z.number().int(),
  videoId: z.string(),
  title: z.string(),
  channel: z.string().nullable(),
  publishedAt: z.string().nullable(),
  youtubeId: z.string().nullable(),
  start: z.number(),
  end: z.number(),
  text: z.string(),
  url: z.string().nullable(),
});
export type Source = z.infer<typeof Source>;

/** A citation resolved by the server to a real cue: the moment to seek to and the words said there. */
export const Citation = z.object({
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

export const AskResponse = z.object({
  answer: z.string(),
  citations: z.array(Citation),
  sources: z.array(Source),
  mode: AnswerMode,
  /** Why the answer is extractive (no model configured, model failed…), or citations that were dropped. */
  notice: z.string().nullable(),
});
export type AskResponse = z.infer<typeof AskResponse>;

/** Server-sent events of a streamed answer, in order: sources, delta*, citations, done (or error). */
export const AskEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('sources'), data: z.object({ sources: z.array(Source), mode: AnswerMode }) }),
  z.object({ event: z.literal('delta'), data: z.object({ text: z.string() }) }),
  z.object({ event: z.literal('citations'), data: z.object({ citations: z.array(Citation), invalid: z.array(z.number()) }) }),
  z.object({ event: z.literal('done'), data: AskResponse }),
  z.object({ event: z.literal('error'), data: ErrorBody }),
]);
export type AskEvent = z.infer<typeof AskEvent>;
