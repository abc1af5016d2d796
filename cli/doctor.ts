/**
 * `episodic doctor`: checks the index, then makes one real YouTube request and explains the
 * usual failures with the exact error seen.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { proxyFromEnv, redactProxy } from '../indexer/sources/proxy.ts';
import { createYouTubeSource } from '../indexer/sources/youtube.ts';
import { YouTubeError } from '../indexer/sources/youtube-errors.ts';
import { diagnoseIndex } from '../indexer/store/salvage.ts';
import { DB_FILE, Store } from '../indexer/store/store.ts';
import type { Config } from '../core/config.ts';
import { defaultIo, youTubeOptions, type YouTubeCliIo, type YouTubeCliValues } from './youtube.ts';


/** "Me at the zoo": the first YouTube video, public since 2005, with English captions. */
export const DOCTOR_VIDEO_ID = 'jNQXAC9IVRw';

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
  checkIndex(config, check);

  section = 'youtube';
  out('YouTube');
  const proxy = proxyFromEnv(env);
  check(true, proxy ? `requests go through the proxy ${redactProxy(proxy)} (from the environment)` : 'no proxy configured (HTTPS_PROXY unset); requests go direct');
  let cookies: string | undefined;
  try {
    cookies = youTubeOptions(values, o.now()).cookies;
    if (cookies) check(true, `cookies: ${cookies.split('; ').length} youtube.com cookies from ${values.cookies}`);
  } catch (err) {
    check(false, (err as Error).message);
  }
  // One attempt, no backoff: the doctor reports the first failure as it is.
  const source = await createYouTubeSource({ fetch: o.fetch, cookies, backoff: { maxAttempts: 1 } });
  try {
    const video = await source.getVideo(DOCTOR_VIDEO_ID);
    check(true, `YouTube answered: "${video.meta.title}" (${video.track.lang} ${video.track.kind} captions via ${video.via}, ${video.cues.length} cues)`);
  } catch (err) {
    const e = err instanceof YouTubeError ? err : new YouTubeError('error', String(err), { cause: err });
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

function checkIndex(config: Config, check: (ok: boolean | 'warn', text: string) => void): void {
  if (!existsSync(join(config.dataDir, DB_FILE))) {
    check('warn', `no index yet (nothing added); it will be created by the first \`episodic add\``);
    return;
  }
  // The full check (SQLite integrity_check, keyword index, counts, vectors, HNSW file) first: a
  // damaged file must not be reported as fine because the pages read so far were readable.
  let diagnosis: ReturnType<typeof diagnoseIndex>;
  try {
    diagnosis = diagnoseIndex(config.dataDir);
  } catch (err) {
    check(false, `cannot check the index: ${(err as Error).message}`);
    return;
  }
  for (const p of diagnosis.problems) check(false, `${p.kind}: ${p.message}`);
  if (diagnosis.damaged) {
    check(false, 'the database file is damaged: run `episodic repair` (it keeps the damaged file aside and lists any episode to add again)');
    return;
  }
  if (diagnosis.problems.length === 0) check(true, 'SQLite integrity check, keyword index, counts, stored vectors and vector file all pass');
  else check(false, 'run `episodic repair` to fix the problems above');
  let store: Store;
  try {
    store = Store.open(config.dataDir);
  } catch (err) {
    check(false, `cannot open the index: ${(err as Error).message}`);
    return;
  }
  try {
    const s = store.db.stats();
    check(true, `opened: ${s.videos} videos (${s.indexed} indexed), ${s.segments} segments, ${s.vectors} stored vectors`);
    const pinned = store.embedderId;
    if (!pinned) {
      check(s.segments === 0 ? 'warn' : false, s.segments === 0 ? 'no embedder pinned yet (empty index)' : 'segments exist but no embedder is pinned: run `episodic reindex`');
    } else {
      const mismatch =
        (config.embedder === 'use-lite' && pinned !== 'use-lite') || (config.embedder === 'transformers' && !pinned.startsWith('transformers:'));
      check(!mismatch, `embedder pinned: ${pinned} (${store.dimension}-d)${mismatch ? `, but --embedder ${config.embedder} was requested` : ''}`);
      const vectors = store.vectors();
      const labels = vectors?.labels().length ?? 0;
      const repair = store.lastRepair;
      const repaired = repair && (repair.added > 0 || repair.removed > 0);
      check(
        labels === s.segments ? (repaired || repair?.note ? 'warn' : true) : false,
        `vector index: ${labels} vectors for ${s.segments} segments` +
          (repaired ? `; the file was behind SQLite and was repaired in memory (added ${repair.added}, removed ${repair.removed}); the next add or serve saves it` : '') +
          (repair?.note ? `; ${repair.note}` : ''),
      );
    }
    for (const job of store.jobs.unfinished()) {
      check('warn', `job ${job.id} (${job.source}) is ${job.status}: ${job.counts.queued} of ${job.total} queued${job.message ? `; ${job.message}` : ''} (episodic resume)`);
    }
  } catch (err) {
    check(false, (err as Error).message);
  } finally {
    // Read-only check: close SQLite without saving the vector file (another process may be writing).
    store.db.close();
  }
}

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
