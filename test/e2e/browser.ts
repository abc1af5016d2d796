import type { BrowserContext, Route } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export const YT_API = 'https://www.youtube.com/iframe_api';

/**
 * Stands in for the YouTube IFrame API: a `YT.Player` that draws a grey box, records every
 * `seekTo` in `window.__yt.seeks`, and reports `window.__yt.time` from `getCurrentTime()`
 * (tests move it to simulate playback).
 */
export const YT_STUB = `(() => {
  const yt = (window.__yt = { seeks: [], players: [], time: 0, ready: false });
  class Player {
    constructor(el, opts) {
      const target = typeof el === 'string' ? document.getElementById(el) : el;
      const box = document.createElement('div');
      box.setAttribute('data-testid', 'yt-stand-in');
      box.style.cssText = 'position:absolute;inset:0;display:grid;place-items:center;background:#202124;color:#e8eaed;font:14px system-ui';
      box.textContent = 'YouTube player stand-in · ' + opts.videoId;
      target.replaceWith(box);
      yt.time = (opts.playerVars && opts.playerVars.start) || 0;
      yt.players.push({ videoId: opts.videoId, start: opts.playerVars && opts.playerVars.start });
      setTimeout(() => { yt.ready = true; opts.events && opts.events.onReady && opts.events.onReady({ target: this }); }, 30);
    }
    seekTo(s) { yt.seeks.push(s); yt.time = s; }
    getCurrentTime() { return yt.time; }
    destroy() {}
  }
  window.YT = { Player };
  if (window.onYouTubeIframeAPIReady) window.onYouTubeIframeAPIReady();
})();`;

export interface NetworkOptions {
  /** Refuse the YouTube API too, as when the machine is offline. */
  offline?: boolean;
  /** Extra handling for loopback requests (return true when handled). */
  local?: (route: Route, url: URL) => Promise<boolean>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Lets loopback requests through, serves the YouTube stand-in, and blocks everything else (recorded in `blocked`). */
export async function guardNetwork(context: BrowserContext, blocked: string[], options: NetworkOptions = {}): Promise<void> {
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (LOOPBACK.has(url.hostname)) {
      if (options.local && (await options.local(route, url))) return;
      await route.continue();
    } else if (url.href === YT_API && !options.offline) {
      await route.fulfill({ status: 200, contentType: 'text/javascript', body: YT_STUB });
    } else {
      blocked.push(url.href);
      await route.abort('internetdisconnected');
    }
  });
}
