import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qmsumCorpus } from '../../eval/corpus.ts';
import { runEvaluation, SYSTEMS } from '../../eval/run.ts';

// The two smallest validation meetings (~30 min of speech together) keep this under a minute.
const VAL = new URL('../../../shared/data/qmsum/val/', import.meta.url).pathname;
const MEETINGS = ['TS3010a.json', 'TS3010b.json'];
const available = MEETINGS.every((m) => existsSync(join(VAL, m)));

const dir = mkdtempSync(join(tmpdir(), 'episodic-qmsum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!available)('eval qmsum on real meetings', () => {
  it('ingests two meetings and hybrid search beats a random ranking by a wide margin', async () => {
    for (const m of MEETINGS) copyFileSync(join(VAL, m), join(dir, m));
    const systems = SYSTEMS.filter((s) => s.name === 'random' || s.name.startsWith('hybrid (default'));
    const report = await runEvaluation(qmsumCorpus(dir), { spec: { kind: 'use-lite' }, workers: 2, systems });
    expect(report).toMatchObject({ videos: 2, queries: 9 });
    for (const task of ['within', 'across'] as const) {
      const [random, hybrid] = systems.map((s) => report.results.find((r) => r.task === task && r.system === s.name)!.summary);
      expect(hybrid.mrr10).toBeGreaterThan(random.mrr10 + 0.2);
      expect(hybrid.s5).toBeGreaterThan(random.s5);
    }
  });
});
