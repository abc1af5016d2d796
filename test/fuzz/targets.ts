/**
 * Fuzz targets for every transcript parser and the YouTube reference parser, shared by the
 * seeded run in `npm test` (test/fuzz/parsers.test.ts) and the long run of `npm run fuzz`
 * (test/fuzz/run.ts). Free of vitest: a failed property throws a plain Error.
 *
 * Each target mixes structure-aware inputs (valid files rendered from generated cues, then
 * mutated: broken timings, tags, entities, CRLF, BOM, huge numbers) with random strings.
 * Properties: the parser returns well-formed cues or throws its typed error naming the
 * file, never anything else, within a time budget; and for files rendered from cues, the
 * text of every cue is in the output unless a warning points into that cue's lines.
 */
import fc from 'fast-check';
import { ParseError, type ParsedTranscript } from '../../indexer/domain.ts';
import { parseTranscript, SUPPORTED_EXTENSIONS } from '../../indexer/parse/detect.ts';
import { parseSpeakerMarkdown } from '../../indexer/parse/markdown.ts';
import { parsePodcastJson } from '../../indexer/parse/podcast-json.ts';
import { parseSrt } from '../../indexer/parse/srt.ts';
import { parseJson3, parseSrv3, parseTimedTextXml } from '../../indexer/parse/timedtext.ts';
import { parseTimestampedTxt } from '../../indexer/parse/txt.ts';
import { parseVtt } from '../../indexer/parse/vtt.ts';
import { parseYouTubeRef, youTubeRefUrl, YouTubeRefError, type YouTubeRef } from '../../indexer/sources/youtube-url.ts';
import { formatTimestamp } from '../../indexer/time.ts';
import { contractViolations } from '../parse/contract.ts';

export interface FuzzTarget {
  name: string;
  /** The property, failing when one input takes longer than `budgetMs` (a hang or a super-linear regex). */
  property(budgetMs: number): fc.IProperty<[unknown]>;
}

const FILE = 'fuzz-input';

// ---------- generated cues, rendered per format ----------

interface CueSpec {
  gapMs: number;
  durMs: number;
  words: string[];
  speaker: string | null;
  /** How the cue is damaged: 0 none; otherwise one of the format's timing mutations. */
  damage: number;
  /** Inline noise around the words: tags, entities, karaoke timestamps. */
  noise: string[];
}

/** A rendered file and, per cue, its unique token and the 1-based lines it occupies. */
interface Rendered {
  text: string;
  cues: { token: string; from: number; to: number; damaged: boolean; index: number }[];
}

const word = fc.stringMatching(/^[a-z]{1,8}$/);
// Inline markup that parsers must strip or decode without losing the words around it.
const INLINE_NOISE = ['<i>', '</i>', '<b>', '</b>', '<c.colorE5E5E5>', '</c>', '<00:00:01.500>', '&amp;', '&lt;', '&#39;', '&#x1F600;', '&nbsp;', '<font color="red">', '</font>'];
const cueSpec = (damageKinds: number) =>
  fc.record({
    gapMs: fc.nat(3000),
    durMs: fc.nat(8000),
    words: fc.array(word, { minLength: 1, maxLength: 6 }),
    speaker: fc.option(fc.constantFrom('Ann', 'Bob Smith', 'Dr. Ö'), { nil: null }),
    // Damage in about a quarter of the cues.
    damage: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: damageKinds }) }),
    noise: fc.array(fc.constantFrom(...INLINE_NOISE), { maxLength: 3 }),
  });
const cueSpecs = (damageKinds: number) => fc.array(cueSpec(damageKinds), { minLength: 1, maxLength: 12 });

// A token unique to cue i that no other token contains ("k1k" is not inside "k12k").
const tokenOf = (i: number) => `k${i}k`;

function timed(specs: CueSpec[]): { start: number; end: number; spec: CueSpec; i: number }[] {
  let t = 0;
  return specs.map((spec, i) => {
    const start = t + spec.gapMs;
    t = start;
    return { start, end: start + spec.durMs, spec, i };
  });
}

function bodyText(spec: CueSpec, i: number): string {
  const parts = [tokenOf(i), ...spec.words];
  spec.noise.forEach((n, j) => parts.splice((j * 3) % (parts.length + 1), 0, n));
  return parts.join(' ');
}

