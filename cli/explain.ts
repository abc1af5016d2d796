/**
 * Maps the typed errors of the core, the store and Node's errno codes to the one sentence and
 * exit code a user sees. Loaded only when a command fails: it pulls in the store's modules.
 */
import { EmbedderUnavailableError } from '../indexer/embed/transformers.ts';
import { explainStorageError } from '../indexer/store/data-dir.ts';
import { IndexLockedError } from '../indexer/store/lock.ts';
import { EmbedderMismatchError } from '../indexer/store/store.ts';
import { ConfigError } from '../core/config.ts';
import { CoreError, EXIT_CODE } from '../core/errors.ts';
import { CliError, environmentError, usageError } from './errors.ts';

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
    default:
      return undefined;
  }
}

/**
 * The user-facing form of an error, or undefined for an unexpected one (a bug). Pure: maps
 * the typed errors of the core and Node's errno codes to a sentence and an exit code.
 */
export function explainError(err: unknown, dataDir: string | undefined): CliError | undefined {
  if (err instanceof CliError) return err;
  // The core's errors (unknown id, bad input, conflict…) carry their kind; the table gives the code.
  if (err instanceof CoreError && err.kind !== 'internal') return new CliError(EXIT_CODE[err.kind], err.message);
  if (err instanceof ConfigError) return environmentError(err.message);
  if (err instanceof EmbedderMismatchError) return usageError(err.message);
  if (err instanceof IndexLockedError || err instanceof EmbedderUnavailableError) return environmentError(err.message);
  const storage = dataDir !== undefined ? explainStorageError(err, dataDir) : undefined;
  if (storage) return environmentError(storage.message);
  return explainListenError(err);
}
