import type { Cue } from '../../indexer/domain.ts';

/**
 * The contract every parser promises: integer times, start <= end, sorted by start, and
 * non-empty trimmed text. Returns the violations so corpus tests and the fuzzer can count
 * them without one `expect` per cue. Free of vitest so the standalone fuzz script can use it.
 */
export function contractViolations(cues: Cue[]): string[] {
  const problems: string[] = [];
  cues.forEach((cue, i) => {
    if (!Number.isInteger(cue.startMs) || !Number.isInteger(cue.endMs)) problems.push(`#${i}: non-integer time`);
    if (cue.startMs < 0 || cue.startMs > cue.endMs) problems.push(`#${i}: start ${cue.startMs} > end ${cue.endMs}`);
    if (i > 0 && cue.startMs < cues[i - 1].startMs) problems.push(`#${i}: starts before the previous cue`);
    if (cue.text === '' || cue.text !== cue.text.trim()) problems.push(`#${i}: empty or untrimmed text`);
  });
  return problems;
}
