import { describe, expect, it } from 'vitest';
import { excerpt, highlightPieces, queryTerms } from '../../web/src/lib/text/highlight.ts';

const marked = (text: string, q: string) =>
  highlightPieces(text, queryTerms(q))
    .map((p) => (p.hit ? `<${p.text}>` : p.text))
    .join('');

describe('queryTerms', () => {
  it('keeps distinct content words, lower-cased', () => {
    expect(queryTerms('What is the meaning of Life, the LIFE?')).toEqual(['meaning', 'life']);
  });
  it('keeps apostrophes and non-Latin letters inside words', () => {
    expect(queryTerms("Pinker's über 語")).toEqual(["pinker's", 'über']);
  });
});

describe('highlightPieces', () => {
  it('marks whole words, case-insensitively, and keeps every character', () => {
    const text = 'The meaning of life? Meaning is made.';
    const pieces = highlightPieces(text, queryTerms('meaning'));
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(marked(text, 'meaning')).toBe('The <meaning> of life? <Meaning> is made.');
  });

  it('lets longer terms match word starts but not word middles', () => {
    expect(marked('evolutionary revolution', 'evolution')).toBe('<evolutionary> revolution');
    expect(marked('artificial art start', 'art')).toBe('artificial <art> start');
  });

  it('returns the text as one plain piece when nothing matches, and nothing for empty text', () => {
    expect(highlightPieces('hello there', ['zebra'])).toEqual([{ text: 'hello there', hit: false }]);
    expect(highlightPieces('hello', [])).toEqual([{ text: 'hello', hit: false }]);
    expect(highlightPieces('', ['x'])).toEqual([]);
  });

  it('treats markup in the text as text', () => {
    expect(marked('<img src=x onerror="window.__xss=1"> image', 'img')).toBe('<<img> src=x onerror="window.__xss=1"> image');
  });
});

describe('excerpt', () => {
  const words = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');

  it('keeps short text whole', () => {
    expect(excerpt('short text', ['text'])).toBe('short text');
  });

  it('cuts long text around the first match, on word boundaries, with ellipses', () => {
    const out = excerpt(words, ['w80'], 60);
    expect(out).toMatch(/^….*w80.*$/);
    expect(out.length).toBeLessThanOrEqual(62);
    expect(out.replace(/…/g, '').split(' ').every((w) => /^w\d+$/.test(w))).toBe(true);
  });

  it('starts at the beginning when nothing or an early word matches', () => {
    expect(excerpt(words, ['zzz'], 40)).toMatch(/^w0 .*…$/);
    expect(excerpt(words, ['w2'], 40)).toMatch(/^w0 .*…$/);
  });
});
