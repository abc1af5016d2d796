import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import type { Store } from '../../indexer/store/store.ts';
import { createLlm } from '../../core/llm/client.ts';
import type { Citation, TopicSummary } from '../../core/contract/api.ts';
import { TOPIC_PROMPT } from '../../core/summary/prompt.ts';
import { summarizeTopic } from '../../core/summary/topic.ts';
import type { LlmServer } from '../helpers/llm-server.ts';
import { closeSummaryFixture, middleWords, openSummaryFixture, promptSources } from './helpers.ts';

// The four shared episodes. Read for this test: Elon Musk (#18) is about Tesla Autopilot
// throughout; Colin Angle (#39) compares robot vacuums with autonomous vehicles for ~4 minutes
// (23:20–27:00); Eric Schmidt (#8) names self-driving cars once as an example of a decade-long
// platform (a passing mention); Noam Chomsky (#53) never talks about driving.
const SCHMIDT = 'hIC9FQpxVwQ';
const MUSK = 'dEv99vxKjVI';
const ANGLE = '1d9Dj9dT_pw';
const CHOMSKY = 'cMscNuSUy0I';

let dir: string;
let store: Store;
let embedder: Embedder;
let llmServer: LlmServer;
let http: { url: string; server: Server };
let cueText: Map<string, Map<number, string>>;

beforeAll(async () => {
  ({ dir, store, embedder, llmServer, http } = await openSummaryFixture(inject('lexicapIndex')));
  cueText = new Map([SCHMIDT, MUSK, ANGLE, CHOMSKY].map((id) => [id, new Map(store.db.cues(id).map((c) => [c.startMs / 1000, c.text]))]));
});

afterAll(() => closeSummaryFixture({ dir, store, embedder, llmServer, http }));

beforeEach(() => {
  llmServer.requests.length = 0;
});

