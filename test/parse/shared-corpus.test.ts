/**
 * Parses every file of the shared real-data corpora and checks the result against facts
 * that do not come from the parser: YouTube video lengths, the corpus READMEs' counts, and
 * the raw files' own timestamps. Needs `shared/` beside the repository; skipped without it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_REPEAT_GAP_MS } from '../../indexer/parse/captions.ts';
import { parseSpeakerMarkdown } from '../../indexer/parse/markdown.ts';
import { parseVtt } from '../../indexer/parse/vtt.ts';
import { contractViolations } from './well-formed.ts';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const MINUTE = 60_000;

const filesIn = (dir: string, ext: string) =>
  readdirSync(join(DATA, dir))
    .filter((f) => f.endsWith(ext))
    .sort();
const read = (dir: string, file: string) => readFileSync(join(DATA, dir, file), 'utf8');
const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Minimal RFC 4180 reader: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe.skipIf(!existsSync(DATA))('shared corpus', () => {
  it('lexicap: 319 Whisper VTTs end where YouTube says each episode ends', () => {
    const [header, ...rows] = parseCsv(read('lexicap', 'episodes_metadata.csv'));
    const col = (name: string) => header.indexOf(name);
    const lengthSec = new Map(rows.map((r) => [Number(r[col('episode_number')]), Number(r[col('length')])]));

    const files = filesIn('lexicap/vtt_large', '.vtt');
    expect(files).toHaveLength(319);
    let cueCount = 0;
    let totalMs = 0;
    const problems: string[] = [];
    const noMetadata: number[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      const episode = Number(/^episode_(\d+)_large\.vtt$/.exec(file)?.[1]);
      const parsed = parseVtt(read('lexicap/vtt_large', file), file);
      problems.push(...contractViolations(parsed.cues).map((p) => `${file} ${p}`));
      for (const cue of parsed.cues) if (/<\/?[a-z]|-->/i.test(cue.text)) problems.push(`${file} markup left: ${cue.text}`);
      warnings.push(...parsed.warnings.map((w) => `${file}:${w.line} ${w.message}`));
      const endMs = Math.max(...parsed.cues.map((c) => c.endMs));
      cueCount += parsed.cues.length;
      totalMs += endMs;
      const youtubeSec = lengthSec.get(episode);
      if (youtubeSec === undefined) noMetadata.push(episode);
      else if (Math.abs(endMs / 1000 - youtubeSec) > 60) problems.push(`${file} ends at ${endMs / 1000}s, YouTube ${youtubeSec}s`);
    }
    expect(problems).toEqual([]);
    expect(noMetadata).toEqual([84]);
    // README: 802,299 cues; only ASR repetition loops are merged and broken cues skipped.
    expect(cueCount).toBeLessThanOrEqual(802_299);
    expect(cueCount).toBeGreaterThan(802_299 * 0.98);
    // README: ~705 hours.
    expect(Math.abs(totalMs / 3_600_000 - 705)).toBeLessThan(7);
    // Two Whisper cues whose end precedes their start (checked by eye), reported, not dropped silently.
    expect(warnings).toEqual([
      'episode_153_large.vtt:6441 cue ends before it starts; cue skipped',
      'episode_276_large.vtt:456 cue ends before it starts; cue skipped',
    ]);
  });

  it('talkpython: 250 YouTube caption files with plausible lengths and nothing said twice in a row', () => {
    // These captions are not YouTube's rolling ASR captions: one line per cue, "- " for a
    // new speaker, and in some episodes a Whisper-style loop repeating one line for minutes.
    const files = filesIn('talkpython-youtube', '.vtt');
    expect(files).toHaveLength(250);
    const problems: string[] = [];
    let cueCount = 0;
    let rawWords = 0;
    let parsedWords = 0;
    let repeatedNeighbours = 0;
    let voiceFiles = 0;
    for (const file of files) {
      const text = read('talkpython-youtube', file);
      const { cues } = parseVtt(text, file);
      problems.push(...contractViolations(cues).map((p) => `${file} ${p}`));
      const endMs = Math.max(...cues.map((c) => c.endMs));
      if (endMs < 15 * MINUTE || endMs > 180 * MINUTE) problems.push(`${file} lasts ${endMs / MINUTE} min`);
      cues.forEach((cue, i) => {
        if (/^- |<\/?[a-z]|&[a-z]+;/i.test(cue.text)) problems.push(`${file} markup left: ${cue.text}`);
        const prev = cues[i - 1];
        if (prev?.text === cue.text && prev.speaker === cue.speaker) {
          repeatedNeighbours++;
          if (cue.startMs - prev.endMs <= MAX_REPEAT_GAP_MS) problems.push(`${file} repeated at ${cue.startMs}: ${cue.text}`);
        }
      });
      if (text.includes('<v ')) {
        // A few short lines ("Thank you.") in these files carry no voice tag.
        voiceFiles++;
        const tagged = text.split('\n').filter((l) => l.startsWith('<v ')).length;
        const withSpeaker = cues.filter((c) => c.speaker).length;
        if (withSpeaker < tagged * 0.9) problems.push(`${file}: ${withSpeaker} cues with speaker, ${tagged} voice tags`);
      }
      cueCount += cues.length;
      const captionText = text
        .split('\n')
        .filter((l) => l !== 'WEBVTT' && !l.includes('-->'))
        .join(' ')
        .replace(/<[^>]*>/g, '')
        .replace(/(^|\s)-(?=\s)/g, ' ');
      rawWords += wordCount(captionText);
      parsedWords += wordCount(cues.map((c) => c.text).join(' '));
    }
    expect(problems).toEqual([]);
    expect(voiceFiles).toBe(29); // README: 29 files with <v ...> tags
    // Same words in neighbouring cues only after a pause (e.g. two separate "Yeah."s): rare.
    expect(repeatedNeighbours / cueCount).toBeLessThan(0.001);
    // Nothing but repeats is removed: the text is ~all there, never more than the captions.
    expect(parsedWords).toBeLessThanOrEqual(rawWords);
    expect(parsedWords / rawWords).toBeGreaterThan(0.995);

    // Episode 432 repeats one line ~265 times over 17 minutes; it is kept once.
    const loop = 'and you have to do it in Python.';
    const ep432 = read('talkpython-youtube', '432-beanie-pydantic-upgrade.vtt');
    expect(ep432.split('\n').filter((l) => l.endsWith(`Yeah, ${loop}`)).length).toBeGreaterThan(250);
    const loopCues = parseVtt(ep432, '432').cues.filter((c) => c.text === `Yeah, ${loop}`);
    expect(loopCues).toHaveLength(1);
    expect(loopCues[0].endMs - loopCues[0].startMs).toBeGreaterThan(15 * MINUTE);
  });

  it('practicalai: 299 Markdown transcripts with speakers and monotone times that honour the markers', () => {
    const files = filesIn('changelog-practicalai', '.md');
    expect(files).toHaveLength(299);
    const problems: string[] = [];
    let markers = 0;
    let markersHit = 0;
    let warnings = 0;
    for (const file of files) {
      const text = read('changelog-practicalai', file);
      const parsed = parseSpeakerMarkdown(text, file);
      const { cues } = parsed;
      warnings += parsed.warnings.length;
      problems.push(...contractViolations(cues).map((p) => `${file} ${p}`));
      const speakers = new Set(cues.map((c) => c.speaker).filter(Boolean));
      if (speakers.size === 0) problems.push(`${file} has no speakers`); // one solo episode (285)
      if (cues.filter((c) => c.speaker).length < cues.length * 0.95) problems.push(`${file} has many cues without speaker`);
      const endMs = cues[cues.length - 1].endMs;
      // The shortest episode (6) has 2,433 words and its last marker at 14:37.
      if (endMs < 15 * MINUTE || endMs > 120 * MINUTE) problems.push(`${file} ends at ${endMs / MINUTE} min`);
      cues.forEach((cue, i) => {
        if (i > 0 && cue.startMs < cues[i - 1].endMs) problems.push(`${file} cue ${i} starts before the previous ends`);
        // Escaped `s\*\*t` is a literal word; a label or link mark is not.
        if (/^\*\*|\*\*:|\\[[\]*_]|\]\(/.test(cue.text)) problems.push(`${file} markdown left: ${cue.text}`);
      });
      // A paragraph opening with `\[MM:SS\]` (after a speaker label or not) must start a cue
      // at exactly that time. A break's marker ends the text before it instead.
      const starts = new Set(cues.map((c) => c.startMs));
      for (const m of text.matchAll(/^(?:\*\*(?!Break)[^*\n]+:\*\* )?\\\[(\d\d):(\d\d)\\\] \S/gm)) {
        markers++;
        if (starts.has((Number(m[1]) * 60 + Number(m[2])) * 1000)) markersHit++;
      }
    }
    expect(problems).toEqual([]);
    // README: 3,110 inline timestamps in practicalai; most open a speaker's paragraph.
    expect(markers).toBeGreaterThan(2500);
    // Misses are markers earlier than an `[unintelligible hh:mm:ss]` before them (warned).
    expect(markersHit).toBeGreaterThanOrEqual(markers - warnings);
    expect(warnings).toBeLessThan(10);
  });
});
