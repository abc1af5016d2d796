import type { Embedder } from './embedder.ts';
import { createTransformersEmbedder, type TransformersEmbedderOptions } from './transformers.ts';
import { createUseLiteEmbedder, USE_LITE_ID } from './use-lite.ts';
import { selectEmbedder, type EmbedderChoice } from './select.ts';

/** A resolved, concrete embedder choice that can be sent to a worker thread and rebuilt there. */
export type EmbedderSpec = { kind: 'use-lite' } | ({ kind: 'transformers' } & TransformersEmbedderOptions);

/** Builds the embedder a spec names. */
export async function createEmbedder(spec: EmbedderSpec): Promise<Embedder> {
  switch (spec.kind) {
    case 'use-lite':
      return createUseLiteEmbedder();
    case 'transformers': {
      const { kind: _kind, ...opts } = spec;
      return createTransformersEmbedder(opts);
    }
  }
}

/** The spec of an embedder id (`use-lite` or `transformers:<model>:<dtype>`); undefined for an unknown id. */
function specOfId(id: string, opts: TransformersEmbedderOptions): EmbedderSpec | undefined {
  if (id === USE_LITE_ID) return { kind: 'use-lite' };
  const m = /^transformers:(.+):([^:]+)$/.exec(id);
  return m ? { kind: 'transformers', ...opts, model: m[1], dtype: m[2] as TransformersEmbedderOptions['dtype'] } : undefined;
}

export interface OpenedEmbedder {
  embedder: Embedder;
  note: string;
  /** The same embedder as a spec, for worker threads. */
  spec: EmbedderSpec;
}

/**
 * The embedder an index was built with, as a spec, when `choice` (auto) defers to it; undefined
 * otherwise. Loads nothing, so a caller can build it where it will run (e.g. on a worker thread).
 */
export function pinnedSpec(
  choice: EmbedderChoice,
  pinned: string | undefined,
  opts: TransformersEmbedderOptions,
): { spec: EmbedderSpec; note: string } | undefined {
  if (choice !== 'auto' || !pinned) return undefined;
  const spec = specOfId(pinned, opts);
  if (!spec) return undefined;
  const what = spec.kind === 'use-lite' ? 'bundled USE-lite (512-d)' : `Transformers.js model ${spec.model} (${spec.dtype})`;
  return { spec, note: `Using ${what}, the embedder this index was built with` };
}

/**
 * Opens the embedder for an index. With `auto` an index that already has vectors keeps the
 * embedder that built it; an empty index gets Transformers.js if available, else USE-lite.
 */
export async function openEmbedder(
  choice: EmbedderChoice,
  pinned: string | undefined,
  opts: TransformersEmbedderOptions,
): Promise<OpenedEmbedder> {
  const kept = pinnedSpec(choice, pinned, opts);
  if (kept) return { embedder: await createEmbedder(kept.spec), ...kept };
  const { embedder, note } = await selectEmbedder(choice, opts);
  return { embedder, note, spec: specOfId(embedder.id, opts) ?? { kind: 'use-lite' } };
}
