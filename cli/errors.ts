/**
 * How every command ends when something expected goes wrong: one sentence on stderr (or
 * `{"error": …}` under --json) and an exit code from one table, which the README documents.
 */
import { EmbedderUnavailableError } from '../indexer/embed/transformers.ts';
import { explainStorageError } from '../indexer/store/data-dir.ts';
import { IndexLockedError } from '../indexer/store/lock.ts';
import { EmbedderMismatchError } from '../indexer/store/store.ts';
import { ConfigError } from '../server/config.ts';

/** Exit codes every command follows. */
export const EXIT = {
  ok: 0,
  /** Some items (files, videos, episodes) failed; the rest was done. */
  someFailed: 1,
  /** The command line is wrong: unknown option, bad value, missing argument. */
  usage: 2,
  /** The environment is wrong: configuration, data folder, port, model, another writer. */
  environment: 3,
  /** Interrupted (Ctrl-C); running the same command again resumes. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure with its exit code; its message is the one sentence the user sees. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, message);
export const environmentError = (message: string) => new CliError(EXIT.environment, message);

/** Writes one error for `command`: a sentence, or `{"error": …}` under --json. Returns `code` for `return fail(…)`. */
export function fail(command: string, message: string, code: ExitCode, json: boolean | undefined, stream: { write(s: string): unknown } = process.stderr): ExitCode {
  stream.write(json ? `${JSON.stringify({ error: message })}\n` : `episodic ${command}: ${message}\n`);
  return code;
}

/** Listening problems as sentences (the port is taken, not allowed, or not a port). */
function explainListenError(err: unknown): CliError | undefined {
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  switch (e?.code) {
    case 'EADDRINUSE':
      return environmentError(`port ${e.port} on ${e.address} is already in use by another program; stop it, or choose another port with --port or EPISODIC_PORT`);
    case 'EACCES':
      if (e.syscall !== 'listen') return undefined;
      return environmentError(`not allowed to listen on port ${e.port} (ports below 1024 need privileges); choose another with --port`);
    case 'EADDRNOTAVAIL':
      return environmentError(`cannot listen on ${e.address}: no network interface has that address; use --host 127.0.0.1 or another local address`);
    case 'ERR_SOCKET_BAD_PORT':
      return usageError('the port must be a whole number from 0 to 65535');
  }
  return undefined;
}

/**
 * The user-facing form of an error, or undefined for an unexpected one (a bug). Pure: maps
 * the typed errors of the core and Node's errno codes to a sentence and an exit code.
 */
export function explainError(err: unknown, dataDir: string | undefined): CliError | undefined {
  if (err instanceof CliError) return err;
  if (err instanceof ConfigError) return environmentError(err.message);
  if (err instanceof EmbedderMismatchError) return usageError(err.message);
  if (err instanceof IndexLockedError || err instanceof EmbedderUnavailableError) return environmentError(err.message);
  const storage = dataDir !== undefined ? explainStorageError(err, dataDir) : undefined;
  if (storage) return environmentError(storage.message);
  return explainListenError(err);
}
