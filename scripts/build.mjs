#!/usr/bin/env node
// Compiles the CLI, server and indexer to dist/ with esbuild: one ESM bundle per entry point,
// split into shared chunks so each command loads only the code it runs (the CLI imports command
// modules on demand). Dependencies stay in node_modules (native addons, WASM models). esbuild
// rather than tsc: it bundles and splits (hundreds of small files load measurably slower than a
// few chunks), takes well under a second, and type checking stays a separate step (npm run typecheck).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}dist`, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['cli/main.ts', 'server/main.ts', 'indexer/embed/worker.ts'],
  outdir: 'dist',
  outbase: '.',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  metafile: true,
});
// What each output imports, statically or on demand: the test that --help loads no heavy module reads it.
writeFileSync(`${root}dist/meta.json`, JSON.stringify(result.metafile));
