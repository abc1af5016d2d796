/**
 * Turns a transcript file's bytes into text. Pure: bytes in, text and an optional warning out.
 * A byte-order mark decides (UTF-8, UTF-16 LE/BE); without one, valid UTF-8 is UTF-8, and
 * anything else is read as Windows-1252 (the usual encoding of old Western subtitle files, and a
 * superset of Latin-1's printable range) with a warning, instead of replacement characters.
 */
import type { ParseWarning } from '../domain.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  warning?: ParseWarning;
}

/** Line (1-based) of the first byte that is not valid UTF-8, for the warning. */
function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 0x0a) line++;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return line;
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return line;
    i += need + 1;
  }
  return line;
}

/** Decodes a transcript file's bytes; see the module comment for the rules. */
export function decodeTranscript(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const line = firstInvalidUtf8Line(bytes);
    return {
      text: new TextDecoder('windows-1252').decode(bytes),
      encoding: 'windows-1252',
      warning: { line, message: 'not valid UTF-8 (first bad byte on this line); read as Windows-1252 (Latin-1). Save the file as UTF-8 if accents look wrong' },
    };
  }
}
