/**
 * Tells what an `add` argument names without loading any source's code, so the CLI loads the
 * YouTube client only when a YouTube reference is given.
 */
import { existsSync } from 'node:fs';
import { parseYouTubeRef } from '../indexer/sources/youtube-url.ts';

/** A watch URL, youtu.be link, playlist or channel URL, @handle or bare id that is not a path on disk. */
export function isYouTubeArg(arg: string): boolean {
  if (existsSync(arg)) return false;
  try {
    parseYouTubeRef(arg);
    return true;
  } catch {
    return false;
  }
}
