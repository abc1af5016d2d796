import { describe, expect, it } from 'vitest';
import { historyOf, MAX_HISTORY, MAX_HISTORY_CHARS, placeQuestion, stripMarkers, type Turn } from '../../web/src/lib/text/conversation.ts';

const turn = (key: string, answer = `Answer to ${key} [1].`): Turn => ({
  key,
  question: `question ${key}`,
  answer,
  citations: [],
  sources: [],
  invalid: [],
  mode: 'extractive',
  notice: null,
  passages: [],
  covered: true,
});

describe('conversation history', () => {
  it('sends each turn as a user question and an assistant answer, markers removed', () => {
    expect(historyOf([turn('a'), turn('b', 'It grew [1, 2]. Then it shrank [3]\n\nBye [4]')])).toEqual([
      { role: 'user', content: 'question a' },
      { role: 'assistant', content: 'Answer to a.' },
      { role: 'user', content: 'question b' },
      { role: 'assistant', content: 'It grew. Then it shrank\n\nBye' },
    ]);
  });

  it('skips empty answers and stays within the server limits', () => {
    expect(historyOf([turn('a', ' [1] ')])).toEqual([{ role: 'user', content: 'question a' }]);
    const many = Array.from({ length: 15 }, (_, i) => turn(String(i), 'x'.repeat(MAX_HISTORY_CHARS + 10)));
    const h = historyOf(many);
    expect(h).toHaveLength(MAX_HISTORY);
    expect(h.at(-1)?.content).toHaveLength(MAX_HISTORY_CHARS);
    expect(h[0]).toEqual({ role: 'user', content: 'question 5' });
  });

  it('strips every marker form the server reads', () => {
    expect(stripMarkers('A [1]; B [2,3] and C [4 ; 5].')).toBe('A; B and C.');
  });
});

describe('placing a question in the conversation', () => {
  const thread = [turn('a'), turn('b'), turn('c')];

  it('puts a follow-up right after the earlier questions the URL names', () => {
    expect(placeQuestion(thread, ['a'], 'x')).toEqual({ kind: 'follow-up', at: 1 });
    expect(placeQuestion(thread, ['a', 'b', 'c'], 'x')).toEqual({ kind: 'follow-up', at: 3 });
  });

  it('goes back to a turn already answered (Back and Forward)', () => {
    expect(placeQuestion(thread, [], 'a')).toEqual({ kind: 'revisit', at: 0 });
    expect(placeQuestion(thread, ['a', 'b'], 'c')).toEqual({ kind: 'revisit', at: 2 });
    // A citation link without the thread still finds its turn.
    expect(placeQuestion(thread, [], 'c')).toEqual({ kind: 'revisit', at: 2 });
  });

  it('starts over for a question with no thread, and rebuilds a thread it does not hold', () => {
    expect(placeQuestion(thread, [], 'z')).toEqual({ kind: 'new' });
    expect(placeQuestion(thread, ['a', 'z'], 'y')).toEqual({ kind: 'rebuild' });
    expect(placeQuestion([], ['a'], 'x')).toEqual({ kind: 'rebuild' });
  });
});
