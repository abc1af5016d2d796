import { join } from 'node:path';
import type { DataType, FeatureExtractionPipeline } from '@huggingface/transformers';
import type { Embedder } from './embedder.ts';

export interface TransformersEmbedderOptions {
  /** Hugging Face model id, also the sub-folder looked up inside `modelDir`. */
  model?: string;
  /** Which ONNX file to load: `q8` → onnx/model_quantized.onnx, `fp32` → onnx/model.onnx. */
  dtype?: Exclude<DataType, 'auto'>;
  /** Local models folder holding `<model>/config.json`, `<model>/onnx/…` (EPISODIC_MODEL_DIR). */
  modelDir?: string;
  /** Whether a model missing locally may be downloaded. */
  allowRemote?: boolean;
  /** Where downloads are cached (and looked up first); without it nothing is cached. */
  cacheDir?: string;
  /** Hub mirror to download from, e.g. `https://hf-mirror.com/`. */
  remoteHost?: string;
  /** Texts per ONNX run. */
  batchSize?: number;
  /** How long a download request may wait for response headers. */
  connectTimeoutMs?: number;
}

export const TRANSFORMERS_DEFAULTS = {
  // Small (23 MB quantised), 384-d, trained for sentence similarity; the transformers.js staple.
  model: 'Xenova/all-MiniLM-L6-v2',
  // Quantised weights are ~4x smaller and faster on CPU with near-identical retrieval quality.
  dtype: 'q8',
  // A local-first tool: the network is opt-in.
  allowRemote: false,
  remoteHost: 'https://huggingface.co/',
  // Windows of similar length pad little, and 16 amortises the per-run overhead.
  batchSize: 16,
  // The hub answers in well under a second; a silent network must not stall startup for
  // undici's 300 s header timeout.
  connectTimeoutMs: 5_000,
} as const satisfies Required<Omit<TransformersEmbedderOptions, 'modelDir' | 'cacheDir'>>;

/** The model cannot be loaded (not found locally, download refused or failed): an environment problem. */
export class EmbedderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbedderUnavailableError';
  }
}

// transformers.js keeps its settings in one module-global `env`, read during loading; loads are
// serialised so one embedder's settings cannot leak into another's half-finished load.
let loadQueue: Promise<unknown> = Promise.resolve();

// The library takes about half a second to import: loaded by the first embedder that needs it, so
// commands that never embed with it (list, and every command on a USE-lite index) do not pay.
let library: Promise<{ lib: typeof import('@huggingface/transformers'); libraryModelPath: string }> | undefined;
function loadLibrary() {
  library ??= import('@huggingface/transformers').then((lib) => ({ lib, libraryModelPath: lib.env.localModelPath }));
  return library;
}

/**
 * Loads a sentence-embedding model through Transformers.js (mean pooling, L2-normalised).
 * Sets the global `env` (local/remote flags, model folder, cache, fetch) right before loading.
 * Throws with the model, dtype and places searched when it cannot be loaded.
 */
export async function createTransformersEmbedder(options: TransformersEmbedderOptions = {}): Promise<Embedder> {
  const opts: ResolvedOptions = { ...TRANSFORMERS_DEFAULTS, ...definedOnly(options) };
  const load = loadQueue.then(() => loadPipeline(opts));
  loadQueue = load.catch(() => undefined);
  const extractor = await load;

  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const pooled = await extractor(texts, { pooling: 'mean', normalize: true });
    // fp16 models yield float16 tensors; the Embedder contract is Float32Array.
    const output = pooled.type === 'float32' ? pooled : pooled.to('float32');
    const [rows, width] = output.dims;
    const data = output.data as Float32Array;
    return Array.from({ length: rows }, (_, i) => data.slice(i * width, (i + 1) * width));
  };

  // Probing once both reads the true width and proves the model runs before anyone relies on it.
  let probe: Float32Array;
  try {
    [probe] = await run(['dimension probe']);
  } catch (err) {
    await extractor.dispose();
    throw new Error(`Transformers.js model ${opts.model} (${opts.dtype}) loaded but failed to run: ${message(err)}`, { cause: err });
  }

  return {
    id: `transformers:${opts.model}:${opts.dtype}`,
    dimension: probe.length,
    async embed(texts: string[]): Promise<Float32Array[]> {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += opts.batchSize) {
        out.push(...(await run(texts.slice(i, i + opts.batchSize))));
      }
      return out;
    },
    async close(): Promise<void> {
      await extractor.dispose();
    },
  };
}

type ResolvedOptions = Required<Omit<TransformersEmbedderOptions, 'modelDir' | 'cacheDir'>> &
  Pick<TransformersEmbedderOptions, 'modelDir' | 'cacheDir'>;

// Callers forward optional config as `{ model: undefined }`; that must not erase a default.
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function loadPipeline(opts: ResolvedOptions): Promise<FeatureExtractionPipeline> {
  const {
    lib: { env, pipeline },
    libraryModelPath,
  } = await loadLibrary();
  env.allowLocalModels = true;
  env.localModelPath = opts.modelDir ?? libraryModelPath;
  env.allowRemoteModels = opts.allowRemote;
  env.remoteHost = opts.remoteHost;
  // Without a cacheDir the library would cache inside node_modules; better not to cache at all.
  env.useFSCache = opts.cacheDir !== undefined;
  if (opts.cacheDir !== undefined) env.cacheDir = opts.cacheDir;
  env.fetch = fetchWithHeaderTimeout(opts.connectTimeoutMs);
  try {
    return await pipeline('feature-extraction', opts.model, { dtype: opts.dtype });
  } catch (err) {
    const searched = [
      opts.modelDir === undefined ? 'no local model folder' : `local folder ${join(opts.modelDir, opts.model)}`,
      opts.cacheDir === undefined ? 'no download cache' : `download cache ${opts.cacheDir}`,
      opts.allowRemote ? `remote ${opts.remoteHost}` : 'remote downloads off',
    ].join('; ');
    throw new EmbedderUnavailableError(
      `the Transformers.js model ${opts.model} (${opts.dtype}) could not be loaded (${searched}: ${firstLine(message(err))}); ` +
        `use --embedder use-lite, put the model in EPISODIC_MODEL_DIR${opts.allowRemote ? '' : ', or allow downloads (EPISODIC_OFFLINE=0)'}`,
      { cause: err },
    );
  }
}

// Bounds only the wait for response headers: a silent host fails fast, a slow download is left alone.
function fetchWithHeaderTimeout(ms: number): typeof fetch {
  return async (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no response from ${String(input)} within ${ms} ms`)), ms);
    try {
      return await fetch(input, { ...init, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  };
}

function message(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // Node's fetch hides the useful part ("ENOTFOUND huggingface.co") in `cause`.
  const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return `${err.message}${cause}`;
}

/** The first line of a library message, without the long file paths some of them append. */
function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}
