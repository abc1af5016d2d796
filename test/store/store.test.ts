import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { ingestTranscript, removeVideo, type TranscriptInput } from '../../indexer/pipeline.ts';
import { parseVtt } from '../../indexer/parse/vtt.ts';
import { EmbedderMismatchError, Store, VECTORS_FILE } from '../../indexer/store/store.ts';
import { search } from '../../core/retrieval/search.ts';
import { expectConsistent } from '../helpers/consistency.ts';
import { makeVtt } from '../helpers/transcripts.ts';

let embedder: Embedder;
beforeAll(async () => {
  embedder = await createUseLiteEmbedder();
});
afterAll(async () => {
  await embedder?.close();
});

const tmp = () => mkdtempSync(join(tmpdir(), 'episodic-store-'));
function input(id: string, vtt: string, extra: Partial<TranscriptInput['meta']> = {}): TranscriptInput {
  return { meta: { id, title: `Episode ${id}`, ...extra }, cues: parseVtt(vtt, `${id}.vtt`).cues, source: `${id}.vtt`, format: 'vtt' };
}

describe('store round trip', () => {
  it('stores videos, cues, segments, FTS rows and vectors that agree', async () => {
    const store = Store.open(tmp());
    const a = await ingestTranscript({ store, embedder }, input('a', makeVtt(['bees', 'rockets'], 2), { channel: 'Nature', publishedAt: '2020-01-01' }));
    expect(a).toMatchObject({ status: 'added', videoId: 'a' });
    expect(a.segments).toBeGreaterThan(1);
    expect(a.embedded).toBe(a.segments);
    expect(store.db.cues('a')).toHaveLength(16);
    expect(store.db.getVideo('a')).toMatchObject({ title: 'Episode a', channel: 'Nature', publishedAt: '2020-01-01', status: 'indexed', cueCount: 16, segmentCount: a.segments, durationMs: 80_000 });
    expect(store.embedderId).toBe('use-lite');
    expectConsistent(store);
    store.close();
  });

  it('re-adding the same transcript is a no-op; a changed one replaces segments and vectors atomically', async () => {
    const dir = tmp();
    const store = Store.open(dir);
    const deps = { store, embedder };
    const first = await ingestTranscript(deps, input('v', makeVtt(['bees', 'bread'], 2)));
    const before = store.db.segmentsOf('v').map((s) => s.id);
    const again = await ingestTranscript(deps, input('v', makeVtt(['bees', 'bread'], 2), { title: 'Renamed' }));
    expect(again).toMatchObject({ status: 'unchanged', embedded: 0, segments: first.segments });
    expect(store.db.segmentsOf('v').map((s) => s.id)).toEqual(before);
    expect(store.db.getVideo('v')!.title).toBe('Renamed'); // metadata still updates

    // Replace the bread part with rockets: old segments and their FTS postings disappear.
    const changed = await ingestTranscript(deps, input('v', makeVtt(['bees', 'rockets'], 2)));
    expect(changed.status).toBe('updated');
    const after = store.db.segmentsOf('v').map((s) => s.id);
    expect(after.some((id) => before.includes(id))).toBe(false);
    expect(await search(deps, { q: 'sourdough', k: 5 }, { mode: 'keyword' })).toEqual([]);
    const rockets = await search(deps, { q: 'drone ship landing', k: 3 });
    expect(rockets[0].videoId).toBe('v');
    expect(rockets[0].text).toMatch(/drone ship/);
    expectConsistent(store);

    // Removing deletes every trace.
    expect(removeVideo(store, 'v')).toBe(true);
    expect(removeVideo(store, 'v')).toBe(false);
    expect(store.db.stats()).toMatchObject({ videos: 0, segments: 0, cues: 0, vectors: 0 });
    expectConsistent(store);
    store.close();
  });

  it('reuses cached vectors for unchanged windows', async () => {
    const store = Store.open(tmp());
    const deps = { store, embedder };
    const a = await ingestTranscript(deps, input('a', makeVtt(['bees', 'rockets', 'bread'], 2)));
    // Same text under another id: every window is already embedded.
    const b = await ingestTranscript(deps, input('b', makeVtt(['bees', 'rockets', 'bread'], 2)));
    expect(a.embedded).toBeGreaterThan(0);
    expect(b.embedded).toBe(0);
    expectConsistent(store);
    store.close();
  });

  it('refuses an index built with another embedder', async () => {
    const store = Store.open(tmp());
    await ingestTranscript({ store, embedder }, input('a', makeVtt(['bees'], 1)));
    expect(() => store.pin({ id: 'transformers:Xenova/all-MiniLM-L6-v2:q8', dimension: 384 })).toThrow(EmbedderMismatchError);
    expect(() => store.pin({ id: 'transformers:Xenova/all-MiniLM-L6-v2:q8', dimension: 384 })).toThrow(/episodic reindex/);
    store.close();
  });
});

