/**
 * The real server in its own process, started as a user would (`episodic serve --port 0`),
 * so its start-up time and memory are measured apart from the benchmark's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/episodic.js', import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  /** Calls `listener` with each chunk the server writes to stderr after it started listening. */
  onStderr(listener: (text: string) => void): void;
  close(): Promise<void>;
}

/** Starts `episodic serve` on a free loopback port over `dataDir` (extra `env` on top of ours) and resolves once it listens. */
export function spawnServer(dataDir: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ServerProcess> {
  return spawnListening([BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir], env, timeoutMs);
}

/** Runs `node ...args` and resolves once it prints "listening on http://…" to stderr. */
export function spawnListening(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, EPISODIC_OFFLINE: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`server did not start within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`server exited with code ${code}:\n${stderr}`)));
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stderr!.removeAllListeners('data');
      const listeners: ((text: string) => void)[] = [];
      child.stderr!.on('data', (d: Buffer) => listeners.forEach((l) => l(d.toString())));
      resolve({ url: m[1], pid: child.pid!, onStderr: (l) => void listeners.push(l), close: () => stop(child) });
    });
  });
}

// SIGTERM lets `serve` close the index cleanly; a stuck server is killed after 10 s.
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Resident and peak resident memory of a process in MB (Linux /proc), or null elsewhere. */
export function memoryOf(pid: number): { rssMb: number; peakRssMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}
