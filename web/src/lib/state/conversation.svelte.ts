import { historyOf, placeQuestion, type HistoryMessage, type Turn } from '../text/conversation.ts';

/**
 * The turns of one conversation, in order, and which of them is on screen. Follow-ups send the
 * turns before them as history; Back and Forward move between turns without asking again.
 */
export class Conversation {
  #thread = $state<Turn[]>([]);
  #at = $state(0);
  #followUp: string | null = null;
  #earlier = $derived(this.#thread.slice(0, this.#at));

  /** The finished turns before the one on screen. */
  get earlier(): Turn[] {
    return this.#earlier;
  }

  /** The next question keyed `key` follows up on the turn on screen (call before navigating to it). */
  expectFollowUp(key: string): void {
    this.#followUp = key;
  }

  /**
   * Moves to the question keyed `key`: returns the history to send with it, or the finished turn
   * to show again when the question was already answered in this conversation.
   */
  enter(key: string): { history: HistoryMessage[]; turn: Turn | null } {
    const place = placeQuestion(this.#thread, this.#at, key, this.#followUp);
    this.#followUp = null;
    switch (place.kind) {
      case 'follow-up':
        this.#thread = this.#thread.slice(0, place.at);
        this.#at = place.at;
        return { history: historyOf(this.#thread), turn: null };
      case 'revisit':
        this.#at = place.at;
        return { history: historyOf(this.#thread.slice(0, place.at)), turn: this.#thread[place.at] };
      case 'new':
        this.#thread = [];
        this.#at = 0;
        return { history: [], turn: null };
      default: {
        const never: never = place;
        return never;
      }
    }
  }

  /** Records the answered turn on screen (a follow-up can then build on it). */
  finish(turn: Turn): void {
    this.#thread = [...this.#thread.slice(0, this.#at), turn, ...this.#thread.slice(this.#at + 1)];
  }

  /** History to resend when the turn on screen is asked again (retry). */
  historyHere(): HistoryMessage[] {
    return historyOf(this.#earlier);
  }

  clear(): void {
    this.#thread = [];
    this.#at = 0;
    this.#followUp = null;
  }
}
