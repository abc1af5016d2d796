/**
 * `episodic repair`: the report of core/maintenance.ts's repair (a damaged SQLite file is
 * salvaged before any Store opens it, the embedder is opened only when vectors must be computed
 * again), for people or as JSON.
 */
import type { Config } from '../core/config.ts';
import { repairLibrary, type IndexRepairReport, type RepairProgress } from '../core/maintenance.ts';
import type { CliValues } from './main.ts';
import { openBulkEmbedder } from './writing.ts';

/** `episodic repair`: exit 0 when the index passes every check afterwards and no episode was lost, 1 otherwise. */
export async function runRepair(config: Config, values: CliValues): Promise<number> {
  const dir = config.dataDir;
  // A read-only or full folder, or another writer: main.ts prints these as one sentence.
  const report = await repairLibrary(config, (pinned) => openBulkEmbedder(config, pinned, values.workers), values.json ? undefined : printProgress);
  if (!report) {
    process.stdout.write(values.json ? `${JSON.stringify({ dir, ok: true, before: [], actions: [], after: [] }, null, 2)}\n` : `No index in ${dir}: nothing to repair.\n`);
    return 0;
  }
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatRepairReport(report));
  return report.ok && report.videosLost.length === 0 ? 0 : 1;
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
