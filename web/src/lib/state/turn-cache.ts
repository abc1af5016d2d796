import { pathKey, type Turn } from '../text/conversation.ts';

/** Finished turns kept in this browser, so a reload shows a conversation without asking again. */
const STORAGE_KEY = 'episodic:turns';
/** Oldest turns are dropped beyond this many (a few dozen conversations' worth, well under the storage quota). */
export const MAX_CACHED_TURNS = 60;

type Entry = [path: string, turn: Turn];

function readAll(): Entry[] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed as Entry[]) : [];
  } catch {
    return []; // storage disabled or garbled: the thread is asked again instead
  }
}

/** The turn answered for `key` after the questions `chain`, if this browser kept it. */
export function loadTurn(chain: readonly string[], key: string): Turn | null {
  const path = pathKey(chain, key);
  return readAll().find(([p]) => p === path)?.[1] ?? null;
}

/** Keeps a finished turn (newest last, oldest dropped first). */
export function saveTurn(chain: readonly string[], turn: Turn): void {
  const path = pathKey(chain, turn.key);
  const entries = [...readAll().filter(([p]) => p !== path), [path, turn] as Entry].slice(-MAX_CACHED_TURNS);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(entries));
  } catch {
    // Full or disabled storage: the URL still carries the questions.
  }
}
