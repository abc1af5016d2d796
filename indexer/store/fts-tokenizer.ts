/**
 * The keyword index's tokenizer in JavaScript: `porter unicode61 remove_diacritics 2`, as
 * schema.sql declares `segments_fts`. Ported from SQLite's fts5_tokenize.c so that words counted
 * here are the words FTS5 stored (search scores candidates' BM25 from their text instead of
 * asking FTS5, see core/retrieval/bm25.ts). Pure.
 *
 * ASCII text is tokenized exactly as SQLite does. Outside ASCII, SQLite uses its own Unicode 6.1
 * tables; this uses JavaScript's (letters, numbers and private-use characters are word
 * characters, upper case folds to lower case, Latin letters lose their diacritics), which agree
 * for the Latin scripts transcripts are written in.
 */

/** SQLite's FTS5_PORTER_MAX_TOKEN: longer tokens (in UTF-8 bytes) are stored unstemmed. */
const PORTER_MAX_TOKEN = 64;

const WORD = /[\p{L}\p{N}\p{Co}]/u;
/** Combining marks unicode61 keeps inside a word and then drops (sqlite3Fts5UnicodeIsdiacritic). */
const isDiacritic = (c: number) => c >= 768 && c <= 817 && (c < 800 ? (0x08029fdf >>> (c - 768)) & 1 : (0x000361f8 >>> (c - 800)) & 1) === 1;

/** unicode61's fold of one non-ASCII code point: lower case, and a Latin letter without its marks. */
function foldCodePoint(ch: string): string {
  const lower = ch.toLowerCase();
  const bare = lower.normalize('NFD');
  if (bare.length > 1 && /^[a-z]\p{M}+$/u.test(bare)) return bare[0];
  // SQLite folds one code point to one; JavaScript lower-cases a few into two ("İ" → "i̇").
  return [...lower].length === 1 ? lower : ch;
}

/** unicode61 with remove_diacritics 2: the words of `text`, folded, before stemming. */
export function unicode61Words(text: string): string[] {
  // Fast path: ASCII text splits on anything but letters and digits, exactly as SQLite does.
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const words: string[] = [];
  let word = '';
  const end = () => {
    if (word) words.push(word);
    word = '';
  };
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 128) {
      if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) word += ch;
      else if (c >= 65 && c <= 90) word += String.fromCharCode(c + 32);
      else end();
    } else if (WORD.test(ch)) word += foldCodePoint(ch);
    else if (!(word && isDiacritic(c))) end(); // a diacritic stays in its word, folded away
  }
  end();
  return words;
}

const isVowel = (c: string, yIsVowel: boolean) => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || (yIsVowel && c === 'y');

/** Where the first vowel-consonant sequence of `s` (from `from`, up to `to`) ends, or 0. */
function gobbleVC(s: string, from: number, to: number, prevCons: boolean): number {
  let cons = prevCons;
  let i = from;
  for (; i < to; i++) if (!(cons = !isVowel(s[i], cons))) break;
  for (i++; i < to; i++) if ((cons = !isVowel(s[i], cons))) return i + 1 - from;
  return 0;
}

/** Porter's measure conditions over the stem s[0, n). */
const mGt0 = (s: string, n: number) => gobbleVC(s, 0, n, false) > 0;
function mGt1(s: string, n: number): boolean {
  const k = gobbleVC(s, 0, n, false);
  return k > 0 && gobbleVC(s, k, n, true) > 0;
}
function mEq1(s: string, n: number): boolean {
  const k = gobbleVC(s, 0, n, false);
  return k > 0 && gobbleVC(s, k, n, true) === 0;
}
/** *o: the stem ends consonant-vowel-consonant, the last not w, x or y. */
function oStar(s: string, n: number): boolean {
  const last = s[n - 1];
  if (last === 'w' || last === 'x' || last === 'y') return false;
  let mask = 0;
  let cons = false;
  for (let i = 0; i < n; i++) {
    cons = !isVowel(s[i], cons);
    mask = (mask << 1) + (cons ? 1 : 0);
  }
  return (mask & 7) === 5;
}
const mGt1AndST = (s: string, n: number) => (s[n - 1] === 's' || s[n - 1] === 't') && mGt1(s, n);
function hasVowel(s: string, n: number): boolean {
  for (let i = 0; i < n; i++) if (isVowel(s[i], i > 0)) return true;
  return false;
}

