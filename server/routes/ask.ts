import { Router } from 'express';
import { AskRequest, ExportFormat } from '../contract/api.ts';
import { answerToMarkdown } from '../summary/export.ts';
import { answerQuestion, type AskDeps } from '../answer/ask.ts';
import { streamSse } from '../sse.ts';
import { parseWith } from '../validate.ts';

export function askRoutes(deps: AskDeps): Router {
  const r = Router();
  r.post('/api/ask', async (req, res) => {
    const body = parseWith(AskRequest, req.body ?? {});
    if (req.accepts(['application/json', 'text/event-stream']) === 'text/event-stream') {
      await streamSse(res, (stream) => answerQuestion(deps, body, (e) => stream.send(e.event, e.data), stream.signal).then(() => undefined));
      return;
    }
    const controller = new AbortController();
    res.on('close', () => !res.writableEnded && controller.abort());
    const { format } = parseWith(ExportFormat, req.query);
    let answer;
    try {
      answer = await answerQuestion(deps, body, () => {}, controller.signal);
    } catch (err) {
      if (controller.signal.aborted) return; // the client left; nobody to answer
      throw err;
    }
    if (format === 'md') res.type('text/markdown').send(answerToMarkdown(body.question, answer));
    else res.json(answer);
  });
  return r;
}
