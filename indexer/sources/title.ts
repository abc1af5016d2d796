/**
 * An episode's title from what its transcript file carries, for files added without metadata:
 * a Markdown `# heading`, a WebVTT `Title:` header (or text after `WEBVTT` on the first line, or
 * a `NOTE Title: …` block), else the file name made readable. Pure: text in, title out.
 */

/** Headers longer than this are prose, not a title. */
export const MAX_TITLE_CHARS = 200;

/** Words kept in capitals when a file name is title-cased. */
const ACRONYMS = new Set(['ai', 'ml', 'api', 'apis', 'ui', 'ux', 'llm', 'llms', 'gpt', 'nlp', 'sql', 'aws', 'gpu', 'gpus', 'cpu', 'js', 'css', 'html', 'http', 'cli', 'ci', 'cd', 'io', 'pdf', 'iot', 'ar', 'vr', 'mlops', 'devops', 'orm', 'rest', 'jit']);
const SPELLED = new Map([['mlops', 'MLOps'], ['devops', 'DevOps'], ['jit', 'JIT'], ['rest', 'REST']]);
/** Short words left in lower case inside a title. */
const SMALL = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'vs', 'with', 'from', 'into']);

const clean = (s: string | undefined): string | undefined => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t && t.length <= MAX_TITLE_CHARS ? t : undefined;
};

/** The title a transcript's own text gives, or undefined. */
export function titleFromText(text: string, extension: string): string | undefined {
  const ext = extension.toLowerCase();
  if (ext === '.md') return clean(/^\s{0,3}#\s+(.+?)\s*#*\s*$/m.exec(text.slice(0, 4000))?.[1]);
  if (ext === '.vtt') {
    const head = text.replace(/^\uFEFF/, '').split(/\r?\n\r?\n/, 1)[0];
    const lines = head.split(/\r?\n/);
    const afterMagic = /^WEBVTT[ \t]+-?[ \t]*(.+)$/.exec(lines[0] ?? '')?.[1];
    const header = lines.slice(1).map((l) => /^title\s*:\s*(.+)$/i.exec(l)?.[1]).find(Boolean);
    const note = /(?:^|\n)NOTE[ \t]+title\s*:\s*(.+)/i.exec(text.slice(0, 4000))?.[1];
    return clean(header) ?? clean(note) ?? clean(afterMagic);
  }
  return undefined;
}

function word(w: string, first: boolean): string {
  const lower = w.toLowerCase();
  const spelled = SPELLED.get(lower);
  if (spelled) return spelled;
  if (ACRONYMS.has(lower)) return lower.toUpperCase();
  if (!first && SMALL.has(lower)) return lower;
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/**
 * A file name made readable: `313-pydantic.vtt` → `#313: Pydantic`,
 * `practical-ai-100.md` → `Practical AI 100`, `episode_018_large.vtt` → `Episode 018 Large`.
 */
export function titleFromFileName(fileName: string): string {
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  const words = stem.split(/[\s_-]+/).filter(Boolean);
  if (words.length === 0) return stem || 'Untitled';
  const lead = /^\d+$/.test(words[0]) && words.length > 1 ? (words.shift() ?? null) : null;
  const title = words.map((w, i) => word(w, i === 0)).join(' ');
  return lead ? `#${lead}: ${title}` : title;
}

/** The title for a file added without one in its metadata. */
export function titleOfFile(fileName: string, text: string | undefined): string {
  const ext = /\.[^.]+$/.exec(fileName)?.[0] ?? '';
  return (text !== undefined ? titleFromText(text, ext) : undefined) ?? titleFromFileName(fileName);
}