// Timing lines of VTT/SRT after damage; each damaged form must make the cue skipped with a warning.
const HUGE = '9'.repeat(400);
function captionTiming(start: number, end: number, damage: number, sep: '.' | ','): string {
  const s = formatTimestamp(start, sep);
  const e = formatTimestamp(end, sep);
  switch (damage) {
    case 1:
      return `${formatTimestamp(end + 1000, sep)} --> ${s}`; // ends before it starts
    case 2:
      return `${s} --> 00:xx:00${sep}000`; // unreadable end
    case 3:
      return `${HUGE}:00:00${sep}000 --> ${HUGE}:00:01${sep}000`; // hours beyond any number
    case 4:
      return `${s} -> ${e}`; // no arrow at all: the text has no timing line
    case 5:
      return `${s} --> 00:61:00${sep}000`; // minutes out of range
    default:
      return `${s} --> ${e}`;
  }
}

function renderCaptions(specs: CueSpec[], kind: 'vtt' | 'srt', opts: { crlf: boolean; bom: boolean; numbers: boolean }): Rendered {
  const lines: string[] = kind === 'vtt' ? ['WEBVTT', 'Kind: captions', ''] : [];
  const cues: Rendered['cues'] = [];
  for (const { start, end, spec, i } of timed(specs)) {
    const from = lines.length + 1;
    if (opts.numbers) lines.push(String(i + 1));
    lines.push(captionTiming(start, end, spec.damage, kind === 'vtt' ? '.' : ','));
    const body = bodyText(spec, i);
    lines.push(kind === 'vtt' && spec.speaker ? `<v ${spec.speaker}>${body}` : body);
    cues.push({ token: tokenOf(i), from, to: lines.length, damaged: spec.damage !== 0, index: i });
    lines.push('');
  }
  const text = lines.join(opts.crlf ? '\r\n' : '\n');
  return { text: (opts.bom ? '\uFEFF' : '') + text, cues };
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function renderTimedText(specs: CueSpec[], kind: 'xml' | 'srv3'): Rendered {
  const lines = [kind === 'xml' ? '<?xml version="1.0" encoding="utf-8" ?><transcript>' : '<?xml version="1.0" encoding="utf-8" ?><timedtext format="3"><body>'];
  const cues: Rendered['cues'] = [];
  for (const { start, end, spec, i } of timed(specs)) {
    const [s, d] = kind === 'xml' ? [start / 1000, (end - start) / 1000] : [start, end - start];
    const attrs = [
      `start="${s}" dur="${d}"`,
      `start="-${s + 1}" dur="${d}"`, // negative start
      `start="1e308" dur="1e308"`, // finite seconds, infinite milliseconds
      `dur="${d}"`, // no start
      `start="NaN" dur="x"`,
    ][spec.damage] ?? `start="${s}" dur="${d}"`;
    const a = kind === 'xml' ? attrs : attrs.replace('start=', 't=').replace('dur=', 'd=');
    const tag = kind === 'xml' ? 'text' : 'p';
    lines.push(`<${tag} ${a}>${xmlEscape(bodyText(spec, i))}</${tag}>`);
    cues.push({ token: tokenOf(i), from: lines.length, to: lines.length, damaged: spec.damage !== 0, index: i });
  }
  lines.push(kind === 'xml' ? '</transcript>' : '</body></timedtext>');
  return { text: lines.join('\n'), cues };
}

function renderJson3(specs: CueSpec[]): Rendered {
  const events: unknown[] = [{ tStartMs: 0, dDurationMs: 1, id: 1, wpWinPosId: 1 }];
  const cues: Rendered['cues'] = [];
  for (const { start, end, spec, i } of timed(specs)) {
    const segs = [{ utf8: bodyText(spec, i) }];
    const timing = [
      { tStartMs: start, dDurationMs: end - start },
      { tStartMs: -1 - start, dDurationMs: end - start },
      { tStartMs: 1e308, dDurationMs: 1e308 },
      { dDurationMs: end - start },
      { tStartMs: String(start), dDurationMs: end - start },
    ][spec.damage] ?? { tStartMs: start, dDurationMs: end - start };
    cues.push({ token: tokenOf(i), from: 0, to: 0, damaged: spec.damage !== 0, index: events.length });
    events.push({ ...timing, segs });
  }
  return { text: JSON.stringify({ wireMagic: 'pb3', events }), cues };
}

function renderPodcastJson(specs: CueSpec[], wordLevel: boolean): Rendered {
  const segments: unknown[] = [];
  const cues: Rendered['cues'] = [];
  for (const { start, end, spec, i } of timed(specs)) {
    const [s, e] = [start / 1000, end / 1000];
    const timing = [
      { startTime: s, endTime: e },
      { startTime: -1 - s, endTime: e }, // negative start
      { startTime: e + 1, endTime: s }, // ends before it starts
      { startTime: 'soon', endTime: e }, // unreadable
      { endTime: e }, // no start
    ][spec.damage] ?? { startTime: s, endTime: e };
    const speaker = spec.speaker ?? undefined;
    // Word-level output: the cue's token and words as one segment each, sharing its timing.
    const bodies = wordLevel ? bodyText(spec, i).split(' ') : [bodyText(spec, i)];
    cues.push({ token: tokenOf(i), from: 0, to: 0, damaged: spec.damage !== 0, index: segments.length + (wordLevel ? bodies.indexOf(tokenOf(i)) : 0) });
    for (const body of bodies) segments.push({ speaker, ...timing, body });
  }
  return { text: JSON.stringify({ version: '1.0.0', segments }), cues };
}

function renderTxt(specs: CueSpec[], bracket: boolean): Rendered {
  const lines: string[] = [];
  const cues: Rendered['cues'] = [];
  for (const { start, spec, i } of timed(specs)) {
    const clock = formatTimestamp(start).slice(0, 8);
    // Damage 1: a line without a timestamp (continues the previous cue, or is warned about first).
    const stamp = spec.damage === 1 ? '' : bracket ? `[${clock}] ` : `${clock} `;
    const voice = spec.speaker ? `<v ${spec.speaker}>` : '';
    lines.push(`${stamp}${voice}${bodyText(spec, i)}`);
    cues.push({ token: tokenOf(i), from: lines.length, to: lines.length, damaged: spec.damage !== 0, index: i });
  }
  return { text: lines.join('\n'), cues };
}

function renderMarkdown(specs: CueSpec[]): Rendered {
  const lines: string[] = [];
  const cues: Rendered['cues'] = [];
  for (const { start, spec, i } of timed(specs)) {
    const clock = formatTimestamp(start).slice(0, 8);
    // Damage 1: a timestamp earlier than the previous one (ignored with a warning, text kept).
    const marker = spec.damage === 1 ? '\\[00:00:00\\] \\[99:99\\] ' : `\\[${clock}\\] `;
    const label = spec.speaker ? `**${spec.speaker}:** ` : '';
    lines.push(`${label}${marker}${bodyText(spec, i)}`, '');
    cues.push({ token: tokenOf(i), from: lines.length - 1, to: lines.length - 1, damaged: spec.damage !== 0, index: i });
  }
  return { text: lines.join('\n'), cues };
}

// ---------- random mutation of whole files ----------

/** Fragments that stress parsers: separators, broken markup, numbers beyond any range, signatures of other formats. */
const NASTY = [
  '-->', ' --> ', '\r\n', '\r', '\n', '\n\n', '\uFEFF', '\u0000', '\uD800', '\u2028', ' ', '\t',
  '<v ', '<v.loud Bob>', '</v>', '<i>', '<', '>', '&', '&#x110000;', '&#0;', '&#xD800;', '&amp;amp;', '&#99999999999999999999;',
  '99999999999999999999', `${HUGE}:00:00.000`, '00:00:00.000', '00:00,000 --> 00:01,000', '59:59.999', '-1', '1e308', 'NaN',
  '{\\an8}', 'WEBVTT', 'WEBVTT\n\n', 'NOTE ', 'STYLE\n', '1\n', '**', '**Ann:**', '\\[', '\\]', '[00:01]', '\\[12:34\\]', '\\[a 00:00:01.5\\]',
  '<p t="1" d="2">', '</p>', '<text start="1" dur="2">', '</text>', '<transcript>', '<timedtext format="3">', '<br/>', '{"events":[', '"segs":[{"utf8":"x"}]', '{"segments":[', '"startTime":1,"endTime":2,"body":"x"', '}', ']',
];

const mutation = fc.record({
  pos: fc.nat(),
  del: fc.nat(12),
  ins: fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 8 })),
});

