/** Track choice and panel discovery, pure, on the real recorded /player and /next responses. */
import { describe, expect, it } from 'vitest';
import { captionTracks, chooseTrack, transcriptParams, type CaptionTrack } from '../../indexer/sources/youtube-captions.ts';
import { dateFromNext } from '../../indexer/sources/youtube-meta.ts';
import { recordedJson } from './seam.ts';
import { IV, J, SURFACE_GO_PANEL_PARAMS, recordedVideos } from './world.ts';

const nineTracks = captionTracks(recordedJson(`${J}youtube.innertube.json.static`));
const pick = (tracks: CaptionTrack[], langs: string[]) => {
  const t = chooseTrack(tracks, langs);
  return t && `${t.lang}/${t.kind}/${t.name}`;
};

describe('captionTracks', () => {
  it('reads all 9 tracks of the real GJLlxj_dtq8 response, ASR marked', () => {
    expect(nineTracks.map((t) => `${t.lang}:${t.kind}`)).toEqual([
      'zh:manual', 'cs:manual', 'en:manual', 'en:asr', 'de:manual', 'hi:manual', 'ja:manual', 'ko:manual', 'es:manual',
    ]);
    expect(nineTracks[3]!.name).toBe('English (auto-generated)');
    expect(nineTracks[3]!.baseUrl).toMatch(/^https:\/\/www\.youtube\.com\/api\/timedtext\?v=GJLlxj_dtq8.*kind=asr/);
  });

  it('reads the simpleText track names of the iv-org recording and nothing from a response without captions', () => {
    const mrbeast = captionTracks(recordedJson(`${IV}regular_mrbeast.player.json`));
    expect(mrbeast).toHaveLength(15);
    expect(mrbeast.filter((t) => t.kind === 'asr').map((t) => t.name)).toEqual(['English (auto-generated)']);
    expect(captionTracks(recordedJson(`${J}youtube_transcripts_disabled.innertube.json.static`))).toEqual([]);
  });
});

describe('chooseTrack', () => {
  it('prefers manual over ASR for the same language', () => {
    expect(pick(nineTracks, ['en'])).toBe('en/manual/English');
  });
  it('falls back to ASR when the language has no manual track', () => {
    expect(pick(nineTracks.filter((t) => !(t.lang === 'en' && t.kind === 'manual')), ['en'])).toBe('en/asr/English (auto-generated)');
  });
  it('follows the priority list, skipping languages without a track', () => {
    expect(pick(nineTracks, ['fr', 'ja', 'en'])).toBe('ja/manual/Japanese');
    expect(pick(nineTracks, ['pt', 'fr'])).toBeUndefined();
  });
  it('matches regional variants both ways, exact code first', () => {
    expect(pick(nineTracks, ['en-GB'])).toBe('en/manual/English');
    const regional: CaptionTrack[] = [
      { lang: 'en-GB', kind: 'manual', name: 'English (UK)', baseUrl: 'x' },
      { lang: 'en', kind: 'asr', name: 'English (auto-generated)', baseUrl: 'x' },
      { lang: 'en-US', kind: 'manual', name: 'English (US)', baseUrl: 'x' },
    ];
    expect(pick(regional, ['en-us'])).toBe('en-US/manual/English (US)');
    expect(pick(regional, ['en'])).toBe('en-GB/manual/English (UK)'); // a manual variant beats exact ASR
  });
});

describe('transcriptParams', () => {
  it('finds the get_transcript params in the real watch page and /next recordings', () => {
    expect(transcriptParams(recordedVideos().GJLlxj_dtq8!.next)).toBe(SURFACE_GO_PANEL_PARAMS);
    expect(transcriptParams(recordedJson(`${IV}regular_mrbeast.next.json`))).toMatch(/^CgsyaXNZdVFaTWJkVR/);
    expect(transcriptParams(recordedJson(`${IV}regular_no-description.next.json`))).toBeUndefined();
    expect(transcriptParams(undefined)).toBeUndefined();
  });
});

describe('dateFromNext', () => {
  const next = (dateText: string) => ({ contents: { x: [{ videoPrimaryInfoRenderer: { dateText: { simpleText: dateText } } }] } });
  it('reads the English date forms of the watch page', () => {
    expect(dateFromNext(recordedJson(`${IV}regular_mrbeast.next.json`))).toBe('2022-08-04');
    expect(dateFromNext(next('Premiered Mar 5, 2021'))).toBe('2021-03-05');
    expect(dateFromNext(next('Streamed live on 12 Sept 2019'))).toBe('2019-09-12');
    expect(dateFromNext(next('3 hours ago'))).toBeUndefined();
    expect(dateFromNext({})).toBeUndefined();
  });
});