type Rule = [suffix: string, condition: ((s: string, n: number) => boolean) | null, output: string];

/**
 * Steps 2 to 4 as SQLite's generated code has them: the first rule whose suffix ends the word
 * (and is shorter than it) is the only one tried, whether or not its condition holds.
 */
const STEP2: Rule[] = [
  ['ational', mGt0, 'ate'], ['tional', mGt0, 'tion'], ['enci', mGt0, 'ence'], ['anci', mGt0, 'ance'], ['izer', mGt0, 'ize'],
  ['logi', mGt0, 'log'], ['bli', mGt0, 'ble'], ['alli', mGt0, 'al'], ['entli', mGt0, 'ent'], ['eli', mGt0, 'e'], ['ousli', mGt0, 'ous'],
  ['ization', mGt0, 'ize'], ['ation', mGt0, 'ate'], ['ator', mGt0, 'ate'], ['alism', mGt0, 'al'], ['iveness', mGt0, 'ive'],
  ['fulness', mGt0, 'ful'], ['ousness', mGt0, 'ous'], ['aliti', mGt0, 'al'], ['iviti', mGt0, 'ive'], ['biliti', mGt0, 'ble'],
];
const STEP3: Rule[] = [
  ['ical', mGt0, 'ic'], ['ness', mGt0, ''], ['icate', mGt0, 'ic'], ['iciti', mGt0, 'ic'], ['ful', mGt0, ''], ['ative', mGt0, ''], ['alize', mGt0, 'al'],
];
const STEP4: Rule[] = [
  ['al', mGt1, ''], ['ance', mGt1, ''], ['ence', mGt1, ''], ['er', mGt1, ''], ['ic', mGt1, ''], ['able', mGt1, ''], ['ible', mGt1, ''],
  ['ant', mGt1, ''], ['ement', mGt1, ''], ['ment', mGt1, ''], ['ent', mGt1, ''], ['ion', mGt1AndST, ''], ['ou', mGt1, ''],
  ['ism', mGt1, ''], ['ate', mGt1, ''], ['iti', mGt1, ''], ['ous', mGt1, ''], ['ive', mGt1, ''], ['ize', mGt1, ''],
];

/** Applies the first rule whose suffix ends `w` (if its condition holds). */
function applyRules(w: string, rules: Rule[]): string {
  for (const [suffix, condition, output] of rules) {
    if (w.length > suffix.length && w.endsWith(suffix)) {
      const n = w.length - suffix.length;
      return !condition || condition(w, n) ? w.slice(0, n) + output : w;
    }
  }
  return w;
}

