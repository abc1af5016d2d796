/**
 * `episodic mcp` as an MCP client sees it: the SDK's own Client spawns the compiled CLI over real
 * stdio on a private copy of the shared Lex Fridman index, lists the tools, calls each one, and
 * checks that every citation and transcript line comes from the stored cues. Bad arguments and
 * unknown ids come back as tool errors (isError) and the server keeps answering; nothing but
 * protocol reaches stdout (a stray line would break the client's parser, caught by onerror).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Store } from '../../indexer/store/store.ts';
import type { AskResponse, Hit, VideoSummary } from '../../core/contract/api.ts';
import type { TranscriptRange } from '../../core/library.ts';
import { startLlmServer } from '../helpers/llm-server.ts';
import { copyIndex } from '../summary/helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOOLS = ['ask', 'get_transcript', 'list_episodes', 'search', 'summarize_episode', 'topic'];

let dir: string;
let client: Client;
let stderr = '';
const protocolErrors: Error[] = [];
/** Every stored cue of every episode, by video id: what citations must resolve to. */
const cues = new Map<string, { startMs: number; endMs: number; text: string }[]>();

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
/** A tool's structured result, typed as the core's return value. */
const data = <T>(r: CallToolResult) => r.structuredContent as unknown as T;
/** Starts `episodic mcp` on `dataDir` with `env` and connects an SDK client to it over stdio. */
async function spawnClient(dataDir: string, env: Record<string, string>, onStderr: (text: string) => void): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['bin/episodic.js', 'mcp', '--data', dataDir],
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', EPISODIC_OFFLINE: '1', ...env },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d: Buffer) => onStderr(d.toString()));
  const c = new Client({ name: 'episodic-test', version: '1.0.0' });
  c.onerror = (err) => protocolErrors.push(err);
  await c.connect(transport);
  return c;
}

const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

beforeAll(async () => {
  dir = await copyIndex(inject('lexicapIndex'));
  const store = Store.open(dir);
  try {
    for (const v of store.db.listVideos()) cues.set(v.id, store.db.cues(v.id));
  } finally {
    store.close();
  }
  // No model: answers and summaries are extractive, so every run is the same, offline.
  client = await spawnClient(dir, {}, (text) => (stderr += text));
}, 60_000);

