import { Router } from 'express';
import { parseInput } from '../../core/errors.ts';
import { topicToMarkdown } from '../../core/export.ts';
import { topic } from '../../core/summaries.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { ExportFormat, TopicRequest } from '../../core/contract/api.ts';
import { httpErrors } from '../errors.ts';

/** POST /api/topics[?format=md] {topic, channel?, from?, to?}: what the episodes say about a topic, by episode and over time. */
export function topicRoutes(deps: CoreDeps): Router {
  const r = Router();
  r.post('/api/topics', async (req, res) => {
    const body = parseInput(TopicRequest, req.body ?? {});
    const controller = new AbortController();
    res.on('close', () => !res.writableEnded && controller.abort());
    const { format } = parseInput(ExportFormat, req.query);
    const result = await topic(deps, body, controller.signal);
    if (format === 'md') res.type('text/markdown').send(topicToMarkdown(result));
    else res.json(result);
  });
  r.use(httpErrors);
  return r;
}
