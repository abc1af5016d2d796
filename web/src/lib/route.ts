import type { Filters } from './api/client.ts';

/** Every screen, as carried by the URL (so answers are shareable and Back works). */
export type Route =
  | { view: 'ask'; q: string; filters: Filters; thread?: string[] }
  | { view: 'episode'; id: string; t: number | null; q: string; filters: Filters; thread?: string[] }
  | { view: 'library'; filter: string; sort?: LibrarySort; group?: boolean }
  | { view: 'topic'; q: string; filters: TopicFilters }
  | { view: 'missing'; path: string };

/** How the library lists episodes (`sort=` in the URL; `group=channel` groups them by show). */
export const LIBRARY_SORTS = ['date', 'title', 'duration', 'status'] as const;
export type LibrarySort = (typeof LIBRARY_SORTS)[number];

/** A topic spans episodes, so it takes every filter but the episode one. */
export type TopicFilters = Omit<Filters, 'video'>;

/**
 * The earlier questions of a conversation ride in the URL as repeated `h` parameters (oldest
 * first), so a reload or a shared link brings the whole thread back. At most this many: the
 * server takes 20 history messages, a question and an answer each.
 */
export const MAX_THREAD = 10;
const THREAD_KEY = 'h';

function readThread(params: URLSearchParams): string[] {
  return params
    .getAll(THREAD_KEY)
    .map((q) => q.trim())
    .filter(Boolean)
    .slice(-MAX_THREAD);
}

const FILTER_KEYS = ['channel', 'from', 'to', 'video'] as const;
const TOPIC_FILTER_KEYS = ['channel', 'from', 'to'] as const;

function readFilters(params: URLSearchParams, keys: readonly (keyof Filters)[] = FILTER_KEYS): Filters {
  const f: Filters = {};
  for (const key of keys) {
    const v = params.get(key)?.trim();
    if (v) f[key] = v;
  }
  return f;
}

function readSeconds(value: string | null): number | null {
  if (value == null || value === '') return null;
  // Accept `90`, `90.5` and YouTube's `90s` / `1m30s` / `1h2m3s`.
  const plain = Number(value.replace(/s$/, ''));
  if (Number.isFinite(plain) && plain >= 0) return plain;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!m || !value) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Reads a route from a location's path and query string. */
export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { view: 'ask', q: params.get('q') ?? '', filters: readFilters(params), thread: readThread(params) };
  if (path === '/library') {
    const sort = LIBRARY_SORTS.find((s) => s === params.get('sort')) ?? 'date';
    return { view: 'library', filter: params.get('filter') ?? '', sort, group: params.get('group') === 'channel' };
  }
  if (path === '/topic') return { view: 'topic', q: params.get('q') ?? '', filters: readFilters(params, TOPIC_FILTER_KEYS) };
  const m = /^\/episode\/([^/]+)$/.exec(path);
  if (m) {
    let id: string;
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      return { view: 'missing', path };
    }
    const q = params.get('q') ?? '';
    return { view: 'episode', id, t: readSeconds(params.get('t')), q, filters: readFilters(params), thread: q ? readThread(params) : [] };
  }
  return { view: 'missing', path };
}

function withQuery(path: string, params: Record<string, string | number | null | undefined>, thread: readonly string[] = []): string {
  const usp = new URLSearchParams();
  for (const q of thread.slice(-MAX_THREAD)) if (q.trim()) usp.append(THREAD_KEY, q.trim());
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') usp.set(k, String(v));
  const s = usp.toString();
  return s ? `${path}?${s}` : path;
}

/** The URL of a route; `parseRoute(routeHref(r))` gives `r` back. */
export function routeHref(route: Route): string {
  switch (route.view) {
    case 'ask':
      return withQuery('/', { q: route.q, ...route.filters }, route.q ? route.thread : []);
    case 'library':
      return withQuery('/library', { filter: route.filter, sort: route.sort === 'date' ? null : route.sort, group: route.group ? 'channel' : null });
    case 'topic':
      return withQuery('/topic', { q: route.q, ...route.filters });
    case 'episode':
      return withQuery(`/episode/${encodeURIComponent(route.id)}`, {
        t: route.t == null ? null : Math.round(route.t * 1000) / 1000,
        q: route.q,
        ...route.filters,
      }, route.q ? route.thread : []);
    case 'missing':
      return route.path;
  }
}

/** Link to an episode at a moment, keeping the question so the answer stays beside it. */
export function episodeHref(id: string, t: number | null, q = '', filters: Filters = {}): string {
  return routeHref({ view: 'episode', id, t, q, filters });
}

/**
 * `next` with the conversation of `current` carried over: a link that keeps the question on screen
 * (a citation, "Back to the answer") keeps the earlier questions it follows, so a reload there
 * still has the whole thread. Links that name their own thread, or another question, are left alone.
 */
export function carryThread(current: URL, next: URL): URL {
  const thread = current.searchParams.getAll(THREAD_KEY);
  const q = current.searchParams.get('q');
  if (!thread.length || !q || next.searchParams.get('q') !== q || next.searchParams.has(THREAD_KEY)) return next;
  const out = new URL(next);
  const params = new URLSearchParams();
  for (const h of thread) params.append(THREAD_KEY, h);
  for (const [k, v] of next.searchParams) params.append(k, v);
  out.search = params.toString();
  return out;
}
