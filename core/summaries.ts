/** Episode and topic summaries, every point cited; episode summaries are cached in the index. */
import { TopicRequest, VideoId, type EpisodeSummary, type TopicSummary } from './contract/api.ts';
import { summarizeEpisode, type SummaryOptions } from './summary/episode.ts';
import { summarizeTopic } from './summary/topic.ts';
import type { CoreDeps } from './deps.ts';
import { parseInput } from './errors.ts';

/** The cited summary of one indexed episode: `not_found` for an unknown id, `conflict` when it has no transcript. */
export async function summarize(deps: CoreDeps, videoId: unknown, options: Omit<SummaryOptions, 'partMs'> = {}): Promise<EpisodeSummary> {
  return summarizeEpisode(deps, parseInput(VideoId, videoId), options);
}

/** What the episodes say about a topic (`topic`, optional `channel`, `from`, `to`), by episode and over time. */
export async function topic(deps: CoreDeps, input: unknown, signal?: AbortSignal): Promise<TopicSummary> {
  return summarizeTopic(deps, parseInput(TopicRequest, input), signal);
}
