/**
 * Follow-up questions: "what about his second company?" needs the earlier turns to be
 * searchable. With a model we ask it to rewrite; without one we carry over key terms. Pure
 * apart from the model call.
 */
import { STOPWORDS, tokenize } from '../retrieval/keyword.ts';
import type { Llm } from '../llm/client.ts';
import type { ChatMessage } from '../llm/messages.ts';

/** Words that signal the question leans on earlier turns. */
const ANAPHORA = new Set(['he', 'she', 'they', 'it', 'this', 'that', 'these', 'those', 'him', 'her', 'them', 'his', 'their', 'its', 'there', 'then', 'else', 'more', 'also', 'same', 'other']);

/** Carries content words from the last user turns into a short or pronoun-led follow-up. */
export function carryOverTerms(question: string, history: ChatMessage[], maxTerms = 6): string {
  const words = tokenize(question);
  const content = words.filter((w) => !STOPWORDS.has(w) && !ANAPHORA.has(w));
  const leans = words.some((w) => ANAPHORA.has(w)) || content.length <= 2;
  if (!leans) return question;
  const previous = history.filter((h) => h.role === 'user').slice(-2).map((h) => h.content).join(' ');
  const have = new Set(content);
  const carried = [...new Set(tokenize(previous))].filter((w) => !STOPWORDS.has(w) && !ANAPHORA.has(w) && w.length > 2 && !have.has(w)).slice(0, maxTerms);
  return carried.length ? `${question} ${carried.join(' ')}` : question;
}

/** The search query for a question in a conversation. Falls back to term carry-over if the model fails. */
export async function standaloneQuery(question: string, history: ChatMessage[], llm: Llm | undefined, signal: AbortSignal): Promise<string> {
  if (history.length === 0) return question;
  if (llm) {
    try {
      const rewritten = await llm.complete(
        [
          { role: 'system', content: 'Rewrite the last user question as one standalone search query, using the conversation for context. Reply with the query only.' },
          ...history.slice(-6),
          { role: 'user', content: question },
        ],
        signal,
      );
      const q = rewritten.trim().replace(/^["']|["']$/g, '');
      if (q && q.length <= 500) return q;
    } catch {
      // The answer itself will report a failing model; retrieval still works without it.
    }
  }
  return carryOverTerms(question, history);
}
