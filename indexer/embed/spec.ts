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

export const USE_LITE_PINNED_NOTE = 'Using bundled USE-lite (512-d), the embedder this index was built with';

export interface OpenedEmbedder {
  embedder: Embedder;
  note: string;
  /** The same embedder as a spec, for worker threads. */
  spec: EmbedderSpec;
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
  if (choice === 'auto' && pinned === USE_LITE_ID) {
    return { embedder: await createUseLiteEmbedder(), note: USE_LITE_PINNED_NOTE, spec: { kind: 'use-lite' } };
  }
  const pinnedT = pinned ? parseTransformersId(pinned) : undefined;
  if (choice === 'auto' && pinnedT) {
    const o = { ...opts, model: pinnedT.model, dtype: pinnedT.dtype as TransformersEmbedderOptions['dtype'] };
    const embedder = await createTransformersEmbedder(o);
    return { embedder, note: `Using Transformers.js model ${pinnedT.model} (${pinnedT.dtype}), the embedder this index was built with`, spec: { kind: 'transformers', ...o } };
  }
  const { embedder, note } = await selectEmbedder(choice, opts);
  const t = parseTransformersId(embedder.id);
  const spec: EmbedderSpec = t
    ? { kind: 'transformers', ...opts, model: t.model, dtype: t.dtype as TransformersEmbedderOptions['dtype'] }
    : { kind: 'use-lite' };
  return { embedder, note, spec };
}
