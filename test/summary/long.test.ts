import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { Store } from '../../indexer/store/store.ts';
import { createLlm } from '../../core/llm/client.ts';
import { PROMPT_DEFAULTS } from '../../core/answer/prompt.ts';
import { estimateTokens } from '../../core/llm/messages.ts';
import type { Citation, EpisodeSummary } from '../../core/contract/api.ts';
import { summarizeEpisode } from '../../core/summary/episode.ts';
import { MAP_PROMPT, REDUCE_PROMPT } from '../../core/summary/prompt.ts';
import { buildLexicapIndex } from '../helpers/lexicap-index.ts';
import { startLlmServer, type LlmServer } from '../helpers/llm-server.ts';
import { middleWords, promptSources } from './helpers.ts';

/** Sergey Nazarov (Chainlink), Lex Fridman Podcast #181: 3 hours 0 minutes. */
const EPISODE = 181;
const ID = 'TPXTmVdlyoc';

let dir: string;
let store: Store;
let embedder: Embedder;
let llmServer: LlmServer;
let durationS: number;

// Embedding three hours of speech with the bundled encoder takes one to three minutes.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'episodic-long-episode-'));
  const summary = await buildLexicapIndex(dir, [EPISODE]);
  expect(summary.added).toBe(1);
  store = Store.open(dir);
  embedder = await createUseLiteEmbedder();
  llmServer = await startLlmServer();
  durationS = store.db.getVideo(ID)!.durationMs! / 1000;
}, 600_000);

afterAll(async () => {
  await llmServer?.close();
  await embedder?.close();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const citationsOf = (s: EpisodeSummary): Citation[] => [s.tldr, ...s.insights, ...s.takeaways, ...s.questions].flatMap((p) => p.citations);

describe('a 3-hour episode', () => {
  it('extractive: cites moments from every fifth of the episode, the last quarter included', async () => {
    const started = Date.now();
    const s = await summarizeEpisode({ store, embedder }, ID, { refresh: true });
    const took = Date.now() - started;
    expect(durationS).toBeGreaterThan(3 * 3600 - 60);
    expect(s.mode).toBe('extractive');
    expect(s.parts).toHaveLength(9);
    expect(s.takeaways).toHaveLength(5);
    expect(s.insights).toHaveLength(8);
    const starts = citationsOf(s).map((c) => c.start);
    for (let fifth = 0; fifth < 5; fifth++) {
      expect(starts.some((t) => t >= (fifth * durationS) / 5 && t < ((fifth + 1) * durationS) / 5)).toBe(true);
    }
    // The last paragraph is made of the last fifth; insights reach the last quarter too.
    for (const c of s.takeaways[4].citations) expect(c.start).toBeGreaterThanOrEqual(durationS * 0.8);
    expect(s.insights.some((p) => p.citations[0].start >= durationS * 0.75)).toBe(true);
    const cues = new Map(store.db.cues(ID).map((c) => [c.startMs / 1000, c.text]));
    for (const c of citationsOf(s)) expect(cues.get(c.start)).toBe(c.quote);
    console.log(`extractive summary of a ${(durationS / 3600).toFixed(1)} h episode: ${took} ms`);
  });

  it('with a model: nine map steps and a reduce step, each within the context, and the summary reaches the end', async () => {
    llmServer.script({
      respond: (body) => {
        const user = body.messages[1].content;
        if (body.messages[0].content === MAP_PROMPT) {
          const src = [...promptSources(user)];
          return [[0, Math.floor(src.length / 2), src.length - 1].map((i) => `- ${middleWords(src[i][1])} [${src[i][0]}]`).join('\n')];
        }
        const parts = [...user.matchAll(/<notes part="\d+"[^>]*>\n([\s\S]*?)\n<\/notes>/g)].map((m) => m[1].split('\n').map((l) => l.replace(/^- /, '')));
        return [
          `## TL;DR\n${parts[0][0]} ${parts.at(-1)!.at(-1)}\n## Key insights\n${parts.map((p) => `- ${p[1]}`).join('\n')}\n`,
          `## Questions & answers\nQ: What is said last?\nA: ${parts.at(-1)![2]}\n`,
          `## Summary & key takeaways\n${[0, 2, 4, 6, 8].map((i) => parts[i].join(' ')).join('\n\n')}\n`,
        ];
      },
    });
    const llm = createLlm({ baseURL: llmServer.url, apiKey: 'test', model: 'test-model', timeoutMs: 5000 });
    const s = await summarizeEpisode({ store, embedder, llm }, ID, { refresh: true });
    expect(llmServer.requests.map((r) => r.body.messages[0].content)).toEqual([...Array(9).fill(MAP_PROMPT), REDUCE_PROMPT]);
    for (const r of llmServer.requests) {
      expect(r.body.messages.reduce((n, m) => n + estimateTokens(m.content), 0)).toBeLessThanOrEqual(PROMPT_DEFAULTS.contextTokens - 1500);
    }
    // The ninth part's prompt covers the last twenty minutes.
    expect(llmServer.requests[8].body.messages[1].content).toMatch(/Part 9 of 9: 2:40:\d\d–3:00:\d\d/);
    expect(s.mode).toBe('llm');
    expect(s.insights).toHaveLength(9);
    expect(s.insights.at(-1)!.citations[0].start).toBeGreaterThanOrEqual((durationS * 8) / 9 - 60);
    expect(s.takeaways.at(-1)!.citations.every((c) => c.start >= durationS * 0.75)).toBe(true);
    expect(s.questions[0].citations[0].start).toBeGreaterThanOrEqual(durationS * 0.75);
  });
});
