/**
 * How every command ends when something expected goes wrong: one sentence on stderr (or
 * `{"error": …}` under --json) and an exit code from one table, which the README documents.
 *
 * Light on purpose (every command loads it); mapping errors to sentences is in explain.ts.
 */

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
