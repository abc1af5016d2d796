/**
 * Retry with exponential backoff and full jitter (AWS Architecture Blog, "Exponential Backoff
 * and Jitter"): attempt n waits a uniform random time in [0, min(cap, base·2ⁿ)). Only
 * TransientError is retried; anything else, including a blocked classification, propagates at once.
 */

export type TransientKind = 'rate_limited' | 'server' | 'network';

/** A failure worth retrying: HTTP 429, HTTP 5xx, or the request never got a response. */
export class TransientError extends Error {
  constructor(
    readonly kind: TransientKind,
    message: string,
    readonly options: { httpStatus?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'TransientError';
  }
}

export interface BackoffOptions {
  /** Total tries including the first. */
  maxAttempts: number;
  /** Upper bound of the first retry's wait. */
  baseDelayMs: number;
  /** No single wait exceeds this, whatever the attempt number. */
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), like Math.random; injected so tests get exact delays. */
  random: () => number;
  /** Called before each wait; for logging by the caller. */
  onRetry?: (info: { attempt: number; delayMs: number; error: TransientError }) => void;
}

export const BACKOFF_DEFAULTS = {
  // Four retries span roughly 1+2+4+8 s at most: enough for a brief 5xx blip, short enough that a
  // persistent 429 surfaces as "blocked" within ~15 s instead of hammering YouTube.
  maxAttempts: 5,
  baseDelayMs: 1000,
  // One wait never exceeds half a minute, even with a large Retry-After we choose to honour.
  maxDelayMs: 30_000,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
} satisfies BackoffOptions;

/**
 * The wait before retry number `retry` (0 for the first retry): full jitter over the capped
 * exponential, but never shorter than a server-sent Retry-After (itself capped at maxDelayMs).
 */
export function backoffDelayMs(retry: number, opts: BackoffOptions, retryAfterMs?: number): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** retry);
  const jittered = Math.floor(opts.random() * ceiling);
  return Math.min(opts.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/**
 * Runs `fn` until it succeeds, throws a non-transient error, or uses up maxAttempts.
 * @returns fn's result
 * @throws the non-transient error as is, or the last TransientError once attempts run out
 */
export async function withBackoff<T>(fn: (attempt: number) => Promise<T>, options: Partial<BackoffOptions> = {}): Promise<T> {
  // Keys present but undefined (an optional option passed through) must not erase a default.
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const opts: BackoffOptions = { ...BACKOFF_DEFAULTS, ...given };
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof TransientError) || attempt >= opts.maxAttempts) throw err;
      const delayMs = backoffDelayMs(attempt - 1, opts, err.options.retryAfterMs);
      opts.onRetry?.({ attempt, delayMs, error: err });
      await opts.sleep(delayMs);
    }
  }
}

/**
 * Parses an HTTP Retry-After header: delay-seconds or an HTTP date (relative to `nowMs`).
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
