import { CoreError, EXIT_CODE } from '../core/errors.ts';
import { ingestFiles, reindex, selectTranscriptFiles } from '../core/ingest.ts';
import type { Config } from '../core/config.ts';
import { fail } from './errors.ts';
import type { CliValues } from './main.ts';
import { location, progressPrinter } from './progress.ts';
import { onInterrupt, openForWriting } from './writing.ts';

/** `episodic add <files|folders...>` */
export async function runAdd(config: Config, args: string[], values: CliValues): Promise<number> {
  let selected: Awaited<ReturnType<typeof selectTranscriptFiles>>;
  try {
    selected = await selectTranscriptFiles({ paths: args, manifest: values.manifest, manifestKey: values['manifest-key'], columns: values.columns });
  } catch (err) {
    if (err instanceof CoreError) return fail('add', err.message, EXIT_CODE[err.kind], values.json);
    throw err;
  }
  const { files, manifest } = selected;
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
    const count = await reindex({ store, embedder, dataDir: config.dataDir }, (done, total) => {
      if (values.json) return;
      if (done === 0) process.stderr.write(`Re-embedding ${total} segments with ${embedder.id}…\n`);
      else process.stderr.write(`\r${done}/${total}`);
    });
    if (values.json) process.stdout.write(`${JSON.stringify({ reindexed: count, embedder: embedder.id, dimension: embedder.dimension })}\n`);
    else process.stdout.write(`\nReindexed ${count} segments with ${embedder.id}.\n`);
    return 0;
  } finally {
    await embedder.close();
    store.close();
    release();
  }
}
