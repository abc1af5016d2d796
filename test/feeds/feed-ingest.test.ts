/**
 * Feed jobs through the real queue, store, HNSW file and USE-lite embedder, against the podcast
 * host of feed-world.ts on 127.0.0.1 (feeds and transcripts CONSTRUCTED in the shapes hosts serve).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedSource } from '../../indexer/sources/feed.ts';
import { episodeId } from '../../indexer/sources/feed-parse.ts';
import type { YouTubeSource } from '../../indexer/sources/youtube.ts';
import type { JobStore } from '../../indexer/store/jobs.ts';
import type { Store } from '../../indexer/store/store.ts';
import { openYouTubeJob, runYouTubeJob } from '../../indexer/youtube-ingest.ts';
import { expectConsistent } from '../helpers/consistency.ts';
import { tempIndex, useLite } from '../youtube/queue-helpers.ts';
import { AUDIO_SECONDS, LATER_EPISODE, startFeedWorld, type FeedWorld } from './feed-world.ts';

const SHOW_GUID = '917393e3-1b1e-5cef-ace4-edaa54e1f810';
const id = (guid: string) => episodeId(SHOW_GUID, guid);
/** Feed jobs never touch YouTube: any call is a test failure. */
const noYouTube: YouTubeSource = {
  listVideos: () => {
    throw new Error('YouTube was called for a feed job');
  },
  getVideo: () => Promise.reject(new Error('YouTube was called for a feed job')),
};

let world: FeedWorld;
let store: Store;
let jobs: JobStore;
let clock = Date.parse('2026-04-01T00:00:00Z');

beforeAll(async () => {
  world = await startFeedWorld();
  ({ store, jobs } = tempIndex());
});
afterAll(async () => {
  store?.close();
  await world?.close();
});

async function run(url: string, mode: 'add' | 'refresh' = 'add') {
  const embedder = await useLite();
  const feeds = createFeedSource({ lang: ['en'], backoff: { sleep: async () => {}, maxAttempts: 2 } });
  const { job } = openYouTubeJob(jobs, { kind: 'feed', url }, mode, clock);
  return runYouTubeJob({ store, embedder, source: noYouTube, feeds, jobs, clock: { now: () => clock } }, job.id);
}

