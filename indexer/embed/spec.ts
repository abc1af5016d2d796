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

/** `transformers:<model>:<dtype>` → its model and dtype. */
function parseTransformersId(id: string): { model: string; dtype: string } | undefined {
  const m = /^transformers:(.+):([^:]+)$/.exec(id);
  return m ? { model: m[1], dtype: m[2] } : undefined;
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
  if (pinned === USE_LITE_ID) return { spec: { kind: 'use-lite' }, note: 'Using bundled USE-lite (512-d), the embedder this index was built with' };
  const t = parseTransformersId(pinned);
  if (!t) return undefined;
  return {
    spec: { kind: 'transformers', ...opts, model: t.model, dtype: t.dtype as TransformersEmbedderOptions['dtype'] },
    note: `Using Transformers.js model ${t.model} (${t.dtype}), the embedder this index was built with`,
  };
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
  const t = parseTransformersId(embedder.id);
  const spec: EmbedderSpec = t
    ? { kind: 'transformers', ...opts, model: t.model, dtype: t.dtype as TransformersEmbedderOptions['dtype'] }
    : { kind: 'use-lite' };
  return { embedder, note, spec };
}
