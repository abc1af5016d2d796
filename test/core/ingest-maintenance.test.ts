/**
 * The core's ingest and maintenance services on their own: what a bad path, source or option
 * becomes (a CoreError of the kind each adapter maps), which files are picked, and the checks and
 * repair on a folder without an index. Real files in a temp folder; no network.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError, type ErrorKind } from '../../core/errors.ts';
import { followMatches, followRef, parseIngestSource, parseSourceOptions, selectTranscriptFiles } from '../../core/ingest.ts';
import { checkIndex, repairLibrary } from '../../core/maintenance.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'episodic-core-ingest-'));
  mkdirSync(join(dir, 'talks'));
  writeFileSync(join(dir, 'talks', 'one.vtt'), 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello.\n');
  writeFileSync(join(dir, 'talks', 'notes.pdf'), '%PDF');
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'empty', 'cover.jpg'), 'jpg');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kindOf(run: () => unknown): ErrorKind | undefined {
  try {
    run();
  } catch (err) {
    if (err instanceof CoreError) return err.kind;
    throw err;
  }
  return undefined;
}

async function asyncKindOf(run: () => Promise<unknown>): Promise<ErrorKind | undefined> {
  try {
    await run();
  } catch (err) {
    if (err instanceof CoreError) return err.kind;
    throw err;
  }
  return undefined;
}

describe('selectTranscriptFiles', () => {
  it('walks folders and keeps transcript files only', async () => {
    const { files, manifest } = await selectTranscriptFiles({ paths: [join(dir, 'talks')] });
    expect(files).toEqual([join(dir, 'talks', 'one.vtt')]);
    expect(manifest).toBeUndefined();
  });

  it('no paths or a missing path is invalid; a folder without transcripts is not_found', async () => {
    expect(await asyncKindOf(() => selectTranscriptFiles({ paths: [] }))).toBe('invalid');
    expect(await asyncKindOf(() => selectTranscriptFiles({ paths: [join(dir, 'nope')] }))).toBe('invalid');
    expect(await asyncKindOf(() => selectTranscriptFiles({ paths: [join(dir, 'empty')] }))).toBe('not_found');
    expect(await asyncKindOf(() => selectTranscriptFiles({ paths: [join(dir, 'talks')], manifest: join(dir, 'missing.csv') }))).toBe('invalid');
  });
});

describe('remote sources', () => {
  it('reads a YouTube reference or a feed URL; anything else is invalid, named by the field', () => {
    expect(parseIngestSource('https://www.youtube.com/watch?v=jNQXAC9IVRw')).toMatchObject({ kind: 'video', id: 'jNQXAC9IVRw' });
    expect(parseIngestSource('https://example.com/podcast.xml')).toEqual({ kind: 'feed', url: 'https://example.com/podcast.xml' });
    expect(kindOf(() => parseIngestSource('not a source'))).toBe('invalid');
    expect(() => parseIngestSource('not a source', 'source')).toThrow(/^source: /);
  });

  it('a follow lists again from its own source; --channel matches by reference or substring', () => {
    expect(followRef({ kind: 'feed', source: 'https://example.com/feed' })).toEqual({ kind: 'feed', url: 'https://example.com/feed' });
    expect(followRef({ kind: 'playlist', source: 'https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf' })).toMatchObject({ kind: 'playlist', id: 'PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf' });
    expect(followMatches('https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf', 'https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf')).toBe(true);
    expect(followMatches('https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf', 'https://www.youtube.com/playlist?list=PLrAXtmErZgOdP_8GztsuKi9nrraNbKKp4')).toBe(false);
    expect(followMatches('https://example.com/Feed.xml', 'example.com/feed')).toBe(true);
  });

  it('parses the source options; a bad one is invalid and named', () => {
    expect(parseSourceOptions({ lang: 'en, de', concurrency: '2' }, 0)).toEqual({ lang: ['en', 'de'], concurrency: 2 });
    expect(kindOf(() => parseSourceOptions({ lang: 'english!' }, 0))).toBe('invalid');
    expect(() => parseSourceOptions({ concurrency: '17' }, 0)).toThrow(/--concurrency/);
    expect(() => parseSourceOptions({ cookies: join(dir, 'no-cookies.txt') }, 0)).toThrow(/--cookies: cannot read/);
  });
});

describe('maintenance without an index', () => {
  it('checkIndex warns that nothing was added; repair has nothing to do and opens no embedder', async () => {
    const empty = join(dir, 'empty');
    expect(checkIndex({ dataDir: empty, embedder: 'auto' })).toEqual([{ ok: 'warn', message: expect.stringMatching(/^no index yet/) }]);
    let opened = false;
    const report = await repairLibrary({ dataDir: empty, embedder: 'auto', minFreeMb: 0 }, () => {
      opened = true;
      throw new Error('not called');
    });
    expect(report).toBeUndefined();
    expect(opened).toBe(false);
  });
});
