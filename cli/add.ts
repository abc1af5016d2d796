import { readFileSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ingestFiles } from '../indexer/ingest.ts';
import { textHash } from '../indexer/pipeline.ts';
import { listTranscriptFiles } from '../indexer/sources/files.ts';
import { buildManifest, parseColumnsOption, parseCsv, parseJsonManifest, type Manifest } from '../indexer/sources/manifest.ts';
import { VECTORS_FILE } from '../indexer/store/store.ts';
import type { Config } from '../core/config.ts';
import { fail } from './errors.ts';
import type { CliValues } from './main.ts';
import { location, progressPrinter } from './progress.ts';
import { onInterrupt, openForWriting } from './writing.ts';

function loadManifest(values: CliValues): Manifest | undefined {
  if (!values.manifest) return undefined;
  const text = readFileSync(values.manifest, 'utf8');
  const rows = extname(values.manifest).toLowerCase() === '.json' ? parseJsonManifest(text) : parseCsv(text);
  return buildManifest(rows, {
    key: values['manifest-key'],
    columns: values.columns ? parseColumnsOption(values.columns) : undefined,
  });
}

/** `episodic add <files|folders...>` */
export async function runAdd(config: Config, args: string[], values: CliValues): Promise<number> {
  if (args.length === 0) {
    return fail('add', 'give transcript files or folders', 2, values.json);
  }
  let files: string[];
  let manifest: Manifest | undefined;
  try {
    files = await listTranscriptFiles(args);
    manifest = loadManifest(values);
  } catch (err) {
    return fail('add', `${(err as Error).message}`, 2, values.json);
  }
  if (files.length === 0) {
    return fail('add', 'no transcript files found (.vtt .srt .xml .json .json3 .srv3 .txt .md)', 1, values.json);
  }
  const { store, embedder, release } = await openForWriting(config, values);
  const interrupt = onInterrupt('Stopping after the current file (Ctrl-C again to quit now)…');
  try {
    const summary = await ingestFiles({ store, embedder }, files, { manifest, channel: values.channel }, progressPrinter(process.stderr, values.json), interrupt.stopped);
    if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      process.stdout.write(
        `${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.failed.length} failed · ` +
          `${summary.segments} segments (${summary.embedded} embedded)${summary.warnings ? ` · ${summary.warnings} parse warnings` : ''}\n`,
      );
      for (const f of summary.failed) process.stdout.write(`  failed: ${location(f.file, f.line ?? 0)}: ${f.error}\n`);
      if (summary.interrupted) process.stdout.write('Interrupted: run the same command again to resume.\n');
    }
    return summary.interrupted ? 130 : summary.failed.length ? 1 : 0;
  } finally {
    interrupt.dispose();
    await embedder.close();
    store.close();
    release();
  }
}

/** `episodic reindex`: re-embeds every segment with the configured embedder and rebuilds the vector index. */
export async function runReindex(config: Config, values: CliValues): Promise<number> {
  const { store, embedder, release } = await openForWriting(config, values, 'reindex');
  try {
    store.unpin();
    rmSync(join(config.dataDir, VECTORS_FILE), { force: true });
    store.pin(embedder);
    const rows = store.db.distinctSegmentTexts();
    if (!values.json) process.stderr.write(`Re-embedding ${rows.length} segments with ${embedder.id}…\n`);
    for (let i = 0; i < rows.length; i += 256) {
      const texts = rows.slice(i, i + 256);
      const vecs = await embedder.embed(texts);
      store.db.putVectors(texts.map((t, j) => [textHash(t), vecs[j]] as [string, Float32Array]));
      if (!values.json) process.stderr.write(`\r${Math.min(i + 256, rows.length)}/${rows.length}`);
    }
    // Segments keep their vec_hash (a hash of their text), so the vector index rebuilds from the new vectors.
    store.vectors();
    store.save();
    if (values.json) process.stdout.write(`${JSON.stringify({ reindexed: rows.length, embedder: embedder.id, dimension: embedder.dimension })}\n`);
    else process.stdout.write(`\nReindexed ${rows.length} segments with ${embedder.id}.\n`);
    return 0;
  } finally {
    await embedder.close();
    store.close();
    release();
  }
}
