/**
 * A small bounded load generator for loopback HTTP benchmarks: `concurrency` loops send
 * requests until the duration or the request budget runs out, and latencies are summarised.
 */

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  /** Hard cap on requests, so a very fast server cannot turn a benchmark into a flood. */
  maxRequests: number;
}

export interface LoadResult {
  concurrency: number;
  requests: number;
  errors: number;
  /** The first few distinct error messages, so a failing run says why. */
  errorSamples: string[];
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of an ascending list (0 for an empty list). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Runs `send(i)` for request i = 0, 1, 2… from `concurrency` loops. A request that throws counts
 * as an error; its latency is still recorded, since a slow failure is still a slow answer.
 * `send` is the hook for other endpoints (e.g. time to the first SSE event of /api/ask).
 */
export async function runLoad(send: (i: number) => Promise<number | void>, o: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  const errorSamples = new Set<string>();
  const start = performance.now();
  const deadline = start + o.durationMs;
  const loop = async () => {
    while (performance.now() < deadline && issued < o.maxRequests) {
      const i = issued++;
      const t = performance.now();
      let measured: number | void = undefined;
      try {
        measured = await send(i);
      } catch (err) {
        errors++;
        if (errorSamples.size < 5) errorSamples.add(describe(err));
      }
      // `send` may report its own latency (e.g. time to the first event of a longer stream).
      latencies.push(typeof measured === 'number' ? measured : performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, loop));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    concurrency: o.concurrency,
    requests: latencies.length,
    errors,
    errorSamples: [...errorSamples],
    seconds: round(seconds),
    requestsPerSecond: round(latencies.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? 0),
  };
}

/** An error's message with its causes ("fetch failed" alone says nothing). */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e = err; e && parts.length < 4; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? `${e.message}${(e as { code?: string }).code ? ` (${(e as { code?: string }).code})` : ''}` : String(e));
  }
  return parts.join(': ');
}

/** GETs a URL and reads the whole body; throws on a non-2xx status. */
export async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${res.status} ${res.statusText} for ${url}`);
  return res.json();
}

/**
 * POSTs a question to /api/ask as a stream, reads it to the end, and returns the milliseconds
 * until the first SSE event (`sources`): the time a user waits before the cited sources appear.
 */
export async function firstAskEvent(base: string, question: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ question }),
  });
  if (!res.ok || !res.body) throw new Error(`${res.status} from /api/ask`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let first: number | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (first === undefined && text.includes('event: sources')) first = performance.now() - t0;
  }
  if (first === undefined || !text.includes('event: done')) throw new Error('stream ended without sources and done events');
  return first;
}
