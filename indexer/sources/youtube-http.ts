/**
 * The one fetch every YouTube request goes through, youtubei.js's included. It turns HTTP-level
 * trouble into our statuses before youtubei.js sees a response: 429/5xx/network errors are
 * retried with backoff, consent and captcha walls become YouTubeBlockedError, other non-2xx
 * responses become YouTubeError('error'). youtubei.js's HTTPClient does not catch, so these
 * errors reach our callers unchanged.
 */
import { BACKOFF_DEFAULTS, TransientError, parseRetryAfter, withBackoff, type BackoffOptions } from './backoff.ts';
import { YouTubeBlockedError, YouTubeError, classifyHtmlWall } from './youtube-errors.ts';

/** A request hung this long is abandoned and retried like a network error. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface GuardedFetchDeps {
  fetch: typeof fetch;
  backoff: Partial<BackoffOptions>;
  now: () => number;
}

/** Wraps `deps.fetch` with classification and retries; same signature as fetch. */
export function guardedFetch(deps: GuardedFetchDeps): typeof fetch {
  const maxAttempts = deps.backoff.maxAttempts ?? BACKOFF_DEFAULTS.maxAttempts;
  return async (input, init) => {
    const label = describe(input);
    try {
      return await withBackoff(() => fetchOnce(deps, input, init, label), deps.backoff);
    } catch (err) {
      if (!(err instanceof TransientError)) throw err;
      const tries = ` after ${maxAttempts} attempts`;
      const httpStatus = err.options.httpStatus;
      // Rate limiting that survives the retries is YouTube throttling this IP: pause, don't hammer.
      if (err.kind === 'rate_limited') throw new YouTubeBlockedError(`${err.message}${tries}`, { cause: err, httpStatus });
      throw new YouTubeError('error', `${err.message}${tries}`, { cause: err, httpStatus });
    }
  };
}

async function fetchOnce(deps: GuardedFetchDeps, input: RequestInfo | URL, init: RequestInit | undefined, label: string): Promise<Response> {
  let res: Response;
  try {
    res = await deps.fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    if (err instanceof YouTubeError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new TransientError('network', `network error on ${label}: ${message}`, { cause: err });
  }
  if (res.url && new URL(res.url).hostname === 'consent.youtube.com') {
    throw new YouTubeBlockedError(`${label} redirected to the consent wall; pass cookies from a browser that accepted it`);
  }
  if (res.status === 429) {
    await res.body?.cancel();
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), deps.now());
    throw new TransientError('rate_limited', `HTTP 429 from ${label}`, { httpStatus: 429, retryAfterMs });
  }
  if (res.status >= 500) {
    await res.body?.cancel();
    throw new TransientError('server', `HTTP ${res.status} from ${label}`, { httpStatus: res.status });
  }
  const isHtml = (res.headers.get('content-type') ?? '').includes('text/html');
  if (res.ok && !isHtml) return res;
  // Walls arrive as HTML, sometimes with status 200; read the body once and hand on a copy.
  const body = await res.text();
  const wall = classifyHtmlWall(body);
  if (wall) throw wall;
  if (!res.ok) throw new YouTubeError('error', `HTTP ${res.status} from ${label}${apiMessage(body)}`, { httpStatus: res.status });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** The path of a request, for messages; query strings carry signatures and are left out. */
function describe(input: RequestInfo | URL): string {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(href).pathname;
  } catch {
    return href.slice(0, 100);
  }
}

/** InnerTube errors come as {"error":{"message":…}}; surface that message. */
function apiMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' ? `: ${message}` : '';
  } catch {
    return '';
  }
}
