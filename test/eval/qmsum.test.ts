import { describe, expect, it } from 'vitest';
import { cleanTurn, convertMeeting, QmsumMeeting, WORDS_PER_MINUTE } from '../../eval/qmsum.ts';

// 150 words per minute: every word lasts 400 ms.
const meeting = QmsumMeeting.parse({
  meeting_transcripts: [
    { speaker: 'Project Manager', content: "Hello everyone , we 're {disfmarker} starting now ." }, // 5 words: 0–2000
    { speaker: 'Industrial Designer', content: '{vocalsound} {gap}' }, // empty: 2000–2000, no cue
    { speaker: 'Industrial Designer', content: "I do n't know ." }, // 3 words: 2000–3200
    { speaker: 'Project Manager', content: 'OK .' }, // 1 word: 3200–3600
  ],
  specific_query_list: [
    { query: 'How did the meeting start?', answer: 'ignored', relevant_text_span: [['0', '0']] },
    { query: 'What did the designer say?', answer: 'ignored', relevant_text_span: [['1', '2'], ['3', '3']] },
    { query: 'Whole meeting', answer: 'ignored', relevant_text_span: [['0', '3']] },
  ],
});

describe('QMSum conversion', () => {
  it('removes markup and undoes the corpus tokenisation', () => {
    expect(cleanTurn("Hello everyone , we 're {disfmarker} starting now .")).toBe("Hello everyone, we're starting now.");
    expect(cleanTurn("I do n't know . It 's fine , I 'm sure ?")).toBe("I don't know. It's fine, I'm sure?");
    expect(cleanTurn('{vocalsound} {gap}')).toBe('');
    expect(cleanTurn("'cause it's {pause} there")).toBe("'cause it's there");
  });

  it('times turns by word count at the speaking rate and keeps speakers', () => {
    expect(WORDS_PER_MINUTE).toBe(150);
    const { input } = convertMeeting('TS0000a', meeting);
    expect(input.meta).toMatchObject({ id: 'TS0000a', durationMs: 3600 });
    expect(input.cues).toEqual([
      { startMs: 0, endMs: 2000, text: "Hello everyone, we're starting now.", speaker: 'Project Manager' },
      { startMs: 2000, endMs: 3200, text: "I don't know.", speaker: 'Industrial Designer' },
      { startMs: 3200, endMs: 3600, text: 'OK.', speaker: 'Project Manager' },
    ]);
  });

  it('turns inclusive turn spans into time spans anchored at their start', () => {
    const { queries } = convertMeeting('TS0000a', meeting);
    expect(queries.map((q) => q.id)).toEqual(['TS0000a#0', 'TS0000a#1', 'TS0000a#2']);
    expect(queries[0]).toMatchObject({ q: 'How did the meeting start?', videoId: 'TS0000a', gold: [{ startMs: 0, endMs: 2000, anchorMs: 0 }] });
    expect(queries[1].gold).toEqual([
      { startMs: 2000, endMs: 3200, anchorMs: 2000 },
      { startMs: 3200, endMs: 3600, anchorMs: 3200 },
    ]);
    // END INCLUSIVE: [0, 3] covers the last turn too.
    expect(queries[2].gold).toEqual([{ startMs: 0, endMs: 3600, anchorMs: 0 }]);
  });

  it('rejects spans outside the meeting', () => {
    const bad = { ...meeting, specific_query_list: [{ query: 'x', relevant_text_span: [[2, 4]] as [number, number][] }] };
    expect(() => convertMeeting('TS0000a', bad)).toThrow(/outside 4 turns/);
  });
});