afterAll(async () => {
  await client?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('episodic mcp over stdio', () => {
  it('introduces itself and lists the six tools, each with an input schema', async () => {
    expect(client.getServerVersion()?.name).toBe('episodic');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const t of tools) {
      expect(t.description, t.name).toBeTruthy();
      expect(t.inputSchema.type).toBe('object');
    }
    const ask = tools.find((t) => t.name === 'ask')!;
    expect(ask.inputSchema.required).toEqual(['question']);
    expect(Object.keys(ask.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['question', 'k', 'video', 'channel', 'from', 'to']));
    expect(stderr).toMatch(/serving .* over stdio/);
  });

  it('list_episodes lists the indexed episodes with their ids', async () => {
    const r = await call('list_episodes', {});
    expect(r.isError).toBeFalsy();
    const episodes = data<{ episodes: VideoSummary[] }>(r).episodes;
    expect(episodes.map((e) => e.id).sort()).toEqual([...cues.keys()].sort());
    for (const e of episodes) expect(textOf(r)).toContain(`${e.id}: ${e.title}`);
    const none = await call('list_episodes', { channel: 'No Such Show' });
    expect(data<{ episodes: VideoSummary[] }>(none).episodes).toEqual([]);
  });

  it('search returns moments whose text and times are stored cues, with deep links', async () => {
    const r = await call('search', { query: 'Autopilot', k: 3 });
    expect(r.isError).toBeFalsy();
    const hits = data<{ results: Hit[] }>(r).results;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(3);
    for (const h of hits) {
      const stored = cues.get(h.videoId)!;
      expect(stored.some((c) => c.startMs === Math.round(h.start * 1000))).toBe(true);
      expect(h.url).toMatch(new RegExp(`&t=${Math.floor(h.start)}s$`));
      expect(textOf(r)).toContain(h.url!);
    }
    expect(hits[0].text.toLowerCase()).toContain('autopilot');
  });

  it('ask answers with citations that resolve to real cues, each with a deep link', async () => {
    const r = await call('ask', { question: 'What did Elon Musk say about Autopilot?' });
    expect(r.isError).toBeFalsy();
    const answer = data<AskResponse>(r);
    expect(answer.mode).toBe('extractive');
    expect(answer.citations.length).toBeGreaterThan(0);
    for (const c of answer.citations) {
      const stored = cues.get(c.videoId)!;
      // The citation's moment is a stored cue, and its quote is said at that moment.
      const cue = stored.find((x) => x.startMs === Math.round(c.start * 1000));
      expect(cue, `${c.videoId} @ ${c.start}`).toBeDefined();
      const said = stored.filter((x) => x.startMs >= cue!.startMs && x.startMs <= Math.round(c.end * 1000) + 30_000).map((x) => x.text).join(' ').replace(/\s+/g, ' ');
      expect(said).toContain(c.quote.replace(/[…]/g, '').replace(/\s+/g, ' ').trim().split(' ').slice(0, 4).join(' '));
      expect(c.url).toMatch(new RegExp(`&t=${Math.floor(c.start)}s$`));
      expect(textOf(r)).toContain(c.url!);
    }
    expect(textOf(r)).toMatch(/^# What did Elon Musk say about Autopilot\?/);
  });

  it('get_transcript returns the cues of a time range, cut at the episode end', async () => {
    const [id] = [...cues.keys()];
    const r = await call('get_transcript', { videoId: id, start: 60, end: 120 });
    expect(r.isError).toBeFalsy();
    const range = data<TranscriptRange>(r);
    expect(range.start).toBe(60);
    expect(range.end).toBe(120);
    expect(range.url).toMatch(/&t=60s$/);
    expect(range.cues.length).toBeGreaterThan(5);
    for (const c of range.cues) {
      expect(c.end).toBeGreaterThan(60);
      expect(c.start).toBeLessThan(120);
    }
    expect(textOf(r)).toContain(range.cues[1].text);
    const last = cues.get(id)!.at(-1)!;
    const tail = data<TranscriptRange>(await call('get_transcript', { videoId: id, start: last.startMs / 1000 - 5, end: last.endMs / 1000 + 600 }));
    expect(tail.end).toBeLessThanOrEqual(last.endMs / 1000);
    expect(tail.cues.at(-1)!.text).toBe(last.text.replace(/\s+/g, ' ').trim());
  });

  it('summarize_episode and topic give cited Markdown', async () => {
    const [id] = [...cues.keys()];
    const s = await call('summarize_episode', { videoId: id });
    expect(s.isError).toBeFalsy();
    expect(textOf(s)).toMatch(/## TL;DR[\s\S]*## Key insights/);
    expect(textOf(s)).toMatch(/\[\[\d+:\d{2}\]\]\(https:\/\/www\.youtube\.com\/watch\?v=[\w-]+&t=\d+s\)/);
    const t = await call('topic', { topic: 'artificial intelligence' });
    expect(t.isError).toBeFalsy();
    const topic = data<{ counts: { episodes: number }; episodes: { videoId: string }[] }>(t);
    expect(topic.counts.episodes).toBeGreaterThan(0);
    for (const e of topic.episodes) expect(cues.has(e.videoId)).toBe(true);
    expect(textOf(t)).toMatch(/^# Topic: artificial intelligence/);
  }, 120_000);

  it('bad arguments and unknown ids are tool errors, and the server keeps answering', async () => {
    const wrongType = await call('search', { query: 42 });
    expect(wrongType.isError).toBe(true);
    expect(textOf(wrongType)).toMatch(/Input validation error.*query/);

    const empty = await call('ask', { question: '   ' });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toBe('question: question is required');
    expect(empty.structuredContent).toEqual({ error: { kind: 'invalid', message: 'question: question is required' } });

    const unknown = await call('get_transcript', { videoId: 'no-such-episode' });
    expect(unknown.structuredContent).toEqual({ error: { kind: 'not_found', message: 'video "no-such-episode" not found' } });

    const pathLike = await call('summarize_episode', { videoId: '../../etc/passwd' });
    expect(pathLike.isError).toBe(true);
    expect(textOf(pathLike)).toMatch(/invalid video id/);

    const [id] = [...cues.keys()];
    const past = await call('get_transcript', { videoId: id, start: 1e7 });
    expect(past.structuredContent).toMatchObject({ error: { kind: 'invalid' } });
    expect(textOf(past)).toMatch(/^start: the episode is only [\d:]+ long$/);
    const backwards = await call('get_transcript', { videoId: id, start: 100, end: 50 });
    expect(textOf(backwards)).toBe('end: end must be after start');

    const badDate = await call('search', { query: 'AI', from: '2020-02-30' });
    expect(textOf(badDate)).toBe('from: not a real date');

    const noTool = await call('delete_everything', {});
    expect(noTool.isError).toBe(true);
    expect(textOf(noTool)).toMatch(/Tool delete_everything not found/);

    const still = await call('list_episodes', {});
    expect(data<{ episodes: unknown[] }>(still).episodes.length).toBe(cues.size);
  });

  it('offers each indexed episode as a resource with its transcript', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => decodeURIComponent(r.uri.replace('episodic://episodes/', ''))).sort()).toEqual([...cues.keys()].sort());
    const [first] = resources;
    const read = await client.readResource({ uri: first.uri });
    const text = (read.contents[0] as { text: string }).text;
    expect(text.startsWith(`# ${first.name}`)).toBe(true);
    const id = decodeURIComponent(first.uri.replace('episodic://episodes/', ''));
    expect(text).toContain(cues.get(id)![0].text);
    await expect(client.readResource({ uri: 'episodic://episodes/no-such-episode' })).rejects.toThrow(/video "no-such-episode" not found/);
  });

  it('wrote nothing but protocol to stdout', () => {
    expect(protocolErrors).toEqual([]);
  });
});

describe('episodic mcp with a model configured in its environment', () => {
  it('answers through the model; the [n] markers become citations of stored cues', async () => {
    const llm = await startLlmServer();
    let modelClient: Client | undefined;
    try {
      llm.script({ chunks: ['He says the car ', 'still needs supervision [1].'] });
      modelClient = await spawnClient(dir, { OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: 'test', EPISODIC_LLM_MODEL: 'test-model' }, () => {});
      const r = (await modelClient.callTool({ name: 'ask', arguments: { question: 'Does Autopilot need a human watching?' } })) as CallToolResult;
      const answer = data<AskResponse>(r);
      expect(answer.mode).toBe('llm');
      expect(answer.answer).toBe('He says the car still needs supervision [1].');
      expect(llm.requests.at(-1)!.body.model).toBe('test-model');
      const [c] = answer.citations;
      expect(cues.get(c.videoId)!.find((x) => x.startMs === Math.round(c.start * 1000))?.text).toBe(c.quote);
      expect(textOf(r)).toContain(`still needs supervision [[`);
    } finally {
      await modelClient?.close();
      await llm.close();
    }
  });
});
