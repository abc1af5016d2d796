import OpenAI from 'openai';
import type { ChatMessage } from './prompt.ts';

/** The LLM adapter: any OpenAI-compatible chat completions endpoint (OpenAI, Ollama, llama.cpp, vLLM). */
export interface Llm {
  readonly model: string;
  /** Streams the answer text; aborts when `signal` fires. Throws on HTTP or stream errors. */
  stream(messages: ChatMessage[], signal: AbortSignal): AsyncIterable<string>;
  /** One short non-streamed completion (query rewriting). */
  complete(messages: ChatMessage[], signal: AbortSignal): Promise<string>;
}

export interface LlmConfig {
  baseURL?: string;
  apiKey?: string;
  model: string;
  /** Per-request timeout; a slow model falls back to the extractive answer after this. */
  timeoutMs: number;
  temperature?: number;
}

/** Creates the adapter. One retry on 429/5xx/connection errors (the client's own backoff). */
export function createLlm(config: LlmConfig): Llm {
  const client = new OpenAI({
    baseURL: config.baseURL,
    // Local servers (Ollama, llama.cpp) ignore the key but the client requires one.
    apiKey: config.apiKey || 'not-needed',
    timeout: config.timeoutMs,
    maxRetries: 1,
  });
  return {
    model: config.model,
    async *stream(messages, signal) {
      const stream = await client.chat.completions.create(
        { model: config.model, messages, stream: true, temperature: config.temperature ?? 0.2 },
        { signal },
      );
      for await (const chunk of stream) {
        const text = chunk.choices?.[0]?.delta?.content;
        if (text) yield text;
      }
    },
    async complete(messages, signal) {
      const res = await client.chat.completions.create({ model: config.model, messages, temperature: 0 }, { signal });
      return res.choices?.[0]?.message?.content ?? '';
    },
  };
}
