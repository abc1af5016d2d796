import type { EpisodeSummary, TopicRequest, TopicSummary } from '../../../../core/contract/api.ts';
import { getJson, postJson } from './client.ts';

/** The cited summary of one episode (`refresh` regenerates it instead of using the server's cache). */
export const getSummary = (id: string, { refresh = false } = {}, signal?: AbortSignal) =>
  getJson<EpisodeSummary>(`/api/videos/${encodeURIComponent(id)}/summary${refresh ? '?refresh=1' : ''}`, signal);

/** What the episodes say about a topic: per episode, over time, and (with a model) a synthesis. */
export const summarizeTopic = (body: TopicRequest, signal?: AbortSignal) => postJson<TopicSummary>('/api/topics', body, signal);

/** Download links the server offers for an episode: its summary as Markdown, its transcript as subtitles. */
export const summaryMarkdownHref = (id: string) => `/api/videos/${encodeURIComponent(id)}/summary?format=md`;
export const transcriptHref = (id: string, format: 'vtt' | 'srt') => `/api/videos/${encodeURIComponent(id)}/transcript?format=${format}`;
