import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../indexer/parse/detect.ts';
import { QuestionFile, questionsToQueries } from '../../eval/questions.ts';

const FILE = new URL('../../eval/questions/listener-questions.json', import.meta.url).pathname;

const tiny = {
  episodes: [{ id: 'ep1', file: 'a.vtt', title: 'Episode one' }],
  questions: [{ id: 'q1', episode: 'ep1', q: 'Why?', answerS: 10, evidence: 'Because.' }],
};

describe('question files', () => {
  it('turn each answer time into a gold span of ± tolerance anchored at the answer', () => {
    const file = QuestionFile.parse(tiny);
    expect(file.toleranceS).toBe(15);
    expect(questionsToQueries(file)).toEqual([{ id: 'q1', q: 'Why?', videoId: 'ep1', gold: [{ startMs: 0, endMs: 25_000, anchorMs: 10_000 }] }]);
    const wide = QuestionFile.parse({ ...tiny, toleranceS: 30, questions: [{ ...tiny.questions[0], answerS: 100.5 }] });
    expect(questionsToQueries(wide)[0].gold).toEqual([{ startMs: 70_500, endMs: 130_500, anchorMs: 100_500 }]);
  });

  it('reject questions about unknown episodes and duplicate ids', () => {
    const unknown = { ...tiny, questions: [{ ...tiny.questions[0], episode: 'ep2' }] };
    expect(QuestionFile.safeParse(unknown).error?.issues[0].message).toMatch(/unknown episode "ep2"/);
    const dup = { ...tiny, questions: [tiny.questions[0], tiny.questions[0]] };
    expect(QuestionFile.safeParse(dup).error?.issues[0].message).toMatch(/duplicate id "q1"/);
  });
});

const set = QuestionFile.parse(JSON.parse(readFileSync(FILE, 'utf8')));
const root = resolve(dirname(FILE), set.dataRoot);

describe('the listener question set', () => {
  it('has at least 40 questions spread over 10–15 episodes', () => {
    expect(set.questions.length).toBeGreaterThanOrEqual(40);
    expect(set.episodes.length).toBeGreaterThanOrEqual(10);
    expect(set.episodes.length).toBeLessThanOrEqual(15);
    for (const ep of set.episodes) expect(set.questions.filter((q) => q.episode === ep.id).length).toBeGreaterThanOrEqual(3);
  });

  // Re-checks every label against the transcript as Episodic parses it: the evidence line is the cue at answerS.
  it.skipIf(!set.episodes.every((e) => existsSync(join(root, e.file))))('has every answer time on a cue that says the evidence', () => {
    for (const ep of set.episodes) {
      const path = join(root, ep.file);
      const { cues } = parseTranscript(path, readFileSync(path, 'utf8'));
      for (const q of set.questions.filter((x) => x.episode === ep.id)) {
        const cue = cues.find((c) => c.startMs === Math.round(q.answerS * 1000));
        expect(cue?.text, q.id).toContain(q.evidence.replace(/^- /, ''));
      }
    }
  });
});
