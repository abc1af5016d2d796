import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname, join, resolve, sep } from 'node:path';
import { ParseError, type ParseWarning, type VideoMeta } from '../domain.ts';
import { parseTranscript, SUPPORTED_EXTENSIONS } from '../parse/detect.ts';
import type { TranscriptInput } from '../pipeline.ts';
import { decodeTranscript } from '../parse/encoding.ts';
import { matchRow, rowToMeta, DEFAULT_COLUMNS, type Manifest, type MetaField } from './manifest.ts';
import { titleOfFile } from './title.ts';
import { parseYouTubeRef } from './youtube-url.ts';

const collator = new Intl.Collator('en', { numeric: true });

/** The database file that marks a folder as an Episodic index (store.ts's DB_FILE). */
const INDEX_DB_FILE = 'episodic.sqlite';

/** Files found in transcript folders that are documentation, not transcripts (named explicitly, they are still read). */
const NOT_TRANSCRIPTS = /^(readme|license|licence|changelog|notice|contributing)(\.|$)/i;

/** True when `file` is a `NAME.json` metadata sidecar of a transcript next to it. */
function isSidecar(file: string): boolean {
  if (extname(file).toLowerCase() !== '.json') return false;
  const stem = file.slice(0, -5);
  return SUPPORTED_EXTENSIONS.some((ext) => ext !== '.json' && existsSync(stem + ext));
}

/** Expands files and folders (recursively) into transcript files in natural order. Missing paths throw. */
export async function listTranscriptFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new Error(`${p}: no such file or folder`);
    if (statSync(abs).isDirectory()) {
      const entries = await readdir(abs, { recursive: true, withFileTypes: true });
      // An Episodic index inside the folder (its episodes.json, a model cache) holds no transcripts.
      const indexDirs = entries.filter((e) => e.isFile() && e.name === INDEX_DB_FILE).map((e) => e.parentPath + sep);
      const files = entries
        .filter((e) => !indexDirs.some((d) => (e.parentPath + sep).startsWith(d)))
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && SUPPORTED_EXTENSIONS.includes(extname(e.name).toLowerCase()))
        .map((e) => join(e.parentPath, e.name))
        .filter((f) => statSync(f).isFile())
        .filter((f) => !isSidecar(f) && !NOT_TRANSCRIPTS.test(basename(f)))
        .sort(collator.compare);
      out.push(...files);
    } else {
      out.push(abs);
    }
  }
  return [...new Set(out)];
}

/** Options that apply to every file of one `add`. */
export interface FileMetaDefaults {
  manifest?: Manifest;
  channel?: string;
}

/**
 * A video id from a file name: the stem with runs of anything but letters (any script), digits,
 * `_`, `.` and `-` turned into `-`. ASCII names give the same ids as before non-Latin letters
 * were kept, so existing indexes keep theirs. A name with nothing usable (`..vtt`) gives `episode`;
 * a clash with another file's episode is resolved at ingest (indexer/store/identity.ts).
 */
export function idFromFileName(file: string): string {
  const stem = basename(file).replace(/\.[^.]+$/, '');
  const slug = stem.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}_.-]+/gu, '-').replace(/^[-.]+|-+$/g, '');
  return slug || 'episode';
}

function youtubeIdOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const ref = parseYouTubeRef(value);
    return ref.kind === 'video' ? ref.id : undefined;
  } catch {
    return undefined;
  }
}

/** Metadata for a file, which fields its sources really provided (not guessed from the file name), and notices. */
export interface ResolvedFileMeta {
  meta: VideoMeta;
  provided: Set<keyof VideoMeta>;
  warnings: ParseWarning[];
}

/**
 * Metadata for a transcript file: sidecar `NAME.json` first, then the manifest row, then the
 * `--channel` default, then the file's own text (`text`: a heading or title header), then the file name.
 */
export function resolveFileMetadata(file: string, defaults: FileMetaDefaults, text?: string): ResolvedFileMeta {
  const warnings: ParseWarning[] = [];
  let fromManifest: Partial<VideoMeta> = {};
  if (defaults.manifest) {
    const match = matchRow(defaults.manifest, file);
    if (match?.row) fromManifest = rowToMeta(match.row, defaults.manifest.columns);
    else if (match) warnings.push({ line: 0, message: match.reason });
  }
  const sidecarPath = file.replace(/\.[^.]+$/, '') + '.json';
  let fromSidecar: Partial<VideoMeta> = {};
  if (sidecarPath !== file && existsSync(sidecarPath)) {
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(readFileSync(sidecarPath, 'utf8'));
    } catch (err) {
      throw new ParseError(sidecarPath, 0, `invalid JSON sidecar (${(err as Error).message})`);
    }
    const row = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v == null ? '' : String(v)]),
    );
    const identity = Object.fromEntries((Object.keys(DEFAULT_COLUMNS) as MetaField[]).map((f) => [f, f]));
    fromSidecar = rowToMeta(row, identity);
  }
  const merged = { ...fromManifest, ...fromSidecar };
  const youtubeId = youtubeIdOf(merged.id) ?? youtubeIdOf(merged.url);
  const id = merged.id ?? youtubeId ?? idFromFileName(file);
  const meta: VideoMeta = {
    ...merged,
    id,
    title: merged.title ?? titleOfFile(basename(file), text),
    channel: merged.channel ?? defaults.channel,
    url: merged.url ?? (youtubeId ? `https://www.youtube.com/watch?v=${youtubeId}` : undefined),
    youtubeId,
  };
  const provided = new Set((Object.keys(meta) as (keyof VideoMeta)[]).filter((k) => meta[k] !== undefined && (k in merged || k === 'youtubeId' || k === 'url' || (k === 'channel' && defaults.channel))));
  return { meta, provided, warnings };
}

/** Metadata for a transcript file (see resolveFileMetadata). */
export function resolveFileMeta(file: string, defaults: FileMetaDefaults, text?: string): VideoMeta {
  return resolveFileMetadata(file, defaults, text).meta;
}

/** The speakers named in the cues, in order of first appearance (Markdown and `<v>` transcripts label them). */
function speakersOf(cues: { speaker?: string }[]): string[] {
  return [...new Set(cues.flatMap((c) => (c.speaker ? [c.speaker] : [])))];
}

/** A transcript file read, decoded, parsed, with its metadata and everything worth telling the user. */
export type LoadedTranscript = TranscriptInput & { warnings: ParseWarning[]; provided: Set<keyof VideoMeta> };

/** Reads, decodes (encoding.ts), parses and attaches metadata to one transcript file. Throws ParseError on a bad file. */
export function loadTranscriptFile(file: string, defaults: FileMetaDefaults): LoadedTranscript {
  const decoded = decodeTranscript(readFileSync(file));
  const parsed = parseTranscript(file, decoded.text);
  const resolved = resolveFileMetadata(file, defaults, decoded.text);
  const meta = resolved.meta;
  if (!meta.speakers?.length) {
    const speakers = speakersOf(parsed.cues);
    if (speakers.length) {
      meta.speakers = speakers;
      resolved.provided.add('speakers');
    }
  }
  const warnings = [...(decoded.warning ? [decoded.warning] : []), ...resolved.warnings, ...parsed.warnings];
  return { meta, cues: parsed.cues, warnings, source: file, format: parsed.format, provided: resolved.provided };
}
