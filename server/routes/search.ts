import { Router } from 'express';
import type { CoreDeps } from '../../core/deps.ts';
import { searchLibrary } from '../../core/search.ts';
import type { SearchResponse } from '../../core/contract/api.ts';
import { httpErrors } from '../errors.ts';

/** GET /api/search?q=…[&k&video&channel&from&to]: ranked moments. */
export function searchRoutes(deps: Pick<CoreDeps, 'store' | 'embedder'>): Router {
  const r = Router();
  r.get('/api/search', async (req, res) => {
    res.json({ results: await searchLibrary(deps, req.query) } satisfies SearchResponse);
  });
  r.use(httpErrors);
  return r;
}