describe('crash repair', () => {
  it('adds vectors committed to SQLite but never saved to the HNSW file', async () => {
    const dir = tmp();
    const s1 = Store.open(dir);
    await ingestTranscript({ store: s1, embedder }, input('a', makeVtt(['bees'], 2)));
    s1.save();
    await ingestTranscript({ store: s1, embedder }, input('b', makeVtt(['rockets'], 2)));
    // Simulate a kill: the second video is in SQLite, the HNSW file on disk has only the first.
    s1.db.close();
    const s2 = Store.open(dir);
    const vectors = s2.vectors()!;
    expect(s2.lastRepair!.added).toBe(s2.db.segmentsOf('b').length);
    expect(vectors.size).toBe(s2.db.stats().segments);
    expectConsistent(s2);
    const hits = await search({ store: s2, embedder }, { q: 'rocket engine thrust', k: 1 });
    expect(hits[0].videoId).toBe('b');
    s2.close();
  });

  it('removes labels whose segments are gone, and rebuilds an unreadable vector file', async () => {
    const dir = tmp();
    const s1 = Store.open(dir);
    await ingestTranscript({ store: s1, embedder }, input('a', makeVtt(['bees'], 2)));
    await ingestTranscript({ store: s1, embedder }, input('b', makeVtt(['bread'], 2)));
    s1.save();
    const removed = s1.db.removeVideo('b'); // SQLite only: the saved HNSW still has b's labels
    s1.db.close();
    const s2 = Store.open(dir);
    s2.vectors();
    expect(s2.lastRepair!.removed).toBe(removed.length);
    expectConsistent(s2);
    s2.close();

    writeFileSync(join(dir, VECTORS_FILE), 'not an hnsw file');
    const s3 = Store.open(dir);
    s3.vectors();
    expect(s3.lastRepair!.note).toMatch(/unreadable/);
    expectConsistent(s3);
    s3.close();
  });

  it('loadVectors (the file read off the main thread) repairs and rebuilds the same way', async () => {
    const dir = tmp();
    const s1 = Store.open(dir);
    await ingestTranscript({ store: s1, embedder }, input('a', makeVtt(['bees'], 2)));
    await ingestTranscript({ store: s1, embedder }, input('b', makeVtt(['bread'], 2)));
    s1.save();
    const labels = s1.vectors()!.labels().sort((x, y) => x - y);
    const removed = s1.db.removeVideo('b');
    s1.db.close();
    const s2 = Store.open(dir);
    const loaded = await s2.loadVectors();
    expect(s2.vectors()).toBe(loaded);
    expect(s2.lastRepair!.removed).toBe(removed.length);
    expect(loaded!.size).toBe(labels.length - removed.length);
    expect((await search({ store: s2, embedder }, { q: 'waggle dance', k: 1 }))[0]?.videoId).toBe('a');
    expectConsistent(s2);
    s2.close();

    writeFileSync(join(dir, VECTORS_FILE), 'not an hnsw file');
    const s3 = Store.open(dir);
    await s3.loadVectors();
    expect(s3.lastRepair!.note).toMatch(/unreadable/);
    expectConsistent(s3);
    s3.close();
  });

  it('sees writes made by another connection (the CLI while the server runs)', async () => {
    const dir = tmp();
    const reader = Store.open(dir);
    const writer = Store.open(dir);
    await ingestTranscript({ store: writer, embedder }, input('a', makeVtt(['bees'], 2)));
    const hits = await search({ store: reader, embedder }, { q: 'waggle dance', k: 1 });
    expect(hits[0]?.videoId).toBe('a');
    await ingestTranscript({ store: writer, embedder }, input('b', makeVtt(['bread'], 2)));
    expect((await search({ store: reader, embedder }, { q: 'sourdough wild yeast', k: 1 }))[0]?.videoId).toBe('b');
    writer.close();
    reader.close();
  });
});

