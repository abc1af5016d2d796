import { Router } from 'express';
import { basename } from 'node:path';
import type { VideoRow } from '../../indexer/store/db.ts';
import type { Store } from '../../indexer/store/store.ts';
import { toSeconds } from '../../indexer/time.ts';
import { TranscriptFormat, VideoId, type VideoDetail, type VideoSummary } from '../contract/api.ts';
import { toSrt, toVtt } from '../summary/export.ts';
import { AppError, notFound } from '../errors.ts';
import { thumbnailOf } from '../retrieval/links.ts';
import { parseWith } from '../validate.ts';
import { removeVideo } from '../../indexer/pipeline.ts';
import { lockConflict, requireAdmin } from './jobs.ts';

export interface VideoRouteDeps {
  store: Store;
  /** Takes the index's write lock (held by a running ingest job or a CLI `add`); without it removal is refused. */
  acquireLock?: () => () => void;
  adminToken?: string;
}

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
  };
}

export function videoRoutes({ store, acquireLock, adminToken }: VideoRouteDeps): Router {
  const r = Router();
  r.get('/api/videos', (_req, res) => {
    res.json({ videos: store.db.listVideos().map(toVideoSummary) });
  });
  r.get('/api/videos/:id', (req, res) => {
    const id = parseWith(VideoId, req.params.id);
    const v = store.db.getVideo(id);
    if (!v) throw notFound(`video "${id}"`);
    const body: VideoDetail = {
      ...toVideoSummary(v),
      description: v.description ?? null,
      chapters: (v.chapters ?? []).map((c) => ({ title: c.title, start: toSeconds(c.startMs) })),
      transcript: store.db.cues(id).map((c) => ({ start: toSeconds(c.startMs), end: toSeconds(c.endMs), text: c.text, speaker: c.speaker ?? null })),
    };
    res.json(body);
  });
  r.delete('/api/videos/:id', requireAdmin(adminToken), (req, res) => {
    const id = parseWith(VideoId, req.params.id);
    if (!store.db.getVideo(id)) throw notFound(`video "${id}"`);
    if (!acquireLock) throw new AppError('conflict', 409, 'this server cannot remove videos');
    let release: () => void;
    try {
      release = acquireLock();
    } catch (err) {
      lockConflict(err);
    }
    try {
      removeVideo(store, id);
    } finally {
      release();
    }
    res.status(204).end();
  });
  r.get('/api/videos/:id/transcript', (req, res) => {
    const id = parseWith(VideoId, req.params.id);
    const { format } = parseWith(TranscriptFormat, req.query);
    const v = store.db.getVideo(id);
    if (!v) throw notFound(`video "${id}"`);
    const cues = store.db.cues(id); // toSrt / toVtt clean them
    res.attachment(`${id}.${format}`);
    if (format === 'srt') res.type('application/x-subrip').send(toSrt(cues));
    else res.type('text/vtt').send(toVtt(cues, v.title));
  });
  return r;
}
