import { describe, expect, it } from 'vitest';
import type { Scored } from '../../core/retrieval/fuse.ts';
import { addEpisodeEvidence, boilerplateScore, demoteBoilerplate, feedbackVector, smoothNeighbours, withNeighbours } from '../../core/retrieval/localize.ts';

const hit = (id: number, score: number, videoId = 'a'): Scored => ({ id, videoId, startMs: id * 1000, endMs: id * 1000 + 900, score, keywordScore: 0, denseScore: 0 });

describe('localisation inside an episode', () => {
  it('recognises sponsor reads and sign-offs, not ordinary talk', () => {
    const ad = 'This show is sponsored by Cash App. Download it and use code LexPodcast. If you enjoy this podcast, subscribe on YouTube.';
    expect(boilerplateScore(ad)).toBeGreaterThanOrEqual(3);
    expect(boilerplateScore('Thank you for listening to this conversation, and let me leave you with some words from Feynman.')).toBe(2);
    expect(boilerplateScore('The code of the compiler was written in C++ and the dragon logo came later.')).toBe(0);
  });

  it('demotes boilerplate windows by the given share', () => {
    const texts = new Map([
      [1, 'sponsored by Cash App, five stars on Apple Podcasts'],
      [2, 'the proof uses induction'],
    ]);
    const out = demoteBoilerplate([hit(1, 1), hit(2, 0.8)], (id) => texts.get(id)!, 0.5);
    expect(out.map((h) => [h.id, h.score])).toEqual([[2, 0.8], [1, 0.5]]);
    expect(demoteBoilerplate([hit(1, 1)], (id) => texts.get(id)!, 0)[0].score).toBe(1);
  });

  it('smooths a window by its better neighbour in the same episode only', () => {
    // 2 names the topic, 3 answers; 4 belongs to another episode and must not lend its score.
    const out = smoothNeighbours([hit(2, 1), hit(3, 0.9), hit(4, 1, 'b'), hit(9, 0.5)], 0.2);
    const score = new Map(out.map((h) => [h.id, h.score]));
    expect(score.get(3)).toBeCloseTo(0.9 + 0.2 * 1);
    expect(score.get(2)).toBeCloseTo(1 + 0.2 * 0.9);
    expect(score.get(4)).toBeCloseTo(1);
    expect(score.get(9)).toBeCloseTo(0.5);
    expect(out.map((h) => h.id)).toEqual([2, 3, 4, 9]);
  });

  it('lists neighbours once and never id 0', () => {
    expect(withNeighbours([1, 2, 7])).toEqual([1, 2, 3, 6, 7, 8]);
  });

  it('moves the query towards the top hits and keeps unit length', () => {
    const q = new Float32Array([1, 0]);
    const moved = feedbackVector(q, [new Float32Array([0, 1])], 1);
    expect(moved[0]).toBeCloseTo(Math.SQRT1_2);
    expect(moved[1]).toBeCloseTo(Math.SQRT1_2);
    expect(feedbackVector(q, [], 1)).toBe(q);
  });

  it('lifts an episode with several matching windows above one lucky window elsewhere', () => {
    const dense = (h: Scored, d: number) => ({ ...h, denseScore: d });
    // Episode b has the single best window; episode a has three good ones.
    const scored = [dense(hit(10, 0.9, 'b'), 0.9), dense(hit(1, 0.85), 0.8), dense(hit(2, 0.8), 0.8), dense(hit(3, 0.7), 0.7)];
    const out = addEpisodeEvidence(scored, 0.6, 3, 'denseScore');
    expect(out[0].id).toBe(1);
    const score = new Map(out.map((h) => [h.id, h.score]));
    expect(score.get(10)).toBeCloseTo(0.9 + (0.6 * 0.9) / 3);
    expect(score.get(1)).toBeCloseTo(0.85 + (0.6 * (0.8 + 0.8 + 0.7)) / 3);
    // Inside one episode the order never changes.
    expect(out.filter((h) => h.videoId === 'a').map((h) => h.id)).toEqual([1, 2, 3]);
    expect(addEpisodeEvidence(scored, 0, 3)).toBe(scored);
  });
});