/** SQLite's Porter stemmer (fts5PorterCb) over a word whose characters are single bytes. */
function porterBytes(word: string): string {
  if (word.length > PORTER_MAX_TOKEN || word.length < 3) return word;
  let w = word;
  // Step 1a.
  if (w.endsWith('s')) {
    if (w[w.length - 2] === 'e') {
      const n = w.length;
      w = (n > 4 && w[n - 4] === 's' && w[n - 3] === 's') || (n > 3 && w[n - 3] === 'i') ? w.slice(0, -2) : w.slice(0, -1);
    } else if (w[w.length - 2] !== 's') w = w.slice(0, -1);
  }
  // Step 1b.
  let step1b = false;
  if (w.length > 3 && w.endsWith('eed')) {
    if (mGt0(w, w.length - 3)) w = w.slice(0, -1);
  } else if (w.length > 2 && w.endsWith('ed')) {
    step1b = hasVowel(w, w.length - 2);
    if (step1b) w = w.slice(0, -2);
  } else if (w.length > 3 && w.endsWith('ing')) {
    step1b = hasVowel(w, w.length - 3);
    if (step1b) w = w.slice(0, -3);
  }
  if (step1b) {
    if (w.length > 2 && (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz'))) w += 'e';
    else {
      const c = w[w.length - 1];
      if (!isVowel(c, false) && c !== 'l' && c !== 's' && c !== 'z' && c === w[w.length - 2]) w = w.slice(0, -1);
      else if (mEq1(w, w.length) && oStar(w, w.length)) w += 'e';
    }
  }
  // Step 1c.
  if (w.endsWith('y') && hasVowel(w, w.length - 1)) w = `${w.slice(0, -1)}i`;
  w = applyRules(applyRules(applyRules(w, STEP2), STEP3), STEP4);
  // Step 5a.
  if (w.endsWith('e')) {
    const n = w.length - 1;
    if (mGt1(w, n) || (mEq1(w, n) && !oStar(w, n))) w = w.slice(0, n);
  }
  // Step 5b.
  if (w.length > 1 && w.endsWith('ll') && mGt1(w, w.length - 1)) w = w.slice(0, -1);
  return w;
}

/**
 * SQLite's Porter stemmer. It works on UTF-8 bytes (a non-ASCII byte is a consonant, lengths
 * count bytes), so a non-ASCII word goes through as one character per byte.
 */
export function porterStem(word: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(word)) return porterBytes(word);
  return Buffer.from(porterBytes(Buffer.from(word, 'utf8').toString('latin1')), 'latin1').toString('utf8');
}

/** Stems of words seen so far: transcripts reuse a small vocabulary, so most words are looked up, not stemmed. */
const stems = new Map<string, string>();
const MAX_STEMS = 200_000;

function stemOf(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    if (stems.size >= MAX_STEMS) stems.clear();
    s = porterStem(word);
    stems.set(word, s);
  }
  return s;
}

/** The tokens FTS5 stores for `text` in `segments_fts`: unicode61 words, Porter-stemmed. */
export function ftsTokens(text: string): string[] {
  return unicode61Words(text).map(stemOf);
}

const isAsciiWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * How many tokens `text` has (FTS5's column size) and how often each of `tokens` (stemmed, as
 * ftsTokens gives them) occurs in it. Equals counting over `ftsTokens(text)`, without stemming
 * every word: Porter keeps all but at most the last three letters of a stem as the word's own
 * prefix (checked over every word of the Lexicap corpus), so only words starting with a
 * token's prefix can stem to it.
 */
export function countTokens(text: string, tokens: string[]): { length: number; counts: number[] } {
  const counts = tokens.map(() => 0);
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text)) {
    const all = ftsTokens(text);
    for (const w of all) for (let i = 0; i < tokens.length; i++) if (w === tokens[i]) counts[i]++;
    return { length: all.length, counts };
  }
  let length = 0;
  for (let i = 0, inWord = false; i < text.length; i++) {
    const w = isAsciiWordChar(text.charCodeAt(i));
    if (w && !inWord) length++;
    inWord = w;
  }
  if (tokens.length) {
    for (const word of text.toLowerCase().match(prefixPattern(tokens)) ?? []) {
      const s = stemOf(word);
      for (let i = 0; i < tokens.length; i++) if (s === tokens[i]) counts[i]++;
    }
  }
  return { length, counts };
}

const patterns = new Map<string, RegExp>();

/** Whole ASCII words that start with some token's stable prefix (see countTokens). */
function prefixPattern(tokens: string[]): RegExp {
  const key = tokens.join(' ');
  let re = patterns.get(key);
  if (!re) {
    const prefixes = [...new Set(tokens.map((t) => t.slice(0, Math.max(1, t.length - 3)).replace(/[^a-z0-9]/g, '')))].filter(Boolean);
    re = prefixes.length ? new RegExp(`(?<![a-z0-9])(?:${prefixes.join('|')})[a-z0-9]*`, 'g') : /(?!)/g;
    if (patterns.size >= 1000) patterns.clear();
    patterns.set(key, re);
  }
  return re;
}
