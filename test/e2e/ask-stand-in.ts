import type { AskEvent, AskResponse, SearchResponse, Source } from '../../server/contract/api.ts';

const frame = (e: AskEvent) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;

/**
 * What `POST /api/ask` streams, built from the real server's search results, for servers
 * that do not have the ask route yet: sources, the answer in deltas, citations, done.
 */
export async function standInAsk(base: string, requestBody: string): Promise<{ status: number; contentType: string; body: string }> {
  const req = JSON.parse(requestBody) as { question: string; channel?: string; from?: string; to?: string; video?: string };
  const params = new URLSearchParams({ q: req.question, k: '6' });
  for (const key of ['channel', 'from', 'to', 'video'] as const) if (req[key]) params.set(key, req[key]);
  const res = await fetch(`${base}/api/search?${params}`);
  if (!res.ok) return { status: res.status, contentType: 'application/json', body: await res.text() };
  const { results } = (await res.json()) as SearchResponse;
  const sources: Source[] = results.map((h, i) => ({
    n: i + 1,
    videoId: h.videoId,
    title: h.title,
    channel: h.channel,
    publishedAt: h.publishedAt,
    youtubeId: h.url ? new URL(h.url).searchParams.get('v') : null,
    start: h.start,
    end: h.end,
    text: h.text,
    url: h.url,
  }));
  const cited = sources.slice(0, 2);
  const answer =
    cited.length === 0
      ? 'None of the episodes talks about this.'
      : `The conversation turns to this here [1].${cited.length > 1 ? `\n\nIt comes back to it later [2], with <b>more</b> detail.` : ''}`;
  const citations = cited.map((s) => ({ n: s.n, videoId: s.videoId, title: s.title, start: s.start, end: s.end, quote: s.text.slice(0, 120), url: s.url }));
  const done: AskResponse = { answer, citations, sources, mode: 'extractive', notice: 'Stand-in answer (the server has no /api/ask yet).' };
  const cut = Math.floor(answer.length / 2);
  const body = [
    frame({ event: 'sources', data: { sources, mode: 'extractive' } }),
    ': heartbeat\n\n',
    frame({ event: 'delta', data: { text: answer.slice(0, cut) } }),
    frame({ event: 'delta', data: { text: answer.slice(cut) } }),
    frame({ event: 'citations', data: { citations, invalid: [] } }),
    frame({ event: 'done', data: done }),
  ].join('');
  return { status: 200, contentType: 'text/event-stream', body };
}
