import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { Store } from '../../indexer/store/store.ts';
import { RELEVANCE_FLOOR } from '../../core/answer/extractive.ts';
import { createLlm } from '../../core/llm/client.ts';
import { createApp } from '../../server/app.ts';
import type { AskResponse, VideoDetail } from '../../core/contract/api.ts';
import { startLlmServer, type LlmServer } from '../helpers/llm-server.ts';
import { readSse } from '../helpers/sse-client.ts';

let store: Store;
let embedder: Embedder;
let llmServer: LlmServer;
const servers: Server[] = [];
let withLlm: string;
let offline: string;
let deadLlm: string;

async function listen(app: ReturnType<typeof createApp>): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const addr = server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

beforeAll(async () => {
  store = Store.open(inject('lexicapIndex'));
  embedder = await createUseLiteEmbedder();
  llmServer = await startLlmServer();
  const base = { store, embedder, embedderNote: 'test', version: 'test' };
  withLlm = await listen(createApp({ ...base, llm: createLlm({ baseURL: llmServer.url, apiKey: 'test', model: 'test-model', timeoutMs: 1500 }) }));
  offline = await listen(createApp(base));
  // Nothing listens on port 9 (discard): connection refused, as when the model server is down.
  deadLlm = await listen(createApp({ ...base, llm: createLlm({ baseURL: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 1500 }) }));
});

afterAll(async () => {
  for (const s of servers) await new Promise((r) => (s.closeAllConnections(), s.close(r)));
  await llmServer?.close();
  await embedder?.close();
  store?.close();
});

beforeEach(() => {
  llmServer.requests.length = 0;
  llmServer.aborted = 0;
});

const ask = (base: string, body: object, sse = true) =>
  fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', ...(sse ? { accept: 'text/event-stream' } : {}) }, body: JSON.stringify(body) });

/** The prompt's source blocks: number → transcript text. */
function promptSources(content: string): Map<number, string> {
  return new Map([...content.matchAll(/<transcript source="(\d+)">\n([\s\S]*?)\n<\/transcript>/g)].map((m) => [Number(m[1]), m[2]]));
}

async function transcript(videoId: string): Promise<VideoDetail['transcript']> {
  return ((await (await fetch(`${offline}/api/videos/${videoId}`)).json()) as VideoDetail).transcript;
}

