/**
 * Index of the cue playing at `time`: the last cue whose start is at or before `time`
 * (binary search over ascending starts), or -1 before the first cue. A gap between cues
 * keeps the previous line active, which reads better than flickering to nothing.
 */
export function activeCueIndex(starts: readonly number[], time: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= time) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
