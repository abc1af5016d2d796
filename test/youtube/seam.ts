/**
 * An offline fetch for the YouTube source: answers requests by URL path from recorded
 * responses (shared/data/youtube-fixtures, beside the repo) and from our own constructed
 * fixtures (test/fixtures/youtube). Every request is logged so tests can assert what was asked.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { YouTubeError } from '../../indexer/sources/youtube-errors.ts';

export const RECORDED = new URL('../../../shared/data/youtube-fixtures/', import.meta.url);
export const CONSTRUCTED = new URL('../fixtures/youtube/', import.meta.url);

export type Json = Record<string, unknown>;

export interface SeamRequest {
  method: string;
  url: URL;
  /** Parsed JSON body of InnerTube POSTs; undefined for GETs. */
  body: Json | undefined;
  headers: Headers;
}

export type Handler = (req: SeamRequest) => Response | Promise<Response>;

export function recorded(path: string): string {
  return readFileSync(new URL(path, RECORDED), 'utf8');
}

export function recordedJson(path: string): Json {
  return JSON.parse(recorded(path)) as Json;
}

export function constructedJson(name: string): Json {
  return JSON.parse(readFileSync(new URL(name, CONSTRUCTED), 'utf8')) as Json;
}

export function constructedText(name: string): string {
  return readFileSync(new URL(name, CONSTRUCTED), 'utf8');
}

/** The /next-equivalent `ytInitialData` embedded in a recorded watch page. */
export function initialDataFromWatchPage(html: string): Json {
  const start = html.indexOf('var ytInitialData = ');
  const end = html.indexOf(';</script>', start);
  if (start < 0 || end < 0) throw new Error('watch page has no ytInitialData');
  return JSON.parse(html.slice(start + 'var ytInitialData = '.length, end)) as Json;
}

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=UTF-8' } });

export const html = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });

export const plain = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'text/xml; charset=UTF-8' } });

/**
 * A fetch that routes by pathname. Unrouted requests get a 404 and land in `unrouted`,
 * so a test can prove nothing unexpected (such as a player JS download) was requested.
 */
export function createSeam(routes: Record<string, Handler>) {
  const log: SeamRequest[] = [];
  const unrouted: string[] = [];
  const seamFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    const method = init?.method ?? request?.method ?? 'GET';
    const rawBody = typeof init?.body === 'string' ? init.body : request && request.body ? await request.clone().text() : '';
    const req: SeamRequest = {
      method,
      url,
      body: rawBody ? (JSON.parse(rawBody) as Json) : undefined,
      headers: new Headers(init?.headers ?? request?.headers),
    };
    log.push(req);
    const handler = routes[url.pathname];
    if (!handler) {
      unrouted.push(`${method} ${url.pathname}`);
      return json({ error: { code: 404, message: `seam: no route for ${url.pathname}` } }, 404);
    }
    return handler(req);
  };
  return { fetch: seamFetch as typeof fetch, log, unrouted, paths: () => log.map((r) => r.url.pathname) };
}

/** Player and watch-page (/next) responses served by the requested videoId. */
export function videoRoutes(videos: Record<string, { player: Json; next?: Json }>): Record<string, Handler> {
  const byId = (req: SeamRequest) => videos[String(req.body?.videoId)];
  return {
    '/youtubei/v1/player': (req) => {
      const video = byId(req);
      return video ? json(video.player) : json({ error: { code: 404, message: 'seam: unknown video' } }, 404);
    },
    '/youtubei/v1/next': (req) => {
      const next = byId(req)?.next;
      return next ? json(next) : json({ error: { code: 404, message: 'seam: no /next recording' } }, 404);
    },
  };
}

/** No sleeping in tests: records the waits instead. */
export function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** Awaits a promise that must reject with a YouTubeError (never a raw crash) and returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<YouTubeError> {
  const err = await promise.then(
    () => new Error('expected a rejection, got a result'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(YouTubeError);
  return err as YouTubeError;
}