function applyMutations(text: string, edits: { pos: number; del: number; ins: string }[]): string {
  return edits.reduce((acc, e) => {
    const p = e.pos % (acc.length + 1);
    return acc.slice(0, p) + e.ins + acc.slice(p + e.del);
  }, text);
}

/** A valid-looking file with up to 10 random edits. */
const mutated = (base: fc.Arbitrary<string>) =>
  fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: 10 })).map(([text, edits]) => applyMutations(text, edits));

// Fragments worth repeating thousands of times: openers whose closer never comes.
const REPEATABLE = [' ', 'a ', '[a ', '_a ', '*a ', '[a](', '![', '\\[1 ', '<p ', '<text start="1">', '<a', '<v ', '&#1', '**a', '-->-->', '0:', '\n1'];

/**
 * A file with a nasty fragment repeated many times inside it (after an optional opener such as
 * `\[a`): a super-linear regex takes seconds on these, far over the per-input budget.
 */
const repeated = (base: fc.Arbitrary<string>) =>
  fc
    .tuple(base, fc.constantFrom('', '\\[a', '[', '<p t="1">', '<text start="1">', '**A:** '), fc.constantFrom(...NASTY, ...REPEATABLE), fc.integer({ min: 1000, max: 20_000 }), fc.nat())
    .map(([text, opener, frag, n, pos]) => {
      const p = pos % (text.length + 1);
      return text.slice(0, p) + opener + frag.repeat(n) + text.slice(p);
    });

