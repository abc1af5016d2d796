import { describe, expect, it } from 'vitest';
import type { VideoSummary } from '../../core/contract/api.ts';
import { exampleQuestions, recentEpisodes, titleSubject } from '../../web/src/lib/text/home.ts';
import { explainAddError, groupByChannel, indexedCount, isFailedAdd, listCount, sortVideos, videoMeta } from '../../web/src/lib/text/library.ts';

const video = (id: string, over: Partial<VideoSummary> = {}): VideoSummary => ({
  id, title: id, channel: null, publishedAt: null, url: null, youtubeId: null, duration: null, status: 'indexed', error: null,
  cues: 10, segments: 2, speakers: [], source: null, track: null, thumbnail: null, audioUrl: null, addedAt: '2024-01-01T00:00:00.000Z', ...over,
});

const a = video('a', { title: 'Bees', channel: 'Show B', publishedAt: '2020-01-01', duration: 600 });
const b = video('b', { title: 'ants', channel: 'Show A', publishedAt: '2021-05-01', duration: 3600 });
const c = video('c', { title: 'Comets', publishedAt: null, duration: 60 });
const failed = video('dQw4w9WgXcQ', { title: 'YouTube video dQw4w9WgXcQ', status: 'error', segments: 0, cues: 0, error: 'network error on /youtubei/v1/player: fetch failed after 5 attempts' });

describe('library order, groups and wording', () => {
  it('sorts by date (undated last), title, duration and status', () => {
    expect(sortVideos([a, b, c], 'date').map((v) => v.id)).toEqual(['b', 'a', 'c']);
    expect(sortVideos([a, b, c], 'title').map((v) => v.id)).toEqual(['b', 'a', 'c']);
    expect(sortVideos([a, b, c], 'duration').map((v) => v.id)).toEqual(['b', 'a', 'c']);
    expect(sortVideos([failed, c, a], 'status').map((v) => v.id)).toEqual(['a', 'c', 'dQw4w9WgXcQ']);
  });

  it('groups by show, shows A–Z and episodes without one last', () => {
    expect(groupByChannel([a, c, b]).map((g) => [g.channel, g.videos.map((v) => v.id)])).toEqual([['Show A', ['b']], ['Show B', ['a']], [null, ['c']]]);
  });

  it('never leaves an empty separator, and tells failed adds apart', () => {
    expect(videoMeta({ channel: 'Talk Python To Me', publishedAt: null, duration: null })).toBe('Talk Python To Me');
    expect(videoMeta(failed)).toBe('');
    expect(videoMeta(a)).toBe('Show B · Jan 1, 2020 · 10\u00a0min');
    expect(isFailedAdd(failed)).toBe(true);
    expect(isFailedAdd(a)).toBe(false);
  });

  it('counts the same episodes in the header and the list: a failed add is no episode', () => {
    // 3 rows in the index, 1 of them a failed add: "2 episodes", never "2 of 3 indexed" above "3 of 3" below.
    expect(indexedCount({ videos: 3, indexed: 2 })).toBe('2 episodes indexed (1 could not be added)');
    expect(listCount(2, [a, b, failed], 1)).toBe('2 of 2 episodes · 1 could not be added');
    expect(listCount(1, [a, b, failed], 0)).toBe('1 of 2 episodes');
    expect(indexedCount({ videos: 2, indexed: 2 })).toBe('2 episodes indexed');
  });

  it('explains an offline failure in plain words and keeps the detail', () => {
    const e = explainAddError(failed.error!);
    expect(e.message).toBe('YouTube could not be reached (offline?).');
    expect(e.next).toMatch(/try again/);
    expect(e.detail).toBe(failed.error);
    expect(explainAddError('something odd').message).toBe('This video could not be added.');
    // A feed episode: no retry advice for a missing transcript, and its host is not YouTube.
    const none = explainAddError('the feed links no transcript for this episode', 'no_transcript');
    expect(none.message).toBe('The feed links no transcript this episode can be searched with.');
    expect(none.next).not.toMatch(/doctor|try again/i);
    const down = explainAddError('network error fetching the transcript http://127.0.0.1:9/ep1.vtt: fetch failed after 5 attempts', 'error');
    expect(down.message).toBe("The podcast's host could not be reached.");
    expect(down.message).not.toMatch(/YouTube/);
  });
});

describe('home page suggestions', () => {
  it('builds questions from the subjects of the library titles, newest first', () => {
    expect(titleSubject('Elon Musk: Tesla Autopilot | Lex Fridman Podcast #18')).toBe('Tesla Autopilot');
    expect(titleSubject('#313: Pydantic')).toBe('Pydantic');
    expect(titleSubject('Practical AI 100')).toBeNull();
    const lex = video('x', { title: 'Elon Musk: Tesla Autopilot | Lex Fridman Podcast #18', speakers: ['Elon Musk'], publishedAt: '2019-04-12' });
    const tp = video('y', { title: '#313: Pydantic', publishedAt: '2021-04-01' });
    expect(exampleQuestions([lex, tp, video('z', { title: 'Practical AI 100' }), failed])).toEqual(['What was said about Pydantic?', 'What did Elon Musk say about Tesla Autopilot?']);
    expect(recentEpisodes([lex, tp, failed]).map((v) => v.id)).toEqual(['y', 'x']);
  });

  it('calls an undated episode recent by when it was added, not by its title', () => {
    const old = video('old', { title: 'Aardvarks', addedAt: '2024-01-01T00:00:00.000Z' });
    const fresh = video('fresh', { title: 'Zebras', addedAt: '2024-06-01T10:00:00.000Z' });
    const dated = video('dated', { title: 'Moths', publishedAt: '2024-03-01', addedAt: '2023-01-01T00:00:00.000Z' });
    expect(recentEpisodes([old, dated, fresh]).map((v) => v.id)).toEqual(['fresh', 'dated', 'old']);
  });
});
