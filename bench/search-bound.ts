// Usage: node --import tsx bench/search-bound.ts <index dir> [seconds per level, default 15]
// Search throughput against the query-embedding bound, with distinct questions (never cached).
import { availableParallelism, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { EmbedderPool } from '../indexer/embed/pool.ts';
import { getJson, runLoad } from './load.ts';
import { benchQuery } from './queries.ts';
import { memoryOf, spawnServer } from './server.ts';

const dir = process.argv[2];
const dur = Number(process.argv[3] ?? 15) * 1000;
/** Distinct for i < 57,600: a question and a second one chosen by i's block of 240. */
const question = (i: number) => `${benchQuery(i)}, ${benchQuery(Math.floor(i / 240) + 17)}`;
const la = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const out: Record<string, unknown> = { loadStart: la() };
const pool = await EmbedderPool.start({ kind: 'use-lite' }, 1);
for (let i = 0; i < 5; i++) await pool.embed([question(50_000 + i)]);
const times: number[] = [];
for (let i = 0; i < 60; i++) { const t = performance.now(); await pool.embed([question(50_100 + i)]); times.push(performance.now() - t); }
await pool.close();
times.sort((a, b) => a - b);
const embedMs = times[30];
out.embedMedianMs = +embedMs.toFixed(1);
out.bound = +(availableParallelism() / embedMs * 1000).toFixed(1);
const server = await spawnServer(dir, { EPISODIC_RATE_LIMIT: '0' });
let next = 0;
const send = async () => { const i = next++; const body = await getJson(`${server.url}/api/search?q=${encodeURIComponent(question(i))}&k=10`) as { results?: unknown[] }; if (!Array.isArray(body.results)) throw new Error('no results'); };
await runLoad(send, { concurrency: 4, durationMs: 3000, maxRequests: 200 });
const pick = (r: Awaited<ReturnType<typeof runLoad>>) => ({ req: r.requests, errors: r.errors, rps: +r.requestsPerSecond.toFixed(1), p50: Math.round(r.p50Ms), p99: Math.round(r.p99Ms), errs: r.errorSamples });
const cpuMs = () => { const f = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
for (const c of [1, 16]) {
  const c0 = cpuMs();
  const r = pick(await runLoad(send, { concurrency: c, durationMs: dur, maxRequests: 100000 }));
  out[`c${c}`] = { ...r, cpuMsPerReq: +((cpuMs() - c0) / r.req).toFixed(1) };
}
out.rssMb = memoryOf(server.pid)?.rssMb;
await server.close();
out.loadEnd = la();
out.c16OfBound = +((out.c16 as { rps: number }).rps / (out.bound as number)).toFixed(2);
console.log(JSON.stringify(out));