/** Random text: ASCII-ish, full Unicode including lone surrogates, and format headers followed by junk. */
const randomText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.tuple(fc.constantFrom('WEBVTT\n\n', '1\n00:00:01,000 --> ', '<transcript>', '<timedtext format="3"><body>', '{"events":', '**A:** ', '[00:00] '), fc.string({ unit: 'binary', maxLength: 300 })).map(([h, s]) => h + s),
);

/** Structure-aware and random inputs for one format, weighted towards the structure-aware ones. */
function inputsFor(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 4, arbitrary: mutated(valid) },
    { weight: 1, arbitrary: repeated(valid) },
    { weight: 2, arbitrary: randomText },
  );
}

// ---------- properties ----------

/** Runs a parser and checks its outcome; returns the result, or null when it threw a ParseError. */
function checkParse(parse: () => ParsedTranscript, file: string, text: string, budgetMs: number): ParsedTranscript | null {
  const t0 = performance.now();
  let result: ParsedTranscript | null = null;
  try {
    result = parse();
  } catch (err) {
    if (!(err instanceof ParseError)) throw new Error(`threw ${(err as Error)?.name ?? typeof err} instead of ParseError: ${(err as Error)?.message ?? String(err)}`);
    if (err.file !== file || !Number.isInteger(err.line) || err.line < 0) throw new Error(`ParseError without file and line: ${err.message}`);
  }
  const ms = performance.now() - t0;
  if (ms > budgetMs) throw new Error(`took ${Math.round(ms)} ms on ${text.length} characters (budget ${budgetMs} ms)`);
  if (!result) return null;
  const problems = contractViolations(result.cues);
  if (problems.length > 0) throw new Error(`malformed cues: ${problems.slice(0, 3).join('; ')}`);
  for (const cue of result.cues) {
    if ('speaker' in cue && (typeof cue.speaker !== 'string' || cue.speaker.trim() === '')) throw new Error('cue with an empty speaker');
  }
  for (const w of result.warnings) {
    if (!Number.isInteger(w.line) || w.line < 0 || typeof w.message !== 'string') throw new Error(`bad warning ${JSON.stringify(w)}`);
  }
  return result;
}

