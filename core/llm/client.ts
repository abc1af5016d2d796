import type OpenAI from 'openai';
import type { ChatMessage } from './messages.ts';

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
  // The client library is loaded by the first call, so a server or command that never asks a model does not load it.
  let client: Promise<OpenAI> | undefined;
  const connect = () =>
    (client ??= import('openai').then(
      ({ default: OpenAIClient }) =>
        new OpenAIClient({
          baseURL: config.baseURL,
          // Local servers (Ollama, llama.cpp) ignore the key but the client requires one.
          apiKey: config.apiKey || 'not-needed',
          timeout: config.timeoutMs,
          maxRetries: 1,
        }),
    ));
  const clean = (err: unknown) => redactedError(err, config.apiKey);
  return {
    model: config.model,
    async *stream(messages, signal) {
      try {
        const stream = await (await connect()).chat.completions.create(
          { model: config.model, messages, stream: true, temperature: config.temperature ?? 0.2 },
          { signal },
        );
        for await (const chunk of stream) {
          const text = chunk.choices?.[0]?.delta?.content;
          if (text) yield text;
        }
      } catch (err) {
        throw clean(err);
      }
    },
    async complete(messages, signal) {
      try {
        const res = await (await connect()).chat.completions.create({ model: config.model, messages, temperature: 0 }, { signal });
        return res.choices?.[0]?.message?.content ?? '';
      } catch (err) {
        throw clean(err);
      }
    },
  };
}

/**
 * Removes the API key from a message. Some endpoints echo the key they were sent ("Incorrect API
 * key provided: sk-…"), and error messages reach answers' notices, logs and saved summaries.
 */
export function redactSecret(message: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return message;
  return message.split(secret).join('***');
}

/** The same error with the key removed from its message (the original, which holds the key, is dropped). */
function redactedError(err: unknown, secret: string | undefined): unknown {
  if (!(err instanceof Error) || !secret || !err.message.includes(secret)) return err;
  const e = new Error(redactSecret(err.message, secret));
  e.name = err.name;
  return e;
}
