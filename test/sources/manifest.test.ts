import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveFileMeta, idFromFileName, listTranscriptFiles } from '../../indexer/sources/files.ts';
import { buildManifest, findRow, normalizeDate, parseColumnsOption, parseCsv, parseJsonManifest, rowToMeta } from '../../indexer/sources/manifest.ts';
import { LEXICAP, lexicapFile } from '../helpers/paths.ts';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, commas and CRLF', () => {
    const rows = parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\r\n2,,z\n');
    expect(rows).toEqual([
      { a: '1', b: 'x, y', c: 'say "hi"' },
      { a: '2', b: '', c: 'z' },
    ]);
  });
});

describe('manifest mapping', () => {
  it('maps the real Lexicap metadata to files by episode number', () => {
    const manifest = buildManifest(parseCsv(readFileSync(`${LEXICAP}episodes_metadata.csv`, 'utf8')));
    expect(manifest.key).toBe('episode_number');
    expect(manifest.columns).toMatchObject({ id: 'video_id', title: 'title', publishedAt: 'publish_date', url: 'url', speakers: 'guest_names' });
    const meta = resolveFileMeta(lexicapFile(1), { manifest, channel: 'Lex Fridman Podcast' });
    expect(meta).toMatchObject({
      id: 'Gi8LUnhP5yU',
      youtubeId: 'Gi8LUnhP5yU',
      title: 'Max Tegmark: Life 3.0 | Lex Fridman Podcast #1',
      publishedAt: '2018-04-19',
      speakers: ['Max Tegmark'],
      channel: 'Lex Fridman Podcast',
    });
    // Episode 84 has no row: the id falls back to the file name.
    expect(resolveFileMeta(lexicapFile(84), { manifest }).id).toBe('episode_084_large');
  });

  it('lets the user choose columns and the key', () => {
    const rows = parseCsv('slug,name,yt\nfoo,Foo episode,dQw4w9WgXcQ\n');
    const manifest = buildManifest(rows, { key: 'slug', columns: parseColumnsOption('title=name,id=yt') });
    expect(rowToMeta(findRow(manifest, '/x/foo.vtt')!, manifest.columns)).toEqual({ id: 'dQw4w9WgXcQ', title: 'Foo episode' });
    expect(findRow(manifest, '/x/bar.vtt')).toBeUndefined();
    expect(() => buildManifest(rows, { key: 'nope' })).toThrow(/no column "nope"/);
    expect(() => parseColumnsOption('colour=name')).toThrow(/bad --columns entry/);
  });

  it('reads JSON manifests keyed by file name', () => {
    const rows = parseJsonManifest(JSON.stringify({ 'a.vtt': { title: 'A', speakers: ['X', 'Y'] } }));
    const m = buildManifest(rows);
    expect(rowToMeta(findRow(m, 'dir/a.vtt')!, m.columns)).toEqual({ title: 'A', speakers: ['X', 'Y'] });
  });

  it('normalises dates', () => {
    expect(normalizeDate('2018-04-19 00:00:00')).toBe('2018-04-19');
    expect(normalizeDate('20200102')).toBe('2020-01-02');
    expect(normalizeDate('not a date')).toBeUndefined();
  });
});

describe('files', () => {
  it('prefers a sidecar over the manifest and skips sidecars when listing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'episodic-files-'));
    writeFileSync(join(dir, 'ep 1.vtt'), 'WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n');
    writeFileSync(join(dir, 'ep 1.json'), JSON.stringify({ title: 'Sidecar title', url: 'https://youtu.be/dQw4w9WgXcQ', speakers: ['Ann'] }));
    writeFileSync(join(dir, 'notes.pdf'), 'x');
    expect(await listTranscriptFiles([dir])).toEqual([join(dir, 'ep 1.vtt')]);
    const manifest = buildManifest(parseCsv('file,title,channel\nep 1.vtt,Manifest title,Show\n'));
    expect(resolveFileMeta(join(dir, 'ep 1.vtt'), { manifest })).toMatchObject({
      id: 'dQw4w9WgXcQ',
      title: 'Sidecar title',
      channel: 'Show',
      speakers: ['Ann'],
      youtubeId: 'dQw4w9WgXcQ',
    });
    expect(idFromFileName('/a/My Episode #3!.srt')).toBe('My-Episode-3');
    await expect(listTranscriptFiles([join(dir, 'missing')])).rejects.toThrow(/no such file or folder/);
  });
});
