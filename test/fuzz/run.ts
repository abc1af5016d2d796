/**
 * `npm run fuzz [-- --runs N --seed S --only NAME]`: the long fuzz run over every parser
 * (default 10,000 inputs each, a fresh random seed). Prints one line per target and the seed,
 * so a failure can be replayed with `--seed`. Exits 1 when any property fails.
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { FUZZ_TARGETS } from './targets.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    only: { type: 'string' },
    budget: { type: 'string', default: '1000' },
  },
});
const runs = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const budgetMs = Number(values.budget);

let failed = 0;
console.log(`fuzz: ${runs} runs per target, seed ${seed}, per-input budget ${budgetMs} ms`);
for (const target of FUZZ_TARGETS.filter((t) => !values.only || t.name.includes(values.only))) {
  const t0 = performance.now();
  const details = fc.check(target.property(budgetMs), { numRuns: runs, seed });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (details.failed) {
    failed++;
    console.log(`FAIL ${target.name} after ${details.numRuns} runs (${secs} s)`);
    // Counterexamples can be megabytes (repeated fragments); show the start and the reason.
    const example = JSON.stringify(details.counterexample);
    console.log(`  input: ${example.length > 400 ? `${example.slice(0, 400)}… (${example.length} chars)` : example}`);
    console.log(`  error: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
    console.log(`  replay: --seed ${seed} (path ${details.counterexamplePath})`);
  } else {
    console.log(`ok   ${target.name}: ${details.numRuns} inputs in ${secs} s`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
