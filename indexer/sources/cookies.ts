/**
 * Reads a Netscape cookies.txt (what browser "export cookies" extensions and yt-dlp write) and
 * builds the `Cookie:` header value YouTube needs. Pure: the caller reads the file.
 */
import { ParseError } from '../domain.ts';

/** Fields of one cookies.txt line, in file order. */
interface CookieLine {
  domain: string;
  name: string;
  value: string;
  expiresS: number;
}

/**
 * Builds a Cookie header value from the youtube.com cookies of a Netscape cookies.txt. Cookies
 * for other sites are dropped (never send a Google or bank session to YouTube by accident), as
 * are expired ones; session cookies (expiry 0) are kept. When a name repeats, the first wins.
 * @param nowMs the clock used to drop expired cookies
 * @throws ParseError for a line that is not 7 tab-separated fields, or a value that would break the header
 */
export function cookieHeaderFromNetscape(text: string, file: string, nowMs: number): string {
  const seen = new Set<string>();
  const pairs: string[] = [];
  for (const cookie of parseNetscape(text, file)) {
    if (!isYouTubeDomain(cookie.domain)) continue;
    if (cookie.expiresS !== 0 && cookie.expiresS * 1000 <= nowMs) continue;
    if (seen.has(cookie.name)) continue;
    seen.add(cookie.name);
    pairs.push(`${cookie.name}=${cookie.value}`);
  }
  return pairs.join('; ');
}

function parseNetscape(text: string, file: string): CookieLine[] {
  const out: CookieLine[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    // curl and browsers mark HttpOnly cookies with this prefix; they are real cookies, not comments.
    const line = raw.startsWith('#HttpOnly_') ? raw.slice('#HttpOnly_'.length) : raw;
    if (line.trim() === '' || line.startsWith('#')) return;
    const fields = line.split('\t');
    if (fields.length !== 7) {
      throw new ParseError(file, i + 1, `expected 7 tab-separated fields, got ${fields.length} (is this a Netscape cookies.txt?)`);
    }
    const [domain, , , , expires, name, value] = fields as [string, string, string, string, string, string, string];
    const expiresS = Number(expires);
    if (!Number.isFinite(expiresS)) throw new ParseError(file, i + 1, `expiry "${expires}" is not a number`);
    // A name or value with these characters would inject into or split the header.
    if (!/^[^\s;=,]+$/.test(name) || /[;\r\n]/.test(value)) {
      throw new ParseError(file, i + 1, `cookie "${name}" has characters not allowed in a Cookie header`);
    }
    out.push({ domain: domain.toLowerCase(), name, value, expiresS });
  });
  return out;
}

function isYouTubeDomain(domain: string): boolean {
  const bare = domain.replace(/^\./, '');
  return bare === 'youtube.com' || bare.endsWith('.youtube.com');
}
