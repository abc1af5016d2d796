import type { Embedder } from '../indexer/embed/embedder.ts';
import { openEmbedder } from '../indexer/embed/spec.ts';
import { Store } from '../indexer/store/store.ts';
import { transformersOptions, type Config } from '../core/config.ts';
import { fail } from './errors.ts';

/**
 * Opens the index and the embedder that built it, for commands that read (search, ask);
 * `searches`: the command searches, so its vector index is read while the encoder loads.
 * Returns undefined, after saying why (as `command`'s one-sentence error, JSON under `--json`),
 * when the index is empty.
 */
export async function openForReading(
  config: Config,
  options: { searches?: boolean; command: string; json?: boolean },
): Promise<{ store: Store; embedder: Embedder; close: () => Promise<void> } | undefined> {
  const store = Store.open(config.dataDir);
  if (!store.embedderId) {
    fail(options.command, `the index in ${config.dataDir} is empty; add transcripts first: episodic add <files or folders>`, 1, options.json);
    store.close();
    return undefined;
  }
  // A command that searches reads the vector index (on a libuv thread) while the encoder loads.
  const [vectors, opened] = await Promise.allSettled([
    options.searches ? store.loadVectors() : undefined,
    openEmbedder(config.embedder, store.embedderId, transformersOptions(config)),
  ]);
  if (opened.status === 'rejected') {
    store.close();
    throw opened.reason;
  }
  const { embedder } = opened.value;
  if (vectors.status === 'rejected') {
    await embedder.close();
    store.close();
    throw vectors.reason;
  }
  store.pin(embedder);
  return {
    store,
    embedder,
    close: async () => {
      await embedder.close();
      store.close();
    },
  };
}
