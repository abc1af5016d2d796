import { Router } from 'express';
import { getEpisode, listEpisodes, removeEpisodeLocked, subtitles } from '../../core/library.ts';
import { parseInput } from '../../core/errors.ts';
import type { Store } from '../../indexer/store/store.ts';
import { TranscriptFormat, VideoId, type VideoDetail, type VideoList } from '../../core/contract/api.ts';
import { httpErrors } from '../errors.ts';
import { requireAdmin } from './jobs.ts';

export interface VideoRouteDeps {
  store: Store;
  /** Takes the index's write lock (held by a running ingest job or a CLI `add`); without it removal is refused. */
  acquireLock?: () => () => void;
  adminToken?: string;
}

const MIME_TYPES = { srt: 'application/x-subrip', vtt: 'text/vtt' } as const;

/** The library: GET /api/videos, /api/videos/:id and its transcript file; DELETE /api/videos/:id (loopback or admin token). */
export function videoRoutes({ store, acquireLock, adminToken }: VideoRouteDeps): Router {
  const r = Router();
  r.get('/api/videos', (_req, res) => {
    res.json({ videos: listEpisodes(store) } satisfies VideoList);
  });
  r.get('/api/videos/:id', (req, res) => {
    res.json(getEpisode(store, req.params.id) satisfies VideoDetail);
  });
  r.delete('/api/videos/:id', requireAdmin(adminToken), (req, res) => {
    removeEpisodeLocked(store, req.params.id, acquireLock);
    res.status(204).end();
  });
  r.get('/api/videos/:id/transcript', (req, res) => {
    const id = parseInput(VideoId, req.params.id);
    const { format } = parseInput(TranscriptFormat, req.query);
    const file = subtitles(store, id, format);
    res.attachment(`${file.id}.${format}`);
    res.type(MIME_TYPES[format]).send(file.text);
  });
  r.use(httpErrors);
  return r;
}
