/**
 * Issue 18, points 1–3, 7 and 9: what a file is in the index (its identity) and what the user is
 * told about it. Real files in a temp folder, the real store, the bundled USE-lite encoder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileDetails } from '../../cli/progress.ts';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { ingestFiles } from '../../indexer/ingest.ts';
import { idFromFileName } from '../../indexer/sources/files.ts';
import { buildManifest, parseCsv } from '../../indexer/sources/manifest.ts';
import { resolveIdentity, type IdentityLookups } from '../../indexer/store/identity.ts';
import type { VideoRow } from '../../indexer/store/db.ts';
import { Store } from '../../indexer/store/store.ts';
import { toVideoSummary } from '../../core/library.ts';
import { LEXICAP, lexicapFile, SHARED_DATA } from '../helpers/paths.ts';
import { makeVtt } from '../helpers/transcripts.ts';

const root = mkdtempSync(join(tmpdir(), 'episodic-identity-'));
let embedder: Embedder;
let n = 0;
const freshStore = () => Store.open(join(root, `index-${n++}`));
const manifest = () => buildManifest(parseCsv(readFileSync(`${LEXICAP}episodes_metadata.csv`, 'utf8')));

beforeAll(async () => {
  embedder = await createUseLiteEmbedder();
});
afterAll(async () => {
  await embedder?.close();
  rmSync(root, { recursive: true, force: true });
});

function write(rel: string, text: string | Buffer): string {
  const file = join(root, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('point 1: two files with the same name', () => {
  it('are two episodes, and adding the folder again changes nothing', async () => {
    const a = write('p1/a/episode.vtt', makeVtt(['bees', 'rockets'], 2));
    const b = write('p1/b/episode.vtt', makeVtt(['bread'], 3));
    const store = freshStore();
    const first = await ingestFiles({ store, embedder }, [a, b], {});
    expect(first).toMatchObject({ added: 2, updated: 0, failed: [] });
    const videos = store.db.listVideos();
    expect(videos.map((v) => v.id).sort()).toEqual(['episode', expect.stringMatching(/^episode-[0-9a-f]{6}$/)]);
    expect(new Set(videos.map((v) => v.source))).toEqual(new Set([a, b]));
    expect(first.notices).toEqual([expect.objectContaining({ file: b, message: expect.stringContaining(`the id "episode" belongs to another episode (${a})`) })]);
    const again = await ingestFiles({ store, embedder }, [a, b], {});
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2, notices: [] });
    expect(store.db.listVideos().map((v) => v.id).sort()).toEqual(videos.map((v) => v.id).sort());
    store.close();
  });

  it('an index from before the fix, where one file had overwritten the other, gets the lost one back', async () => {
    const a = write('p1old/a/episode.vtt', makeVtt(['bees'], 2));
    const b = write('p1old/b/episode.vtt', makeVtt(['bread'], 2));
    const store = freshStore();
    await ingestFiles({ store, embedder }, [b], {}); // what survived: "episode" from b
    const summary = await ingestFiles({ store, embedder }, [a, b], {});
    expect(summary).toMatchObject({ added: 1, unchanged: 1 });
    expect(store.db.getVideo('episode')?.source).toBe(b); // existing ids never change
    store.close();
  });
});

describe('point 2: non-Latin and odd file names', () => {
  it('keep their letters as the id; nothing collapses to one id', async () => {
    expect(idFromFileName('/x/日本語.vtt')).toBe('日本語');
    expect(idFromFileName('/x/中文.vtt')).toBe('中文');
    expect(idFromFileName('/x/épisode café ☕.vtt')).toBe('épisode-café');
    expect(idFromFileName('/x/..vtt')).toBe('episode');
    // ASCII names keep the ids they always had, so existing indexes are unchanged.
    expect(idFromFileName('/a/My Episode #3!.srt')).toBe('My-Episode-3');
    expect(idFromFileName('/a/303-python-for-astronomy-with-dr.-becky.vtt')).toBe('303-python-for-astronomy-with-dr.-becky');
    const files = ['日本語', '中文', 'épisode café ☕', '.'].map((stem, i) => write(`p2/${stem}.vtt`, makeVtt([['bees', 'rockets', 'bread', 'bees'][i]], 1 + i)));
    const store = freshStore();
    const summary = await ingestFiles({ store, embedder }, files, {});
    expect(summary).toMatchObject({ added: 4, failed: [] });
    expect(store.db.listVideos().map((v) => v.id).sort()).toEqual(['episode', 'épisode-café', '中文', '日本語'].sort());
    store.close();
  });
});

describe('point 3: the same file added with and without --manifest', () => {
  it('is one episode that keeps its YouTube id and metadata', async () => {
    // Episode 8's real file name and first minutes (matched to the manifest by its number).
    const file = write('p3/episode_008_large.vtt', readFileSync(lexicapFile(8), 'utf8').split('\n').slice(0, 150).join('\n'));
    const store = freshStore();
    const first = await ingestFiles({ store, embedder }, [file], { manifest: manifest(), channel: 'Lex Fridman Podcast' });
    expect(first).toMatchObject({ added: 1 });
    const stored = store.db.listVideos();
    expect(stored.map((v) => v.id)).toEqual(['hIC9FQpxVwQ']);
    const second = await ingestFiles({ store, embedder }, [file], {});
    expect(second).toMatchObject({ added: 0, unchanged: 1 });
    const after = store.db.listVideos();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: 'hIC9FQpxVwQ', title: stored[0].title, youtubeId: 'hIC9FQpxVwQ', channel: 'Lex Fridman Podcast' });
    // The same transcript copied elsewhere is still that episode.
    const copy = join(root, 'p3-copy.vtt');
    copyFileSync(file, copy);
    const third = await ingestFiles({ store, embedder }, [copy], {});
    expect(third).toMatchObject({ added: 0, unchanged: 1 });
    expect(third.notices[0].message).toContain('the same transcript as "hIC9FQpxVwQ"');
    expect(store.db.listVideos()).toHaveLength(1);
    store.close();
  });

  it('resolveIdentity (pure): a file-name id never replaces a stored episode of another source', () => {
    const row = (id: string, source: string, contentHash: string) => ({ id, source, contentHash, status: 'indexed' }) as VideoRow;
    const rows = [row('ep', '/a/ep.vtt', 'aaaa1111'), row('ep-bbbb22', '/x/other.vtt', 'ffff0000')];
    const known: IdentityLookups = {
      bySource: (s) => rows.find((r) => r.source === s),
      byContentHash: (h) => rows.find((r) => r.contentHash === h),
      byId: (id) => rows.find((r) => r.id === id),
    };
    expect(resolveIdentity({ candidate: 'ep', source: '/a/ep.vtt', contentHash: 'cccc' }, known)).toMatchObject({ kind: 'existing', id: 'ep' });
    expect(resolveIdentity({ candidate: 'YT12345678a', source: '/a/ep.vtt', contentHash: 'cccc', fromMetadata: true }, known)).toMatchObject({ kind: 'existing', id: 'ep', notice: expect.stringContaining('keeps that id') });
    expect(resolveIdentity({ candidate: 'zz', source: '/b/zz.vtt', contentHash: 'aaaa1111' }, known)).toMatchObject({ kind: 'existing', id: 'ep' });
    expect(resolveIdentity({ candidate: 'new', source: '/b/new.vtt', contentHash: 'dddd' }, known)).toEqual({ kind: 'new', id: 'new' });
    // "ep-bbbb22" is taken too, so the suffix grows.
    expect(resolveIdentity({ candidate: 'ep', source: '/b/ep.vtt', contentHash: 'bbbb2233ee' }, known)).toMatchObject({ kind: 'new', id: 'ep-bbbb2233' });
  });
});

describe('point 7: nothing lost silently inside a file', () => {
  it('dropped cues are listed with file, line and reason', async () => {
    const broken = write(
      'p7/broken-ts.vtt',
      'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHoney bees dance.\n\n00:00:xx.000 --> 00:00:08.000\nlost line\n\n00:00:09.000 --> 00:00:12.000\nQueens lay eggs.\n',
    );
    const store = freshStore();
    const summary = await ingestFiles({ store, embedder }, [broken], {});
    expect(summary.added).toBe(1);
    expect(summary.warnings).toBeGreaterThan(0);
    expect(summary.warningList.length).toBe(summary.warnings);
    expect(summary.warningList[0]).toMatchObject({ file: broken, line: expect.any(Number), reason: expect.any(String) });
    expect(summary.warningList[0].line).toBeGreaterThan(0);
    const lines = fileDetails(broken, summary.warningList);
    expect(lines[0]).toMatch(new RegExp(`^  warning: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: \\S`));
    store.close();
  });

  it('a Latin-1 file is read as Windows-1252 with a warning, not as replacement characters', async () => {
    const text = (extra: string) => `WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nCafé crème brûlée, naïve façade.\n\n00:00:05.000 --> 00:00:08.000\n${extra}\n`;
    const latin1 = write('p7/latin1.vtt', Buffer.from(text('Latin-1.'), 'latin1'));
    const utf16 = write('p7/utf16.vtt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text('UTF-16.'), 'utf16le')]));
    const store = freshStore();
    const summary = await ingestFiles({ store, embedder }, [latin1, utf16], {});
    expect(summary).toMatchObject({ added: 2, failed: [] });
    expect(store.db.cues('latin1')[0].text).toBe('Café crème brûlée, naïve façade.');
    expect(store.db.cues('utf16')[0].text).toBe('Café crème brûlée, naïve façade.');
    expect(summary.warningList).toEqual([{ file: latin1, line: 4, reason: expect.stringContaining('not valid UTF-8') }]);
    store.close();
  });

  it('one timestamp followed by a huge line is rejected, not a fake 44-hour episode', async () => {
    const words = Array.from({ length: 400_000 }, (_, i) => ['bees', 'dance', 'honey', 'hive'][i % 4]).join(' ');
    const huge = write('p7/huge.txt', `00:00:05 ${words}\n`);
    const store = freshStore();
    const summary = await ingestFiles({ store, embedder }, [huge], {});
    expect(summary.added).toBe(0);
    expect(summary.failed).toEqual([{ file: huge, error: 'implausible timing: cue at 0:05 would last 44:26:40 (400000 words after one timestamp); a transcript needs a timestamp at least every hour' }]);
    // The reason alone: the path is not repeated inside the message (point 9).
    expect(summary.failed[0].error).not.toContain(huge);
    store.close();
  });
});

describe('point 9: metadata surprises', () => {
  it('a number in a file name does not pull an unrelated manifest row', async () => {
    // The real file names (their first minutes only, to keep the test quick).
    const head = (file: string) => readFileSync(file, 'utf8').split('\n').slice(0, 120).join('\n');
    const talk = write('p9/304-asyncio-all-the-things-with-omnilib.vtt', head(`${SHARED_DATA}talkpython-youtube/304-asyncio-all-the-things-with-omnilib.vtt`));
    const lex = write('p9/episode_003_large.vtt', head(lexicapFile(3)));
    const store = freshStore();
    const summary = await ingestFiles({ store, embedder }, [talk, lex], { manifest: manifest() });
    const [tp] = store.db.listVideos().filter((v) => v.source === talk);
    expect(tp.id).toBe('304-asyncio-all-the-things-with-omnilib');
    expect(tp.title).toBe('#304: Asyncio All the Things with Omnilib');
    expect(summary.warningList).toContainEqual({ file: talk, line: 0, reason: expect.stringMatching(/^the file name starts with 304 but manifest row 304 is ".*Lex Fridman Podcast #304", which shares no word/) });
    // Lexicap's own names still match by their episode number.
    expect(store.db.listVideos().find((v) => v.source === lex)?.title).toMatch(/Lex Fridman Podcast #3$/);
    store.close();
  });

  it('Markdown episodes list the speakers their cues carry', async () => {
    const md = write('p9/interview.md', '**Ada:** [00:00:01] Bees dance to share where flowers are.\n\n**Grace:** [00:00:09] Rockets carry payloads to orbit.\n\n**Ada:** [00:00:20] Bread needs time to rise.\n');
    const store = freshStore();
    await ingestFiles({ store, embedder }, [md], {});
    expect(store.db.getVideo('interview')?.speakers).toEqual(['Ada', 'Grace']);
    store.close();
  });

  it('/api/videos shows a file by its name, never its absolute path', async () => {
    const file = write('p9/secret-folder/show.vtt', makeVtt(['bees'], 1));
    const store = freshStore();
    await ingestFiles({ store, embedder }, [file], {});
    const summary = toVideoSummary(store.db.getVideo('show')!);
    expect(summary.source).toBe('show.vtt');
    expect(JSON.stringify(summary)).not.toContain(root);
    store.close();
  });
});
