import { Router } from 'express';
import { getEpisode, listEpisodes, removeEpisode } from '../../core/library.ts';
import type { Store } from '../../indexer/store/store.ts';
import { TranscriptFormat, VideoId, type VideoDetail } from '../contract/api.ts';
import { toSrt, toVtt } from '../summary/export.ts';
import { AppError, notFound } from '../errors.ts';
import { parseWith } from '../validate.ts';
import { lockConflict, requireAdmin } from './jobs.ts';

export interface VideoRouteDeps {
  store: Store;
  /** Takes the index's write lock (held by a running ingest job or a CLI `add`); without it removal is refused. */
  acquireLock?: () => () => void;
  adminToken?: string;
}

export function videoRoutes({ store, acquireLock, adminToken }: VideoRouteDeps): Router {
  const r = Router();
  r.get('/api/videos', (_req, res) => {
    res.json({ videos: listEpisodes(store) });
  });
  r.get('/api/videos/:id', (req, res) => {
    const id = parseWith(VideoId, req.params.id);
    const body: VideoDetail = getEpisode(store, id);
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
      removeEpisode(store, id);
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
