/**
 * A plain list of the index's episodes and where each came from, kept beside the database for
 * one purpose: when the database is damaged beyond reading, `episodic repair` can still say
 * which episodes were lost and how to add each again. Derived from SQLite, written atomically.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VideoRow } from './db.ts';

export const EPISODE_LIST_FILE = 'episodes.json';

/** What is kept per episode: enough to name it and add it again. */
export interface ListedEpisode {
  id: string;
  title: string;
  status: string;
  /** The file path or URL it was added from. */
  source?: string;
  url?: string;
}

/** Pure: the list entries of stored videos. */
export function toListed(videos: readonly VideoRow[]): ListedEpisode[] {
  return videos.map((v) => ({ id: v.id, title: v.title, status: v.status, ...(v.source ? { source: v.source } : {}), ...(v.url ? { url: v.url } : {}) }));
}

/** Writes the list (temp file and rename, so a crash leaves the old list or the new one). */
export function writeEpisodeList(dir: string, episodes: readonly ListedEpisode[]): void {
  const file = join(dir, EPISODE_LIST_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ note: 'Written by Episodic beside episodic.sqlite so `episodic repair` can list what a damaged index held. Not read otherwise.', episodes }, null, 1)}\n`);
  renameSync(tmp, file);
}

/** The list as last written; empty when there is none or it cannot be read. */
export function readEpisodeList(dir: string): ListedEpisode[] {
  const file = join(dir, EPISODE_LIST_FILE);
  if (!existsSync(file)) return [];
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { episodes?: unknown };
    return Array.isArray(data.episodes) ? (data.episodes as ListedEpisode[]).filter((e) => e && typeof e.id === 'string') : [];
  } catch {
    return [];
  }
}