/** Every cue's token is in the output, unless a warning points into the cue's lines (or names its event). */
function checkNothingSilentlyDropped(result: ParsedTranscript | null, rendered: Rendered, mustParse: boolean): void {
  if (!result) {
    if (mustParse) throw new Error('a file with undamaged cues was rejected');
    return;
  }
  const out = result.cues.map((c) => c.text).join('\n');
  for (const cue of rendered.cues) {
    if (out.includes(cue.token)) continue;
    const warned = result.warnings.some((w) =>
      cue.from === 0 ? w.message.includes(`event #${cue.index} `) || w.message.includes(`segment #${cue.index} `) : w.line >= cue.from && w.line <= cue.to,
    );
    if (!warned) throw new Error(`text of cue ${cue.token} (lines ${cue.from}-${cue.to}) dropped without a warning`);
  }
}

type Parser = (text: string, file: string) => ParsedTranscript;

function parserTarget(name: string, parse: Parser, render: fc.Arbitrary<Rendered>): FuzzTarget {
  return {
    name,
    property: (budgetMs) =>
      fc.property(
        fc.oneof(
          { weight: 1, arbitrary: render.map((r) => ({ rendered: r as Rendered | null, text: r.text })) },
          { weight: 3, arbitrary: inputsFor(render.map((r) => r.text)).map((text) => ({ rendered: null as Rendered | null, text })) },
        ),
        ({ rendered, text }) => {
          const result = checkParse(() => parse(text, FILE), FILE, text, budgetMs);
          if (rendered) checkNothingSilentlyDropped(result, rendered, rendered.cues.some((c) => !c.damaged));
        },
      ) as fc.IProperty<[unknown]>,
  };
}

const captionOpts = fc.record({ crlf: fc.boolean(), bom: fc.boolean(), numbers: fc.boolean() });

// ---------- YouTube references ----------

const ID_CHARS = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'.split(''));
const idOf = (min: number, max: number) => fc.array(ID_CHARS, { minLength: min, maxLength: max }).map((cs) => cs.join(''));
const videoId = fc.oneof(idOf(11, 11), idOf(0, 14));
const host = fc.constantFrom('youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtu.be', 'www.youtube-nocookie.com', 'YouTube.com.', 'evil.com', 'youtube.com.evil.com', 'user:pw@youtube.com', '[::1]', 'xn--80ak6aa92e.com');
const scheme = fc.constantFrom('https://', 'http://', '', '//', 'javascript:', 'file:///', 'data:text/html,', 'HTTPS://', 'ftp://');
const pathFor = fc.oneof(
  videoId.map((v) => `/watch?v=${v}`),
  fc.tuple(videoId, idOf(10, 40)).map(([v, l]) => `/watch?v=${v}&list=${l}`),
  idOf(8, 70).map((l) => `/playlist?list=${l}`),
  idOf(8, 70).map((l) => `/watch?list=${l}`),
  videoId.map((v) => `/${v}`),
  fc.tuple(fc.constantFrom('shorts', 'live', 'embed', 'v', 'e'), videoId).map(([p, v]) => `/${p}/${v}`),
  idOf(8, 40).map((l) => `/embed/videoseries?list=${l}`),
  fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 32 }), fc.constantFrom('', '/videos', '/streams', '/about', '/shorts/')).map(([h, t]) => `/@${encodeURIComponent(h)}${t}`),
  fc.tuple(idOf(22, 22), fc.constantFrom('', '/podcasts', '/featured')).map(([c, t]) => `/channel/UC${c}${t}`),
  fc.tuple(fc.constantFrom('c', 'user'), fc.string({ unit: 'grapheme', minLength: 0, maxLength: 12 })).map(([k, n]) => `/${k}/${encodeURIComponent(n)}`),
  fc.constantFrom('/', '', '/watch', '/%', '/%E0%A4%A', '/../../etc/passwd', '/watch?v=%00', '/@', '/channel/'),
);
const refLike = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(scheme, host, pathFor, fc.constantFrom('', '#t=10', '&t=1m2s', '?si=abc')).map((p) => p.join('')) },
  { weight: 1, arbitrary: videoId },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('PL', 'UU', 'OL', 'RD', 'UC', '@'), idOf(0, 70)).map(([p, s]) => p + s) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(' ', '\t', '\n', ''), fc.string({ maxLength: 60 }), fc.constantFrom(' ', '')).map((p) => p.join('')) },
);

