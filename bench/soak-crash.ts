/**
 * `npm run soak:crash [-- --episodes 20 --kills 20 --seed N --shortest --keep]`: crash consistency of ingest.
 *
 * Ingests the first N Lexicap episodes (or the N shortest, with `--shortest`) once, cleanly, into one index. Then ingests the same
 * files into a second index with the real CLI (`episodic add DIR --embedder use-lite`),
 * SIGKILLing it at random moments `--kills` times and restarting it each time, and finally lets
 * it finish. The crashed index must then agree with itself exactly (SQLite rows, FTS
 * integrity-check, HNSW labels, per-video counts, no half-indexed episode) and with the clean
 * one (same videos, cues and segments, same search results). Exits 1 on any difference.
 *
 * The full run (20 episodes, 20 kills) takes several minutes; `--episodes 3 --kills 3 --shortest`
 * proves the script works in about a minute.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createUseLiteEmbedder } from '../indexer/embed/use-lite.ts';
import { Store } from '../indexer/store/store.ts';
import { search } from '../core/retrieval/search.ts';
import { consistencyProblems } from '../test/helpers/consistency-check.ts';

const BIN = fileURLToPath(new URL('../bin/episodic.js', import.meta.url));
const SOURCE = fileURLToPath(new URL('../../shared/data/lexicap/vtt_large/', import.meta.url));

/** Queries compared between the clean and the crashed index: topics these episodes discuss. */
const QUERIES = ['consciousness', 'neural networks deep learning', 'the meaning of life', 'autonomous driving', 'physics of the universe', 'reinforcement learning', 'what is intelligence', 'robots'];

/** Fraction of an uninterrupted run's ingest time given to each life on average: kills land across the whole ingest. */
const SPREAD = 2;

const { values } = parseArgs({
  options: {
    episodes: { type: 'string', default: '20' },
    kills: { type: 'string', default: '20' },
    seed: { type: 'string' },
    source: { type: 'string', default: SOURCE },
    workers: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    shortest: { type: 'boolean', default: false },
  },
});
const episodes = Number(values.episodes);
const kills = Number(values.kills);
if (![episodes, kills].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--episodes and --kills must be whole numbers above 0');
let seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const initialSeed = seed;
// mulberry32: a seeded generator so a failing run can be repeated with --seed.
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  out: string;
}

/** Runs `episodic add`; with `killAfterMs`, SIGKILLs it then if it is still running. */
function add(input: string, data: string, killAfterMs?: number): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'add', input, '--data', data, '--embedder', 'use-lite', '--workers', values.workers!], {
      env: { ...process.env, EPISODIC_OFFLINE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: performance.now() - t0, out });
    });
  });
}

/** What must be identical in both indexes: per video its status, cues and segment texts. */
function contents(store: Store): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of store.db.listVideos()) {
    const segments = store.db.segmentsOf(v.id).map((s) => `${s.startMs}-${s.endMs}:${s.text}`);
    out.set(v.id, JSON.stringify({ status: v.status, cues: v.cueCount, segments: v.segmentCount, text: segments }));
  }
  return out;
}

function halfIndexed(store: Store): string[] {
  return store.db
    .listVideos()
    .filter((v) => v.status !== 'indexed' || v.cueCount === 0 || v.segmentCount === 0)
    .map((v) => `${v.id} (${v.status}, ${v.cueCount} cues, ${v.segmentCount} segments)`);
}

