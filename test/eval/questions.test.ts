import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../indexer/parse/detect.ts';
import { labelQuery, mergeQuestionSets, paraphraseShare, QuestionFile, questionsToQueries, WriterFile } from '../../eval/questions.ts';
import { queryGroups } from '../../eval/run.ts';

const FILE = new URL('../../eval/questions/listener-questions.json', import.meta.url).pathname;

const tiny = {
  episodes: [{ id: 'ep1', file: 'a.vtt', title: 'Episode one' }],
  questions: [{ id: 'q1', episode: 'ep1', q: 'Why?', answerS: 10, evidence: 'Because.' }],
};

describe('question files', () => {
  it('turn each answer time into a gold span of ± tolerance anchored at the answer', () => {
    const file = QuestionFile.parse(tiny);
    expect(file.toleranceS).toBe(15);
    expect(questionsToQueries(file)).toEqual([{ id: 'q1', q: 'Why?', videoId: 'ep1', split: 'tune', gold: [{ startMs: 0, endMs: 25_000, anchorMs: 10_000 }] }]);
    const wide = QuestionFile.parse({ ...tiny, toleranceS: 30, questions: [{ ...tiny.questions[0], answerS: 100.5 }] });
    expect(questionsToQueries(wide)[0].gold).toEqual([{ startMs: 70_500, endMs: 130_500, anchorMs: 100_500 }]);
  });

  it('widen answerS..answerEndS by the tolerance and carry the episode split', () => {
    const file = QuestionFile.parse({
      episodes: [{ id: 'ep1', file: 'a.vtt', title: 'One', split: 'test' }],
      questions: [{ ...tiny.questions[0], answerS: 100, answerEndS: 130 }],
      unanswerable: [{ id: 'u1', q: 'What did they say about knitting?' }],
    });
    expect(questionsToQueries(file)[0]).toMatchObject({ split: 'test', gold: [{ startMs: 85_000, endMs: 145_000, anchorMs: 100_000 }] });
    expect(file.unanswerable).toHaveLength(1);
    const backwards = { ...tiny, questions: [{ ...tiny.questions[0], answerEndS: 5 }] };
    expect(QuestionFile.safeParse(backwards).error?.issues[0].message).toMatch(/answerEndS is before answerS/);
  });

  it('label a question paraphrase when under 0.3 of its content words are said in the gold window', () => {
    // Content words: robot, vacuum, cleaner, break (stems); the window says "robot" and "vacuum": 2/4.
    expect(paraphraseShare('Why did the robot vacuum cleaner break?', 'My robot was a vacuum, it never broke down.')).toBe(0.5);
    expect(paraphraseShare('What was his first martial arts class like?', 'When I walked into a dojo at fourteen')).toBe(0);
    const q = questionsToQueries(QuestionFile.parse({ ...tiny, questions: [{ ...tiny.questions[0], q: 'What scared the dog?', answerS: 60 }] }))[0];
    const cues = [
      { startMs: 0, endMs: 30_000, text: 'The dog was scared.' }, // before the gold span (45..75 s): not counted
      { startMs: 50_000, endMs: 55_000, text: 'Thunder, every single time.' },
    ];
    expect(labelQuery(q, cues)).toEqual({ kind: 'paraphrase', share: 0 });
    expect(labelQuery(q, [{ startMs: 50_000, endMs: 55_000, text: 'The dog was scared of thunder.' }]).kind).toBe('named-fact');
  });

  it('group queries by kind, and by split only when both halves are asked', () => {
    const qs = [
      { id: 'a', q: '', videoId: 'e', gold: [], split: 'tune' as const, kind: 'paraphrase' as const },
      { id: 'b', q: '', videoId: 'e', gold: [], split: 'test' as const, kind: 'named-fact' as const },
      { id: 'c', q: '', videoId: 'e', gold: [], split: 'tune' as const, kind: 'named-fact' as const },
    ];
    expect(Object.fromEntries(queryGroups(qs))).toEqual({
      'kind:paraphrase': [0],
      'kind:named-fact': [1, 2],
      'split:tune': [0, 2],
      'split:test': [1],
      'tune/paraphrase': [0],
      'test/named-fact': [1],
      'tune/named-fact': [2],
    });
    expect([...queryGroups(qs.filter((q) => q.split === 'tune')).keys()]).toEqual(['kind:paraphrase', 'kind:named-fact']);
  });

  it('merge writer files into one set that keeps splits and tags writers', () => {
    const base = QuestionFile.parse(tiny);
    const writer = WriterFile.parse({
      writer: 'A',
      episodes: [{ id: 'ep2', file: 'b.vtt', title: 'Two', split: 'test' }],
      questions: [{ id: 'ep2-1', episode: 'ep2', q: 'How?', answerS: 5, answerEndS: 9, evidence: 'Like so.', overlap: 0.1, namesGuest: false }],
      unanswerable: [{ id: 'u1', q: 'Anything on knitting?', checked: 'grep knit' }],
    });
    const merged = mergeQuestionSets(base, 'listener', [writer], 'd');
    expect(merged.episodes.map((e) => [e.id, e.split])).toEqual([['ep1', 'tune'], ['ep2', 'test']]);
    expect(merged.questions.map((q) => q.writer)).toEqual(['listener', 'A']);
    expect(merged.unanswerable[0].id).toBe('A:u1');
    expect(() => mergeQuestionSets(base, 'listener', [writer, writer], 'd')).toThrow(/duplicate id "ep2-1"/);
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

describe('the merged development set', () => {
  const dev = QuestionFile.parse(JSON.parse(readFileSync(new URL('../../eval/questions/dev-set.json', import.meta.url).pathname, 'utf8')));
  it('keeps a tune and a test half split by episode, with the old set all tune', () => {
    const split = new Map(dev.episodes.map((e) => [e.id, e.split]));
    expect(new Set(split.values())).toEqual(new Set(['tune', 'test']));
    for (const q of dev.questions.filter((x) => x.writer === 'listener')) expect(split.get(q.episode)).toBe('tune');
    expect(dev.questions.length).toBeGreaterThan(set.questions.length);
  });
});
