import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { ingestTranscript } from '../../indexer/pipeline.ts';
import type { Store } from '../../indexer/store/store.ts';
import type { Cue } from '../../indexer/domain.ts';
import { createLlm, type Llm } from '../../core/llm/client.ts';
import { estimateTokens } from '../../core/llm/messages.ts';
import type { Citation, EpisodeSummary, SummaryPoint } from '../../core/contract/api.ts';
import { SummaryCache } from '../../indexer/store/summaries.ts';
import { summarizeEpisode, summaryKey, type SummaryDeps } from '../../core/summary/episode.ts';
import { PART_DEFAULTS } from '../../core/summary/parts.ts';
import { MAP_PROMPT, REDUCE_PROMPT, SINGLE_PROMPT } from '../../core/summary/prompt.ts';
import type { LlmServer } from '../helpers/llm-server.ts';
import { closeSummaryFixture, middleWords, openSummaryFixture, promptSources } from './helpers.ts';

/** Colin Angle (iRobot), Lex Fridman Podcast #39: 37 minutes. */
const COLIN = '1d9Dj9dT_pw';
const TEN_MINUTES = 10 * 60_000;

let dir: string;
let store: Store;
let embedder: Embedder;
let llmServer: LlmServer;
let llm: Llm;
let http: { url: string; server: Server };
let cueStarts: Map<number, string>;

beforeAll(async () => {
  ({ dir, store, embedder, llmServer, http } = await openSummaryFixture(inject('lexicapIndex')));
  llm = createLlm({ baseURL: llmServer.url, apiKey: 'test', model: 'test-model', timeoutMs: 3000 });
  cueStarts = new Map(store.db.cues(COLIN).map((c) => [c.startMs / 1000, c.text]));
});

afterAll(() => closeSummaryFixture({ dir, store, embedder, llmServer, http }));

beforeEach(() => {
  llmServer.requests.length = 0;
});

const citationsOf = (s: EpisodeSummary): Citation[] => [s.tldr, ...s.insights, ...s.takeaways, ...s.questions].flatMap((p) => p.citations);

/** Every citation is a real cue of the episode: its start and its words. */
function expectRealMoments(s: EpisodeSummary) {
  const all = citationsOf(s);
  expect(all.length).toBeGreaterThan(0);
  for (const c of all) {
    expect(c.videoId).toBe(COLIN);
    expect(cueStarts.get(c.start)).toBe(c.quote);
    expect(c.url).toBe(`https://www.youtube.com/watch?v=${COLIN}&t=${Math.floor(c.start)}s`);
  }
}

/** Each statement's markers match its citations one to one. */
function expectMarkersMatch(p: SummaryPoint | { answer: string; citations: Citation[] }) {
  const text = 'text' in p ? p.text : p.answer;
  expect([...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))).toEqual(p.citations.map((c) => c.n));
  expect(p.citations.map((c) => c.marker)).toEqual(p.citations.map((_, i) => i));
}

/** A map step: notes quoting the first, middle and last source shown, plus a question. */
function mapNotes(content: string, extra = ''): string[] {
  const sources = [...promptSources(content)];
  const pick = [sources[0], sources[Math.floor(sources.length / 2)], sources.at(-1)!];
  const bullets = pick.map(([n, text]) => `- ${middleWords(text)} [${n}]`);
  return [`${bullets.join('\n')}\nQ: What comes up here?\nA: ${middleWords(pick[1][1], 10)} [${pick[1][0]}]${extra}\n`];
}