function checkRef(ref: YouTubeRef): void {
  const ok =
    (ref.kind === 'video' && /^[A-Za-z0-9_-]{11}$/.test(ref.id)) ||
    (ref.kind === 'playlist' && /^[A-Za-z0-9_-]{12,64}$/.test(ref.id)) ||
    (ref.kind === 'channel' && [ref.handle, ref.channelId, ref.customName, ref.user].filter((v) => v !== undefined).length === 1);
  if (!ok) throw new Error(`malformed reference ${JSON.stringify(ref)}`);
  // The canonical URL of a reference names the same reference.
  const again = parseYouTubeRef(youTubeRefUrl(ref));
  if (JSON.stringify(again) !== JSON.stringify(ref)) throw new Error(`canonical URL ${youTubeRefUrl(ref)} reads back as ${JSON.stringify(again)}`);
}

const youTubeTarget: FuzzTarget = {
  name: 'parseYouTubeRef',
  property: (budgetMs) =>
    fc.property(refLike, (input) => {
      const t0 = performance.now();
      let ref: YouTubeRef | null = null;
      try {
        ref = parseYouTubeRef(input);
      } catch (err) {
        if (!(err instanceof YouTubeRefError)) throw new Error(`threw ${(err as Error)?.name} instead of YouTubeRefError: ${(err as Error)?.message}`);
      }
      if (performance.now() - t0 > budgetMs) throw new Error(`took over ${budgetMs} ms`);
      if (ref) checkRef(ref);
    }) as fc.IProperty<[unknown]>,
};

// ---------- detection over any file name ----------

const fileName = fc.oneof(
  fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...SUPPORTED_EXTENSIONS, '.VTT', '.Srt', '', '.pdf', '.vtt.bak')).map(([b, e]) => b + e),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const anyFormatFile = fc.oneof(
  cueSpecs(5).chain((s) => captionOpts.map((o) => renderCaptions(s, 'vtt', o).text)),
  cueSpecs(5).chain((s) => captionOpts.map((o) => renderCaptions(s, 'srt', o).text)),
  cueSpecs(4).map((s) => renderTimedText(s, 'xml').text),
  cueSpecs(4).map((s) => renderTimedText(s, 'srv3').text),
  cueSpecs(4).map((s) => renderJson3(s).text),
  fc.tuple(cueSpecs(4), fc.boolean()).map(([s, w]) => renderPodcastJson(s, w).text),
  cueSpecs(1).chain((s) => fc.boolean().map((b) => renderTxt(s, b).text)),
  cueSpecs(1).map((s) => renderMarkdown(s).text),
);

const detectTarget: FuzzTarget = {
  name: 'parseTranscript (detect)',
  property: (budgetMs) =>
    fc.property(fc.tuple(fileName, inputsFor(anyFormatFile)), ([name, text]) => {
      checkParse(() => parseTranscript(name, text), name, text, budgetMs);
    }) as fc.IProperty<[unknown]>,
};

/** One target per parser, plus detection and the YouTube reference parser. */
export const FUZZ_TARGETS: FuzzTarget[] = [
  parserTarget('parseVtt', parseVtt, fc.tuple(cueSpecs(5), captionOpts).map(([s, o]) => renderCaptions(s, 'vtt', o))),
  parserTarget('parseSrt', parseSrt, fc.tuple(cueSpecs(5), captionOpts).map(([s, o]) => renderCaptions(s, 'srt', o))),
  parserTarget('parseTimedTextXml', parseTimedTextXml, cueSpecs(4).map((s) => renderTimedText(s, 'xml'))),
  parserTarget('parseSrv3', parseSrv3, cueSpecs(4).map((s) => renderTimedText(s, 'srv3'))),
  parserTarget('parseJson3', parseJson3, cueSpecs(4).map((s) => renderJson3(s))),
  parserTarget('parsePodcastJson', parsePodcastJson, fc.tuple(cueSpecs(4), fc.boolean()).map(([s, w]) => renderPodcastJson(s, w))),
  parserTarget('parseTimestampedTxt', parseTimestampedTxt, fc.tuple(cueSpecs(1), fc.boolean()).map(([s, b]) => renderTxt(s, b))),
  parserTarget('parseSpeakerMarkdown', parseSpeakerMarkdown, cueSpecs(1).map((s) => renderMarkdown(s))),
  detectTarget,
  youTubeTarget,
];
