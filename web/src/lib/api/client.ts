import type {
  AskEvent,
  AskRequest,
  Filters,
  Health,
  SearchResponse,
  VideoDetail,
  VideoList,
} from '../../../../core/contract/api.ts';
import { readSse } from './sse.ts';

/** An API failure with the server's `{error}` message (status 0: the server could not be reached). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isAbort = (err: unknown): boolean => (err as Error)?.name === 'AbortError';

/** Search filters as they appear in the URL and in /api/search, /api/ask and (but for `video`) /api/topics. */
export type { Filters };

/** Fetches an API path; a non-2xx answer becomes an `ApiError` with the server's message. */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, 'Cannot reach the Episodic server. Check that it is running, then try again.');
  }
  if (!res.ok) throw new ApiError(res.status, await errorMessage(res));
  return res;
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown };
    if (typeof body.error === 'string' && body.error) return body.error;
  } catch {
    // not JSON: fall through to the status line
  }
  return `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`;
}

async function readJson<T>(res: Response): Promise<T> {
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(res.status, 'The server sent a response that is not JSON.');
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return readJson<T>(await request(path, { signal, headers: { Accept: 'application/json' } }));
}

/** POSTs a JSON body and reads the JSON reply. */
export async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method: 'POST', signal, headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) };
  return readJson<T>(await request(path, init));
}

/**
 * The events of a `text/event-stream` reply whose name is in `names`, with their JSON data parsed.
 * Unknown events (a newer server) and heartbeats are skipped, not fatal.
 */
export async function* jsonEvents<E extends { event: string }>(res: Response, names: ReadonlySet<E['event']>, what: string): AsyncGenerator<E> {
  if (!res.body) return;
  for await (const msg of readSse(res.body)) {
    if (!(names as ReadonlySet<string>).has(msg.event)) continue;
    let data: unknown;
    try {
      data = JSON.parse(msg.data);
    } catch {
      throw new ApiError(res.status, `The ${what} stream sent a malformed "${msg.event}" event.`);
    }
    yield { event: msg.event, data } as unknown as E;
  }
}

function query(params: Record<string, string | number | undefined>): string {
  const usp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') usp.set(k, String(v));
  return usp.toString();
}

export const getHealth = (signal?: AbortSignal) => getJson<Health>('/api/health', signal);

export const listVideos = async (signal?: AbortSignal) => (await getJson<VideoList>('/api/videos', signal)).videos;

export const getVideo = (id: string, signal?: AbortSignal) => getJson<VideoDetail>(`/api/videos/${encodeURIComponent(id)}`, signal);

export async function search(q: string, filters: Filters, k: number, signal?: AbortSignal) {
  return (await getJson<SearchResponse>(`/api/search?${query({ q, k, ...filters })}`, signal)).results;
}

/** Statuses meaning "this server has no /api/ask": the caller falls back to plain search. */
const NO_ASK = new Set([404, 405, 501]);

/**
 * Asks a question. Yields the streamed events (a JSON reply becomes one `done` event);
 * returns null when the server has no ask endpoint.
 */
export async function ask(body: Partial<AskRequest> & { question: string }, signal?: AbortSignal): Promise<AsyncGenerator<AskEvent> | null> {
  try {
    const res = await request('/api/ask', {
      method: 'POST',
      signal,
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify(body),
    });
    return askEvents(res);
  } catch (err) {
    if (err instanceof ApiError && NO_ASK.has(err.status)) return null;
    throw err;
  }
}

const EVENTS = new Set<AskEvent['event']>(['sources', 'delta', 'citations', 'done', 'error']);

async function* askEvents(res: Response): AsyncGenerator<AskEvent> {
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream') || !res.body) {
    yield { event: 'done', data: await res.json() } as AskEvent;
    return;
  }
  yield* jsonEvents<AskEvent>(res, EVENTS, 'answer');
}

/** Removes an episode and everything indexed from it (loopback or admin token only). */
export async function deleteVideo(id: string, signal?: AbortSignal): Promise<void> {
  await request(`/api/videos/${encodeURIComponent(id)}`, { method: 'DELETE', signal });
}
