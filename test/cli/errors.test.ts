/**
 * Issue 18, points 6 and 8: every expected failure is one sentence (or `{"error"}` under --json)
 * with an exit code from the README's table, and commands say what they did in --json too.
 * Mostly in-process through main(); one real process proves no stack trace reaches the terminal.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { exitCode } from '../../cli/youtube.ts';
import { makeVtt } from '../helpers/transcripts.ts';

const BIN = fileURLToPath(new URL('../../bin/episodic.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'episodic-errors-'));
const data = join(root, 'index');
const OFFLINE = { EPISODIC_OFFLINE: '1' };
let busy: Server;
let busyPort = 0;

beforeAll(async () => {
  writeFileSync(join(root, 'bees.vtt'), makeVtt(['bees', 'rockets'], 2));
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => {
  busy?.close();
  rmSync(root, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  try {
    const code = await main(argv, { ...OFFLINE, ...env });
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** The last line written to stderr: the error sentence. */
const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

describe('point 6: one sentence instead of a stack trace', () => {
  it('serve on a port in use: a real process ends with one sentence and exit 3', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--data', data, '--embedder', 'use-lite', '--port', String(busyPort)], { env: { ...process.env, ...OFFLINE } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    // The sentence is all of stderr: no note about query workers the failed start ended itself.
    expect(err.trim()).toBe(`episodic serve: port ${busyPort} on 127.0.0.1 is already in use by another program; stop it, or choose another port with --port or EPISODIC_PORT`);
    expect(code).toBe(3);
  }, 60_000);

  it.each([
    [['serve', '--port', '99999'], {}, 2, /^episodic serve: --port must be a whole number from 0 to 65535, not "99999"$/],
    [['list'], { EPISODIC_ADMIN_TOKEN: 'short' }, 3, /^episodic list: EPISODIC_ADMIN_TOKEN is not valid: must be at least 16 characters; fix or unset it$/],
    [['serve'], { EPISODIC_RATE_LIMIT: 'abc' }, 3, /^episodic serve: EPISODIC_RATE_LIMIT="abc" is not valid: expected number, received NaN; fix or unset it$/],
    [['add', 'PLACEHOLDER', '--workers', 'abc'], {}, 2, /^episodic add: --workers must be a whole number from 0 to 256, not "abc"$/],
    [['add', 'PLACEHOLDER', '--embedder', 'transformers'], {}, 3, /^episodic add: the Transformers.js model Xenova\/all-MiniLM-L6-v2 \(q8\) could not be loaded \(.*remote downloads off: .*\); use --embedder use-lite/],
    [['frobnicate'], {}, 2, /^episodic frobnicate: unknown command "frobnicate"/],
  ])('%j %j → exit %i', async (argv, env, code, sentence) => {
    const args = argv.map((a) => (a === 'PLACEHOLDER' ? join(root, 'bees.vtt') : a));
    const r = await run([...args, '--data', join(root, `fresh-${args[0]}-${code}`)], env as Record<string, string>);
    expect(lastLine(r.err)).toMatch(sentence);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(code);
  }, 60_000);

  it('the admin token is named, never echoed', async () => {
    const r = await run(['list', '--data', data], { EPISODIC_ADMIN_TOKEN: 'hunter2' });
    expect(r.err).not.toContain('hunter2');
  });

  it('--json errors are {"error": …} on stderr', async () => {
    const r = await run(['serve', '--port', '99999', '--json', '--data', data]);
    expect(JSON.parse(r.err)).toEqual({ error: '--port must be a whole number from 0 to 65535, not "99999"' });
    const unknownOption = await run(['search', 'bees', '--nope', '--json']);
    expect(JSON.parse(unknownOption.err).error).toMatch(/Unknown option '--nope'/);
    expect(unknownOption.code).toBe(2);
  });
});

describe('point 8: exit codes and output', () => {
  it('list on a folder that does not exist says so and creates nothing', async () => {
    const missing = join(root, 'no-such-index');
    const r = await run(['list', '--data', missing]);
    expect(lastLine(r.err)).toMatch(/^episodic list: there is no index at .*no-such-index \(the folder does not exist\)/);
    expect(r.code).toBe(3);
    expect(existsSync(missing)).toBe(false);
  });

  it('<command> --help prints that command, not the general help', async () => {
    const r = await run(['repair', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: episodic repair/);
    expect(r.out).not.toContain('Commands:');
    expect(r.out).toContain('Exit codes: 0 ok, 1 some items failed, 2 usage, 3 environment');
  });

  it('doctor and reindex speak JSON with --json', async () => {
    expect((await run(['add', join(root, 'bees.vtt'), '--data', data, '--embedder', 'use-lite', '--workers', '0'])).code).toBe(0);
    const doctor = await run(['doctor', '--json', '--data', data], { HTTPS_PROXY: 'http://127.0.0.1:9' });
    const report = JSON.parse(doctor.out);
    expect(report).toMatchObject({ ok: true, checks: expect.arrayContaining([expect.objectContaining({ section: 'index', status: 'ok' })]) });
    // YouTube unreachable (a closed proxy port) is a warning: a healthy local index exits 0.
    expect(report.checks.filter((c: { section: string }) => c.section === 'youtube').some((c: { status: string }) => c.status === 'warn')).toBe(true);
    expect(doctor.code).toBe(0);
    const reindex = await run(['reindex', '--json', '--data', data, '--embedder', 'use-lite', '--workers', '0']);
    expect(JSON.parse(reindex.out)).toMatchObject({ reindexed: expect.any(Number), embedder: 'use-lite' });
    expect(reindex.code).toBe(0);
  }, 60_000);

  it('summarize of an unknown id or without one is {"error": …} under --json (after the add above)', async () => {
    const unknown = await run(['summarize', 'nosuchid', '--json', '--data', data]);
    expect(JSON.parse(unknown.err)).toEqual({ error: 'video "nosuchid" not found' });
    expect(unknown.code).toBe(1);
    const none = await run(['summarize', '--json', '--data', data]);
    expect(JSON.parse(none.err).error).toMatch(/give one video id/);
    expect(none.code).toBe(2);
  }, 60_000);

  it('search on an empty index says so as the command’s one sentence, or {"error": …} under --json', async () => {
    const empty = join(root, 'empty-index');
    mkdirSync(empty);
    const json = await run(['search', 'bees', '--json', '--data', empty]);
    expect(JSON.parse(json.err).error).toMatch(/^the index in .* is empty; add transcripts first: episodic add/);
    expect(json.code).toBe(1);
    const plain = await run(['ask', 'why bees', '--data', empty]);
    expect(plain.err.trim()).toMatch(/^episodic ask: the index in .* is empty; add transcripts first/);
    expect(plain.code).toBe(1);
  }, 60_000);

  it('a YouTube add whose only video failed exits 1, like a failed file', () => {
    const counts = { queued: 0, skipped: 0, indexed: 0, no_captions: 0, unavailable: 0, private: 0, age_restricted: 0, live_upcoming: 0, error: 1, no_transcript: 0 };
    expect(exitCode({ status: 'done', total: 1, counts })).toBe(1);
    expect(exitCode({ status: 'done', total: 1, counts: { ...counts, error: 0, private: 1 } })).toBe(1);
    expect(exitCode({ status: 'done', total: 3, counts: { ...counts, error: 0, indexed: 2, no_captions: 1 } })).toBe(0);
    expect(exitCode({ status: 'done', total: 1, counts: { ...counts, error: 0, indexed: 1 }, stopped: 'interrupted' })).toBe(130);
  });
});
