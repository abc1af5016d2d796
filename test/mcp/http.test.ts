/**
 * The MCP server over Streamable HTTP at /mcp on the real app (createApp over a private copy of
 * the shared Lex Fridman index, listening on a real port): an SDK client lists and calls tools,
 * an answer from an OpenAI-compatible stand-in model gets its citations resolved to stored cues,
 * bad arguments are tool errors, and /mcp is refused to other machines unless they hold the
 * admin token.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { Store } from '../../indexer/store/store.ts';
import { createLlm } from '../../core/llm/client.ts';
import { createApp, type AppDeps } from '../../server/app.ts';
import type { AskResponse, Hit } from '../../core/contract/api.ts';
import { startLlmServer, type LlmServer } from '../helpers/llm-server.ts';
import { copyIndex } from '../summary/helpers.ts';

const TOKEN = 'mcp-http-test-token-0123456789';

let dir: string;
let store: Store;
let embedder: Embedder;
let llmServer: LlmServer;
const servers: Server[] = [];
const clients: Client[] = [];

async function listen(extra: Partial<AppDeps> = {}, host = '127.0.0.1'): Promise<number> {
  const app = createApp({ store, embedder, embedderNote: 'test', version: 'test', ...extra });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, host, () => resolve(s));
  });
  servers.push(server);
  const addr = server.address();
  return typeof addr === 'object' && addr ? addr.port : 0;
}

async function connect(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'episodic-http-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : undefined);
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** A tool's structured result, typed as the core's return value. */
const data = <T>(r: CallToolResult) => r.structuredContent as unknown as T;
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

beforeAll(async () => {
  dir = await copyIndex(inject('lexicapIndex'));
  store = Store.open(dir);
  embedder = await createUseLiteEmbedder();
  store.pin(embedder);
  llmServer = await startLlmServer();
}, 60_000);

afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  await llmServer?.close();
  await embedder?.close();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('MCP over HTTP at /mcp', () => {
  it('lists the tools and searches', async () => {
    const client = await connect(`http://127.0.0.1:${await listen()}/mcp`);
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['ask', 'get_transcript', 'list_episodes', 'search', 'summarize_episode', 'topic']);
    const r = (await client.callTool({ name: 'search', arguments: { query: 'Autopilot', k: 2 } })) as CallToolResult;
    const hits = data<{ results: Hit[] }>(r).results;
    expect(hits.length).toBe(2);
    for (const h of hits) {
      const cue = store.db.cues(h.videoId).find((c) => c.startMs === Math.round(h.start * 1000));
      expect(cue, 'a hit starts at a stored cue').toBeDefined();
    }
    const bad = (await client.callTool({ name: 'search', arguments: { query: 'AI', k: 1000 } })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/^k: /);
  });

  it('answers with a model: markers become citations of real cues with deep links', async () => {
    const port = await listen({ llm: createLlm({ baseURL: llmServer.url, apiKey: 'test', model: 'test-model', timeoutMs: 5000 }) });
    llmServer.script({ chunks: ['Autopilot ', 'is discussed [1].'] });
    const client = await connect(`http://127.0.0.1:${port}/mcp`);
    const r = (await client.callTool({ name: 'ask', arguments: { question: 'What is said about Autopilot?' } })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    const answer = data<AskResponse>(r);
    expect(answer.mode).toBe('llm');
    expect(answer.answer).toBe('Autopilot is discussed [1].');
    expect(answer.citations).toHaveLength(1);
    const [c] = answer.citations;
    const cue = store.db.cues(c.videoId).find((x) => x.startMs === Math.round(c.start * 1000));
    expect(cue?.text).toBe(c.quote);
    expect(textOf(r)).toContain(`[[`);
    expect(textOf(r)).toContain(`](${c.url})`);
    expect(c.url).toMatch(new RegExp(`&t=${Math.floor(c.start)}s$`));
  });

  it('answers GET with 405 and keeps the UI fallback off /mcp', async () => {
    const port = await listen();
    const res = await fetch(`http://127.0.0.1:${port}/mcp`);
    expect(res.status).toBe(405);
    expect((await res.json()).error.message).toMatch(/POST/);
  });

  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(!lan)('refuses other machines without the admin token, accepts them with it', async () => {
    const open = await listen({}, '0.0.0.0');
    const refused = await fetch(`http://${lan}:${open}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatch(/only available from this machine/);

    const guarded = await listen({ adminToken: TOKEN }, '0.0.0.0');
    await expect(connect(`http://${lan}:${guarded}/mcp`)).rejects.toThrow(/403|EPISODIC_ADMIN_TOKEN/);
    await expect(connect(`http://${lan}:${guarded}/mcp`, 'wrong-token-0123456789')).rejects.toThrow(/403|invalid admin token/);
    const client = await connect(`http://${lan}:${guarded}/mcp`, TOKEN);
    const r = (await client.callTool({ name: 'list_episodes', arguments: {} })) as CallToolResult;
    expect(data<{ episodes: unknown[] }>(r).episodes.length).toBe(store.db.listVideos().length);
  });

  it('refuses a browser page from another site, even on loopback', async () => {
    const port = await listen();
    const res = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', origin: 'http://evil.example' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(403);
  });
});
