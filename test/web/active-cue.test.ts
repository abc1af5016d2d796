import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeCueIndex } from '../../web/src/lib/text/active-cue.ts';

describe('activeCueIndex', () => {
  const starts = [0, 5.28, 11.68, 16.24, 22.4];

  it('finds the last cue starting at or before the time', () => {
    expect(activeCueIndex(starts, 0)).toBe(0);
    expect(activeCueIndex(starts, 5.27)).toBe(0);
    expect(activeCueIndex(starts, 5.28)).toBe(1);
    expect(activeCueIndex(starts, 14)).toBe(2); // in the gap after cue 2: it stays lit
    expect(activeCueIndex(starts, 9999)).toBe(4);
  });

  it('is -1 before the first cue and for no cues', () => {
    expect(activeCueIndex([3, 4], 2.9)).toBe(-1);
    expect(activeCueIndex([], 10)).toBe(-1);
  });

  it('picks the last of equal starts', () => {
    expect(activeCueIndex([1, 2, 2, 2, 3], 2)).toBe(3);
  });

  it('agrees with a linear scan', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 })), fc.integer({ min: -5, max: 505 }), (raw, t) => {
        const sorted = [...raw].sort((a, b) => a - b);
        let expected = -1;
        sorted.forEach((s, i) => s <= t && (expected = i));
        expect(activeCueIndex(sorted, t)).toBe(expected);
      }),
    );
  });
});
