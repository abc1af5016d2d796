import { Router } from 'express';
import { searchLibrary } from '../../core/search.ts';
import type { SearchResponse } from '../contract/api.ts';
import type { SearchDeps } from '../retrieval/search.ts';

export function searchRoutes(deps: SearchDeps): Router {
  const r = Router();
  r.get('/api/search', async (req, res) => {
    const body: SearchResponse = { results: await searchLibrary(deps, req.query) };
    res.json(body);
  });
  return r;
}