/** The reduce step: the final format built from the parts' note lines (keeping their citations). */
function reduceFrom(content: string, extra: { insight?: string } = {}): string[] {
  const parts = [...content.matchAll(/<notes part="(\d+)"[^>]*>\n([\s\S]*?)\n<\/notes>/g)].map((m) => m[2].split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2)));
  const first = parts[0];
  const last = parts.at(-1)!;
  return [
    `## TL;DR\n${first[0]} Then ${last.at(-1)}\n\n`,
    `## Key insights\n${parts.map((p) => `- ${p[1] ?? p[0]}`).join('\n')}\n${extra.insight ? `- ${extra.insight}\n` : ''}\n`,
    `## Questions & answers\nQ: How does it end?\nA: ${last[0]}\nQ: How does it start?\nA: ${first[1]}\n\n`,
    `## Summary & key takeaways\n${parts.map((p) => p.join(' ')).join('\n\n')}\n`,
  ];
}

const systemOf = (i: number) => llmServer.requests[i].body.messages[0].content;
const userOf = (i: number) => llmServer.requests[i].body.messages.at(-1)!.content;

describe('episode summary with a model (real OpenAI-compatible test server)', () => {
  it('map-reduces over time parts with global numbering: every point cites a real moment, the last part included', async () => {
    llmServer.script({ respond: (body) => (body.messages[0].content === MAP_PROMPT ? mapNotes(body.messages[1].content) : reduceFrom(body.messages[1].content)) });
    const s = await summarizeEpisode({ store, embedder, llm, cache: new SummaryCache(store.db.sqlite) }, COLIN, { partMs: TEN_MINUTES, refresh: true });
    // 37 minutes in ~10-minute parts: four map calls, then one reduce call.
    expect(s.parts).toHaveLength(4);
    expect(llmServer.requests.map((_, i) => systemOf(i))).toEqual([MAP_PROMPT, MAP_PROMPT, MAP_PROMPT, MAP_PROMPT, REDUCE_PROMPT]);
    expect(llmServer.requests.every((r) => r.body.stream !== true)).toBe(true);
    // Each part shows its own sources; together they are every source 1..N exactly once, in order.
    const shown = [0, 1, 2, 3].map((i) => [...promptSources(userOf(i)).keys()]);
    expect(shown.flat()).toEqual(shown.flat().map((_, i) => i + 1));
    expect(userOf(3)).toContain('Part 4 of 4');
    // The reduce step sees every part's notes.
    expect(userOf(4).match(/<notes part="\d+"/g)).toHaveLength(4);

    expect(s.mode).toBe('llm');
    expect(s.model).toBe('test-model');
    expect(s.notice).toBeNull();
    expect(s.invalid).toEqual([]);
    expect(s.tldr.citations).toHaveLength(2);
    expect(s.insights).toHaveLength(4);
    expect(s.questions.map((q) => q.question)).toEqual(['How does it end?', 'How does it start?']);
    expect(s.takeaways).toHaveLength(4);
    for (const p of [s.tldr, ...s.insights, ...s.takeaways, ...s.questions]) expectMarkersMatch(p);
    expectRealMoments(s);
    // Citations from the reduce step land in the part whose notes they came from, the last one too.
    const lastPart = s.parts[3];
    const inLast = s.takeaways[3].citations;
    expect(inLast.length).toBeGreaterThan(0);
    for (const c of inLast) expect(c.start).toBeGreaterThanOrEqual(lastPart.start - 60);
    expect(s.tldr.citations[1].start).toBeGreaterThanOrEqual(lastPart.start - 60);
  });

  it('summarises a short episode that fits the context in one call', async () => {
    llmServer.script({
      respond: (body) => {
        const src = [...promptSources(body.messages[1].content)];
        const q = (k: number) => `${middleWords(src[k][1])} [${src[k][0]}]`;
        const at = (f: number) => Math.floor(f * (src.length - 1));
        return [`## TL;DR\n${q(0)}. ${q(at(1))}.\n## Key insights\n${[0.1, 0.3, 0.5, 0.7, 0.9].map((f) => `- ${q(at(f))}`).join('\n')}\n## Questions & answers\nQ: Why?\nA: ${q(at(0.4))}\n## Summary & key takeaways\n${q(at(0.2))}\n\n${q(at(0.6))}\n\n${q(at(1))}\n`];
      },
    });
    const s = await summarizeEpisode({ store, embedder, llm, contextTokens: 32_000 }, COLIN, { refresh: true });
    expect(llmServer.requests).toHaveLength(1);
    expect(systemOf(0)).toBe(SINGLE_PROMPT);
    expect(s.parts).toHaveLength(2);
    expect(s.mode).toBe('llm');
    expect(s.insights).toHaveLength(5);
    expectRealMoments(s);
    expect(Math.max(...citationsOf(s).map((c) => c.start))).toBeGreaterThan(s.duration! * 0.9);
  });

  it('removes and reports citations to sources that do not exist, in notes and in the final text', async () => {
    llmServer.script({
      respond: (body) =>
        body.messages[0].content === MAP_PROMPT ? mapNotes(body.messages[1].content, ' [9999]') : reduceFrom(body.messages[1].content, { insight: 'Zebras juggle marmalade [99][0].' }),
    });
    const s = await summarizeEpisode({ store, embedder, llm }, COLIN, { partMs: TEN_MINUTES, refresh: true });
    expect(s.mode).toBe('llm');
    expect(s.invalid).toEqual([0, 99, 9999]);
    expect(s.notice).toContain('[99]');
    expect(s.notice).toContain('[9999]');
    // The notes reached the reduce step already cleaned.
    expect(userOf(4)).not.toContain('[9999]');
    const texts = [s.tldr.text, ...s.insights.map((p) => p.text), ...s.takeaways.map((p) => p.text), ...s.questions.map((q) => q.answer)];
    for (const t of texts) expect(t).not.toMatch(/\[(99|0|9999)\]/);
    // The statement citing only unknown sources shares no words with the transcript: left out, and said so.
    expect(texts.some((t) => t.includes('Zebras'))).toBe(false);
    expect(s.notice).toMatch(/left out/);
    expectRealMoments(s);
  });

  it('respects a small context: every request fits, sources trimmed evenly across each part', async () => {
    llmServer.script({ respond: (body) => (body.messages[0].content === MAP_PROMPT ? mapNotes(body.messages[1].content) : reduceFrom(body.messages[1].content)) });
    const contextTokens = 2000;
    const s = await summarizeEpisode({ store, embedder, llm, contextTokens }, COLIN, { partMs: TEN_MINUTES, refresh: true });
    const answerReserve = Math.floor(contextTokens * 0.4);
    expect(llmServer.requests).toHaveLength(5);
    for (const r of llmServer.requests) {
      const tokens = r.body.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
      expect(tokens).toBeLessThanOrEqual(contextTokens - answerReserve);
    }
    // Trimmed to well under half of each part's text, yet still from its first to its last source.
    const full = await summarizeEpisode({ store, embedder, llm }, COLIN, { partMs: TEN_MINUTES, refresh: true });
    expect(full.mode).toBe('llm');
    const length = (m: Map<number, string>) => [...m.values()].reduce((n, t) => n + t.length, 0);
    for (const p of [0, 1, 2, 3]) {
      const small = promptSources(userOf(p));
      const whole = promptSources(userOf(p + 5));
      expect(length(small)).toBeLessThan(length(whole) / 2);
      expect([...small.keys()][0]).toBe([...whole.keys()][0]);
      expect([...small.keys()].at(-1)).toBe([...whole.keys()].at(-1));
    }
    expect(s.mode).toBe('llm');
    expectRealMoments(s);
    expect(Math.max(...citationsOf(s).map((c) => c.start))).toBeGreaterThanOrEqual(s.parts[3].start - 60);
  });

  it('falls back to the extractive summary when the model fails, and does not cache the fallback', async () => {
    llmServer.script({ status: 500 });
    const cache = new SummaryCache(store.db.sqlite);
    const deps: SummaryDeps = { store, embedder, llm, cache };
    const s = await summarizeEpisode(deps, COLIN, { refresh: true });
    expect(s.mode).toBe('extractive');
    expect(s.model).toBeNull();
    expect(s.notice).toMatch(/language model failed/);
    expectRealMoments(s);
    expect(cache.get(summaryKey(deps, store.db.getVideo(COLIN)!, PART_DEFAULTS.partMs))).toBeUndefined();
  });

  it('serves a cached model summary without calling the model; refresh regenerates', async () => {
    llmServer.script({ respond: (body) => (body.messages[0].content === MAP_PROMPT ? mapNotes(body.messages[1].content) : reduceFrom(body.messages[1].content)) });
    const deps: SummaryDeps = { store, embedder, llm };
    const first = await summarizeEpisode(deps, COLIN, { partMs: TEN_MINUTES, refresh: true });
    const calls = llmServer.requests.length;
    const again = await summarizeEpisode(deps, COLIN, { partMs: TEN_MINUTES });
    expect(llmServer.requests.length).toBe(calls);
    expect(again.cached).toBe(true);
    expect({ ...again, cached: false }).toEqual(first);
    // Another model is another cache entry.
    const other = createLlm({ baseURL: llmServer.url, apiKey: 'test', model: 'other-model', timeoutMs: 3000 });
    const fresh = await summarizeEpisode({ ...deps, llm: other }, COLIN, { partMs: TEN_MINUTES });
    expect(fresh.cached).toBe(false);
    expect(fresh.model).toBe('other-model');
  });
});

