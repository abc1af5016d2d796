import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';

/** The window EPISODIC_RATE_LIMIT counts over: "requests per minute" is easy to reason about. */
const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * Limits one client (by socket address; proxies are not trusted) to `perMinute` requests per
 * minute on the endpoint it guards; more get 429 `{error}` with a Retry-After header.
 */
export function rateLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: RATE_LIMIT_WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Proxy headers are deliberately ignored (trust proxy is off); no need to warn about them.
    validate: { xForwardedForHeader: false },
    handler: (_req, res) => {
      res.status(429).json({ error: `too many requests: at most ${perMinute} per minute on this endpoint; try again shortly` });
    },
  });
}
