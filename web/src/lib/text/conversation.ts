import type { AnswerMode, AnswerPassage, Citation, Source } from '../../../../core/contract/api.ts';

/** One finished question and answer of a conversation, kept to show it and to send it as history. */
export interface Turn {
  /** The question and filters, as the ask session keys them. */
  key: string;
  question: string;
  answer: string;
  citations: Citation[];
  sources: Source[];
  invalid: number[];
  mode: AnswerMode;
  notice: string | null;
  /** The offline answer's passages (empty for a model's answer). */
  passages: AnswerPassage[];
  covered: boolean;
}

export interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** The server takes at most this many history messages of at most this many characters (AskRequest). */
export const MAX_HISTORY = 20;
export const MAX_HISTORY_CHARS = 8000;

/**
 * Earlier turns as the `history` of the next question, newest last. Citation markers are removed
 * from the answers: they number the old sources, and the next answer numbers its own.
 */
export function historyOf(turns: readonly Turn[]): HistoryMessage[] {
  const out: HistoryMessage[] = [];
  for (const t of turns) {
    out.push({ role: 'user', content: t.question.slice(0, MAX_HISTORY_CHARS) });
    const answer = stripMarkers(t.answer);
    if (answer) out.push({ role: 'assistant', content: answer.slice(0, MAX_HISTORY_CHARS) });
  }
  return out.slice(-MAX_HISTORY);
}

/** `"It grew [1, 2]. Then [3]"` → `"It grew. Then"`. */
export function stripMarkers(text: string): string {
  return text
    .replace(/\s*\[\d+(?:\s*[,;]\s*\d+)*\]/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}

/**
 * What a question means for the conversation: a follow-up, a turn seen before (Back/Forward), a
 * new start, or a thread this page does not hold (a reload or a shared link) that must be rebuilt.
 */
export type Placement = { kind: 'follow-up'; at: number } | { kind: 'revisit'; at: number } | { kind: 'new' } | { kind: 'rebuild' };

/**
 * Where the question keyed `key` goes, given the turns held (`thread`) and the keys of the earlier
 * questions the URL names (`chain`, oldest first). A chain the thread starts with makes the
 * question the turn after it (shown again when already answered, later turns kept for Forward);
 * a chain it does not hold must be rebuilt. Without a chain, a known question goes back to its
 * turn and anything else starts over.
 */
export function placeQuestion(thread: readonly Turn[], chain: readonly string[], key: string): Placement {
  if (chain.length === 0) {
    const known = thread.findIndex((t) => t.key === key);
    return known === -1 ? { kind: 'new' } : { kind: 'revisit', at: known };
  }
  if (!chain.every((k, i) => thread[i]?.key === k)) return { kind: 'rebuild' };
  const at = chain.length;
  return thread[at]?.key === key ? { kind: 'revisit', at } : { kind: 'follow-up', at };
}

/** The storage key of a turn: its question's key after the keys of the questions before it. */
export const pathKey = (chain: readonly string[], key: string): string => JSON.stringify([...chain, key]);
