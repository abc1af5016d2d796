import { Router } from 'express';
import { ExportFormat, TopicRequest } from '../contract/api.ts';
import { topicToMarkdown } from '../summary/export.ts';
import type { SummaryDeps } from '../summary/episode.ts';
import { summarizeTopic } from '../summary/topic.ts';
import { parseWith } from '../validate.ts';

/** POST /api/topics[?format=md] {topic, channel?, from?, to?}: what the episodes say about a topic, by episode and over time. */
export function topicRoutes(deps: SummaryDeps): Router {
  const r = Router();
  r.post('/api/topics', async (req, res) => {
    const body = parseWith(TopicRequest, req.body ?? {});
    const controller = new AbortController();
    res.on('close', () => !res.writableEnded && controller.abort());
    const { format } = parseWith(ExportFormat, req.query);
    const topic = await summarizeTopic(deps, body, controller.signal);
    if (format === 'md') res.type('text/markdown').send(topicToMarkdown(topic));
    else res.json(topic);
  });
  return r;
}
