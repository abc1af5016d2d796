/**
 * The import graph reads as adapters (cli, server = the HTTP adapter, mcp, web) → core → indexer,
 * read from the real source files: only indexer/store/ touches SQLite, server/ holds nothing but
 * the HTTP adapter, the adapters do not import each other, the web bundle takes only types from
 * core/contract and the pure core/export.ts, and summaries share the model and transcript modules
 * instead of the answer's insides.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRODUCT = ['cli', 'core', 'indexer', 'mcp', 'server', 'eval', 'scripts', 'bench', 'web/src'];

interface SourceFile {
  path: string;
  text: string;
  /** Imported repository paths (relative imports resolved), with whether the import is type-only. */
  imports: { target: string; typeOnly: boolean }[];
}

function listFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'results' ? [] : listFiles(path);
    return /\.(ts|mts|mjs|js|svelte)$/.test(e.name) ? [path] : [];
  });
}

const IMPORT = /\bimport\s+(type\s+)?(?:[^'"()]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\bexport\s+(type\s+)?[^'"]*?\sfrom\s+['"]([^'"]+)['"]/g;

function read(path: string): SourceFile {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const imports = [...text.matchAll(IMPORT)].map((m) => {
    const spec = m[2] ?? m[3] ?? m[5];
    const target = spec.startsWith('.') ? relative(ROOT, join(ROOT, dirname(path), spec)) : spec;
    return { target, typeOnly: Boolean(m[1] ?? m[4]) };
  });
  return { path, text, imports };
}

const files = PRODUCT.flatMap(listFiles).map(read);
const under = (prefix: string) => files.filter((f) => f.path.startsWith(prefix));
/** `file → target` for every import of `from` files that `bad` refuses. */
const violations = (from: SourceFile[], bad: (target: string, typeOnly: boolean, file: string) => boolean) =>
  from.flatMap((f) => f.imports.filter((i) => bad(i.target, i.typeOnly, f.path)).map((i) => `${f.path} → ${i.target}`));

describe('the import graph', () => {
  it('reads every product folder', () => {
    for (const dir of PRODUCT) expect(under(`${dir}/`).length, dir).toBeGreaterThan(0);
  });

  it('leaves SQL to indexer/store: no other file imports better-sqlite3, reaches for the handle or prepares a statement', () => {
    const outside = files.filter((f) => !f.path.startsWith('indexer/store/'));
    expect(violations(outside, (t) => t === 'better-sqlite3')).toEqual([]);
    // `.sqlite` not followed by a quote: the handle, not a file name like 'episodic.sqlite'.
    expect(outside.filter((f) => /\.sqlite\b(?!['"`])|\.prepare\(/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('keeps server/ to the HTTP adapter: the app, its wiring, its routes and their helpers', () => {
    const adapterFile = /^server\/(app|main|errors|sse|cors|page|rate-limit)\.ts$|^server\/routes\/[^/]+\.ts$/;
    expect(under('server/').map((f) => f.path).filter((p) => !adapterFile.test(p))).toEqual([]);
  });

  it('keeps the adapters apart: the CLI and the MCP server take nothing from the HTTP server', () => {
    // The serve command is what starts the HTTP server, as `episodic mcp` starts the MCP one.
    const launcher = (t: string, file: string) => file === 'cli/serve.ts' && t === 'server/main.ts';
    expect(violations(under('cli/'), (t, _, file) => t.startsWith('server/') && !launcher(t, file))).toEqual([]);
    expect(violations(under('mcp/'), (t) => t.startsWith('server/') || t.startsWith('cli/'))).toEqual([]);
  });

  it('lets the CLI take from the indexer only types, output formatting and the wiring a command needs', () => {
    // Everything a command does goes through core/; what the CLI may still take from indexer/ is
    // what an adapter does itself, as server/main.ts does for the HTTP server.
    const wiring: Record<string, RegExp> = {
      // Opening the index, its write lock and the embedder (worker threads for bulk embedding).
      'cli/open.ts': /^indexer\/(store\/store|embed\/spec)\.ts$/,
      'cli/writing.ts': /^indexer\/(store\/(store|lock|data-dir)|embed\/(spec|pool))\.ts$/,
      'cli/query.ts': /^indexer\/store\/(store|lock)\.ts$/,
      'cli/summary.ts': /^indexer\/store\/store\.ts$/,
      'cli/mcp.ts': /^indexer\/embed\/cache\.ts$/,
      // Turning the indexer's own errors into one sentence each.
      'cli/explain.ts': /^indexer\/(store\/(store|lock|data-dir)|embed\/transformers)\.ts$/,
      // Telling a YouTube or feed argument from a path at start-up, with the pure reference parsers only.
      'cli/source-kind.ts': /^indexer\/sources\/(ingest-ref|youtube-url)\.ts$/,
    };
    // Timestamps in printed output.
    const formatting = (t: string) => t === 'indexer/time.ts';
    const allowed = (t: string, typeOnly: boolean, file: string) => typeOnly || formatting(t) || Boolean(wiring[file]?.test(t));
    expect(violations(under('cli/'), (t, typeOnly, file) => t.startsWith('indexer/') && !allowed(t, typeOnly, file))).toEqual([]);
  });

  it('gives the web bundle only types from core/contract and the pure exports of core/export.ts', () => {
    const web = under('web/src/');
    expect(violations(web, (t, typeOnly) => t.startsWith('core/contract/') && !typeOnly)).toEqual([]);
    const allowed = (t: string) => t.startsWith('core/contract/') || t === 'core/export.ts';
    expect(violations(web, (t) => /^(core|server|cli|mcp|indexer)\//.test(t) && !allowed(t))).toEqual([]);
  });

  it('keeps the core below the adapters and the indexer below everything', () => {
    const adapter = (t: string) => /^(cli|mcp|server|web)\//.test(t);
    expect(violations(under('core/'), adapter)).toEqual([]);
    expect(violations(under('indexer/'), (t) => /^(server|core|cli|mcp|web)\//.test(t))).toEqual([]);
    // The domain modules the services are built on take, of the services' own files, only the errors.
    const domain = files.filter((f) => /^core\/(answer|summary|retrieval|llm|transcript|contract)\//.test(f.path));
    expect(domain.length).toBeGreaterThan(0);
    expect(violations(domain, (t) => /^core\/[^/]+\.ts$/.test(t) && t !== 'core/errors.ts')).toEqual([]);
  });

  it('lets summaries share the model and transcript modules, not the answer pipeline', () => {
    expect(under('core/summary/').length).toBeGreaterThan(0);
    expect(violations(under('core/summary/'), (t) => t.startsWith('core/answer/'))).toEqual([]);
  });
});