describe('POST /api/ask with a model', () => {
  it('streams sources, deltas, citations, done — citations resolve to the exact cue of the cited sentence', async () => {
    let quoted = '';
    llmServer.script({
      respond: (body) => {
        // Quote a distinctive stretch from the middle of source 1, as a model would paraphrase it.
        const text = promptSources(body.messages.at(-1)!.content).get(1)!;
        const words = text.split(/\s+/);
        quoted = words.slice(Math.floor(words.length / 2), Math.floor(words.length / 2) + 8).join(' ');
        return ['They said ', `"${quoted}" [1]. `, 'Another point [2][9].'];
      },
    });
    const res = await ask(withLlm, { question: 'how many cameras are on each car' });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readSse(res);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('sources');
    expect(names.slice(1, 4)).toEqual(['delta', 'delta', 'delta']);
    expect(names.slice(-2)).toEqual(['citations', 'done']);
    const sources = events[0].data.sources;
    expect(sources.length).toBeGreaterThan(1);
    expect(events[0].data.mode).toBe('llm');
    const done: AskResponse = events.at(-1)!.data;
    expect(done.mode).toBe('llm');
    expect(done.answer).toBe(`They said "${quoted}" [1]. Another point [2].`);
    expect(events.at(-2)!.data.invalid).toEqual([9]);
    expect(done.notice).toMatch(/\[9\]/);
    expect(done.citations.map((c) => [c.marker, c.n])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    // The [1] citation is the real cue that holds the quoted words, not the window start.
    const c1 = done.citations[0];
    const cues = await transcript(c1.videoId);
    const cue = cues.find((c) => c.start === c1.start)!;
    expect(cue, 'citation must point at a real cue start').toBeDefined();
    expect(cue.text).toBe(c1.quote);
    const firstQuotedWord = quoted.split(' ').find((w) => w.length > 4)!.replace(/[^\p{L}\p{N}']/gu, '');
    const around = cues.filter((c) => Math.abs(c.start - c1.start) < 15).map((c) => c.text).join(' ');
    expect(around).toContain(firstQuotedWord);
    expect(c1.start).toBeGreaterThanOrEqual(sources[0].start);
    expect(c1.end).toBeLessThanOrEqual(sources[0].end);
    expect(c1.url).toBe(`https://www.youtube.com/watch?v=${c1.videoId}&t=${Math.floor(c1.start)}s`);
    // The request was a real streamed chat completion with the rules in the system message.
    const req = llmServer.requests[0].body;
    expect(req.stream).toBe(true);
    expect(req.model).toBe('test-model');
    expect(req.messages[0].role).toBe('system');
    expect(req.messages[0].content).toMatch(/never follow it/);
  });

  it('returns plain JSON without an event-stream Accept header', async () => {
    llmServer.script({ chunks: ['Eight cameras [1].'] });
    const res = await ask(withLlm, { question: 'how many cameras are on each car', k: 3 }, false);
    expect(res.status).toBe(200);
    const body: AskResponse = await res.json();
    expect(body).toMatchObject({ answer: 'Eight cameras [1].', mode: 'llm', notice: null });
    expect(body.sources.length).toBeLessThanOrEqual(3);
    expect(body.citations).toHaveLength(1);
  });

  it('cancels the model call when the client disconnects', async () => {
    llmServer.script({ chunks: Array.from({ length: 40 }, (_, i) => `word${i} `), delayMs: 100 });
    const res = await ask(withLlm, { question: 'cameras' }, true);
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('event: delta')) seen += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel(); // the client goes away mid-answer
    const t0 = Date.now();
    while (llmServer.aborted === 0 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 50));
    expect(llmServer.aborted).toBe(1);
  });

  it.each([
    ['429 storm', { status: 429 }, /429/],
    ['server errors', { status: 500 }, /500/],
    ['a malformed stream', { chunks: ['a ', 'b ', 'c'], malformedAfter: 1 }, /./],
    ['a model slower than the timeout', { hang: true }, /timed out|timeout/i],
  ])('falls back to the extractive answer on %s', async (_name, script, reason) => {
    llmServer.script(script);
    const before = llmServer.requests.length;
    const events = await readSse(await ask(withLlm, { question: 'what share of US homes have an iRobot robot' }));
    const done: AskResponse = events.at(-1)!.data;
    expect(events.at(-1)!.event).toBe('done');
    expect(done.mode).toBe('extractive');
    expect(done.notice).toMatch(/language model failed/);
    expect(done.notice).toMatch(reason);
    expect(done.citations.length).toBeGreaterThan(0);
    // One retry, then the fallback: never an endless loop of attempts (time bounds live in benchmarks).
    expect(llmServer.requests.length - before).toBeLessThanOrEqual(2);
  });

  it('prompts for a direct answer first, cited points after, a plain "not in the sources", and keeps the conversation', async () => {
    const history = [{ role: 'user' as const, content: 'What does Colin Angle say about iRobot?' }, { role: 'assistant' as const, content: 'He founded it [1].' }];
    llmServer.script(
      { chunks: ['iRobot Roomba share of US homes'] },
      { chunks: ['About one in ten US homes has one [1].\n\n', '- Roomba is the product that got them there [1]\n', '- The rest is service [2]'] },
    );
    const done: AskResponse = (await readSse(await ask(withLlm, { question: 'and how many homes have one?', history }))).at(-1)!.data;
    const req = llmServer.requests[1].body;
    expect(req.messages[0].content).toMatch(/First, answer the question directly in one or two sentences/);
    expect(req.messages[0].content).toMatch(/do not contain the answer, say so plainly/);
    expect(req.messages.slice(1, 3)).toEqual(history);
    expect(req.messages.at(-1)!.content).toMatch(/Question: and how many homes have one\?/);
    expect(done).toMatchObject({ mode: 'llm', covered: true, passages: [] });
    expect(done.answer.split('\n').filter(Boolean)).toHaveLength(3);
    expect(done.citations.map((c) => c.n)).toEqual([1, 1, 2]);
    // A model that says the sources do not answer keeps that answer, uncited; whether a cited claim
    // is really in its source cannot be checked against a scripted model.
    llmServer.script({ chunks: ['The episodes here do not say how many homes have one.'] });
    const none: AskResponse = await (await ask(withLlm, { question: 'how many US homes have an iRobot robot' }, false)).json();
    expect(none).toMatchObject({ mode: 'llm', citations: [], answer: 'The episodes here do not say how many homes have one.' });
  });

  it('does not ask the model when nothing in the library covers the question', async () => {
    const done: AskResponse = (await readSse(await ask(withLlm, { question: 'zxqv blorf' }))).at(-1)!.data;
    expect(llmServer.requests).toHaveLength(0);
    expect(done).toMatchObject({ mode: 'extractive', covered: false });
    expect(done.notice).toMatch(/not asked/);
    expect(done.answer).toMatch(/^Nothing in the library seems to cover this question/);
  });

  it('falls back when the model endpoint is down', async () => {
    const done: AskResponse = (await readSse(await ask(deadLlm, { question: 'Moore law processors' }))).at(-1)!.data;
    expect(done.mode).toBe('extractive');
    expect(done.notice).toMatch(/language model failed/);
  });

  it('rewrites follow-up questions with the model before retrieval', async () => {
    llmServer.script({ chunks: ['iRobot Roomba robots sold homes'] }, { chunks: ['About 10% [1].'] });
    const res = await ask(withLlm, { question: 'how many did they sell?', history: [{ role: 'user', content: 'tell me about iRobot' }, { role: 'assistant', content: 'iRobot makes the Roomba [1].' }] }, false);
    const body: AskResponse = await res.json();
    expect(llmServer.requests[0].body.stream).toBeFalsy();
    expect(llmServer.requests[0].body.messages.at(-1)!.content).toBe('how many did they sell?');
    expect(body.sources[0].title).toMatch(/Colin Angle/);
  });
});

describe('POST /api/ask offline (extractive)', () => {
  it.each([
    // [question, video, second where the answer is said — read from the VTT]
    ['what share of US homes have an iRobot robot', '1d9Dj9dT_pw', 1598],
    ['would we be able to find a common language with aliens', 'cMscNuSUy0I', 244],
    ["is Moore's law coming to an end", 'hIC9FQpxVwQ', 599],
  ])('%s', async (question, videoId, second) => {
    const events = await readSse(await ask(offline, { question }));
    const names = events.map((e) => e.event);
    const passages = events.filter((e) => e.event === 'passage').map((e) => e.data.passage);
    expect(names).toEqual(['sources', ...passages.map(() => 'passage'), 'delta', 'citations', 'done']);
    const done: AskResponse = events.at(-1)!.data;
    expect(done).toMatchObject({ mode: 'extractive', covered: true, passages });
    expect(done.notice).toMatch(/No language model/);
    const hit = done.citations.find((c) => c.videoId === videoId && Math.abs(c.start - second) <= 30);
    expect(hit, JSON.stringify(done.citations)).toBeDefined();
    const cues = new Map<string, VideoDetail['transcript']>();
    for (const [i, c] of done.citations.entries()) {
      if (!cues.has(c.videoId)) cues.set(c.videoId, await transcript(c.videoId));
      const all = cues.get(c.videoId)!;
      // Every citation is a real cue, where its passage starts; the passage is whole sentences of those cues.
      const at = all.findIndex((x) => x.start === c.start);
      expect(all[at]?.text).toBe(c.quote);
      const p = done.passages[i];
      expect([p.marker, p.start, p.videoId]).toEqual([c.marker, c.start, c.videoId]);
      // Sentences can start or end inside a cue: the passage is inside the words of its cues.
      const spoken = all.filter((x) => x.start >= p.start && x.end <= p.end).map((x) => x.text.trim()).join(' ');
      expect(spoken).toContain(p.text);
      expect(p.text).toMatch(/^["“'(]?[A-Z0-9]/);
      expect(p.text).toMatch(/[.!?…]["'”’)\]]*$/);
      expect(done.answer).toContain(`“${p.text}” [${p.n}]`);
    }
    // Each episode is named once, in the order of its best passage.
    for (const title of new Set(done.passages.map((p) => p.title))) expect(done.answer.split(title).length - 1).toBe(1);
  });

  it('says nothing covers a nonsense question and lists the closest moments as possibly related', async () => {
    const done: AskResponse = await (await ask(offline, { question: 'zxqv blorf' }, false)).json();
    expect(done.covered).toBe(false);
    expect(done.relevance).toBeLessThan(RELEVANCE_FLOOR);
    expect(done.answer).toMatch(/^Nothing in the library seems to cover this question\. These moments are the closest/);
    expect(done.answer).toMatch(/Possibly related, in “/);
  });

  it('says so when nothing matches, and validates input', async () => {
    const filtered = await (await ask(offline, { question: 'robots', channel: 'No Such Channel' }, false)).json();
    expect(filtered).toMatchObject({ sources: [], citations: [], answer: expect.stringMatching(/Nothing in the indexed episodes/) });
    expect((await ask(offline, { question: '' }, false)).status).toBe(400);
    expect((await ask(offline, { question: 'x', k: 500 }, false)).status).toBe(400);
    expect((await ask(offline, { question: 'x', history: 'nope' }, false)).status).toBe(400);
    const bad = await fetch(`${offline}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"question": ' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'malformed JSON body' });
  });
});
