import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Store } from '../../indexer/store/store.ts';
import { expectConsistent } from '../helpers/consistency.ts';
import { makeVtt } from '../helpers/transcripts.ts';

const BIN = fileURLToPath(new URL('../../bin/episodic.js', import.meta.url));

/** Runs `episodic add`; with `killAfterFiles`, SIGKILLs it once that many files were reported. */
function runAdd(args: string[], killAfterFiles?: number): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'add', ...args], { env: { ...process.env, EPISODIC_OFFLINE: '1' } });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const done = (out.match(/^\d+\/\d+ /gm) ?? []).length;
      if (killAfterFiles !== undefined && done >= killAfterFiles) child.kill('SIGKILL');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

describe('kill -9 during ingest', () => {
  it('leaves a consistent index that the next run completes without re-embedding finished files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'episodic-kill-'));
    const topics = [['bees'], ['rockets'], ['bread'], ['bees', 'rockets'], ['rockets', 'bread'], ['bread', 'bees']];
    topics.forEach((t, i) => writeFileSync(join(dir, `ep${i + 1}.vtt`), makeVtt(t, 3 + i)));
    const data = join(dir, 'index');
    const args = [dir, '--data', data, '--workers', '1', '--embedder', 'use-lite'];

    const killed = await runAdd(args, 2);
    expect(killed.signal).toBe('SIGKILL');
    const partial = Store.open(data);
    const indexedBefore = partial.db.stats().indexed;
    expect(indexedBefore).toBeGreaterThanOrEqual(2);
    expect(indexedBefore).toBeLessThan(6);
    expectConsistent(partial); // opening repairs the vectors the killed process never saved
    partial.close();

    const resumed = await runAdd([...args, '--json']);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.out.slice(resumed.out.indexOf('{\n')));
    expect(summary.unchanged).toBe(indexedBefore);
    expect(summary.added).toBe(6 - indexedBefore);
    const store = Store.open(data);
    expect(store.db.stats().indexed).toBe(6);
    expectConsistent(store);
    store.close();
  });
});
