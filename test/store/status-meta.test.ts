/**
 * An episode that could not be indexed (a feed episode without a transcript, a video without
 * captions) is listed with what its source says about it: the cast from <podcast:person> and the
 * show notes are kept with its status, not dropped, and a later status never erases them.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempIndex } from '../youtube/queue-helpers.ts';

const { dir, store } = tempIndex();
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('setVideoStatus keeps the metadata of an episode it cannot index', () => {
  const meta = {
    id: 'pod-000000000000000000000001',
    title: 'Listener mailbag',
    channel: 'Orbit Notes',
    speakers: ['Ada Kerr', 'Ravi Menon'],
    description: '<p>Notes for the mailbag</p>',
    audioUrl: 'http://127.0.0.1/audio3.mp3',
  };

  it('stores the speakers and the description with the status', () => {
    store.db.setVideoStatus(meta, 'no_transcript', 'the feed links no transcript for this episode', 'http://127.0.0.1/feed.xml');
    expect(store.db.getVideo(meta.id)).toMatchObject({ status: 'no_transcript', speakers: ['Ada Kerr', 'Ravi Menon'], description: '<p>Notes for the mailbag</p>', audioUrl: meta.audioUrl });
  });

  it('a later status without them keeps them', () => {
    store.db.setVideoStatus({ id: meta.id, title: '' }, 'error', 'HTTP 500 from the feed');
    expect(store.db.getVideo(meta.id)).toMatchObject({ status: 'error', title: 'Listener mailbag', speakers: ['Ada Kerr', 'Ravi Menon'], description: '<p>Notes for the mailbag</p>' });
  });
});
