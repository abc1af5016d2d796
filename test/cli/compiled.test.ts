/**
 * The compiled CLI (dist/, built by `prepare` and by the test set-up): it runs, and what every
 * command loads at start stays light. Heavy modules (the encoder, Express, YouTube's client,
 * SQLite) must only be reachable through a dynamic import, i.e. loaded by the command that uses them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/episodic.js`;

interface Meta {
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
}

/** Every output and package reached from `entry` through static imports only. */
function staticClosure(meta: Meta, entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length) {
    for (const imp of meta.outputs[queue.pop()!]?.imports ?? []) {
      if (imp.kind !== 'import-statement' || seen.has(imp.path)) continue;
      seen.add(imp.path);
      if (!imp.external) queue.push(imp.path);
    }
  }
  return seen;
}

describe('compiled CLI', () => {
  it('runs from dist/ and prints its version and help', () => {
    const version = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version as string;
    const env = { ...process.env, EPISODIC_FROM_SOURCE: '' };
    expect(execFileSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env }).trim()).toBe(version);
    expect(execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', env })).toMatch(/^episodic \d+\.\d+\.\d+ — /);
  });

  it('an empty variable counts as unset (OPENAI_BASE_URL= used to stop every command with "Invalid URL")', () => {
    const dir = mkdtempSync(join(tmpdir(), 'episodic-empty-env-'));
    try {
      const env = { ...process.env, EPISODIC_FROM_SOURCE: '', OPENAI_BASE_URL: '', OPENAI_API_KEY: '', EPISODIC_PORT: '' };
      expect(execFileSync(process.execPath, [BIN, 'list', '--data', dir], { encoding: 'utf8', env })).toMatch(/^No videos in /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads no heavy module before a command asks for it', () => {
    const meta = JSON.parse(readFileSync(`${ROOT}dist/meta.json`, 'utf8')) as Meta;
    const loaded = [...staticClosure(meta, 'dist/cli/main.js')];
    const heavy = ['better-sqlite3', 'hnswlib-node', 'express', 'youtubei.js', '@energetic-ai', '@huggingface/transformers', 'openai', 'undici', '@modelcontextprotocol/sdk'];
    for (const name of heavy) expect(loaded.filter((p) => p === name || p.startsWith(`${name}/`)), name).toEqual([]);
    // The commands themselves are loaded on demand.
    const dynamic = meta.outputs['dist/cli/main.js'].imports.filter((i) => i.kind === 'dynamic-import');
    expect(dynamic.length).toBeGreaterThanOrEqual(10);
  });

  const commandChunk = (meta: Meta, name: string) =>
    meta.outputs['dist/cli/main.js'].imports.find((i) => i.kind === 'dynamic-import' && new RegExp(`/${name}-[A-Z0-9]+\\.js$`).test(i.path))!.path;

  it('list and search load neither the web server, YouTube client, model client nor an encoder library at start', () => {
    const meta = JSON.parse(readFileSync(`${ROOT}dist/meta.json`, 'utf8')) as Meta;
    const loaded = [...staticClosure(meta, commandChunk(meta, 'query'))];
    const heavy = ['youtubei.js', 'openai', 'express', '@energetic-ai', '@huggingface/transformers'];
    expect(loaded.filter((p) => heavy.some((h) => p === h || p.startsWith(`${h}/`)))).toEqual([]);
  });

  it('serve loads YouTube and model clients only when used', () => {
    const meta = JSON.parse(readFileSync(`${ROOT}dist/meta.json`, 'utf8')) as Meta;
    const loaded = [...staticClosure(meta, commandChunk(meta, 'serve'))];
    expect(loaded.filter((p) => p === 'youtubei.js' || p === 'openai' || p === '@huggingface/transformers')).toEqual([]);
  });
});
