import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerGroups, hashSplit, judgeAnswer, loadAnswerCases, quoteFlag, wordOverlap, type AnswerCase } from '../../eval/answers.ts';
import type { Citation } from '../../core/contract/api.ts';

const cite = (marker: number, videoId: string, start: number, quote = 'words'): Citation => ({ marker, n: marker + 1, videoId, title: 'T', start, end: start + 2, quote, url: null });

describe('answer scoring', () => {
  const c: AnswerCase = { id: 'q1', q: 'Why do rockets need to be reusable?', split: 'tune', gold: { videoId: 'v', startS: 985, endS: 1045 } };

  it('counts the gold moment cited when a citation starts in the window, quoted when a passage overlaps it', () => {
    const answer = '“Reusable rockets cut the cost.” [1]\n“Unrelated.” [2]';
    const j = judgeAnswer(c, { answer, citations: [cite(0, 'v', 1000), cite(1, 'w', 50)] }, 'rockets must be reusable to cut cost');
    expect(j).toMatchObject({ goldCited: true, goldQuoted: true, citations: 2, kind: 'named', declined: false });
    // Share of quoted characters (marker sentences, quote marks included) from the gold episode.
    expect(j.goldShare).toBeCloseTo('“Reusable rockets cut the cost.”'.length / ('“Reusable rockets cut the cost.”'.length + '“Unrelated.”'.length), 5);
    const early = judgeAnswer(c, { answer: '“Long passage.” [1]', citations: [cite(0, 'v', 960)], passages: [{ marker: 0, n: 1, videoId: 'v', title: 'T', publishedAt: null, thumbnail: null, start: 960, end: 990, text: 'Long passage.', url: null }] });
    expect([early.goldCited, early.goldQuoted]).toEqual([false, true]);
    expect(judgeAnswer(c, { answer: 'x [1]', citations: [cite(0, 'w', 1000)] }).goldCited).toBe(false);
  });

  it('flags intros by time or wording and sponsor reads by wording', () => {
    expect(quoteFlag(30, 'Rockets are hard.')).toBe('intro');
    expect(quoteFlag(900, 'So first, Elon, let me say thank you for doing this.')).toBe('intro');
    expect(quoteFlag(900, 'This show is brought to you by Cash App, use code LEX.')).toBe('sponsor');
    expect(quoteFlag(900, 'Reusability is the holy grail of rocketry.')).toBeUndefined();
  });

  it('labels paraphrases by the share of question words in the gold window', () => {
    expect(wordOverlap('Why do rockets need to be reusable?', 'reusable rockets')).toBeCloseTo(2 / 3, 5);
    expect(judgeAnswer(c, { answer: '', citations: [] }, 'the holy grail of spaceflight').kind).toBe('paraphrase');
  });

  it('reads writer files with splits and unanswerable questions, and groups the report by split and kind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'episodic-answers-'));
    const file = join(dir, 'set.json');
    writeFileSync(file, JSON.stringify({
      episodes: [{ id: 'a', title: 'A', split: 'tune' }, { id: 'b', title: 'B', split: 'test' }],
      questions: [{ id: 'a-1', episode: 'a', q: 'Q?', answerS: 10, answerEndS: 20 }, { id: 'b-1', episode: 'b', q: 'Q?', answerS: 5 }],
      unanswerable: [{ id: 'u-1', q: 'zxqv blorf' }],
    }));
    const cases = loadAnswerCases([file]);
    expect(cases.map((x) => [x.id, x.split, x.gold?.startS, x.gold?.endS])).toEqual([['a-1', 'tune', 0, 35], ['b-1', 'test', 0, 20], ['u-1', hashSplit('u-1'), undefined, undefined]]);
    const js = cases.map((x) => judgeAnswer(x, { answer: '', citations: [], covered: x.gold !== undefined }));
    const names = answerGroups(js).map((g) => g.name);
    expect(names).toContain('tune: answerable');
    expect(names).toContain('test: paraphrase');
    expect(answerGroups(js).find((g) => g.name.endsWith('unanswerable'))!.summary.declined).toBe(1);
    writeFileSync(file, JSON.stringify({ episodes: [{ id: 'a', title: 'A' }], questions: [{ id: 'x', episode: 'zz', q: 'Q?', answerS: 1 }] }));
    expect(() => loadAnswerCases([file])).toThrow(/unknown episode "zz"/);
  });
});
