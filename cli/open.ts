import type { Embedder } from '../indexer/embed/embedder.ts';
import { openEmbedder } from '../indexer/embed/spec.ts';
import { Store } from '../indexer/store/store.ts';
import { transformersOptions, type Config } from '../core/config.ts';

/**
 * Opens the index and the embedder that built it, for commands that read (search, ask).
 * Returns undefined, after saying why, when the index is empty.
 */
export async function openForReading(config: Config): Promise<{ store: Store; embedder: Embedder; close: () => Promise<void> } | undefined> {
  const store = Store.open(config.dataDir);
  if (!store.embedderId) {
    process.stderr.write(`The index in ${config.dataDir} is empty. Add transcripts first: episodic add <files or folders>\n`);
    store.close();
    return undefined;
  }
  const { embedder } = await openEmbedder(config.embedder, store.embedderId, transformersOptions(config));
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
