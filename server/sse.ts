import type { Response } from 'express';

/** Comment lines keep proxies and browsers from timing out an idle stream. */
export const HEARTBEAT_MS = 15_000;

/** Frames one SSE event. Data is JSON; multi-line payloads become several `data:` lines. */
export function frameEvent(event: string, data: unknown): string {
  if (/[\r\n]/.test(event)) throw new Error('SSE event names cannot contain line breaks');
  const payload = JSON.stringify(data)
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join('\n');
  return `event: ${event}\n${payload}\n\n`;
}

export interface SseStream {
  send(event: string, data: unknown): void;
  /** Fires when the client disconnects, to cancel upstream work (the LLM call). */
  signal: AbortSignal;
}

/**
 * The one SSE helper: headers, heartbeat, framing, an `error` event on failure, close in
 * `finally`, abort on client disconnect.
 */
export async function streamSse(res: Response, work: (stream: SseStream) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const onClose = () => {
    if (!res.writableEnded) controller.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const stream: SseStream = {
    send: (event, data) => {
      if (!controller.signal.aborted) res.write(frameEvent(event, data));
    },
    signal: controller.signal,
  };
  try {
    await work(stream);
  } catch (err) {
    if (!controller.signal.aborted) {
      const message = err instanceof Error && 'status' in err && typeof err.status === 'number' && err.status < 500 ? err.message : 'internal error';
      if (message === 'internal error') console.error('[episodic] stream failed:', err);
      stream.send('error', { error: message });
    }
  } finally {
    clearInterval(heartbeat);
    res.off('close', onClose);
    res.end();
  }
}
