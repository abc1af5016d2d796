import type { RequestHandler } from 'express';

/** How long a browser may cache a preflight answer, in seconds: short, so config changes apply soon. */
const CORS_MAX_AGE_S = 600;

const ALLOWED_METHODS = 'GET, POST';
const ALLOWED_HEADERS = 'Content-Type, Authorization, Accept';

/**
 * Cross-origin access for the browser origins in `allowed` (exact `scheme://host[:port]`),
 * none by default. Allowed origins may read responses; other origins get no CORS headers and
 * their preflights a 403. Mutations still need loopback or the admin token (routes/jobs.ts).
 */
export function cors(allowed: readonly string[]): RequestHandler {
  const origins = new Set(allowed);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined) return next();
    res.vary('Origin');
    const ok = origins.has(origin);
    const preflight = req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
    if (ok) res.set('Access-Control-Allow-Origin', origin);
    if (!preflight) return next();
    if (!ok) {
      res.status(403).json({ error: 'cross-origin requests from this origin are not allowed (see EPISODIC_CORS_ORIGINS)' });
      return;
    }
    res
      .status(204)
      .set({
        'Access-Control-Allow-Methods': ALLOWED_METHODS,
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': String(CORS_MAX_AGE_S),
      })
      .end();
  };
}
