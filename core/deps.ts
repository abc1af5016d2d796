/** What the application services run over: the open index, its embedder and, optionally, a model. */
import type { Embedder } from '../indexer/embed/embedder.ts';
import type { Store } from '../indexer/store/store.ts';
import { createLlm, type Llm } from './llm/client.ts';
import type { Config } from './config.ts';

export interface CoreDeps {
  store: Store;
  /** The embedder that built the index (questions and answer sentences are embedded with it). */
  embedder: Embedder;
  /** The language model for answers and summaries; without it they are extractive. */
  llm?: Llm;
  /** Context window of the model, in tokens. */
  contextTokens?: number;
}

/** The services' dependencies over an open index: the model and its context window come from the configuration. */
export function coreDeps(config: Pick<Config, 'llm' | 'contextTokens'>, store: Store, embedder: Embedder): CoreDeps {
  return { store, embedder, llm: config.llm ? createLlm(config.llm) : undefined, contextTokens: config.contextTokens };
}
