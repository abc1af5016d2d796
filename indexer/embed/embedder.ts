/**
 * The one interface both local embedders implement. Vectors are L2-normalised so that
 * cosine similarity is a dot product.
 */
export interface Embedder {
  /** Stable identifier pinned into an index manifest, e.g. `use-lite` or `transformers:Xenova/all-MiniLM-L6-v2:q8`. */
  readonly id: string;
  readonly dimension: number;
  /** Embeds each text; the result has the same length and order as `texts`. */
  embed(texts: string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Scales a vector to unit length in place (zero vectors are left as they are). */
export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}
