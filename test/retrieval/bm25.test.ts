import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countTokens, ftsTokens, porterStem } from '../../indexer/store/fts-tokenizer.ts';
import { DB_FILE, Store } from '../../indexer/store/store.ts';
import { bm25Score, candidateScores, idf } from '../../core/retrieval/bm25.ts';
import { buildKeywordQuery, withVariants } from '../../core/retrieval/keyword.ts';

/** The keyword index's tokenize option, read from the schema so these tests follow it. */
const TOKENIZE = /CREATE VIRTUAL TABLE IF NOT EXISTS segments_fts[\s\S]*?tokenize = '([^']+)'/.exec(
  readFileSync(new URL('../../indexer/store/schema.sql', import.meta.url), 'utf8'),
)![1];

describe('the FTS5 tokenizer in JavaScript', () => {
  it('reads the tokenizer this code ports', () => {
    expect(TOKENIZE).toBe('porter unicode61 remove_diacritics 2');
  });

  it('stems as Porter does', () => {
    const cases: [string, string][] = [
      ['caresses', 'caress'], ['ponies', 'poni'], ['cats', 'cat'], ['agreed', 'agre'], ['plastered', 'plaster'],
      ['motoring', 'motor'], ['sing', 'sing'], ['hopping', 'hop'], ['sized', 'size'], ['failing', 'fail'], ['filing', 'file'],
      ['happy', 'happi'], ['sky', 'sky'], ['relational', 'relat'], ['generalizations', 'gener'], ['robots', 'robot'],
      ['consciousness', 'conscious'], ['running', 'run'], ['go', 'go'],
    ];
    for (const [word, stem] of cases) expect(porterStem(word), word).toBe(stem);
  });

  it('gives the tokens SQLite stores, accents, apostrophes and all', () => {
    const sqlite = new Database(':memory:');
    sqlite.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize = '${TOKENIZE}'); CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')`);
    const texts = [
      "Don't e-mail me at 3.14pm; it's x_y's BIG-Robot running, hopping & generalizations.",
      'Café, cafe\u0301, naïve NAÏVE Straße İstanbul Øresund Ångström Crème brûlée Señor Muñoz Łódź Dvořák Erdős ŒUVRE',
      '中文 日本語 한국어 😀 ﬁsh — “quoted” ‘single’ 10,000 2nd',
      'relational conditional digitizer radically vietnamization callousness sensibilities triplicate electrical allowance',
    ];
    texts.forEach((text, i) => sqlite.prepare('INSERT INTO t(rowid, x) VALUES (?, ?)').run(i + 1, text));
    texts.forEach((text, i) => {
      const stored = sqlite.prepare('SELECT term FROM v WHERE doc = ? ORDER BY offset').pluck().all(i + 1);
      expect(ftsTokens(text), text).toEqual(stored);
    });
  });
});

describe('FTS5 bm25() in JavaScript', () => {
  it('computes IDF and the score as fts5_aux.c does', () => {
    expect(idf(100, 10)).toBeCloseTo(Math.log(90.5 / 10.5), 12);
    expect(idf(100, 60)).toBe(1e-6); // a word in over half the rows
    // One phrase, f = 2, a row as long as the average: idf × 2 × 2.2 / (2 + 1.2).
    expect(bm25Score([2], [1.5], 100, 100)).toBeCloseTo(-(1.5 * 4.4) / 3.2, 12);
    // A phrase the row lacks adds nothing; a longer row scores lower.
    expect(bm25Score([2, 0], [1.5, 3], 100, 100)).toBe(bm25Score([2], [1.5], 100, 100));
    expect(bm25Score([1], [1], 200, 100)).toBeGreaterThan(bm25Score([1], [1], 100, 100));
  });
});

describe('BM25 of the candidates on a real index', () => {
  let store: Store;
  let all: { id: number; text: string }[];

  beforeAll(() => {
    store = Store.open(inject('lexicapIndex'));
    all = store.db.segmentsByIds(store.db.segmentVideoPairs().map((p) => p.id));
  });
  afterAll(() => store?.close());

  it('counts every segment as FTS5 does: its length and its words', () => {
    const tokens = ['robot', 'car', 'the', 'languag', 'conscious', 'think', 'zzzq'];
    let total = 0;
    for (const s of all) {
      const words = ftsTokens(s.text);
      total += words.length;
      expect(countTokens(s.text, tokens)).toEqual({ length: words.length, counts: tokens.map((t) => words.filter((w) => w === t).length) });
    }
    expect(store.db.keywordTotals()).toEqual({ rows: all.length, tokens: total });
  });

  it('gives the scores and the order of FTS5 bm25() for the same segments', () => {
    const queries = [
      'what share of American households have one of their robots',
      'how many cameras are on each car',
      'if aliens came to Earth could we communicate with them',
      "is Moore's law ending for processors",
      'consciousness',
      'the the robots robot', // a word twice, as two of FTS5's phrases
      'who are you', // stopwords only: they are the terms
    ];
    for (const q of queries) {
      const kq = buildKeywordQuery(q);
      const fts5 = store.db.keywordScores(kq.match!, all.map((s) => s.id));
      const ours = candidateScores(store, kq, all);
      expect(fts5.size, q).toBeGreaterThan(0);
      expect([...ours.keys()].sort(), q).toEqual([...fts5.keys()].sort());
      for (const [id, score] of fts5) expect(Math.abs(ours.get(id)! - score), `${q} #${id}`).toBeLessThan(1e-9 * Math.abs(score));
      const order = (m: Map<number, number>) => [...m].sort((a, b) => a[1] - b[1] || a[0] - b[0]).map(([id]) => id);
      expect(order(ours), q).toEqual(order(fts5));
    }
  });

  it('scores spelling variants like the words they are OR-ed with, and leaves phrases to FTS5', () => {
    const variants = withVariants(buildKeywordQuery('Tesla autopilot'), ['autopilots']);
    const fts5 = store.db.keywordScores(variants.match!, all.map((s) => s.id));
    const ours = candidateScores(store, variants, all);
    expect([...ours.keys()].sort()).toEqual([...fts5.keys()].sort());
    for (const [id, score] of fts5) expect(ours.get(id)).toBeCloseTo(score, 9);
    const phrase = buildKeywordQuery('"self driving" cars');
    expect(candidateScores(store, phrase, all)).toEqual(store.db.keywordScores(phrase.match!, all.map((s) => s.id)));
  });

  it('reads the index again after it changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'episodic-bm25-'));
    try {
      copyFileSync(join(inject('lexicapIndex'), DB_FILE), join(dir, DB_FILE));
      const copy = Store.open(dir, { verify: 'never' });
      try {
        const before = copy.keywordStatistics(['robot']);
        const video = copy.db.listVideos()[0].id;
        copy.db.removeVideo(video);
        const after = copy.keywordStatistics(['robot']);
        const left = copy.db.segmentsByIds(copy.db.segmentVideoPairs().map((p) => p.id));
        expect(after.rows).toBe(left.length);
        expect(after.rows).toBeLessThan(before.rows);
        expect(after.docs).toEqual([left.filter((s) => ftsTokens(s.text).includes('robot')).length]);
      } finally {
        copy.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
