/**
 * Chat messages and the token budget every prompt (answers, summaries, topics) is built within,
 * pure. Transcript text goes into prompts fenced as untrusted quoted material: it can contain
 * anything, including text that reads like instructions, and the model must treat it as data.
 */

export const LLM_DEFAULTS = {
  /** Context window assumed for the model when none is configured (small local models have 8k). */
  contextTokens: 8192,
} as const;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Rough token count (≈4 characters per token for English), good enough for budgeting. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/** Escapes the fence so transcript text cannot close its own block or open a fake one. */
export function fenceSafe(text: string): string {
  return text.replace(/<\/?\s*transcript\b[^>]*>/gi, (m) => m.replace(/</g, '‹').replace(/>/g, '›'));
}