describe('extractive episode summary (no model)', () => {
  let s: EpisodeSummary;
  beforeAll(async () => {
    const res = await fetch(`${http.url}/api/videos/${COLIN}/summary?refresh=1`);
    expect(res.status).toBe(200);
    s = (await res.json()) as EpisodeSummary;
  });

  it('has all four sections in the requested sizes, every item cited at a real moment', () => {
    expect(s.mode).toBe('extractive');
    expect(s.model).toBeNull();
    expect(s.notice).toMatch(/No language model/);
    expect(s.tldr.citations.length).toBeGreaterThanOrEqual(2);
    expect(s.tldr.citations.length).toBeLessThanOrEqual(3);
    expect(s.insights.length).toBeGreaterThanOrEqual(5);
    expect(s.insights.length).toBeLessThanOrEqual(8);
    expect(s.questions.length).toBeGreaterThanOrEqual(5);
    expect(s.questions.length).toBeLessThanOrEqual(8);
    expect(s.takeaways.length).toBeGreaterThanOrEqual(3);
    expect(s.takeaways.length).toBeLessThanOrEqual(5);
    for (const p of [s.tldr, ...s.insights, ...s.takeaways, ...s.questions]) {
      expect(p.citations.length).toBeGreaterThan(0);
      expectMarkersMatch(p);
    }
    expectRealMoments(s);
  });

  it('quotes the transcript: each cited moment starts the sentence it quotes', () => {
    for (const p of [...s.insights, ...s.takeaways]) {
      const sentences = p.text.split(/ \[\d+\] ?/).filter(Boolean);
      p.citations.forEach((c, i) => expect(sentences[i].replace(/…$/, '')).toContain(c.quote.trim().replace(/[.…]$/, '')));
    }
  });

  it('spreads over the timeline: paragraphs in order, the last one from the last third', () => {
    const starts = s.takeaways.map((p) => Math.min(...p.citations.map((c) => c.start)));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const c of s.takeaways.at(-1)!.citations) expect(c.start).toBeGreaterThanOrEqual((s.duration! * 2) / 3);
  });

  it('asks the host questions and answers them with what follows', () => {
    for (const qa of s.questions) {
      expect(qa.question).toMatch(/\?$/);
      expect(qa.question).not.toMatch(/,\s*right\?$/i);
      expect(qa.answer.split(/\s+/).length).toBeGreaterThanOrEqual(15);
    }
    const asked = s.questions.map((q) => q.citations[0].start);
    expect(asked).toEqual([...asked].sort((a, b) => a - b));
  });

  it('is cached, and ?refresh=1 regenerates', async () => {
    const cached = (await (await fetch(`${http.url}/api/videos/${COLIN}/summary`)).json()) as EpisodeSummary;
    expect(cached.cached).toBe(true);
    expect(cached.generatedAt).toBe(s.generatedAt);
    const fresh = (await (await fetch(`${http.url}/api/videos/${COLIN}/summary?refresh=1`)).json()) as EpisodeSummary;
    expect(fresh.cached).toBe(false);
    expect(fresh.generatedAt > s.generatedAt).toBe(true);
    expect(fresh.insights).toEqual(s.insights);
  });

  it('answers 404 for an unknown video and 400 for bad input', async () => {
    const missing = await fetch(`${http.url}/api/videos/nope/summary`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'video "nope" not found' });
    expect((await fetch(`${http.url}/api/videos/a..b/summary`)).status).toBe(400);
    expect((await fetch(`${http.url}/api/videos/${COLIN}/summary?refresh=maybe`)).status).toBe(400);
  });
});

