import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../indexer/embed/embedder.ts';
import { selectEmbedder } from '../../indexer/embed/select.ts';
import { createTransformersEmbedder } from '../../indexer/embed/transformers.ts';
import { createUseLiteEmbedder } from '../../indexer/embed/use-lite.ts';
import { createTinyModel, TINY_MODEL_DIMENSION, TINY_MODEL_NAME } from '../helpers/tiny-model.ts';

let root: string;
let modelDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'episodic-embed-'));
  modelDir = join(root, 'models');
  await createTinyModel(modelDir);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i], 0);
const norm = (v: Float32Array) => Math.sqrt(dot(v, v));

const words = 'the boy found his mother at home after school and they read a long letter about water'.split(' ');
const textOfLength = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => words[(i + offset) % words.length]).join(' ');

interface ContractTraits {
  /** Whether the model knows meaning; the generated tiny model only knows tokens. */
  semantic: boolean;
}

/** One suite, every embedder: what the indexer and the search code rely on. */
function runEmbedderContract(name: string, factory: () => Promise<Embedder>, traits: ContractTraits): void {
  describe(`Embedder contract: ${name}`, () => {
    let embedder: Embedder;
    beforeAll(async () => {
      embedder = await factory();
    });
    afterAll(async () => {
      await embedder?.close();
    });

    it('has an id and returns vectors as long as its dimension', async () => {
      expect(embedder.id).toMatch(/\S/);
      expect(Number.isInteger(embedder.dimension) && embedder.dimension > 0).toBe(true);
      const [v] = await embedder.embed(['the boy read a letter']);
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(embedder.dimension);
    });

    it('returns unit-length vectors', async () => {
      const vectors = await embedder.embed(['water', textOfLength(12), textOfLength(120, 3)]);
      for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 5);
    });

    it('gives the same text the same vector, across calls and within a batch', async () => {
      const text = 'after school they read a long letter';
      const [a] = await embedder.embed([text]);
      const [again] = await embedder.embed([text]);
      const [b, other, c] = await embedder.embed([text, 'water at home', text]);
      expect(again).toEqual(a);
      // Bitwise equality only within one batch: padding may shift a real encoder's last digits.
      expect(c).toEqual(b);
      expect(other).not.toEqual(b);
    });

    it('preserves count and order for a batch of mixed lengths', async () => {
      const texts = [textOfLength(3), textOfLength(200, 1), 'home', textOfLength(40, 5), textOfLength(9, 2)];
      // More texts than any internal batch, so chunk boundaries are crossed.
      const many = Array.from({ length: 40 }, (_, i) => textOfLength(2 + (i % 7), i));
      const batch = await embedder.embed([...texts, ...many]);
      expect(batch).toHaveLength(texts.length + many.length);
      const singles = await Promise.all([...texts, ...many].map(async (t) => (await embedder.embed([t]))[0]));
      // Padding a batch can move real encoders' numbers in the last digits, never more.
      batch.forEach((v, i) => expect(dot(v, singles[i])).toBeGreaterThan(0.999));
      expect(await embedder.embed([])).toEqual([]);
    });

    it('embeds blank text as one fixed unit vector without disturbing its neighbours', async () => {
      const [empty, spaces, word] = await embedder.embed(['', '  \n\t ', 'home']);
      expect(norm(empty)).toBeCloseTo(1, 5);
      expect(spaces).toEqual(empty);
      expect(dot(word, (await embedder.embed(['home']))[0])).toBeGreaterThan(0.999);
    });

    it('scores the same words reordered above disjoint words', async () => {
      const [a, reordered, disjoint] = await embedder.embed([
        'the boy read a letter at school',
        'at school the boy read a letter',
        'water mother home long after',
      ]);
      expect(dot(a, reordered)).toBeGreaterThan(dot(a, disjoint));
    });

    if (traits.semantic) {
      it('scores a related pair above an unrelated pair', async () => {
        const [pasta, recipe, stocks] = await embedder.embed([
          'How do I cook pasta at home?',
          'What is a good recipe for spaghetti?',
          'The stock market fell sharply on Monday.',
        ]);
        expect(dot(pasta, recipe)).toBeGreaterThan(dot(pasta, stocks) + 0.1);
      });
    }
  });
}

runEmbedderContract('USE-lite', () => createUseLiteEmbedder(), { semantic: true });
for (const dtype of ['fp32', 'q8'] as const) {
  runEmbedderContract(
    `transformers (generated tiny model, ${dtype})`,
    () => createTransformersEmbedder({ model: TINY_MODEL_NAME, modelDir, dtype, allowRemote: false }),
    { semantic: false },
  );
}

describe('selectEmbedder', () => {
  const opened: Embedder[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((e) => e.close()));
  });
  const select = async (...args: Parameters<typeof selectEmbedder>) => {
    const started = performance.now();
    const selected = await selectEmbedder(...args);
    opened.push(selected.embedder);
    return { ...selected, ms: performance.now() - started };
  };

  it('auto picks the Transformers.js model found in the local folder', async () => {
    const { embedder, note } = await select('auto', { model: TINY_MODEL_NAME, modelDir, dtype: 'fp32', allowRemote: false });
    expect(embedder.id).toBe(`transformers:${TINY_MODEL_NAME}:fp32`);
    expect(embedder.dimension).toBe(TINY_MODEL_DIMENSION);
    expect(note).toBe(`Using Transformers.js model ${TINY_MODEL_NAME} (fp32, ${TINY_MODEL_DIMENSION}-d)`);
  });

  it('auto finds a previously downloaded model in the cache with remote off', async () => {
    // transformers.js caches a download at <cacheDir>/<model id>/<file>, the same layout as a model folder.
    const { embedder } = await select('auto', { model: TINY_MODEL_NAME, cacheDir: modelDir, dtype: 'fp32', allowRemote: false });
    expect(embedder.id).toBe(`transformers:${TINY_MODEL_NAME}:fp32`);
  });

  it('auto falls back to USE-lite quickly when the model is missing and remote is off', async () => {
    const { embedder, note, ms } = await select('auto', { modelDir: join(root, 'no-models'), allowRemote: false });
    expect(embedder.id).toBe('use-lite');
    expect(note).toMatch(/^Transformers\.js model Xenova\/all-MiniLM-L6-v2 unavailable offline \(.*not found.*\); using bundled USE-lite$/);
    expect(ms).toBeLessThan(5_000);
  });

  it('auto falls back when the remote host never answers, bounded by the header timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const { embedder, note, ms } = await select('auto', {
        modelDir: join(root, 'no-models'),
        cacheDir: join(root, 'cache'),
        allowRemote: true,
        remoteHost: `http://127.0.0.1:${port}/`,
        connectTimeoutMs: 300,
      });
      expect(embedder.id).toBe('use-lite');
      expect(note).toMatch(/unavailable \(.*no response from .* within 300 ms\); using bundled USE-lite$/);
      expect(ms).toBeLessThan(5_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('explicit transformers fails with the model and the places searched', async () => {
    const missing = join(root, 'no-models');
    await expect(selectEmbedder('transformers', { modelDir: missing, allowRemote: false })).rejects.toThrow(
      `the Transformers.js model Xenova/all-MiniLM-L6-v2 (q8) could not be loaded (local folder ${join(missing, 'Xenova/all-MiniLM-L6-v2')}; no download cache; remote downloads off`,
    );
  });

  it('explicit use-lite loads the bundled model', async () => {
    const { embedder, note } = await select('use-lite');
    expect(embedder.id).toBe('use-lite');
    expect(embedder.dimension).toBe(512);
    expect(note).toMatch(/USE-lite/);
  });
});