describe('ingestFiles', () => {
  it('indexes good files, reports malformed ones with file and reason, and resumes as a no-op', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'good.vtt'), makeVtt(['bees'], 2));
    writeFileSync(join(dir, 'broken.vtt'), 'this is not a transcript\n');
    writeFileSync(join(dir, 'empty.srt'), '1\nnot a timing line\nhello\n');
    writeFileSync(join(dir, 'README.txt'), 'notes, not a transcript');
    const { ingestFiles } = await import('../../indexer/ingest.ts');
    const { listTranscriptFiles } = await import('../../indexer/sources/files.ts');
    const files = await listTranscriptFiles([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['broken.vtt', 'empty.srt', 'good.vtt']);
    const store = Store.open(join(dir, 'index'));
    const summary = await ingestFiles({ store, embedder }, files, {});
    expect(summary).toMatchObject({ added: 1, unchanged: 0 });
    expect(summary.failed.map((f) => f.file.slice(dir.length + 1))).toEqual(['broken.vtt', 'empty.srt']);
    // The reason alone: the file is its own field, never repeated inside the message.
    expect(summary.failed[0].error).toMatch(/WEBVTT/);
    expect(summary.failed[0].error).not.toContain('broken.vtt');
    expect(summary.failed[1].error).toMatch(/no usable SRT cues/);
    expectConsistent(store);
    const again = await ingestFiles({ store, embedder }, files, {});
    expect(again).toMatchObject({ added: 0, unchanged: 1, embedded: 0 });
    store.close();
  });

  it('overlaps embedding with reading the next file, yet reports and commits files in order', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.vtt'), makeVtt(['bees'], 3));
    writeFileSync(join(dir, 'b.vtt'), 'not a transcript\n');
    writeFileSync(join(dir, 'c.vtt'), makeVtt(['rockets'], 3));
    writeFileSync(join(dir, 'd.vtt'), makeVtt(['bread'], 3));
    const { ingestFiles } = await import('../../indexer/ingest.ts');
    const files = ['a.vtt', 'b.vtt', 'c.vtt', 'd.vtt'].map((f) => join(dir, f));
    const store = Store.open(join(dir, 'index'));
    // Counts embedding calls in flight: with look-ahead, the next file's texts are queued before
    // the previous file's calls have all returned.
    let inFlight = 0;
    let maxInFlight = 0;
    const counting: Embedder = {
      id: embedder.id,
      dimension: embedder.dimension,
      embed: async (texts) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await embedder.embed(texts);
        } finally {
          inFlight--;
        }
      },
      close: async () => {},
    };
    const events: string[] = [];
    const summary = await ingestFiles({ store, embedder: counting }, files, {}, (e) => {
      if (e.type === 'file') events.push(`file ${e.index} ${e.outcome.status}`);
      if (e.type === 'failed') events.push(`failed ${e.index}`);
    });
    expect(events).toEqual(['file 0 added', 'failed 1', 'file 2 added', 'file 3 added']);
    expect(summary).toMatchObject({ added: 3, failed: [{ file: files[1] }] });
    expect(maxInFlight).toBeGreaterThanOrEqual(2);
    expectConsistent(store);
    // Each file's passages are where they belong.
    const hits = await search({ store, embedder }, { q: 'kerosene thrust', k: 1 });
    expect(hits[0].videoId).toBe('c');
    store.close();
  });
});
