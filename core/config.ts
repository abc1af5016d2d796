import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MIN_FREE_MB } from '../indexer/store/data-dir.ts';
import { proxyFromEnv } from '../indexer/sources/proxy.ts';
import { isLoopbackHost } from './net.ts';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

// A browser origin: scheme, host and optional port, nothing else.
function isOrigin(text: string): boolean {
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

/** Environment variables Episodic reads (parsed here once; nothing else reads env). */
const Env = z.object({
  EPISODIC_DATA: z.string().default('./data'),
  EPISODIC_HOST: z.string().default('127.0.0.1'),
  EPISODIC_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  EPISODIC_EMBEDDER: z.enum(['auto', 'use-lite', 'transformers']).default('auto'),
  EPISODIC_MODEL: z.string().optional(),
  EPISODIC_MODEL_DIR: z.string().optional(),
  EPISODIC_OFFLINE: bool.default(false),
  EPISODIC_BODY_LIMIT: z.string().default('64kb'),
  EPISODIC_MIN_FREE_MB: z.coerce.number().min(0).default(DEFAULT_MIN_FREE_MB),
  // Generous for one person clicking around; low enough that a runaway script cannot queue
  // hundreds of model calls or ingest jobs.
  EPISODIC_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(60),
  EPISODIC_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
    .refine((list) => list.every(isOrigin), 'expected comma-separated origins like https://example.com:8080'),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  EPISODIC_LLM_MODEL: z.string().optional(),
  EPISODIC_LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  EPISODIC_CONTEXT_TOKENS: z.coerce.number().int().min(1024).default(8192),
  EPISODIC_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  EPISODIC_YOUTUBE_COOKIES: z.string().optional(),
  EPISODIC_YOUTUBE_LANG: z.string().default('en'),
  EPISODIC_QUERY_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
});

export interface Config {
  dataDir: string;
  host: string;
  port: number;
  embedder: 'auto' | 'use-lite' | 'transformers';
  model?: string;
  modelDir?: string;
  /** Whether Transformers.js may download a model it does not have locally. */
  allowDownload: boolean;
  bodyLimit: string;
  /** Commands that write refuse to start with less free disk space than this (MB). */
  minFreeMb: number;
  /** Requests per minute per client on /api/ask, /api/topics, summaries and adding videos; 0 = unlimited. */
  rateLimit: number;
  /** Browser origins allowed to call the API cross-origin; empty = CORS off. */
  corsOrigins: string[];
  /** OpenAI-compatible endpoint; undefined means no model (extractive answers). */
  llm?: { baseURL?: string; apiKey?: string; model: string; timeoutMs: number };
  contextTokens: number;
  /** Bearer token that allows mutations (adding videos) from non-loopback clients. */
  adminToken?: string;
  youtube: { cookiesFile?: string; lang: string[] };
  /** HTTP(S) proxy for YouTube requests (HTTPS_PROXY and friends). */
  httpsProxy?: string;
  /** Worker threads that embed questions and answer sentences in the server (bundled encoder). */
  queryWorkers: number;
}

/**
 * One query worker per core, up to 4: the bundled encoder is single-threaded, so this is what lets
 * concurrent searches use every core; each worker holds its own copy of the model (~200 MB).
 */
export const DEFAULT_QUERY_WORKERS = Math.min(4, Math.max(1, availableParallelism()));

/** An environment variable with a value Episodic cannot use; the message names it and says what is expected. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Builds the configuration from environment variables, then command-line overrides. */
export function loadConfig(rawEnv: Record<string, string | undefined>, overrides: Partial<Config> = {}): Config {
  // `OPENAI_BASE_URL=` is how people unset a variable in a shell or .env file: empty means unset.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue.path.join('.');
    // Secrets are named, never echoed.
    const shown = /TOKEN|KEY/.test(name) ? name : `${name}=${JSON.stringify(env[name] ?? '')}`;
    throw new ConfigError(`${shown} is not valid: ${issue.message.replace(/^Invalid input: /, '')}; fix or unset it`);
  }
  const e = parsed.data;
  const config: Config = {
    dataDir: e.EPISODIC_DATA,
    host: e.EPISODIC_HOST,
    port: e.EPISODIC_PORT ?? e.PORT ?? 3000,
    embedder: e.EPISODIC_EMBEDDER,
    model: e.EPISODIC_MODEL,
    modelDir: e.EPISODIC_MODEL_DIR,
    allowDownload: !e.EPISODIC_OFFLINE,
    bodyLimit: e.EPISODIC_BODY_LIMIT,
    minFreeMb: e.EPISODIC_MIN_FREE_MB,
    rateLimit: e.EPISODIC_RATE_LIMIT,
    corsOrigins: e.EPISODIC_CORS_ORIGINS,
    // A model is configured by an endpoint, a key or a model name; OpenAI's default model otherwise.
    llm:
      e.OPENAI_BASE_URL || e.OPENAI_API_KEY || e.EPISODIC_LLM_MODEL
        ? { baseURL: e.OPENAI_BASE_URL, apiKey: e.OPENAI_API_KEY, model: e.EPISODIC_LLM_MODEL ?? 'gpt-4o-mini', timeoutMs: e.EPISODIC_LLM_TIMEOUT_MS }
        : undefined,
    contextTokens: e.EPISODIC_CONTEXT_TOKENS,
    adminToken: e.EPISODIC_ADMIN_TOKEN,
    httpsProxy: proxyFromEnv(env),
    queryWorkers: e.EPISODIC_QUERY_WORKERS ?? DEFAULT_QUERY_WORKERS,
    youtube: { cookiesFile: e.EPISODIC_YOUTUBE_COOKIES, lang: e.EPISODIC_YOUTUBE_LANG.split(',').map((l) => l.trim()).filter(Boolean) },
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  return { ...config, dataDir: resolve(config.dataDir), modelDir: config.modelDir ? resolve(config.modelDir) : undefined };
}

/** Transformers.js options derived from the configuration. */
export function transformersOptions(config: Config) {
  return {
    model: config.model,
    modelDir: config.modelDir,
    allowRemote: config.allowDownload,
    cacheDir: resolve(config.dataDir, 'models'),
  };
}

/**
 * A warning when the server listens beyond this machine without EPISODIC_ADMIN_TOKEN: anyone
 * who can reach it can search and ask, while adding videos stays loopback-only.
 */
export function exposureWarning(config: Pick<Config, 'host' | 'adminToken'>): string | undefined {
  if (isLoopbackHost(config.host) || config.adminToken) return undefined;
  return (
    `warning: listening on ${config.host}, reachable from other machines, without EPISODIC_ADMIN_TOKEN. ` +
    'Anyone who can reach this port can search and ask; adding videos is refused for them until you set the token.'
  );
}
