/** `75.4` → `1:15`, `3725` → `1:02:05`: the timestamp label shown on chips, cards and transcript lines. */
export function formatTimestamp(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** `15` → `15 s`, `2280` → `38 min`, `4978` → `1 h 23 min`; null (unknown) → `—`. */
export function formatDuration(seconds: number | null): string {
  if (seconds == null) return '—';
  if (seconds < 60) return `${Math.round(seconds)}\u00a0s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}\u00a0min`;
  return `${Math.floor(minutes / 60)}\u00a0h\u00a0${String(minutes % 60).padStart(2, '0')}\u00a0min`;
}

/** `2018-04-19` → `Apr 19, 2018` (UTC, so the day never shifts with the viewer's time zone). */
export function formatDate(iso: string | null): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** A YouTube link that opens the video at a second (the seconds are floored, as YouTube expects). */
export function youtubeLink(youtubeId: string, seconds: number): string {
  return `https://www.youtube.com/watch?v=${encodeURIComponent(youtubeId)}&t=${Math.max(0, Math.floor(seconds))}s`;
}

/** The YouTube id in a watch/short/embed URL, or null. */
export function youtubeIdFromUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    const host = u.hostname.replace(/^(www|m|music)\./, '');
    if (host === 'youtu.be') return u.pathname.slice(1) || null;
    if (host !== 'youtube.com' && host !== 'youtube-nocookie.com') return null;
    const v = u.searchParams.get('v');
    if (v) return v;
    const m = /^\/(?:embed|shorts|live)\/([A-Za-z0-9_-]+)/.exec(u.pathname);
    return m ? m[1] : null;
  } catch {
    return null;
  }
}
