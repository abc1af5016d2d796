/**
 * The offline YouTube the tests talk to. Recorded responses (shared/data/youtube-fixtures):
 * /player for GJLlxj_dtq8 (9 tracks), F1xioXWb8CY (2 tracks), 2isYuQZMbdU (15 tracks),
 * iuevw6218F0 (no captions), N-yVic7BbY0 (scheduled live), the jdepoix error responses, and the
 * /next data of GJLlxj_dtq8 (its watch page's ytInitialData) and 2isYuQZMbdU / iuevw6218F0 / N-yVic7BbY0.
 * Constructed (test/fixtures/youtube, each file says so in `_comment`): get_transcript bodies,
 * a json3 body, /browse pages and resolve_url.
 */
import {
  constructedJson,
  constructedText,
  createSeam,
  initialDataFromWatchPage,
  json,
  plain,
  recorded,
  recordedJson,
  videoRoutes,
  type Handler,
  type Json,
} from './seam.ts';

const J = 'jdepoix-youtube-transcript-api/';
const IV = 'iv-org-mocks/video/';

/** The real GJLlxj_dtq8 player response's transcript-panel params, from its watch page. */
export const SURFACE_GO_PANEL_PARAMS =
  'CgtHSkxseGpfZHRxOBIOQ2dBU0FtVnVHZ0ElM0QYASozZW5nYWdlbWVudC1wYW5lbC1zZWFyY2hhYmxlLXRyYW5zY3JpcHQtc2VhcmNoLXBhbmVsMAE4AUAB';

export const recordedVideos = (): Record<string, { player: Json; next?: Json }> => ({
  GJLlxj_dtq8: {
    player: recordedJson(`${J}youtube.innertube.json.static`),
    next: initialDataFromWatchPage(recorded(`${J}youtube.html.static`)),
  },
  F1xioXWb8CY: { player: recordedJson(`${J}youtube_ww1_nl_en.innertube.json.static`) },
  '2isYuQZMbdU': { player: recordedJson(`${IV}regular_mrbeast.player.json`), next: recordedJson(`${IV}regular_mrbeast.next.json`) },
  iuevw6218F0: { player: recordedJson(`${IV}regular_no-description.player.json`), next: recordedJson(`${IV}regular_no-description.next.json`) },
  'N-yVic7BbY0': {
    player: recordedJson(`${IV}scheduled_live_PBD-Podcast.player.json`),
    next: recordedJson(`${IV}scheduled_live_PBD-Podcast.next.json`),
  },
});

/** get_transcript: the real params open on ASR (as YouTube often does); the menu's reload token gives manual English. */
const getTranscript: Handler = (req) => {
  const params = req.body?.params;
  if (params === SURFACE_GO_PANEL_PARAMS) return json(constructedJson('get_transcript.GJLlxj_dtq8.default-asr.json'));
  if (params === 'CONSTRUCTED-reload-en') return json(constructedJson('get_transcript.GJLlxj_dtq8.en.json'));
  return json({ error: { code: 400, message: 'seam: unknown transcript params' } }, 400);
};

/** timedtext: json3 for F1xioXWb8CY English; the (real file, synthetic text) XML for anything else without fmt. */
const timedtext: Handler = (req) => {
  const q = req.url.searchParams;
  if (q.get('v') === 'F1xioXWb8CY' && q.get('lang') === 'en' && q.get('fmt') === 'json3' && !q.has('kind')) {
    return plain(constructedText('timedtext.F1xioXWb8CY.en.json3'));
  }
  if (q.get('fmt') === 'json3') return plain('');
  return plain(recorded(`${J}transcript.xml.static`));
};

/** A seam serving the recorded world; `overrides` replace routes by path. */
export function recordedWorld(overrides: Record<string, Handler> = {}, videos = recordedVideos()) {
  return createSeam({
    ...videoRoutes(videos),
    '/youtubei/v1/get_transcript': getTranscript,
    '/api/timedtext': timedtext,
    ...overrides,
  });
}

export { J, IV };
