import { describe, expect, it } from 'vitest';
import { collapseOverlaps, fuse, minMax, overlapShare, type Candidate } from '../../core/retrieval/fuse.ts';
import { buildKeywordQuery, editDistance, episodesNamed, spellingVariants, splitEpisodeTerms, withVariants } from '../../core/retrieval/keyword.ts';

const c = (id: number, bm25?: number, similarity?: number, videoId = 'v', startMs = id * 100_000, endMs = startMs + 50_000): Candidate => ({ id, videoId, startMs, endMs, bm25, similarity });

describe('minMax', () => {
  it('scales to [0,1] and gives missing values 0', () => {
    expect(minMax([2, 4, undefined, 3])).toEqual([0, 1, 0, 0.5]);
    expect(minMax([5, 5])).toEqual([1, 1]);
    expect(minMax([undefined])).toEqual([0]);
  });
});

describe('fuse', () => {
  it('blends normalised legs with the keyword weight', () => {
    // bm25 is lower-is-better: -10 is the best keyword match.
    const out = fuse([c(1, -10, 0.2), c(2, -5, 0.6), c(3, undefined, 0.4)], 0.5);
    // keyword: id1 → 1, id2 → 0 (min of present), id3 → 0; dense: 0, 1, 0.5
    expect(out.map((h) => h.id)).toEqual([1, 2, 3]);
    expect(out.map((h) => h.score)).toEqual([0.5, 0.5, expect.closeTo(0.25, 10)]);
  });

  it('uses only the leg that found something', () => {
    const out = fuse([c(1, undefined, 0.1), c(2, undefined, 0.9)], 0.7);
    expect(out[0].id).toBe(2);
    expect(out[0].score).toBe(1);
  });

  it('weight 1 reproduces keyword order, weight 0 dense order', () => {
    const cands = [c(1, -1, 0.9), c(2, -9, 0.1), c(3, -5, 0.5)];
    expect(fuse(cands, 1).map((h) => h.id)).toEqual([2, 3, 1]);
    expect(fuse(cands, 0).map((h) => h.id)).toEqual([1, 3, 2]);
  });
});

describe('collapseOverlaps', () => {
  it('drops a window that mostly overlaps a better one of the same video', () => {
    const scored = fuse([c(1, -9, 0.9, 'a', 0, 50_000), c(2, -8, 0.8, 'a', 40_000, 90_000), c(3, -7, 0.7, 'a', 10_000, 60_000), c(4, -6, 0.6, 'b', 0, 50_000)], 0.5);
    expect(collapseOverlaps(scored, 10).map((h) => h.id)).toEqual([1, 2, 4]);
    expect(collapseOverlaps(scored, 2).map((h) => h.id)).toEqual([1, 2]);
  });

  it('computes overlap as a share of the shorter range', () => {
    expect(overlapShare({ startMs: 0, endMs: 100 }, { startMs: 50, endMs: 60 })).toBe(1);
    expect(overlapShare({ startMs: 0, endMs: 100 }, { startMs: 100, endMs: 200 })).toBe(0);
    expect(overlapShare({ startMs: 0, endMs: 100 }, { startMs: 75, endMs: 175 })).toBe(0.25);
  });
});

describe('buildKeywordQuery', () => {
  it('ORs content words and drops stopwords', () => {
    expect(buildKeywordQuery('What did they say about the training cost?').match).toBe('("training" OR "cost")');
  });

  it('requires quoted phrases exactly', () => {
    const q = buildKeywordQuery('"open source" models');
    expect(q.match).toBe('"open source" AND ("models")');
    expect(q.phrases).toEqual(['open source']);
  });

  it('neutralises FTS syntax in user input', () => {
    // Operators become plain words; "or" is a stopword and one-letter words carry no topic.
    expect(buildKeywordQuery('NEAR(a b) OR "x*" -y:z colon:word').match).toBe('"x" AND ("near" OR "colon" OR "word")');
  });

  it('keeps stopwords when nothing else is left, and returns null for no words', () => {
    expect(buildKeywordQuery('who are you').match).toBe('("who" OR "are" OR "you")');
    expect(buildKeywordQuery('?!').match).toBeNull();
  });
});

describe('spelling variants', () => {
  it('measures edit distance and stops past the limit', () => {
    expect(editDistance('oumuamua', 'umuamua', 2)).toBe(1);
    expect(editDistance('oumuamua', 'muamua', 2)).toBe(2);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
  });

  it('finds the rare misspellings of a rare name, closest first, and leaves common words alone', () => {
    // How the ASR of the Avi Loeb episode spells the name, with segment counts.
    const vocabulary = new Map([
      ['oumuamua', 14],
      ['umuamua', 3],
      ['muamua', 2],
      ['aliens', 90],
      ['mutual', 12],
    ]);
    expect(spellingVariants('oumuamua', vocabulary)).toEqual(['umuamua', 'muamua']);
    expect(spellingVariants('umuamua', vocabulary)).toEqual(['oumuamua', 'muamua']);
    // Common in the index: not a misheard name.
    expect(spellingVariants('aliens', vocabulary)).toEqual([]);
    // Too short to guess at.
    expect(spellingVariants('muam', vocabulary)).toEqual([]);
  });

  it('ORs the variants into the keyword query and keeps the user terms for coverage', () => {
    const q = withVariants(buildKeywordQuery('Oumuamua shape'), ['umuamua']);
    expect(q.match).toBe('("oumuamua" OR "shape" OR "umuamua")');
    expect(q.terms).toEqual(['oumuamua', 'shape']);
  });
});

describe('episodes named by a query', () => {
  const titles = new Map<string, string[]>([
    ['elon', ['musk-252', 'musk-49', 'urban-264']],
    ['musk', ['musk-252', 'musk-49', 'urban-264']],
    ['mars', ['musk-252', 'newman-51']],
    ['lex', ['musk-252', 'musk-49', 'urban-264', 'newman-51', 'a', 'b']],
    ['podcast', ['musk-252', 'musk-49', 'urban-264', 'newman-51', 'a', 'b']],
  ]);

  it('splits the title words from the passage words', () => {
    expect(splitEpisodeTerms(['elon', 'musk', 'getting', 'humans', 'mars'], titles)).toEqual({ episode: ['elon', 'musk', 'mars'], passage: ['getting', 'humans'] });
  });

  it('names the episodes holding the most of the terms', () => {
    expect(episodesNamed(['elon', 'musk', 'mars'], titles, 5)).toEqual(['musk-252']);
    expect(episodesNamed(['elon', 'musk'], titles, 5)).toEqual(['musk-252', 'musk-49', 'urban-264']);
  });

  it('matches singular and plural title words', () => {
    expect(episodesNamed(['marss'], new Map([['mars', ['x']]]), 5)).toEqual(['x']);
    expect(episodesNamed(['rockets'], new Map([['rocket', ['y']]]), 5)).toEqual(['y']);
  });

  it('names none when the terms are shared by more episodes than the cap, or most terms are missing', () => {
    expect(episodesNamed(['lex', 'podcast'], titles, 5)).toEqual([]);
    expect(episodesNamed(['mars', 'zebra', 'quokka'], titles, 5)).toEqual([]);
    expect(episodesNamed([], titles, 5)).toEqual([]);
  });
});
