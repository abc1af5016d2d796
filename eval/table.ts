/** Plain-text tables for the eval and bench reports. Pure. */

/** Aligns columns: the first column left, the rest right (they hold numbers). */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A metric with three decimals and no leading zero, as in BASELINES.md (".473"). */
export function fmt3(value: number): string {
  return value.toFixed(3).replace(/^0\./, '.');
}
