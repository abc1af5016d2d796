import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A real OpenAI-compatible HTTP server for tests (the LLM is an outside service): it speaks the
 * chat/completions wire format, streaming `chat.completion.chunk` events and `[DONE]`.
 */
export interface Script {
  /** Answer text, streamed as these chunks. */
  chunks?: string[];
  /** HTTP error status to answer with instead (e.g. 429, 500). */
  status?: number;
  /** The error message sent with `status` (some endpoints echo the API key in theirs). */
  errorMessage?: string;
  /** Wait this long before each chunk. */
  delayMs?: number;
  /** Send a broken event after this many chunks and close. */
  malformedAfter?: number;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Builds the chunks from the request (e.g. to quote the prompt's sources). */
  respond?: (body: LlmServer['requests'][number]['body']) => string[];
}

export interface LlmServer {
  url: string;
  requests: { body: { messages: { role: string; content: string }[]; stream?: boolean; model: string }; authorization?: string }[];
  /** Requests whose client went away before the stream finished. */
  aborted: number;
  /** Scripts used in order; the last one repeats. */
  script(...scripts: Script[]): void;
  close(): Promise<void>;
}

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 0, model: 'test-model', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const c of req) body += c;
  return body;
}

export async function startLlmServer(): Promise<LlmServer> {
  let scripts: Script[] = [{ chunks: ['ok'] }];
  let calls = 0;
  const state: LlmServer = {
    url: '',
    requests: [],
    aborted: 0,
    script: (...s) => {
      scripts = s;
      calls = 0;
    },
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const server: Server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req));
    state.requests.push({ body, authorization: req.headers.authorization });
    const s = scripts[Math.min(calls++, scripts.length - 1)];
    if (s.hang) return;
    if (s.status) {
      res.writeHead(s.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: s.errorMessage ?? `scripted ${s.status}`, type: 'test' } }));
      return;
    }
    const text = s.respond ? s.respond(body) : (s.chunks ?? []);
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: text.join('') }, finish_reason: 'stop' }] }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let finished = false;
    res.on('close', () => {
      if (!finished) state.aborted++;
    });
    for (const [i, c] of text.entries()) {
      if (s.delayMs) await sleep(s.delayMs);
      if (res.destroyed) return;
      if (s.malformedAfter !== undefined && i === s.malformedAfter) {
        res.write('data: {"choices": [\n\n');
        finished = true;
        res.destroy();
        return;
      }
      res.write(chunk(c));
    }
    res.write('data: [DONE]\n\n');
    finished = true;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  state.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v1`;
  return state;
}
