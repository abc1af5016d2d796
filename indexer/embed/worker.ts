// Worker thread that owns one embedder instance; the pool in pool.ts sends it batches.
import { parentPort, workerData } from 'node:worker_threads';
import type { Embedder } from './embedder.ts';
import { createEmbedder, type EmbedderSpec } from './spec.ts';

interface Request {
  id: number;
  texts: string[];
}

const port = parentPort;
if (!port) throw new Error('embed worker must run in a worker thread');

let embedder: Embedder;
try {
  embedder = await createEmbedder(workerData as EmbedderSpec);
  port.postMessage({ type: 'ready', id: embedder.id, dimension: embedder.dimension });
} catch (err) {
  port.postMessage({ type: 'failed', message: (err as Error).message });
  process.exit(1);
}

port.on('message', async (req: Request | 'close') => {
  if (req === 'close') {
    await embedder.close();
    port.close();
    return;
  }
  try {
    const vectors = await embedder.embed(req.texts);
    const flat = new Float32Array(vectors.length * embedder.dimension);
    vectors.forEach((v, i) => flat.set(v, i * embedder.dimension));
    port.postMessage({ type: 'result', id: req.id, flat }, [flat.buffer]);
  } catch (err) {
    port.postMessage({ type: 'error', id: req.id, message: (err as Error).message });
  }
});
