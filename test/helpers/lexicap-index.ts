import { readFileSync } from 'node:fs';
import { EmbedderPool } from '../../indexer/embed/pool.ts';
import { ingestFiles, type IngestSummary } from '../../indexer/ingest.ts';
import { buildManifest, parseCsv } from '../../indexer/sources/manifest.ts';
import { Store } from '../../indexer/store/store.ts';
import { LEXICAP, lexicapFile } from './paths.ts';

/** Builds a real index of some Lex Fridman episodes (with their YouTube metadata) in `dir`. */
export async function buildLexicapIndex(dir: string, episodes: number[], extraFiles: string[] = []): Promise<IngestSummary> {
  const manifest = buildManifest(parseCsv(readFileSync(`${LEXICAP}episodes_metadata.csv`, 'utf8')));
  const store = Store.open(dir);
  const pool = await EmbedderPool.start({ kind: 'use-lite' });
  try {
    return await ingestFiles({ store, embedder: pool }, [...episodes.map(lexicapFile), ...extraFiles], { manifest, channel: 'Lex Fridman Podcast' });
  } finally {
    await pool.close();
    store.close();
  }
}
