import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Config } from '../core/config.ts';
import { coreDeps } from '../core/deps.ts';
import { VERSION } from '../core/version.ts';
import { cachedEmbedder } from '../indexer/embed/cache.ts';
import { createMcpServer } from '../mcp/server.ts';
import { openForReading } from './open.ts';

/** Questions and answer sentences whose vectors a session remembers (a client often asks again). */
const QUERY_CACHE_ENTRIES = 2000;

/**
 * `episodic mcp`: the MCP server over stdio, for Claude Desktop, Cursor and other MCP clients.
 * Stdout carries the protocol and nothing else: every log line goes to stderr. Runs until the
 * client closes stdin, or SIGINT/SIGTERM.
 */
export async function runMcp(config: Config): Promise<number> {
  // A library that prints with console.log (an encoder's greeting, a warning) would corrupt the
  // protocol stream; send such lines to stderr, where MCP clients keep the server's log.
  for (const name of ['log', 'info', 'debug'] as const) console[name] = (...args: unknown[]) => console.error(...args);
  const opened = await openForReading(config, { command: 'mcp' });
  if (!opened) return 1;
  const embedder = cachedEmbedder(opened.embedder, QUERY_CACHE_ENTRIES);
  const server = createMcpServer({ ...coreDeps(config, opened.store, embedder), version: VERSION });
  const closed = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  process.stderr.write(`episodic mcp: serving ${config.dataDir} over stdio (answers: ${config.llm ? `model ${config.llm.model}` : 'extractive'})\n`);
  await closed;
  await server.close();
  process.stdin.destroy(); // after a signal stdin is still open and would keep the process alive
  await embedder.close();
  opened.store.close();
  return 0;
}
