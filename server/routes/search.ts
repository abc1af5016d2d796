import { Router } from 'express';
import { SearchQuery, type SearchResponse } from '../contract/api.ts';
import { search, type SearchDeps } from '../retrieval/search.ts';
import { parseWith } from '../validate.ts';

export function searchRoutes(deps: SearchDeps): Router {
  const r = Router();
  r.get('/api/search', async (req, res) => {
    const params = parseWith(SearchQuery, req.query);
    const body: SearchResponse = { results: await search(deps, params) };
    res.json(body);
  });
  return r;
}
