/**
 * `episodic doctor`: checks the index, then makes one real YouTube request and explains the
 * usual failures with the exact error seen.
 */
import type { Config } from '../core/config.ts';
import { checkIndex, PROBE_VIDEO_ID, probeYouTube, proxyInUse, type YouTubeError } from '../core/maintenance.ts';
import { defaultIo, youTubeOptions, type YouTubeCliIo, type YouTubeCliValues } from './youtube.ts';

/** The video the doctor asks YouTube for. */
export const DOCTOR_VIDEO_ID = PROBE_VIDEO_ID;

/** `episodic doctor`: index checks, then one real YouTube request with the exact error and its usual causes. */
export async function runDoctor(
  config: Config,
  values: YouTubeCliValues,
  env: Record<string, string | undefined>,
  io: Partial<Pick<YouTubeCliIo, 'fetch' | 'stdout' | 'now'>> = {},
): Promise<number> {
  const o = { ...defaultIo(config), ...io };
  const json = Boolean((values as { json?: boolean }).json);
  const out = (line: string) => json || o.stdout.write(`${line}\n`);
  const checks: { section: 'index' | 'youtube'; status: 'ok' | 'warn' | 'fail'; message: string }[] = [];
  let section: 'index' | 'youtube' = 'index';
  let indexFailed = false;
  const check = (ok: boolean | 'warn', text: string) => {
    // YouTube being unreachable is worth a warning, not a failing exit: the local index works without it.
    const status = ok === true ? 'ok' : ok === 'warn' || section === 'youtube' ? 'warn' : 'fail';
    if (status === 'fail') indexFailed = true;
    checks.push({ section, status, message: text });
    out(`  ${status === 'ok' ? 'ok  ' : status === 'warn' ? 'warn' : 'FAIL'} ${text}`);
  };

  out(`Index (${config.dataDir})`);
  for (const finding of checkIndex(config)) check(finding.ok, finding.message);

  section = 'youtube';
  out('YouTube');
  const proxy = proxyInUse(env);
  check(true, proxy ? `requests go through the proxy ${proxy} (from the environment)` : 'no proxy configured (HTTPS_PROXY unset); requests go direct');
  let cookies: string | undefined;
  try {
    cookies = youTubeOptions(values, o.now()).cookies;
    if (cookies) check(true, `cookies: ${cookies.split('; ').length} youtube.com cookies from ${values.cookies}`);
  } catch (err) {
    check(false, (err as Error).message);
  }
  const probe = await probeYouTube({ fetch: o.fetch, cookies });
  if ('video' in probe) {
    const v = probe.video;
    check(true, `YouTube answered: "${v.title}" (${v.lang} ${v.kind} captions via ${v.via}, ${v.cues} cues)`);
  } else {
    const e = probe.error;
    if (e.status === 'unavailable' || e.status === 'private' || e.status === 'no_captions' || e.status === 'age_restricted') {
      check('warn', `YouTube answered, but the test video ${DOCTOR_VIDEO_ID} is ${e.status}: ${e.message}`);
    } else {
      check(false, `request to YouTube failed (${e.status}): ${e.message}`);
      for (const line of causeChain(e)) out(`         cause: ${line}`);
      out(`  diagnosis: ${diagnose(e)}`);
      out(USUAL_FAILURES);
    }
  }
  if (json) o.stdout.write(`${JSON.stringify({ dir: config.dataDir, ok: !indexFailed, checks }, null, 2)}\n`);
  return indexFailed ? 1 : 0;
}

const USUAL_FAILURES = `  usual causes:
    offline / DNS   "getaddrinfo ENOTFOUND" or "EAI_AGAIN": no connection, or DNS cannot resolve www.youtube.com
    proxy           a network that only allows traffic through a proxy: set HTTPS_PROXY=http://host:port
                    (Episodic sends YouTube requests through it; check the proxy allows www.youtube.com)
    bot check       "Sign in to confirm you're not a bot", captcha or consent page: export cookies.txt from a browser
                    signed in to YouTube and pass --cookies FILE
    429             YouTube is rate-limiting this IP: wait an hour or more, then resume with fewer --concurrency`;

/** The messages and error codes down an error's cause chain (fetch hides the DNS error two levels down). */
function causeChain(err: unknown): string[] {
  const out: string[] = [];
  for (let e = (err as { cause?: unknown }).cause; e !== undefined && out.length < 6; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    out.push(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}${typeof code === 'string' ? ` [${code}]` : ''}`);
    if (typeof e !== 'object' || e === null) break;
  }
  return out;
}

/** One sentence on what the error most likely means. */
export function diagnose(err: YouTubeError): string {
  const codes = causeChain(err).join(' ') + ` ${err.message}`;
  if (/ENOTFOUND|EAI_AGAIN/.test(codes)) return 'DNS lookup failed: this machine is offline or cannot resolve www.youtube.com.';
  if (/CERT|certificate|self.signed/i.test(codes)) return 'TLS failed: something intercepts HTTPS (a corporate proxy?); set NODE_EXTRA_CA_CERTS to its CA.';
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|CONNECT_TIMEOUT|timeout|aborted/i.test(codes)) {
    return 'the connection failed: a firewall blocks YouTube, or this network only allows a proxy.';
  }
  if (err.status === 'blocked') {
    return err.httpStatus === 429
      ? 'YouTube is rate-limiting this IP (HTTP 429): wait before trying again.'
      : 'YouTube shows a bot check or consent wall: pass --cookies with cookies from a signed-in browser.';
  }
  return 'YouTube answered in a way Episodic did not expect; the message above is what it said.';
}