describe('a podcast feed through the ingest queue', () => {
  it('indexes the episodes with transcripts and gives every other episode a status', async () => {
    const summary = await run(`${world.base}/show.xml`);
    expect(summary).toMatchObject({ kind: 'feed', status: 'done', total: 5, counts: { indexed: 2, error: 1, no_transcript: 2, queued: 0 } });

    const ep1 = store.db.getVideo(id('ks-0001'))!;
    expect(ep1).toMatchObject({
      status: 'indexed',
      title: 'Sourdough & the smell of green apples',
      channel: 'Kitchen Science & Friends',
      publishedAt: '2026-03-03',
      durationMs: AUDIO_SECONDS * 1000,
      url: `${world.base}/episodes/1`,
      audioUrl: `${world.base}/audio/1.wav`,
      thumbnail: `${world.base}/art/1.jpg`,
      source: `${world.base}/show.xml`,
      format: 'feed',
      // The VTT wins over the JSON listed before it: both are timed, VTT ranks first.
      track: { lang: 'en', kind: 'vtt' },
      // podcast:person (cast only; the editor is left out) and the transcript's voice labels.
      speakers: ['Maya Ortiz', 'Tom Becker'],
    });
    const cues = store.db.cues(ep1.id);
    expect(cues[2]).toEqual({ startMs: 13_000, endMs: 21_000, speaker: 'Tom Becker', text: 'The apple smell comes from ethyl acetate, an ester the wild yeast makes when it is hungry.' });

    // Episode 2: word-level JSON served gzip-encoded, joined into phrases; chapters from JSON.
    const ep2 = store.db.getVideo(id('ks-0002'))!;
    expect(ep2).toMatchObject({ status: 'indexed', track: { lang: 'en-us', kind: 'podcast-json' }, speakers: ['Priya Nair', 'Maya Ortiz'], durationMs: 3_600_000 });
    expect(ep2.chapters).toEqual([
      { title: 'Intro', startMs: 0 },
      { title: 'The Maillard reaction', startMs: 14_500 },
      { title: 'Baking soda', startMs: 30_000 },
    ]);
    const ep2Cues = store.db.cues(ep2.id);
    expect(ep2Cues[0]).toEqual({ startMs: 2000, endMs: 5950, speaker: 'Maya Ortiz', text: 'Why do onions turn sweet when you cook them slowly?' });
    expect(ep2Cues.some((c) => c.text.startsWith('Heat breaks the long fructan chains') && c.startMs === 6000)).toBe(true);

    // The 404 transcript, no transcript at all, and an untimed HTML one: listed, not lost.
    expect(store.db.getVideo(id('ks-0003'))).toMatchObject({ status: 'error', audioUrl: `${world.base}/audio/3.wav`, title: 'The lost transcript' });
    expect(store.db.getVideo(id('ks-0003'))!.error).toContain(`HTTP 404 from the transcript ${world.base}/t/missing.vtt`);
    expect(store.db.getVideo(id('ks-0004'))).toMatchObject({ status: 'no_transcript', error: 'the feed links no transcript for this episode', audioUrl: `${world.base}/audio/4.wav` });
    expect(store.db.getVideo(id('ks-0005'))).toMatchObject({ status: 'no_transcript' });
    expect(store.db.getVideo(id('ks-0005'))!.error).toContain('no timings to cite');

    expect(jobs.follows()).toEqual([expect.objectContaining({ source: `${world.base}/show.xml`, kind: 'feed' })]);
    // The feed was fetched once for the listing and every episode.
    expect(world.log.filter((p) => p === '/show.xml')).toHaveLength(1);
    expectConsistent(store);
  });

  it('refresh adds only a newly published episode and retries the failed one, not the ones without transcripts', async () => {
    world.publish(LATER_EPISODE);
    world.log.length = 0;
    clock += 60 * 60 * 1000; // an hour later: too soon to ask again for missing transcripts
    const summary = await run(`${world.base}/show.xml`, 'refresh');
    expect(summary).toMatchObject({ mode: 'refresh', status: 'done', total: 2, counts: { indexed: 1, error: 1 } });
    expect(store.db.getVideo(id('ks-0006'))).toMatchObject({ status: 'indexed', title: 'Salting aubergines', track: { lang: 'en', kind: 'srt' } });
    expect(world.log.filter((p) => p.startsWith('/t/')).sort()).toEqual(['/t/6.srt', '/t/missing.vtt']);
  });

  it('follows redirects to the same show: the same GUIDs give the same episodes, unchanged', async () => {
    const summary = await run(`${world.base}/old-feed`);
    expect(summary).toMatchObject({ status: 'done', counts: { indexed: 3, error: 1, no_transcript: 2 }, run: { added: 0, unchanged: 3 } });
    expect(store.db.listVideos().filter((v) => v.id.startsWith('pod-'))).toHaveLength(6);
  });

  it('reads a gzip-encoded feed and a gzipped file served as is (an Atom feed)', async () => {
    expect(await run(`${world.base}/gzip.xml`)).toMatchObject({ status: 'done', run: { unchanged: 2 } });
    const atom = await run(`${world.base}/show.xml.gz`);
    expect(atom).toMatchObject({ status: 'done', counts: { indexed: 1 } });
    expect(store.db.getVideo(episodeId(`${world.base}/show.xml.gz`, 'urn:uuid:atom-ep-1'))).toMatchObject({ title: 'Atom episode: emulsions', track: { kind: 'srt' } });
  });

  it('fails a job clearly on invalid XML, an HTML page and a missing feed, and indexes nothing from them', async () => {
    const before = store.db.listVideos().length;
    const broken = await run(`${world.base}/broken.xml`);
    expect(broken).toMatchObject({ status: 'failed', stopped: 'failed', total: 0 });
    expect(broken.message).toMatch(new RegExp(`^could not list ${world.base}/broken.xml \\(error\\): .*is not a feed we can read: not well-formed XML: .+ \\(line \\d+\\)$`));
    expect((await run(`${world.base}/not-a-feed`)).message).toContain("an HTML page, not an RSS or Atom feed (the show's website rather than its feed URL?)");
    expect((await run(`${world.base}/gone.xml`)).message).toContain(`(unavailable): HTTP 404 from the feed ${world.base}/gone.xml`);
    expect(store.db.listVideos()).toHaveLength(before);
  });

  it('lists a 500-item feed in full: ten episodes indexed, 490 listed as no_transcript', async () => {
    const summary = await run(`${world.base}/big.xml`);
    expect(summary).toMatchObject({ status: 'done', total: 500, counts: { indexed: 10, no_transcript: 490, queued: 0 } });
    const big = store.db.listVideos().filter((v) => v.source === `${world.base}/big.xml`);
    expect(big).toHaveLength(500);
    expect(new Set(big.map((v) => v.id)).size).toBe(500);
    expectConsistent(store);
  });
});
