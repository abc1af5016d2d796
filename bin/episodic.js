#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` through `prepare`, or `npm run build`).
// EPISODIC_FROM_SOURCE=1, or a checkout without dist/, runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

// `episodic search … | head` closes stdout early; that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const compiled = new URL('../dist/cli/main.js', import.meta.url);
let main;
if (process.env.EPISODIC_FROM_SOURCE !== '1' && existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2), process.env);
