import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/** Where `npm run dev`-style vite serving forwards API calls: a locally running `episodic serve`. */
const API_TARGET = 'http://127.0.0.1:3000';

export default defineConfig(({ mode }) => ({
  // The web UI lives in web/; tests and the server stay at the repo root (see test.root).
  root: fileURLToPath(new URL('./web', import.meta.url)),
  // Vitest runs server and indexer code under node: the Svelte plugin is only for the UI build.
  plugins: mode === 'test' ? [] : [svelte({ configFile: false })],
  build: {
    outDir: fileURLToPath(new URL('./web/dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: { '/api': { target: API_TARGET, changeOrigin: false } },
  },
  test: {
    root: repoRoot,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
}));
