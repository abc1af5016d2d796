import { describe, expect, it } from 'vitest';
import type { Cue } from '../../indexer/domain.ts';
import { buildWindows, endsSentence, splitLongCues, splitSentences, windowText } from '../../indexer/segment/windows.ts';

/** n cues of `seconds` each, every one a full sentence of `words` words. */
function sentences(n: number, seconds: number, words = 10, startMs = 0): Cue[] {
  return Array.from({ length: n }, (_, i) => ({
    startMs: startMs + i * seconds * 1000,
    endMs: startMs + (i + 1) * seconds * 1000,
    text: `${Array.from({ length: words - 1 }, () => 'word').join(' ')} s${i}.`,
  }));
}

describe('buildWindows', () => {
  it('closes at the first sentence end after the target and overlaps by one sentence', () => {
    // 5 s sentences: target 50 s → window closes after cue 9 (ends at 50 s); next starts at cue 9.
    const w = buildWindows(sentences(30, 5));
    expect(w[0]).toMatchObject({ startMs: 0, endMs: 50_000, firstCue: 0, lastCue: 9 });
    expect(w[1].firstCue).toBe(8); // overlap: cues 8-9 (10 s, 20 words) fit the 12 s / 35-word limit
    expect(w[1].startMs).toBe(40_000);
    expect(w.at(-1)!.lastCue).toBe(29);
    for (let i = 1; i < w.length; i++) expect(w[i].firstCue).toBeGreaterThan(w[i - 1].firstCue);
  });

  it('respects the word limit even without sentence ends (auto-captions)', () => {
    const cues: Cue[] = Array.from({ length: 40 }, (_, i) => ({ startMs: i * 2000, endMs: i * 2000 + 2000, text: 'one two three four five six seven eight nine ten' }));
    const w = buildWindows(cues);
    for (const s of w) expect(s.text.split(/\s+/).length).toBeLessThanOrEqual(170);
    expect(w[0].lastCue).toBe(15); // 16 cues × 10 words = 160 words
    expect(w[1].firstCue).toBe(13); // overlaps by the cues within 35 words (3 × 10)
    expect(w.at(-1)!.lastCue).toBe(39);
  });

  it('never crosses a long pause', () => {
    const cues = [...sentences(3, 5), ...sentences(3, 5, 10, 100_000)];
    const w = buildWindows(cues);
    expect(w.map((s) => [s.firstCue, s.lastCue])).toEqual([
      [0, 2],
      [3, 5],
    ]);
  });

  it('returns one window for a short transcript and none for an empty one', () => {
    expect(buildWindows(sentences(2, 3))).toHaveLength(1);
    expect(buildWindows([])).toEqual([]);
  });

  it('labels speaker changes in the window text and lists speakers', () => {
    const cues: Cue[] = [
      { startMs: 0, endMs: 1000, text: 'Hi there.', speaker: 'Ann' },
      { startMs: 1000, endMs: 2000, text: 'How are you?', speaker: 'Ann' },
      { startMs: 2000, endMs: 3000, text: 'Fine.', speaker: 'Bob' },
    ];
    expect(windowText(cues, 0, 2)).toBe('Ann: Hi there. How are you?\nBob: Fine.');
    expect(buildWindows(cues)[0].speakers).toEqual(['Ann', 'Bob']);
  });
});

describe('splitLongCues', () => {
  it('splits a long paragraph into sentences with interpolated times', () => {
    const long = `${'First sentence has some words in it. '.repeat(6)}Last one here.`.trim();
    const out = splitLongCues([{ startMs: 10_000, endMs: 70_000, text: long, speaker: 'Ann' }], { longCueWords: 10 });
    expect(out.length).toBe(7);
    expect(out[0].startMs).toBe(10_000);
    expect(out.at(-1)!.endMs).toBe(70_000);
    for (let i = 1; i < out.length; i++) expect(out[i].startMs).toBe(out[i - 1].endMs);
    expect(out.every((c) => c.speaker === 'Ann')).toBe(true);
  });

  it('keeps short cues untouched', () => {
    const cues = sentences(3, 2);
    expect(splitLongCues(cues)).toEqual(cues);
  });
});

describe('sentence helpers', () => {
  it('detects sentence ends including closing quotes', () => {
    expect(endsSentence('He said "go."')).toBe(true);
    expect(endsSentence('and then')).toBe(false);
    expect(splitSentences('One. Two? "Three!" four')).toEqual(['One.', 'Two?', '"Three!" four']);
  });
});
