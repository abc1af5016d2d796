import type { FileEvent } from '../indexer/ingest.ts';
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
        const what = e.type === 'file' ? `${e.outcome.status} ${e.outcome.videoId} (${e.outcome.segments} segments${e.warnings ? `, ${e.warnings} warnings` : ''})` : `FAILED ${e.error}`;
        if (tty) {
          const width = 24;
          const filled = Math.round(share * width);
          const bar = '='.repeat(Math.max(0, filled - 1)) + (filled ? '>' : '') + ' '.repeat(width - filled);
          const line = `[${bar}] ${done}/${totalFiles} files${segs !== undefined ? ` · ${segs} segments` : ''} · ETA ${formatClock(eta * 1000)}`;
          stream.write(`\r\x1b[K${line}`);
          if (e.type === 'failed') stream.write(`\n  ${e.file}: ${e.error}\n`);
        } else {
          stream.write(`${done}/${totalFiles} ${e.type === 'file' ? what : `${e.file}: ${what}`} · ETA ${formatClock(eta * 1000)}\n`);
        }
        return;
      }
      case 'done':
        if (tty) stream.write('\n');
        return;
    }
  };
}
