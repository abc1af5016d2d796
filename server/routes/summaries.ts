import { Router } from 'express';
import { ExportFormat, SummaryQuery, VideoId } from '../contract/api.ts';
import { summaryToMarkdown } from '../summary/export.ts';
import { summarizeEpisode, type SummaryDeps } from '../summary/episode.ts';
import { parseWith } from '../validate.ts';

/** GET /api/videos/:id/summary[?refresh=1][&format=md]: the cited episode summary (cached per transcript, model and prompt). */
export function summaryRoutes(deps: SummaryDeps): Router {
  const r = Router();
  r.get('/api/videos/:id/summary', async (req, res) => {
    const id = parseWith(VideoId, req.params.id);
    const query = parseWith(SummaryQuery, req.query);
    const controller = new AbortController();
    res.on('close', () => !res.writableEnded && controller.abort());
    const { format } = parseWith(ExportFormat, req.query);
    const summary = await summarizeEpisode(deps, id, { refresh: query.refresh, signal: controller.signal });
    if (format === 'md') res.type('text/markdown').send(summaryToMarkdown(summary));
    else res.json(summary);
  });
  return r;
}
