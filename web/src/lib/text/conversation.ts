import type { AnswerMode, AnswerPassage, Citation, Source } from '../../../../server/contract/api.ts';

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

/** What a question means for the conversation: a follow-up, a turn seen before (Back/Forward), or a new start. */
export type Placement = { kind: 'follow-up'; at: number } | { kind: 'revisit'; at: number } | { kind: 'new' };

/**
 * Where the question keyed `key` goes in `thread`, given the turn shown now (`at`) and the key of the
 * follow-up just asked (if any). A follow-up comes right after the current turn (later turns are
 * dropped, like browser history); a known question goes back to its turn; anything else starts over.
 */
export function placeQuestion(thread: readonly Turn[], at: number, key: string, followUp: string | null): Placement {
  if (followUp === key && thread[at]) return { kind: 'follow-up', at: at + 1 };
  const known = thread.findIndex((t) => t.key === key);
  return known === -1 ? { kind: 'new' } : { kind: 'revisit', at: known };
}