const topic = async (body: object): Promise<{ status: number; json: TopicSummary }> => {
  const res = await fetch(`${http.url}/api/topics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as TopicSummary };
};

function allCitations(t: TopicSummary): Citation[] {
  return [...t.episodes.flatMap((e) => e.points), ...t.timeline.map((e) => e.point), ...t.synthesis].flatMap((p) => p.citations);
}

function expectRealMoments(t: TopicSummary) {
  for (const c of allCitations(t)) expect(cueText.get(c.videoId)!.get(c.start)).toBe(c.quote);
}

describe('topic summaries on real episodes (no model)', () => {
  it('"autonomous driving": the two episodes that discuss it, oldest first; a passing mention does not count', async () => {
    const { status, json: t } = await topic({ topic: 'autonomous driving' });
    expect(status).toBe(200);
    expect(t.mode).toBe('extractive');
    expect(t.episodes.map((e) => e.videoId).sort()).toEqual([ANGLE, MUSK].sort());
    expect(t.timeline.map((e) => [e.videoId, e.publishedAt?.slice(0, 10)])).toEqual([
      [MUSK, '2019-04-12'],
      [ANGLE, '2019-09-19'],
    ]);
    expect(t.counts.episodes).toBe(2);
    expect(t.counts.passing).toBeGreaterThanOrEqual(1);
    // The whole Autopilot episode outweighs a four-minute tangent.
    const [musk, angle] = [MUSK, ANGLE].map((id) => t.episodes.find((e) => e.videoId === id)!);
    expect(t.episodes[0].videoId).toBe(MUSK);
    expect(musk.minutes).toBeGreaterThan(angle.minutes);
    expect(t.counts.minutes).toBeCloseTo(musk.minutes + angle.minutes, 0);
    // Colin Angle's key points come from his autonomous-vehicle tangent.
    expect(angle.points.length).toBeGreaterThanOrEqual(2);
    for (const p of angle.points) {
      expect(p.citations[0].start).toBeGreaterThan(22 * 60);
      expect(p.citations[0].start).toBeLessThan(27 * 60);
    }
    expect(angle.points.map((p) => p.text).join(' ')).toMatch(/autonomous vehicle/i);
    for (const e of t.episodes) expect(e.points.length).toBeGreaterThan(0);
    expectRealMoments(t);
  });

  it('"robots in the home": only the iRobot episode', async () => {
    const { json: t } = await topic({ topic: 'robots in the home' });
    expect(t.episodes.map((e) => e.videoId)).toEqual([ANGLE]);
    expect(t.episodes[0].minutes).toBeGreaterThan(10);
    expectRealMoments(t);
  });

  it('a topic nobody discusses finds nothing and says so', async () => {
    const { json: t } = await topic({ topic: 'cryptocurrency' });
    expect(t.episodes).toEqual([]);
    expect(t.timeline).toEqual([]);
    expect(t.counts.episodes).toBe(0);
    expect(t.notice).toMatch(/No indexed episode discusses "cryptocurrency"/);
  });

  it('filters by date', async () => {
    const { json: t } = await topic({ topic: 'autonomous driving', from: '2019-05-01' });
    expect(t.episodes.map((e) => e.videoId)).toEqual([ANGLE]);
  });

  it('rejects bad requests', async () => {
    expect((await topic({})).status).toBe(400);
    expect((await topic({ topic: 'x', from: '2020-01-01', to: '2019-01-01' })).status).toBe(400);
    expect((await topic({ topic: 'x'.repeat(301) })).status).toBe(400);
  });
});

describe('topic summary with a model (real OpenAI-compatible test server)', () => {
  it('keeps key points per episode and a synthesis citing across episodes; invalid citations are removed and reported', async () => {
    llmServer.script({
      respond: (body) => {
        const user = body.messages[1].content;
        const blocks = [...user.matchAll(/\[(\d+)\] "([^"]+)"/g)].map((m) => ({ n: Number(m[1]), title: m[2] }));
        const text = promptSources(user);
        const firstOf = (word: string) => blocks.find((b) => b.title.includes(word))!;
        const [elon, colin] = [firstOf('Elon'), firstOf('Colin')];
        const say = (b: { n: number }) => `${middleWords(text.get(b.n)!)} [${b.n}]`;
        return [
          `## Key points\n- [${elon.title}] ${say(elon)}\n- [${colin.title}] ${say(colin)}\n- [${colin.title}] Made-up point [99].\n\n`,
          `## Synthesis\nMusk argues one way ${say(elon)}, Angle compares it with the home ${say(colin)}.\n`,
        ];
      },
    });
    const llm = createLlm({ baseURL: llmServer.url, apiKey: 'test', model: 'test-model', timeoutMs: 3000 });
    const t = await summarizeTopic({ store, embedder, llm }, { topic: 'autonomous driving' });
    expect(llmServer.requests).toHaveLength(1);
    expect(llmServer.requests[0].body.messages[0].content).toBe(TOPIC_PROMPT);
    expect(t.mode).toBe('llm');
    expect(t.model).toBe('test-model');
    expect(t.invalid).toEqual([99]);
    expect(t.notice).toContain('[99]');
    const musk = t.episodes.find((e) => e.videoId === MUSK)!;
    const angle = t.episodes.find((e) => e.videoId === ANGLE)!;
    expect(musk.points).toHaveLength(1);
    expect(angle.points).toHaveLength(1);
    // The episode title the model put in front is not part of the point.
    expect(musk.points[0].text).not.toMatch(/^\[/);
    expect(t.synthesis).toHaveLength(1);
    expect(new Set(t.synthesis[0].citations.map((c) => c.videoId))).toEqual(new Set([MUSK, ANGLE]));
    expect(t.timeline.map((e) => e.videoId)).toEqual([MUSK, ANGLE]);
    expectRealMoments(t);
  });

  it('falls back to quoted key points when the model fails', async () => {
    llmServer.script({ status: 400 });
    const llm = createLlm({ baseURL: llmServer.url, apiKey: 'test', model: 'test-model', timeoutMs: 3000 });
    const t = await summarizeTopic({ store, embedder, llm }, { topic: 'robots in the home' });
    expect(t.mode).toBe('extractive');
    expect(t.notice).toMatch(/language model failed/);
    expect(t.episodes.map((e) => e.videoId)).toEqual([ANGLE]);
    expect(t.episodes[0].points.length).toBeGreaterThan(0);
  });
});
