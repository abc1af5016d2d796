import type { FileEvent, FileWarning } from '../indexer/ingest.ts';
import { formatClock } from '../indexer/time.ts';

/** Renders ingest progress: a redrawn bar with ETA on a TTY, one plain line per file otherwise. */
export function progressPrinter(stream: NodeJS.WriteStream, json: boolean): (e: FileEvent) => void {
  const tty = Boolean(stream.isTTY) && !json;
  let totalBytes = 0;
  let totalFiles = 0;
  let started = Date.now();
  return (e) => {
    if (json) return;
    switch (e.type) {
      case 'start':
        totalBytes = e.bytes;
        totalFiles = e.files;
        started = Date.now();
        stream.write(`Indexing ${e.files} file(s)…\n`);
        return;
      case 'file':
      case 'failed': {
        const done = e.index + 1;
        const elapsed = (Date.now() - started) / 1000;
        const share = totalBytes ? e.bytesDone / totalBytes : done / totalFiles;
        const eta = share > 0 ? (elapsed / share) * (1 - share) : 0;
        const segs = e.type === 'file' ? e.segmentsDone : undefined;
        const what =
          e.type === 'file'
            ? `${e.outcome.status} ${e.outcome.videoId} (${e.outcome.segments} segments${e.warnings.length ? `, ${plural(e.warnings.length, 'warning')}` : ''})`
            : `FAILED ${e.line ? `line ${e.line}: ` : ''}${e.error}`;
        const details = e.type === 'file' ? fileDetails(e.file, e.warnings, e.notice) : [];
        if (tty) {
          const width = 24;
          const filled = Math.round(share * width);
          const bar = '='.repeat(Math.max(0, filled - 1)) + (filled ? '>' : '') + ' '.repeat(width - filled);
          const line = `[${bar}] ${done}/${totalFiles} files${segs !== undefined ? ` · ${segs} segments` : ''} · ETA ${formatClock(eta * 1000)}`;
          stream.write(`\r\x1b[K${line}`);
          if (e.type === 'failed') stream.write(`\n  ${location(e.file, e.line ?? 0)}: ${e.error}\n`);
          else if (details.length) stream.write(`\n${details.join('\n')}\n`);
        } else {
          stream.write(`${done}/${totalFiles} ${e.type === 'file' ? what : `${e.file}: ${what}`} · ETA ${formatClock(eta * 1000)}\n`);
          if (details.length) stream.write(`${details.join('\n')}\n`);
        }
        return;
      }
      case 'done':
        if (tty) stream.write('\n');
        return;
    }
  };
}

/** Warnings shown per file before "and N more" (all of them are in --json). */
export const WARNINGS_SHOWN = 5;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `file:line` (or the file alone when the problem is not on one line). */
export function location(file: string, line: number): string {
  return line > 0 ? `${file}:${line}` : file;
}

/** Pure: the indented lines under a file's progress line: its notice and its warnings (file, line, reason). */
export function fileDetails(file: string, warnings: readonly FileWarning[], notice?: string): string[] {
  const lines = notice ? [`  note: ${file}: ${notice}`] : [];
  for (const w of warnings.slice(0, WARNINGS_SHOWN)) lines.push(`  warning: ${location(w.file, w.line)}: ${w.reason}`);
  if (warnings.length > WARNINGS_SHOWN) lines.push(`  … and ${warnings.length - WARNINGS_SHOWN} more warnings in ${file} (--json lists them all)`);
  return lines;
}