async function main(): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'episodic-soak-crash-'));
  const input = join(root, 'episodes');
  mkdirSync(input);
  const size = (f: string) => statSync(join(values.source!, f)).size;
  const files = readdirSync(values.source!)
    .filter((f) => f.endsWith('.vtt'))
    .sort()
    .sort((a, b) => (values.shortest ? size(a) - size(b) : 0))
    .slice(0, episodes);
  if (files.length < episodes) throw new Error(`only ${files.length} episodes in ${values.source}`);
  for (const f of files) copyFileSync(join(values.source!, f), join(input, f));
  const mb = files.reduce((sum, f) => sum + statSync(join(input, f)).size, 0) / 1e6;
  console.log(`soak:crash  ${episodes} episodes (${mb.toFixed(1)} MB), ${kills} kills, seed ${initialSeed}, work dir ${root}`);

  const cleanDir = join(root, 'clean');
  const clean = await add(input, cleanDir);
  if (clean.code !== 0) throw new Error(`clean run failed (${clean.code}):\n${clean.out}`);
  const idle = await add(input, cleanDir); // everything unchanged: the cost of starting up
  console.log(`clean run ${(clean.ms / 1000).toFixed(1)} s (start-up ${(idle.ms / 1000).toFixed(1)} s)`);

  const crashDir = join(root, 'crashed');
  const work = Math.max(200, clean.ms - idle.ms);
  let landed = 0;
  let lives = 0;
  while (landed < kills) {
    // Past start-up, then a random share of the ingest; SPREAD/kills on average, so the kills cover it all.
    const delay = Math.round(idle.ms * (0.3 + 0.9 * random()) + random() * ((SPREAD * work) / kills));
    const run = await add(input, crashDir, delay);
    lives++;
    if (run.signal === 'SIGKILL') landed++;
    else if (run.code !== 0) throw new Error(`run ${lives} failed (${run.code}):\n${run.out}`);
    const done = (run.out.match(/^\d+\/\d+ /gm) ?? []).length;
    console.log(`life ${String(lives).padStart(2)}: ${run.signal === 'SIGKILL' ? `killed after ${delay} ms` : `finished in ${Math.round(run.ms)} ms`}, ${done} files reported`);
    if (lives > kills * 4) throw new Error('the ingest keeps finishing before the kill: raise --episodes');
  }
  const last = await add(input, crashDir);
  if (last.code !== 0) throw new Error(`final run failed (${last.code}):\n${last.out}`);
  console.log(`final run finished in ${(last.ms / 1000).toFixed(1)} s after ${landed} kills`);

  const problems: string[] = [];
  const crashed = Store.open(crashDir);
  const reference = Store.open(cleanDir);
  const embedder = await createUseLiteEmbedder();
  try {
    problems.push(...consistencyProblems(crashed).map((p) => `crashed index: ${p}`));
    problems.push(...halfIndexed(crashed).map((v) => `half-indexed: ${v}`));
    const a = contents(reference);
    const b = contents(crashed);
    if (b.size !== episodes) problems.push(`crashed index holds ${b.size} videos, expected ${episodes}`);
    for (const [id, want] of a) if (b.get(id) !== want) problems.push(`video ${id} differs from the clean run`);
    for (const id of b.keys()) if (!a.has(id)) problems.push(`video ${id} only in the crashed index`);
    const counts = crashed.db.stats();
    for (const q of QUERIES) {
      for (const mode of ['keyword', 'hybrid'] as const) {
        const tuning = mode === 'keyword' ? { mode } : {};
        const hits = async (store: Store) =>
          (await search({ store, embedder }, { q, k: 10 }, tuning)).map((h) => `${h.videoId}@${h.start}-${h.end} ${h.score.toFixed(6)}`);
        const want = await hits(reference);
        const got = await hits(crashed);
        if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`${mode} search "${q}" differs: clean ${want.slice(0, 3).join(' | ')} vs crashed ${got.slice(0, 3).join(' | ')}`);
      }
    }
    console.log(`crashed index: ${counts.indexed} indexed videos, ${counts.segments} segments, ${counts.vectors} vectors; ${QUERIES.length * 2} searches compared`);
  } finally {
    await embedder.close();
    crashed.close();
    reference.close();
    if (!values.keep) rmSync(root, { recursive: true, force: true });
  }
  for (const p of problems) console.log(`FAIL ${p}`);
  console.log(problems.length === 0 ? `ok: ${landed} kills survived; rows, FTS and HNSW labels agree; search equals the clean run` : `${problems.length} problems (replay with --seed ${initialSeed})`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = await main();
