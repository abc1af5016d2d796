import { Router } from 'express';
import { parseInput } from '../../core/errors.ts';
import { summaryToMarkdown } from '../../core/export.ts';
import { summarize } from '../../core/summaries.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { ExportFormat, SummaryQuery, VideoId } from '../../core/contract/api.ts';
import { httpErrors } from '../errors.ts';

/** GET /api/videos/:id/summary[?refresh=1][&format=md]: the cited episode summary (cached per transcript, model and prompt). */
export function summaryRoutes(deps: CoreDeps): Router {
  const r = Router();
  r.get('/api/videos/:id/summary', async (req, res) => {
    const id = parseInput(VideoId, req.params.id);
    const query = parseInput(SummaryQuery, req.query);
    const controller = new AbortController();
    res.on('close', () => !res.writableEnded && controller.abort());
    const { format } = parseInput(ExportFormat, req.query);
    const summary = await summarize(deps, id, { refresh: query.refresh, signal: controller.signal });
    if (format === 'md') res.type('text/markdown').send(summaryToMarkdown(summary));
    else res.json(summary);
  });
  r.use(httpErrors);
  return r;
}
