import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveFileMeta } from '../../indexer/sources/files.ts';
import { titleFromFileName, titleFromText, titleOfFile } from '../../indexer/sources/title.ts';

const SHARED = new URL('../../../shared/data/', import.meta.url).pathname;

describe('titles of files added without metadata', () => {
  it('reads a Markdown # heading, a WebVTT Title header, a NOTE title or the text after WEBVTT', () => {
    expect(titleFromText('Intro line\n\n# Fully Connected: the AI news  \n\n**Dan:** hi', '.md')).toBe('Fully Connected: the AI news');
    expect(titleFromText('**Dan:** no heading here', '.md')).toBeUndefined();
    expect(titleFromText('WEBVTT\nKind: captions\nTitle: Pydantic v2\n\n00:00.000 --> 00:01.000\nhi', '.vtt')).toBe('Pydantic v2');
    expect(titleFromText('WEBVTT - Async all the things\n\n00:00.000 --> 00:01.000\nhi', '.vtt')).toBe('Async all the things');
    expect(titleFromText('WEBVTT\n\nNOTE Title: From a note\n\n00:00.000 --> 00:01.000\nhi', '.vtt')).toBe('From a note');
    expect(titleFromText('WEBVTT\n\n00:00.000 --> 00:01.000\nTitle: spoken words are not a title', '.vtt')).toBeUndefined();
    expect(titleFromText(`# ${'x'.repeat(300)}`, '.md')).toBeUndefined();
  });

  it('makes the file name readable when the text has no title', () => {
    expect(titleFromFileName('313-pydantic.vtt')).toBe('#313: Pydantic');
    expect(titleFromFileName('/x/practical-ai-100.md')).toBe('Practical AI 100');
    expect(titleFromFileName('303-python-for-astronomy-with-dr.-becky.vtt')).toBe('#303: Python for Astronomy with Dr. Becky');
    expect(titleFromFileName('episode_018_large.vtt')).toBe('Episode 018 Large');
    expect(titleFromFileName('42.vtt')).toBe('42');
    expect(titleOfFile('a.md', '# Real title\n')).toBe('Real title');
    expect(titleOfFile('some-file.md', undefined)).toBe('Some File');
  });

  it('titles the shared Talk Python and Practical AI files readably (metadata still wins)', () => {
    for (const file of [`${SHARED}talkpython-youtube/313-pydantic.vtt`, `${SHARED}changelog-practicalai/practical-ai-100.md`]) {
      const meta = resolveFileMeta(file, {}, readFileSync(file, 'utf8'));
      expect(meta.title).not.toMatch(/^\d+ \w+$|^practical ai/);
      expect(meta.title).toMatch(/^(#313: Pydantic|Practical AI 100)$/);
    }
  });
});
