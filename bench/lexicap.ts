/**
 * Lexicap in benchmarks: indexing episodes as `episodic add --manifest` does, and a stand-in for
 * YouTube in soak runs (YouTube cannot be reached here): a "playlist" of Lex Fridman episodes whose captions are the Lexicap Whisper transcripts and whose metadata is the
 * real YouTube id, title and date from episodes_metadata.csv. Each video arrives after a delay
 * like a network round trip. Everything after the source (job queue, segmenting, embedding,
 * writing) is the server's real code.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseVtt } from '../indexer/parse/vtt.ts';
import { EmbedderPool } from '../indexer/embed/pool.ts';
import { ingestFiles } from '../indexer/ingest.ts';
import { buildManifest, parseCsv } from '../indexer/sources/manifest.ts';
import { Store } from '../indexer/store/store.ts';
import type { YouTubeSource, YouTubeVideo } from '../indexer/sources/youtube.ts';
import { YouTubeError } from '../indexer/sources/youtube-errors.ts';

export const LEXICAP = new URL('../../shared/data/lexicap/', import.meta.url).pathname;

/** Lexicap's metadata as an `add --manifest` manifest: real titles, YouTube ids and dates by episode number. */
export function lexicapManifest() {
  return buildManifest(parseCsv(readFileSync(join(LEXICAP, 'episodes_metadata.csv'), 'utf8')), {});
}

/** Indexes `files` into `dir` with their real titles, ids and dates, on `workers` USE-lite threads. */
export async function indexLexicap(dir: string, files: string[], workers: number): Promise<{ segments: number; seconds: number }> {
  const t0 = performance.now();
  const pool = await EmbedderPool.start({ kind: 'use-lite' }, workers);
  const store = Store.open(dir);
  try {
    const summary = await ingestFiles({ store, embedder: pool }, files, { manifest: lexicapManifest(), channel: 'Lex Fridman Podcast' });
    if (summary.failed.length > 0) throw new Error(`could not index ${summary.failed.map((f) => f.file).join(', ')}`);
    return { segments: store.db.stats().segments, seconds: (performance.now() - t0) / 1000 };
  } finally {
    store.close();
    await pool.close();
  }
}

export interface LexicapEpisode {
  file: string;
  youtubeId: string;
  title: string;
  publishedAt?: string;
}

/** The episodes behind `files` (Lexicap file names carry the episode number), with their YouTube metadata. */
export function lexicapEpisodes(files: string[]): LexicapEpisode[] {
  const rows = parseCsv(readFileSync(join(LEXICAP, 'episodes_metadata.csv'), 'utf8'));
  const byNumber = new Map(rows.map((r) => [Number(r.episode_number), r]));
  return files.map((file) => {
    const n = Number(/episode_(\d+)/.exec(basename(file))?.[1]);
    const row = byNumber.get(n);
    if (!row?.video_id) throw new Error(`no YouTube metadata for ${file}`);
    return { file, youtubeId: row.video_id, title: row.title, publishedAt: row.publish_date?.slice(0, 10) || undefined };
  });
}

/** A YouTube source whose every playlist lists `episodes` and whose videos are their transcripts. */
export function lexicapYouTube(episodes: LexicapEpisode[], latencyMs = 300): YouTubeSource {
  const byId = new Map(episodes.map((e) => [e.youtubeId, e]));
  const delay = () => new Promise((r) => setTimeout(r, latencyMs));
  return {
    async *listVideos() {
      await delay();
      for (const e of episodes) yield { id: e.youtubeId, title: e.title };
    },
    async getVideo(id: string): Promise<YouTubeVideo> {
      await delay();
      const e = byId.get(id);
      if (!e) throw new YouTubeError('unavailable', `Video unavailable: ${id}`);
      const { cues } = parseVtt(readFileSync(e.file, 'utf8'), e.file);
      return {
        meta: {
          id,
          youtubeId: id,
          url: `https://www.youtube.com/watch?v=${id}`,
          title: e.title,
          channel: 'Lex Fridman',
          publishedAt: e.publishedAt,
          durationMs: cues.at(-1)?.endMs,
          chapters: [],
        },
        track: { lang: 'en', kind: 'asr' },
        cues,
        via: 'timedtext',
      };
    },
  };
}
