import { describe, expect, it } from 'vitest';
import type { JobView } from '../../core/contract/api.ts';
import { canResume, explainJobError, isLive, jobCounts, jobOutcome, jobVideoIds, parseLangs, upsertJob } from '../../web/src/lib/text/jobs.ts';

const ZERO = { queued: 0, indexed: 0, skipped: 0, no_captions: 0, no_transcript: 0, unavailable: 0, private: 0, age_restricted: 0, live_upcoming: 0, error: 0 };
const job = (over: Partial<JobView> = {}, counts: Partial<JobView['counts']> = {}): JobView => ({
  id: 1,
  kind: 'playlist',
  mode: 'add',
  source: 'https://www.youtube.com/playlist?list=PL1',
  status: 'done',
  phase: 'finished',
  done: 0,
  total: 0,
  counts: { ...ZERO, ...counts },
  current: [],
  message: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('job counts and verdicts', () => {
  it('lists non-zero counts, successes first, problems flagged', () => {
    const counts = jobCounts(job({}, { error: 2, indexed: 3, no_captions: 1 }));
    expect(counts.map((c) => [c.status, c.n, c.problem])).toEqual([
      ['indexed', 3, false],
      ['no_captions', 1, true],
      ['error', 2, true],
    ]);
    expect(counts[1].label).toBe('without captions');
  });

  it('judges a finished run by what it added and what went wrong', () => {
    expect(jobOutcome(job({ total: 3 }, { indexed: 3 }))).toEqual({ label: 'Done', tone: 'ok' });
    expect(jobOutcome(job({ total: 2 }, { skipped: 2 }))).toEqual({ label: 'Done: nothing new', tone: 'ok' });
    expect(jobOutcome(job({ total: 3 }, { indexed: 2, error: 1 })).tone).toBe('warn');
    expect(jobOutcome(job({ total: 1 }, { error: 1 }))).toEqual({ label: 'Finished: nothing added', tone: 'bad' });
    expect(jobOutcome(job({ total: 0 })).label).toBe('Finished: no videos found');
  });

  it('names the live, paused and failed states', () => {
    expect(jobOutcome(job({ status: 'running', phase: 'listing' })).label).toBe('Listing videos…');
    expect(jobOutcome(job({ status: 'running', phase: 'fetching' })).label).toBe('Fetching captions…');
    expect(jobOutcome(job({ status: 'paused' })).tone).toBe('warn');
    expect(jobOutcome(job({ status: 'failed' })).tone).toBe('bad');
    expect([isLive(job({ status: 'queued' })), isLive(job({ status: 'running' })), isLive(job())]).toEqual([true, true, false]);
    expect([canResume(job({ status: 'paused' })), canResume(job({ status: 'failed' })), canResume(job())]).toEqual([true, true, false]);
  });
});

describe('job list helpers', () => {
  it('replaces a job by id and keeps the newest first', () => {
    const list = [job({ id: 3 }), job({ id: 1 })];
    const next = upsertJob(list, job({ id: 2, status: 'running' }));
    expect(next.map((j) => j.id)).toEqual([3, 2, 1]);
    const again = upsertJob(next, job({ id: 2, status: 'done' }));
    expect(again.map((j) => [j.id, j.status])).toEqual([
      [3, 'done'],
      [2, 'done'],
      [1, 'done'],
    ]);
  });

  it('reads caption languages', () => {
    expect(parseLangs('  ')).toBeUndefined();
    expect(parseLangs('en, de-DE;fr')).toEqual(['en', 'de-DE', 'fr']);
  });

  it('knows the video of a single-video job', () => {
    expect(jobVideoIds(job({ kind: 'video', source: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' }), [])).toEqual(['dQw4w9WgXcQ']);
    expect(jobVideoIds(job({ kind: 'video', source: 'dQw4w9WgXcQ' }), ['dQw4w9WgXcQ'])).toEqual(['dQw4w9WgXcQ']);
    expect(jobVideoIds(job(), ['a', 'b'])).toEqual(['a', 'b']);
  });

  it('explains refusals in words', () => {
    expect(explainJobError(400, 'source: Not a YouTube video, playlist or channel: "x"')).toBe('That is not something Episodic can add. Not a YouTube video, playlist or channel: "x"');
    expect(explainJobError(403, 'adding videos is only allowed from this machine')).toMatch(/^Not allowed: adding videos/);
    expect(explainJobError(409, 'another Episodic process (pid 12) is writing to this index; wait for it to finish')).toBe(
      'The index is busy: another Episodic process (pid 12) is writing to this index; wait for it to finish.',
    );
    expect(explainJobError(409, 'job 3 is already done')).toBe('Job 3 is already done.');
    expect(explainJobError(404, 'no such API endpoint')).toMatch(/cannot add YouTube videos/);
    expect(explainJobError(500, 'internal error')).toBe('internal error');
  });
});
