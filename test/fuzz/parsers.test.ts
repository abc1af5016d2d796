import fc from 'fast-check';
import { describe, it } from 'vitest';
import { FUZZ_TARGETS } from './targets.ts';

// A small seeded run so `npm test` is fast and repeatable; `npm run fuzz` runs ≥ 10,000 per target.
const RUNS = 200;
const SEED = 20261128;
// Generous: the suite may share the CPU with other test files; a real hang takes far longer.
const BUDGET_MS = 2000;

describe('fuzzed parsers (seeded)', () => {
  for (const target of FUZZ_TARGETS) {
    it(`${target.name}: only typed errors, well-formed cues, nothing dropped silently`, () => {
      fc.assert(target.property(BUDGET_MS), { numRuns: RUNS, seed: SEED });
    });
  }
});
