import { describe, expect, it } from 'vitest';
import { TransientError, backoffDelayMs, parseRetryAfter, withBackoff, BACKOFF_DEFAULTS } from '../../indexer/sources/backoff.ts';
import { YouTubeBlockedError } from '../../indexer/sources/youtube-errors.ts';
import { recordingSleep } from './seam.ts';

/** A fixed sequence of "random" numbers so every delay is known in advance. */
const randoms = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('backoffDelayMs (full jitter)', () => {
  const opts = { ...BACKOFF_DEFAULTS, baseDelayMs: 1000, maxDelayMs: 5000 };
  it('draws uniformly under a doubling, capped ceiling', () => {
    expect(backoffDelayMs(0, { ...opts, random: () => 0.5 })).toBe(500); // ceiling 1000
    expect(backoffDelayMs(1, { ...opts, random: () => 0.5 })).toBe(1000); // ceiling 2000
    expect(backoffDelayMs(2, { ...opts, random: () => 0.999 })).toBe(3996); // ceiling 4000
    expect(backoffDelayMs(3, { ...opts, random: () => 0.999 })).toBe(4995); // ceiling capped at 5000
    expect(backoffDelayMs(30, { ...opts, random: () => 0 })).toBe(0); // full jitter can be zero
  });
  it('waits at least a Retry-After, but never beyond the cap', () => {
    expect(backoffDelayMs(0, { ...opts, random: () => 0.1 }, 3000)).toBe(3000);
    expect(backoffDelayMs(0, { ...opts, random: () => 0.1 }, 60_000)).toBe(5000);
  });
});

describe('withBackoff', () => {
  it('retries transient failures with the expected waits, then returns the result', async () => {
    const { waits, sleep } = recordingSleep();
    const kinds = ['network', 'server', 'rate_limited'] as const;
    let calls = 0;
    const result = await withBackoff(
      async (attempt) => {
        calls++;
        if (attempt <= 3) throw new TransientError(kinds[attempt - 1]!, `failure ${attempt}`);
        return 'ok';
      },
      { sleep, random: randoms(0.5, 0.25, 0.75), baseDelayMs: 1000, maxDelayMs: 30_000, maxAttempts: 5 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(waits).toEqual([500, 500, 3000]); // 0.5·1000, 0.25·2000, 0.75·4000
  });

  it('gives up after maxAttempts and rethrows the last transient error', async () => {
    const { waits, sleep } = recordingSleep();
    let calls = 0;
    const run = withBackoff(
      async () => {
        calls++;
        throw new TransientError('server', `HTTP 503 #${calls}`, { httpStatus: 503 });
      },
      { sleep, random: () => 1 - Number.EPSILON, baseDelayMs: 100, maxDelayMs: 250, maxAttempts: 3 },
    );
    await expect(run).rejects.toThrow('HTTP 503 #3');
    expect(calls).toBe(3);
    expect(waits).toEqual([99, 199]);
  });

  it('never retries a block: it must pause the queue, not hammer YouTube', async () => {
    const { waits, sleep } = recordingSleep();
    let calls = 0;
    const run = withBackoff(
      async () => {
        calls++;
        throw new YouTubeBlockedError('Sign in to confirm you’re not a bot');
      },
      { sleep, random: () => 0.5 },
    );
    await expect(run).rejects.toBeInstanceOf(YouTubeBlockedError);
    expect(calls).toBe(1);
    expect(waits).toEqual([]);
  });

  it('does not retry ordinary errors, and lets undefined options keep their defaults', async () => {
    const { waits, sleep } = recordingSleep();
    await expect(withBackoff(async () => Promise.reject(new TypeError('bug')), { sleep, random: undefined })).rejects.toThrow('bug');
    expect(waits).toEqual([]);
  });

  it('honours a Retry-After from the error', async () => {
    const { waits, sleep } = recordingSleep();
    let calls = 0;
    await withBackoff(
      async () => {
        if (calls++ === 0) throw new TransientError('rate_limited', '429', { retryAfterMs: 2000 });
        return true;
      },
      { sleep, random: () => 0.1 },
    );
    expect(waits).toEqual([2000]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  it('reads seconds and HTTP dates, and ignores junk', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
