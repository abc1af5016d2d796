import { historyOf, placeQuestion, type HistoryMessage, type Turn } from '../text/conversation.ts';
import { loadTurn, saveTurn } from './turn-cache.ts';

/**
 * The turns of one conversation, in order, and which of them is on screen. The URL names the
 * earlier questions (route `thread`); follow-ups send the turns before them as history; Back and
 * Forward move between turns without asking again; finished turns are kept in this browser so a
 * reload shows the thread at once.
 */
export class Conversation {
  #thread = $state<Turn[]>([]);
  #at = $state(0);
  #earlier = $derived(this.#thread.slice(0, this.#at));

  /** The finished turns before the one on screen. */
  get earlier(): Turn[] {
    return this.#earlier;
  }

  /** The questions before the one on screen, oldest first (for the URL of a follow-up). */
  get chain(): string[] {
    return this.#earlier.map((t) => t.question);
  }

  /**
   * Moves to the question keyed `key` after the earlier questions keyed `chain`: returns the
   * history to send with it, the finished turn to show again, or `rebuild` with the indices of
   * earlier turns this browser does not hold (asked again by the caller, then `adopt`ed).
   */
  enter(chain: readonly string[], key: string): { history: HistoryMessage[]; turn: Turn | null } | { rebuild: number[] } {
    const place = placeQuestion(this.#thread, chain, key);
    switch (place.kind) {
      case 'follow-up':
        this.#thread = this.#thread.slice(0, place.at);
        this.#at = place.at;
        return { history: historyOf(this.#thread), turn: loadTurn(chain, key) };
      case 'revisit':
        this.#at = place.at;
        return { history: historyOf(this.#thread.slice(0, place.at)), turn: this.#thread[place.at] };
      case 'new':
        this.#thread = [];
        this.#at = 0;
        return { history: [], turn: null };
      case 'rebuild': {
        const turns = chain.map((k, i) => loadTurn(chain.slice(0, i), k));
        const missing = turns.flatMap((t, i) => (t ? [] : [i]));
        if (missing.length) return { rebuild: missing };
        this.#thread = turns as Turn[];
        return this.enter(chain, key);
      }
      default: {
        const never: never = place;
        return never;
      }
    }
  }

  /** Takes the earlier turns of a rebuilt thread (oldest first) and keeps them. */
  adopt(turns: Turn[]): void {
    turns.forEach((t, i) => saveTurn(turns.slice(0, i).map((e) => e.key), t));
    this.#thread = turns;
    this.#at = 0;
  }

  /** Records the answered turn on screen (a follow-up can then build on it). */
  finish(turn: Turn): void {
    this.#thread = [...this.#thread.slice(0, this.#at), turn, ...this.#thread.slice(this.#at + 1)];
    saveTurn(this.#earlier.map((t) => t.key), turn);
  }

  /** History to resend when the turn on screen is asked again (retry). */
  historyHere(): HistoryMessage[] {
    return historyOf(this.#earlier);
  }

  clear(): void {
    this.#thread = [];
    this.#at = 0;
  }
}
