/**
 * How a YouTube fetch can fail, as a small closed set of statuses the job queue can act on,
 * and the classifiers that map YouTube's own signals (playabilityStatus, HTML walls) onto them.
 */
import type { FailureStatus } from '../domain.ts';
import { rec, text } from './youtube-json.ts';
import type { YouTubeVideoMeta } from './youtube-meta.ts';

/** The failure statuses of the index (`indexer/domain.ts`): YouTube maps onto exactly these. */
export type YouTubeStatus = FailureStatus;

/** A classified failure. `meta` is filled when the video's metadata was read before the failure. */
export class YouTubeError extends Error {
  readonly meta?: YouTubeVideoMeta;
  /** The HTTP status when the failure came from a non-2xx response. */
  readonly httpStatus?: number;
  constructor(
    readonly status: YouTubeStatus,
    message: string,
    options: { cause?: unknown; meta?: YouTubeVideoMeta; httpStatus?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'YouTubeError';
    this.meta = options.meta;
    this.httpStatus = options.httpStatus;
  }
}

/**
 * YouTube refuses us, not the video: a bot check, a consent wall, or rate limiting that outlived
 * the retries. Never retried per request; the queue should pause as a whole.
 */
export class YouTubeBlockedError extends YouTubeError {
  constructor(message: string, options: { cause?: unknown; httpStatus?: number } = {}) {
    super('blocked', message, options);
    this.name = 'YouTubeBlockedError';
  }
}

/** Wraps anything thrown into a YouTubeError so callers only ever see the closed set of statuses. */
export function toYouTubeError(err: unknown, context: string): YouTubeError {
  if (err instanceof YouTubeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new YouTubeError('error', `${context}: ${message}`, { cause: err });
}

const BOT_CHECK = /not a bot|unusual traffic|confirm you.re not a robot/i;
const PRIVATE = /\bprivate\b/i;
const AGE = /inappropriate for some users|confirm your age|age-restricted|age restricted/i;

/**
 * Reads a /player response's playabilityStatus. Returns null when the video is playable,
 * else the classified failure. The reason text is kept in the message for the user.
 */
export function classifyPlayability(player: Record<string, unknown>): YouTubeError | null {
  const ps = rec(player.playabilityStatus);
  const details = rec(player.videoDetails);
  if (!ps) return new YouTubeError('error', 'player response has no playabilityStatus');
  const status = typeof ps.status === 'string' ? ps.status : '';
  const reason = reasonText(ps);
  if (status === 'OK') {
    if (details?.isUpcoming === true) return new YouTubeError('live_upcoming', 'scheduled live stream has not started');
    // A stream that is live right now has no transcript until it ends; retry it later like an upcoming one.
    if (details?.isLive === true) return new YouTubeError('live_upcoming', 'live stream in progress');
    return null;
  }
  const message = reason || `playability status ${status || 'missing'}`;
  if (BOT_CHECK.test(message)) return new YouTubeBlockedError(message);
  if (status === 'LIVE_STREAM_OFFLINE' || details?.isUpcoming === true) return new YouTubeError('live_upcoming', message);
  if (status === 'AGE_CHECK_REQUIRED' || status === 'AGE_VERIFICATION_REQUIRED' || AGE.test(message)) {
    return new YouTubeError('age_restricted', message);
  }
  if (ps.desktopLegacyAgeGateReason !== undefined) return new YouTubeError('age_restricted', message);
  if (PRIVATE.test(message) || details?.isPrivate === true) return new YouTubeError('private', message);
  if (status === 'ERROR' || status === 'UNPLAYABLE' || status === 'CUSTOM' || status === 'LOGIN_REQUIRED') {
    return new YouTubeError('unavailable', message);
  }
  return new YouTubeError('error', `unexpected playability status ${status || 'missing'}: ${message}`);
}

/** The top-level reason plus the error screen's subreasons ("Custom Reason — Sub Reason 1 Sub Reason 2"). */
function reasonText(ps: Record<string, unknown>): string {
  const reason = typeof ps.reason === 'string' ? ps.reason : '';
  const screen = rec(rec(ps.errorScreen)?.playerErrorMessageRenderer);
  const sub = screen ? text(screen.subreason) : '';
  return [reason, sub].filter(Boolean).join(' — ');
}

/**
 * Recognises HTML walls YouTube serves instead of data: the EU consent page and the
 * "unusual traffic" captcha page. Returns the blocked error, or null for anything else.
 */
export function classifyHtmlWall(html: string): YouTubeBlockedError | null {
  if (html.includes('action="https://consent.youtube.com')) {
    return new YouTubeBlockedError('YouTube consent wall: pass cookies from a browser that accepted it');
  }
  if (html.includes('g-recaptcha') || BOT_CHECK.test(html)) {
    return new YouTubeBlockedError('YouTube captcha page: too many requests from this IP');
  }
  return null;
}
