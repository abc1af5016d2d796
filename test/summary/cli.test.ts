import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { parseSrt } from '../../indexer/parse/srt.ts';
import { parseVtt } from '../../indexer/parse/vtt.ts';
import { Store } from '../../indexer/store/store.ts';
import { runExport, runSummarize, runTopic } from '../../cli/summary.ts';
import { loadConfig, type Config } from '../../core/config.ts';
import type { EpisodeSummary, TopicSummary } from '../../core/contract/api.ts';
import { copyIndex } from './helpers.ts';

const CHOMSKY = 'cMscNuSUy0I';

let dir: string;
let config: Config;

beforeAll(async () => {
  dir = await copyIndex(inject('lexicapIndex'));
  config = loadConfig({ EPISODIC_DATA: dir, EPISODIC_EMBEDDER: 'use-lite' });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs a CLI function, capturing what it writes. */
async function capture(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  const code = await run();
  vi.restoreAllMocks();
  return { code, out, err };
}

describe('episodic export', () => {
  it('writes the cleaned transcript as SRT and WebVTT that parse back to the same cues', async () => {
    const store = Store.open(dir);
    const cues = store.db.cues(CHOMSKY);
    store.close();
    const srt = await capture(() => runExport(config, [CHOMSKY], { format: 'srt' }));
    expect(srt.code).toBe(0);
    expect(srt.out.startsWith('1\n00:00:00,000 --> ')).toBe(true);
    const fromSrt = parseSrt(srt.out, 'x.srt');
    expect(fromSrt.warnings).toEqual([]);
    expect(fromSrt.cues.map((c) => c.text)).toEqual(cues.map((c) => c.text.replace(/\s+/g, ' ').trim()).filter(Boolean));
    const vtt = await capture(() => runExport(config, [CHOMSKY], { format: 'vtt' }));
    expect(vtt.out.startsWith('WEBVTT\n\nNOTE Noam Chomsky')).toBe(true);
    const fromVtt = parseVtt(vtt.out, 'x.vtt');
    expect(fromVtt.cues).toHaveLength(fromSrt.cues.length);
    expect(fromVtt.cues.map((c) => c.startMs)).toEqual(fromSrt.cues.map((c) => c.startMs));
  });

  it('exports the summary as JSON and Markdown (the second time from the cache)', async () => {
    const json = await capture(() => runExport(config, [CHOMSKY], { format: 'json' }));
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.out) as EpisodeSummary;
    expect(summary.videoId).toBe(CHOMSKY);
    expect(summary.mode).toBe('extractive');
    expect(summary.cached).toBe(false);
    const md = await capture(() => runSummarize(config, [CHOMSKY], {}));
    expect(md.out).toMatch(/^# Noam Chomsky/);
    expect(md.out).toContain('## Key insights');
    expect(md.out).toContain(`](https://www.youtube.com/watch?v=${CHOMSKY}&t=`);
    const again = await capture(() => runSummarize(config, [CHOMSKY], { json: true }));
    expect((JSON.parse(again.out) as EpisodeSummary).cached).toBe(true);
  });

  it('explains bad input with an exit code', async () => {
    expect((await capture(() => runExport(config, [CHOMSKY], { format: 'pdf' }))).code).toBe(2);
    expect((await capture(() => runExport(config, [], { format: 'srt' }))).code).toBe(2);
    const missing = await capture(() => runExport(config, ['nope'], { format: 'srt' }));
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('episodic export: video "nope" not found\n');
    expect((await capture(() => runSummarize(config, ['nope'], {}))).err).toBe('episodic summarize: video "nope" not found\n');
  });
});

describe('episodic topic', () => {
  it('prints the topic summary as Markdown or JSON', async () => {
    const md = await capture(() => runTopic(config, ['language', 'acquisition', 'in', 'children'], {}));
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^# Topic: language acquisition in children\n\n1 episode · /);
    expect(md.out).toContain('## Timeline');
    const json = await capture(() => runTopic(config, ['language acquisition in children'], { json: true }));
    const t = JSON.parse(json.out) as TopicSummary;
    expect(t.episodes.map((e) => e.videoId)).toEqual([CHOMSKY]);
    expect((await capture(() => runTopic(config, [], {}))).code).toBe(2);
  });
});