describe('a short interview with speaker labels and chapters', () => {
  it('summarises it extractively: parts follow the chapters, only the host asks, the guest answers', async () => {
    const turns: [string, string][] = [
      ['Host', 'Welcome to the show, today we talk about bees and honey with a beekeeper.'],
      ['Guest', 'Thanks for having me, I have kept bees for twenty years in the mountains.'],
      ['Host', 'How do honey bees tell each other where the flowers are?'],
      ['Guest', 'They perform a waggle dance on the comb, and the angle of the dance points to the flowers relative to the sun.'],
      ['Guest', 'The length of the waggle run tells the others how far they have to fly.'],
      ['Host', 'That is amazing, right?'],
      ['Guest', 'It really is, and it took scientists decades to decode the dance properly.'],
      ['Host', 'What does a beekeeper do to calm the colony before opening the hive?'],
      ['Guest', 'We use smoke, which masks the alarm pheromones, so the guard bees do not call the others to defend the hive.'],
      ['Guest', 'A calm hive means fewer stings and a healthier colony for the whole season.'],
      ['Host', 'Why does pollination by bees matter so much for the food we eat?'],
      ['Guest', 'About a third of our crops depend on pollinators, from almonds to apples, so losing bees would change our diet.'],
      ['Guest', 'That is why planting wild flowers in gardens helps the bees survive in the cities as well.'],
    ];
    const cues: Cue[] = turns.flatMap(([speaker, text], i) => [{ startMs: i * 18_000, endMs: i * 18_000 + 17_000, text, speaker }]);
    await ingestTranscript(
      { store, embedder },
      { meta: { id: 'bees-interview', title: 'Bees', publishedAt: '2024-05-01' }, cues, chapters: [{ title: 'Dance', startMs: 0 }, { title: 'Smoke and pollination', startMs: 126_000 }] },
    );
    const s = await summarizeEpisode({ store, embedder }, 'bees-interview', { partMs: 2 * 60_000, refresh: true });
    expect(s.parts.map((p) => p.title)).toEqual(['Dance', 'Smoke and pollination']);
    expect(s.mode).toBe('extractive');
    expect(s.questions.map((q) => q.question)).toEqual([
      'How do honey bees tell each other where the flowers are?',
      'What does a beekeeper do to calm the colony before opening the hive?',
      'Why does pollination by bees matter so much for the food we eat?',
    ]);
    expect(s.questions[0].answer).toMatch(/^They perform a waggle dance/);
    expect(s.questions[0].citations[0].start).toBe(54);
    expect(s.tldr.citations.length).toBeGreaterThan(0);
    expect(s.insights.length).toBeGreaterThan(0);
    expect(s.takeaways.length).toBeGreaterThan(0);
    for (const c of [s.tldr, ...s.insights, ...s.takeaways, ...s.questions].flatMap((p) => p.citations)) {
      expect(cues.map((cue) => cue.startMs / 1000)).toContain(c.start);
    }
  });
});
