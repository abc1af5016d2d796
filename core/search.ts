/** Hybrid search over the library: the same validation and hits for every interface. */
import { SearchQuery, type Hit } from './contract/api.ts';
import { search } from './retrieval/search.ts';
import type { CoreDeps } from './deps.ts';
import { parseInput } from './errors.ts';

/** Validates `input` as a SearchQuery (`q`, `k`, filters) and returns the ranked moments. */
export async function searchLibrary(deps: Pick<CoreDeps, 'store' | 'embedder'>, input: unknown): Promise<Hit[]> {
  return search(deps, parseInput(SearchQuery, input));
}
