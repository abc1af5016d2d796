import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../indexer/domain.ts';
import { parseSpeakerMarkdown } from '../../indexer/parse/markdown.ts';
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

// Inputs the fuzzer once found to take seconds (a super-linear regex), kept so they stay fast.
describe('inputs that once took seconds', () => {
  it.each([
    ['a bracket then 40,000 spaces', '[' + ' '.repeat(40_000)],
    ['an escaped bracket then 40,000 byte-order marks (whitespace to a regex)', '\\[' + '\uFEFF'.repeat(40_000)],
  ])('parseSpeakerMarkdown: %s', (_name, text) => {
    const t0 = performance.now();
    try {
      parseSpeakerMarkdown(text, 'slow.md');
    } catch (err) {
      expect(err).toBeInstanceOf(ParseError);
    }
    expect(performance.now() - t0).toBeLessThan(BUDGET_MS);
  });
});
