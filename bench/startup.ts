/**
 * How long a person waits for the CLI, as ratios to a bare `node -e 0` measured in the same run
 * (the machine's speed and load cancel out). Each command runs several times; the median counts.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/episodic.js', import.meta.url));
const RUNS = 7;

export interface StartupResult {
  nodeMs: number;
  commands: { name: string; ms: number; ratio: number; target: number }[];
}

function medianMs(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, EPISODIC_FROM_SOURCE: '' } });
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

/** `--help`, `list` and `search` on the index in `dataDir`, next to `node -e 0`. */
export function measureStartup(dataDir: string, query: string): StartupResult {
  const nodeMs = medianMs(['-e', '0']);
  const cases = [
    { name: 'episodic --help', args: [BIN, '--help'], target: 4 },
    { name: 'episodic list', args: [BIN, 'list', '--data', dataDir], target: 5 },
    { name: 'episodic search', args: [BIN, 'search', query, '--data', dataDir], target: 12 },
  ];
  return {
    nodeMs: Math.round(nodeMs),
    commands: cases.map((c) => {
      const ms = medianMs(c.args);
      return { name: c.name, ms: Math.round(ms), ratio: Math.round((ms / nodeMs) * 10) / 10, target: c.target };
    }),
  };
}
