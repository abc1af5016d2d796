/** Retrieved windows of one video that overlap or nearly touch, merged into spans. Pure. */

export const SPAN_DEFAULTS = {
  /** Windows of one episode closer than this are merged into one span (one source, one stretch of talk). */
  mergeGapMs: 15_000,
} as const;

/** A stretch of one video: a retrieved window, or several merged. */
export interface Span {
  videoId: string;
  startMs: number;
  endMs: number;
  firstCue: number;
  lastCue: number;
  score: number;
}

/** Merges windows of the same video that overlap or nearly touch, keeping the windows each span is made of. Pure. */
export function mergeAdjacent(windows: Span[], gapMs: number = SPAN_DEFAULTS.mergeGapMs): (Span & { parts: Span[] })[] {
  const sorted = [...windows].sort((a, b) => a.videoId.localeCompare(b.videoId) || a.startMs - b.startMs);
  const out: (Span & { parts: Span[] })[] = [];
  for (const w of sorted) {
    const last = out.at(-1);
    if (last && last.videoId === w.videoId && w.startMs - last.endMs <= gapMs) {
      last.endMs = Math.max(last.endMs, w.endMs);
      last.lastCue = Math.max(last.lastCue, w.lastCue);
      last.firstCue = Math.min(last.firstCue, w.firstCue);
      last.score = Math.max(last.score, w.score);
      last.parts.push(w);
    } else out.push({ ...w, parts: [w] });
  }
  return out.sort((a, b) => b.score - a.score);
}
