/**
 * URL → listing → metadata → transcript → cues, end to end through the fetch seam. Video
 * responses are the real recordings (see world.ts); the playlist pages and transcript bodies are
 * CONSTRUCTED (test/fixtures/youtube, each file says so in `_comment`).
 */
import { describe, expect, it } from 'vitest';
import { createYouTubeSource } from '../../indexer/sources/youtube.ts';
import { YouTubeError, type YouTubeStatus } from '../../indexer/sources/youtube-errors.ts';
import { parseYouTubeRef } from '../../indexer/sources/youtube-url.ts';
import { constructedJson, json, recordingSleep, type Handler } from './seam.ts';
import { recordedWorld } from './world.ts';

const PL = 'PLconstructed0123456789AB';

const browse: Handler = (req) => {
  const key = String(req.body?.continuation ?? req.body?.browseId);
  const name = { [`VL${PL}`]: 'page1', 'CONSTRUCTED-playlist-page2': 'page2', 'CONSTRUCTED-playlist-page3': 'page3' }[key];
  return name ? json(constructedJson(`browse.playlist.${name}.json`)) : json({ error: { code: 400 } }, 400);
};

async function ingest(input: string) {
  const seam = recordedWorld({ '/youtubei/v1/browse': browse });
  const yt = await createYouTubeSource({ fetch: seam.fetch, sleep: recordingSleep().sleep });
  const results: { id: string; status: 'ok' | YouTubeStatus; cues: number; firstCue?: string; title?: string }[] = [];
  for await (const listed of yt.listVideos(parseYouTubeRef(input))) {
    try {
      const video = await yt.getVideo(listed.id);
      results.push({ id: listed.id, status: 'ok', cues: video.cues.length, firstCue: video.cues[0]?.text, title: video.meta.title });
    } catch (err) {
      if (!(err instanceof YouTubeError)) throw err;
      results.push({ id: listed.id, status: err.status, cues: 0, title: err.meta?.title });
    }
  }
  return results;
}

describe('ingesting through every URL form', () => {
  const forms = [
    'GJLlxj_dtq8',
    'https://www.youtube.com/watch?v=GJLlxj_dtq8&t=39s',
    `https://www.youtube.com/watch?v=GJLlxj_dtq8&list=${PL}`,
    'm.youtube.com/watch?v=GJLlxj_dtq8',
    'https://youtu.be/GJLlxj_dtq8?si=abc',
    'https://www.youtube.com/shorts/GJLlxj_dtq8',
    'https://www.youtube.com/live/GJLlxj_dtq8',
    'https://www.youtube.com/embed/GJLlxj_dtq8',
  ];
  it.each(forms)('%s → one video with cues', async (input) => {
    expect(await ingest(input)).toEqual([
      { id: 'GJLlxj_dtq8', status: 'ok', cues: 4, firstCue: 'So this is the Surface Go,', title: 'Surface Go Review - It’s Awesome' },
    ]);
  });

  it('a playlist URL yields every video with its own outcome', async () => {
    expect(await ingest(`https://www.youtube.com/watch?list=${PL}`)).toEqual([
      { id: 'GJLlxj_dtq8', status: 'ok', cues: 4, firstCue: 'So this is the Surface Go,', title: 'Surface Go Review - It’s Awesome' },
      { id: 'F1xioXWb8CY', status: 'ok', cues: 3, firstCue: 'In the autumn of 1919', title: 'The Tide Is Turning - Russian Civil War Fall 1919 I THE GREAT WAR 1919' },
      // No get_transcript recording for it, so the seam serves jdepoix's synthetic XML via timedtext.
      { id: '2isYuQZMbdU', status: 'ok', cues: 3, firstCue: 'Hey, this is just a test', title: 'I Gave My 100,000,000th Subscriber An Island' },
      { id: 'iuevw6218F0', status: 'no_captions', cues: 0, title: 'Chris Rea - Auberge' },
      { id: 'aaaaaaaaaa0', status: 'error', cues: 0, title: undefined }, // the seam has no recording: HTTP 404
      { id: 'N-yVic7BbY0', status: 'live_upcoming', cues: 0, title: 'Home Team | PBD Podcast | Ep. 241' },
    ]);
  });
});
