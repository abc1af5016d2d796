import { Router } from 'express';
import { ask } from '../../core/ask.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { parseInput } from '../../core/errors.ts';
import { answerToMarkdown } from '../../core/export.ts';
import { AskRequest, ExportFormat } from '../../core/contract/api.ts';
import { httpErrors } from '../errors.ts';
import { streamSse } from '../sse.ts';

/** POST /api/ask[?format=md]: a cited answer, as JSON, Markdown or (Accept: text/event-stream) a stream of events. */
export function askRoutes(deps: CoreDeps): Router {
  const r = Router();
  r.post('/api/ask', async (req, res) => {
    // Validated before choosing the response: a bad request is a 400, not an error event.
    const body = parseInput(AskRequest, req.body ?? {});
    if (req.accepts(['application/json', 'text/event-stream']) === 'text/event-stream') {
      await streamSse(res, (stream) => ask(deps, body, { onEvent: (e) => stream.send(e.event, e.data), signal: stream.signal }).then(() => undefined));
      return;
    }
    const controller = new AbortController();
    res.on('close', () => !res.writableEnded && controller.abort());
    const { format } = parseInput(ExportFormat, req.query);
    let answer;
    try {
      answer = await ask(deps, body, { signal: controller.signal });
    } catch (err) {
      if (controller.signal.aborted) return; // the client left; nobody to answer
      throw err;
    }
    if (format === 'md') res.type('text/markdown').send(answerToMarkdown(body.question, answer));
    else res.json(answer);
  });
  r.use(httpErrors);
  return r;
}
