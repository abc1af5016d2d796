/**
 * The podcast feed side of the ingest queue: a feed job lists the feed's episodes (newest
 * first, as feeds order them) and fetches each one's transcript; the runner in
 * youtube-ingest.ts does the rest, exactly as for a YouTube channel.
 */
import { FEED_FORMAT, type FeedSource } from './sources/feed.ts';
import type { YouTubeError } from './sources/youtube-errors.ts';
import type { QueueSource } from './youtube-ingest.ts';

export function feedQueue(feeds: FeedSource, feedUrl: string): QueueSource {
  return {
    async *list() {
      const feed = await feeds.feed(feedUrl);
      for (const e of feed.episodes) yield { videoId: e.id, title: e.title };
    },
    follow: 'feed',
    async fetch(item) {
      const episode = await feeds.getEpisode(feedUrl, item.videoId);
      return { ...episode, source: feedUrl, format: FEED_FORMAT };
    },
    // Episode ids are derived from the feed, so nothing else can have indexed them.
    skip: () => undefined,
    placeholder: (item) => ({ id: item.videoId, title: item.title ?? `Episode ${item.videoId}` }),
    blockedMessage: (err: YouTubeError, hint: string) =>
      `paused: ${err.message}. The podcast host is rate-limiting these requests: wait before resuming. ${hint}`,
  };
}
