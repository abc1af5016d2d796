import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbedderPool } from '../../indexer/embed/pool.ts';
import { createEmbedder, openEmbedder } from '../../indexer/embed/spec.ts';
import { ingestTranscript } from '../../indexer/pipeline.ts';
import { parseVtt } from '../../indexer/parse/vtt.ts';
import { Store } from '../../indexer/store/store.ts';
import { search } from '../../core/retrieval/search.ts';
import { expectConsistent } from '../helpers/consistency.ts';
import { createTinyModel, TINY_MODEL_DIMENSION, TINY_MODEL_NAME } from '../helpers/tiny-model.ts';
import { makeVtt } from '../helpers/transcripts.ts';

describe('embedding on worker threads', () => {
  it('gives the same vectors as the in-thread embedder, in input order', async () => {
    const texts = ['short', 'a much longer text about honey bees and their waggle dance', 'rockets land on drone ships', ''];
    const pool = await EmbedderPool.start({ kind: 'use-lite' }, 2);
    const direct = await createEmbedder({ kind: 'use-lite' });
    try {
      expect(pool.size).toBe(2);
      expect(pool.id).toBe('use-lite');
      const before = pool.utilization();
      const [a, b] = await Promise.all([pool.embed(texts), direct.embed(texts)]);
      expect(a).toHaveLength(texts.length);
      // Each worker's busy share over the call, read without messaging the workers.
      const busy = pool.utilization(before).map((u) => u.utilization);
      expect(busy).toHaveLength(2);
      for (const u of busy) expect(u).toBeGreaterThan(-0.01); // differences of two readings: tiny negative noise
      expect(Math.max(...busy)).toBeGreaterThan(0);
      expect(Math.max(...busy)).toBeLessThanOrEqual(1);
      a.forEach((v, i) => {
        let dotp = 0;
        for (let j = 0; j < v.length; j++) dotp += v[j] * b[i][j];
        expect(dotp).toBeGreaterThan(0.999);
      });
    } finally {
      await pool.close();
      await direct.close();
    }
  });

  it('startFirst answers once one worker is ready; the others join behind it', async () => {
    const pool = await EmbedderPool.startFirst({ kind: 'use-lite' }, 2);
    try {
      expect(pool.size).toBe(1);
      const [v] = await pool.embed(['rockets land on drone ships']);
      expect(v).toHaveLength(512);
      await pool.joined;
      expect(pool.size).toBe(2);
      expect(pool.utilization()).toHaveLength(2);
      const again = await pool.embed(Array.from({ length: 24 }, () => 'rockets land on drone ships'));
      for (const w of again) expect(Array.from(w)).toEqual(Array.from(v));
    } finally {
      await pool.close();
    }
  });

  it('a pool closed while its later workers load ends them too', async () => {
    const pool = await EmbedderPool.startFirst({ kind: 'use-lite' }, 3);
    await pool.close();
    await expect(pool.joined).rejects.toThrow(/exited with code \d+ before it was ready/);
    expect(pool.size).toBe(1);
  });

  it('with one message per worker, answers questions before work queued earlier, batched and unchanged', async () => {
    const pool = await EmbedderPool.start({ kind: 'use-lite' }, 1, { inFlight: 1 });
    const direct = await createEmbedder({ kind: 'use-lite' });
    try {
      const sentences = Array.from({ length: 24 }, (_, i) => `sentence number ${i} of an answer about honey bees and their waggle dance`);
      const questions = ['how do bees dance', 'do rockets land on ships', 'what is bread made of'];
      const done: string[] = [];
      const long = pool.embed(sentences).then((v) => (done.push('sentences'), v));
      const asked = questions.map((q) => pool.embed([q]).then(([v]) => (done.push(q), v)));
      const [vectors, ...answers] = await Promise.all([long, ...asked]);
      // The first chunk of sentences was already computing; the questions went ahead of the other two.
      expect(done).toEqual([...questions, 'sentences']);
      expect(vectors).toHaveLength(24);
      const alone = await direct.embed(questions);
      answers.forEach((v, i) => {
        let dotp = 0;
        for (let j = 0; j < v.length; j++) dotp += v[j] * alone[i][j];
        expect(dotp).toBeGreaterThan(0.999);
      });
    } finally {
      await pool.close();
      await direct.close();
    }
  });

  it('runs the Transformers.js path end to end on a model the test generates', async () => {
    const root = mkdtempSync(join(tmpdir(), 'episodic-tiny-'));
    const modelDir = join(root, 'models');
    await createTinyModel(modelDir);
    const opened = await openEmbedder('auto', undefined, { model: TINY_MODEL_NAME, modelDir, dtype: 'fp32', allowRemote: false });
    expect(opened.spec).toMatchObject({ kind: 'transformers', model: TINY_MODEL_NAME, dtype: 'fp32', modelDir });
    const pool = await EmbedderPool.start(opened.spec, 1);
    const store = Store.open(join(root, 'index'));
    try {
      expect(pool.dimension).toBe(TINY_MODEL_DIMENSION);
      const cues = parseVtt(makeVtt(['bees', 'rockets', 'bread'], 2), 'x.vtt').cues;
      const out = await ingestTranscript({ store, embedder: pool }, { meta: { id: 'tiny', title: 'Tiny' }, cues });
      expect(out.embedded).toBeGreaterThan(0);
      expect(store.embedderId).toBe(`transformers:${TINY_MODEL_NAME}:fp32`);
      expectConsistent(store);
      // Queries embed in-thread with the same model and find the keyword-and-vector match.
      const hits = await search({ store, embedder: opened.embedder }, { q: 'drone ship', k: 1 });
      expect(hits[0].text).toMatch(/drone ship/);
      // Reopening with auto keeps the pinned model.
      const again = await openEmbedder('auto', store.embedderId, { modelDir, allowRemote: false });
      expect(again.embedder.id).toBe(store.embedderId);
      await again.embedder.close();
    } finally {
      await pool.close();
      await opened.embedder.close();
      store.close();
    }
  });
});
