import { Router } from 'express';
import { getEpisode, listEpisodes, toVideoSummary } from '../../core/library.ts';
import type { Store } from '../../indexer/store/store.ts';
import { TranscriptFormat, VideoId, type VideoDetail } from '../contract/api.ts';
import { toSrt, toVtt } from '../summary/export.ts';
import { notFound } from '../errors.ts';
import { parseWith } from '../validate.ts';

// The mapper moved to the core; re-exported for the modules that still import it from here.
export { toVideoSummary };

export function videoRoutes(store: Store): Router {
  const r = Router();
  r.get('/api/videos', (_req, res) => {
    res.json({ videos: listEpisodes(store) });
  });
  r.get('/api/videos/:id', (req, res) => {
    const id = parseWith(VideoId, req.params.id);
    const body: VideoDetail = getEpisode(store, id);
    res.json(body);
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
