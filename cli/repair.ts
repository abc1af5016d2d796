/**
 * `episodic repair`: diagnoses the index and fixes what it can (indexer/store/salvage.ts): a
 * damaged SQLite file is salvaged before any Store opens it, the embedder is opened only when
 * vectors must be computed again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../indexer/embed/embedder.ts';
import { openEmbedder } from '../indexer/embed/spec.ts';
import { USE_LITE_DIMENSION, USE_LITE_ID } from '../indexer/embed/use-lite.ts';
import { checkWritableDataDir } from '../indexer/store/data-dir.ts';
import { acquireWriteLock } from '../indexer/store/lock.ts';
import { repairIndex, type EmbedderHint, type IndexRepairReport, type RepairProgress } from '../indexer/store/salvage.ts';
import { DB_FILE } from '../indexer/store/store.ts';
import { transformersOptions, type Config } from '../core/config.ts';
import type { CliValues } from './main.ts';
import { bulkEmbedder } from './writing.ts';

/** `episodic repair`: exit 0 when the index passes every check afterwards and no episode was lost, 1 otherwise. */
export async function runRepair(config: Config, values: CliValues): Promise<number> {
  const dir = config.dataDir;
  if (!existsSync(join(dir, DB_FILE))) {
    process.stdout.write(values.json ? `${JSON.stringify({ dir, ok: true, before: [], actions: [], after: [] }, null, 2)}\n` : `No index in ${dir}: nothing to repair.\n`);
    return 0;
  }
  // A read-only or full folder, or another writer: main.ts prints these as one sentence.
  checkWritableDataDir(dir, config.minFreeMb); // a salvage writes a copy of the database
  const release = acquireWriteLock(dir);
  let embedder: Embedder | undefined;
  try {
    const open = async ({ pinned, storedDimension }: EmbedderHint): Promise<Embedder> => {
      // The pin was lost with the manifest: 512-d vectors can only come from the bundled USE-lite.
      if (!pinned && config.embedder === 'auto' && storedDimension === USE_LITE_DIMENSION) pinned = USE_LITE_ID;
      const opened = await openEmbedder(config.embedder, pinned, transformersOptions(config));
      process.stderr.write(`${opened.note}\n`);
      embedder = opened.embedder;
      embedder = await bulkEmbedder(opened, values.workers);
      return embedder;
    };
    const report = await repairIndex(dir, open, values.json ? undefined : printProgress);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatRepairReport(report));
    return report.ok && report.videosLost.length === 0 ? 0 : 1;
  } finally {
    await embedder?.close();
    release();
  }
}

function printProgress(p: RepairProgress): void {
  if (p.total !== undefined) process.stderr.write(`\r  ${p.message} ${p.done}/${p.total}${p.done === p.total ? '\n' : ''}`);
  else process.stderr.write(`  ${p.message}\n`);
}

/** Pure: the human report of a repair. */
function formatRepairReport(r: IndexRepairReport): string {
  const lines: string[] = [`Index ${r.dir}`];
  if (r.before.length === 0) {
    lines.push('No problems found: nothing to repair.');
    return `${lines.join('\n')}\n`;
  }
  lines.push('Problems found:', ...r.before.map((p) => `  ${p.kind.padEnd(8)} ${p.message}`));
  lines.push('Repairs:', ...r.actions.map((a) => `  - ${a}`));
  const ranges = r.salvage?.tables.flatMap((t) =>
    t.unreadable.map(
      (u) =>
        `  ${t.table}: ${u.after ? `after ${u.after}` : 'from the start'}, ${u.before ? `before ${u.before}` : 'to the end'}` +
        `${u.rowids !== undefined ? ` (${u.rowids} rowids)` : ''}${t.gaveUp ? ` — ${t.gaveUp}` : ''}`,
    ),
  );
  if (ranges?.length) lines.push('Unreadable parts of the damaged file:', ...ranges);
  if (r.rowsDropped) lines.push(`Rows not kept: ${r.rowsDropped} (cues and segments of lost episodes, or unusable values)`);
  lines.push(`Episodes: ${r.videosKept} indexed and whole, ${r.videosLost.length} lost.`);
  if (r.videosLost.length) {
    lines.push('Add these again (they are listed with status "error" until then):');
    for (const v of r.videosLost) lines.push(`  ${v.id}${v.title && v.title !== v.id ? `  "${v.title}"` : ''}  ${v.source ?? v.url ?? '(source unknown)'}  — ${v.reason}`);
  }
  if (r.salvage) lines.push('If `episodic serve` is running, restart it: it still has the damaged file open.');
  if (r.ok) lines.push(r.videosLost.length ? `The index passes every check now, but ${r.videosLost.length} episode(s) above must be added again.` : 'The index passes every check now.');
  else lines.push('Still wrong after the repair:', ...r.after.map((p) => `  ${p.kind.padEnd(8)} ${p.message}`));
  return `${lines.join('\n')}\n`;
}
