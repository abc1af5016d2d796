import type { VideoMeta } from '../../indexer/domain.ts';

/**
 * A link that opens the moment: YouTube `&t=` when the video is on YouTube; for an audio episode
 * (a feed's), Episodic's own episode page at the second, since its player seeks the audio there
 * (a path on this server); else the episode's page.
 */
export function deepLink(video: Pick<VideoMeta, 'id' | 'youtubeId' | 'url' | 'audioUrl'>, startMs: number): string | null {
  const seconds = Math.max(0, Math.floor(startMs / 1000));
  if (video.youtubeId) return `https://www.youtube.com/watch?v=${video.youtubeId}&t=${seconds}s`;
  if (video.audioUrl) return `/episode/${encodeURIComponent(video.id)}?t=${seconds}`;
  return video.url ?? null;
}

/** The episode's thumbnail, or YouTube's standard one for its id. */
export function thumbnailOf(video: Pick<VideoMeta, 'youtubeId' | 'thumbnail'>): string | null {
  if (video.thumbnail) return video.thumbnail;
  return video.youtubeId ? `https://i.ytimg.com/vi/${video.youtubeId}/hqdefault.jpg` : null;
}
