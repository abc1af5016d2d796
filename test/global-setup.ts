import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildLexicapIndex } from './helpers/lexicap-index.ts';

/** Four short Lex Fridman episodes shared (read-only) by the search, HTTP and answer tests. */
export const LEXICAP_EPISODES = [8, 18, 39, 53];

declare module 'vitest' {
  export interface ProvidedContext {
    lexicapIndex: string;
  }
}

export default async function setup(project: TestProject) {
  // Tests that start `bin/episodic.js` run the compiled CLI, as users do: compile the current sources.
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'episodic-shared-index-'));
  const summary = await buildLexicapIndex(dir, LEXICAP_EPISODES);
  if (summary.added !== LEXICAP_EPISODES.length) throw new Error(`shared test index: ${JSON.stringify(summary.failed)}`);
  project.provide('lexicapIndex', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
