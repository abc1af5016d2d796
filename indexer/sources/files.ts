import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { ParseError, type ParseWarning, type VideoMeta } from '../domain.ts';
import { parseTranscript, SUPPORTED_EXTENSIONS } from '../parse/detect.ts';
import type { TranscriptInput } from '../pipeline.ts';
import { findRow, rowToMeta, DEFAULT_COLUMNS, type Manifest, type MetaField } from './manifest.ts';
import { titleOfFile } from './title.ts';
import { parseYouTubeRef } from './youtube-url.ts';

const collator = new Intl.Collator('en', { numeric: true });

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
      const files = entries
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

/** A safe video id from a file name: letters, digits, `-`, `_`, `.`. */
export function idFromFileName(file: string): string {
  const stem = basename(file).replace(/\.[^.]+$/, '');
  return stem.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'video';
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

/**
 * Metadata for a transcript file: sidecar `NAME.json` first, then the manifest row, then the
 * `--channel` default, then the file's own text (`text`: a heading or title header), then the file name.
 */
export function resolveFileMeta(file: string, defaults: FileMetaDefaults, text?: string): VideoMeta {
  const fromManifest = defaults.manifest
    ? (() => {
        const row = findRow(defaults.manifest, file);
        return row ? rowToMeta(row, defaults.manifest.columns) : {};
      })()
    : {};
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
  return {
    ...merged,
    id,
    title: merged.title ?? titleOfFile(basename(file), text),
    channel: merged.channel ?? defaults.channel,
    url: merged.url ?? (youtubeId ? `https://www.youtube.com/watch?v=${youtubeId}` : undefined),
    youtubeId,
  };
}

/** Reads, parses and attaches metadata to one transcript file. Throws ParseError on a bad file. */
export function loadTranscriptFile(file: string, defaults: FileMetaDefaults): TranscriptInput & { warnings: ParseWarning[] } {
  const text = readFileSync(file, 'utf8');
  const parsed = parseTranscript(file, text);
  return { meta: resolveFileMeta(file, defaults, text), cues: parsed.cues, warnings: parsed.warnings, source: file, format: parsed.format };
}
