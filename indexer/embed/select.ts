import type { Embedder } from './embedder.ts';
import { createTransformersEmbedder, TRANSFORMERS_DEFAULTS, type TransformersEmbedderOptions } from './transformers.ts';
import { createUseLiteEmbedder } from './use-lite.ts';

export type EmbedderChoice = 'auto' | 'use-lite' | 'transformers';

export interface SelectedEmbedder {
  embedder: Embedder;
  /** One line for the user saying which embedder is in use and, for a fallback, why. */
  note: string;
}

/**
 * Picks the embedder. `transformers` and `use-lite` load exactly that one and let failures
 * through; `auto` prefers the Transformers.js model (local folder, cache, or download if allowed)
 * and falls back to the bundled USE-lite on any failure. Offline fallback is fast: a missing
 * local model fails without network, and download requests are bounded by `connectTimeoutMs`.
 */
export async function selectEmbedder(
  choice: EmbedderChoice,
  opts: TransformersEmbedderOptions = {},
): Promise<SelectedEmbedder> {
  switch (choice) {
    case 'use-lite':
      return { embedder: await createUseLiteEmbedder(), note: 'Using bundled USE-lite (512-d), as requested' };
    case 'transformers': {
      const embedder = await createTransformersEmbedder(opts);
      return { embedder, note: transformersNote(embedder, opts) };
    }
    case 'auto': {
      let embedder: Embedder;
      try {
        embedder = await createTransformersEmbedder(opts);
      } catch (err) {
        const model = opts.model ?? TRANSFORMERS_DEFAULTS.model;
        const where = (opts.allowRemote ?? TRANSFORMERS_DEFAULTS.allowRemote) ? '' : ' offline';
        const reason = rootCause(err);
        return {
          embedder: await createUseLiteEmbedder(),
          note: `Transformers.js model ${model} unavailable${where} (${reason}); using bundled USE-lite`,
        };
      }
      return { embedder, note: transformersNote(embedder, opts) };
    }
  }
}

function transformersNote(embedder: Embedder, opts: TransformersEmbedderOptions): string {
  const model = opts.model ?? TRANSFORMERS_DEFAULTS.model;
  const dtype = opts.dtype ?? TRANSFORMERS_DEFAULTS.dtype;
  return `Using Transformers.js model ${model} (${dtype}, ${embedder.dimension}-d)`;
}

// The adapter's message lists every place searched; the note only needs the library's reason.
function rootCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const inner = err.cause instanceof Error ? err.cause : err;
  const nested = inner.cause instanceof Error ? `: ${inner.cause.message}` : '';
  return `${inner.message}${nested}`;
}
