import { Router } from 'express';
import { TopicRequest } from '../contract/api.ts';
import type { SummaryDeps } from '../summary/episode.ts';
import { summarizeTopic } from '../summary/topic.ts';
import { parseWith } from '../validate.ts';

/** POST /api/topics {topic, channel?, from?, to?}: what the episodes say about a topic, by episode and over time. */
export function topicRoutes(deps: SummaryDeps): Router {
  const r = Router();
  r.post('/api/topics', async (req, res) => {
    const body = parseWith(TopicRequest, req.body ?? {});
    const controller = new AbortController();
    res.on('close', () => !res.writableEnded && controller.abort());
    res.json(await summarizeTopic(deps, body, controller.signal));
  });
  return r;
}
