/**
 * Time inside Episodic is integer milliseconds. This module is the one place that
 * turns clock strings into milliseconds and back.
 */

/**
 * Parses `SS`, `MM:SS`, `H:MM:SS` or `HH:MM:SS`, each optionally with `.mmm` or `,mmm`
 * (1–3 fraction digits; more are truncated). Returns null when the text is not a clock, or
 * names a time too large to count in whole milliseconds (`99999…:00:00` would be Infinity).
 */
export function parseClock(text: string): number | null {
  const m = /^\s*(?:(\d+):)?(?:(\d{1,2}):)?(\d{1,2})(?:[.,](\d+))?\s*$/.exec(text);
  if (!m) return null;
  let hours = 0;
  let minutes = 0;
  if (m[1] !== undefined && m[2] !== undefined) {
    hours = Number(m[1]);
    minutes = Number(m[2]);
  } else if (m[1] !== undefined) {
    minutes = Number(m[1]);
  }
  const seconds = Number(m[3]);
  if (seconds >= 60 || (m[2] !== undefined && minutes >= 60)) return null;
  const frac = m[4] ? Number((m[4] + '00').slice(0, 3)) : 0;
  const ms = ((hours * 60 + minutes) * 60 + seconds) * 1000 + frac;
  return Number.isSafeInteger(ms) ? ms : null;
}

/** Formats milliseconds as `H:MM:SS` (or `M:SS` under an hour), for people. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Formats milliseconds as `HH:MM:SS.mmm` (WebVTT) or `HH:MM:SS,mmm` (SRT). */
export function formatTimestamp(ms: number, separator: '.' | ',' = '.'): string {
  const v = Math.max(0, Math.round(ms));
  const h = Math.floor(v / 3_600_000);
  const m = Math.floor((v % 3_600_000) / 60_000);
  const s = Math.floor((v % 60_000) / 1000);
  const frac = v % 1000;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(h)}:${p2(m)}:${p2(s)}${separator}${String(frac).padStart(3, '0')}`;
}

/** Milliseconds to seconds with millisecond precision, the unit of the CLI JSON and HTTP API. */
export function toSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}
