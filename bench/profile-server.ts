/**
 * `node --import tsx bench/profile-server.ts DATA_DIR OUT_DIR [search|topics|videos|ask]…`: starts
 * `episodic serve` over an existing index under `--cpu-prof`, sends one kind of request a fixed
 * number of times, stops the server and leaves its CPU profiles (main thread and workers) in
 * OUT_DIR/<kind>/, with each request's time in OUT_DIR/<kind>/times.json. For finding what grows
 * with the library: profile a small and a large index and compare.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstAskEvent, getJson } from './load.ts';
import { benchQuery } from './queries.ts';
import { spawnListening } from './server.ts';

const BIN = fileURLToPath(new URL('../bin/episodic.js', import.meta.url));
const [dataDir, outDir, ...kinds] = process.argv.slice(2);
if (!dataDir || !outDir) throw new Error('usage: profile-server.ts DATA_DIR OUT_DIR [search|topics|videos|ask]…');
const TOPICS = ['consciousness', 'the meaning of life', 'self-driving cars', 'artificial general intelligence', 'free will', 'black holes'];
const requests: Record<string, { n: number; send: (base: string, i: number) => Promise<unknown> }> = {
  search: { n: 200, send: (b, i) => getJson(`${b}/api/search?q=${encodeURIComponent(benchQuery(i))}&k=10`) },
  topics: { n: 6, send: async (b, i) => (await fetch(`${b}/api/topics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic: TOPICS[i % TOPICS.length] }) })).json() },
  videos: { n: 100, send: (b) => getJson(`${b}/api/videos`) },
  ask: { n: 6, send: (b, i) => firstAskEvent(b, benchQuery(i)) },
};
for (const kind of kinds.length ? kinds : Object.keys(requests)) {
  const dir = join(outDir, kind);
  mkdirSync(dir, { recursive: true });
  const server = await spawnListening(['--cpu-prof', `--cpu-prof-dir=${dir}`, BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir], { EPISODIC_RATE_LIMIT: '0' });
  const { n, send } = requests[kind];
  await send(server.url, 999); // first request: caches and JIT
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await send(server.url, i);
    times.push(Math.round((performance.now() - t0) * 10) / 10);
  }
  await server.close();
  const sorted = [...times].sort((a, b) => a - b);
  writeFileSync(join(dir, 'times.json'), JSON.stringify({ n, p50: sorted[Math.floor(n / 2)], max: sorted.at(-1), times }));
  process.stderr.write(`${kind}: ${n} requests, p50 ${sorted[Math.floor(n / 2)]} ms, max ${sorted.at(-1)} ms\n`);
}
