/**
 * The pieces an episode summary is built from, pure: time-based parts (chapters when the episode
 * has them) and globally numbered, non-overlapping sources cut along the stored windows, so a
 * citation [n] means the same moment in a part's notes and in the final summary.
 */
import type { Cue } from '../../indexer/domain.ts';
import { formatClock } from '../../indexer/time.ts';
import type { SourceCues } from '../llm/citations.ts';
import { estimateTokens, fenceSafe } from '../llm/messages.ts';

export const PART_DEFAULTS = {
  /** Length of one map step: ~20 minutes is ~3,000 words, one part fits an 8k-token model with room to spare. */
  partMs: 20 * 60_000,
  /** Chapters shorter than this are merged into their neighbour (intros, sponsor reads). */
  minChapterShare: 0.25,
  /** Chapters longer than this many part lengths are split, so no map step overruns. */
  maxChapterParts: 1.5,
  /** A source trimmed to fit the budget keeps at least this many tokens of text, else sources are dropped. */
  minSourceTokens: 40,
} as const;

export interface Part {
  index: number;
  startMs: number;
  endMs: number;
  title: string | null;
}

/** A numbered stretch of the episode: one stored window without the overlap it shares with the next. */
export interface EpisodeSource extends SourceCues {
  startMs: number;
  endMs: number;
  /** Index of the first cue of the source in the episode's cue list. */
  firstCue: number;
  text: string;
}

/** Splits `[0, durationMs)` into equal parts of about `partMs`, or along chapters when there are two or more. */
export function splitParts(durationMs: number, chapters: { title: string; startMs: number }[] = [], partMs: number = PART_DEFAULTS.partMs): Part[] {
  const end = Math.max(1, durationMs);
  const marks = chapters.filter((c) => c.startMs >= 0 && c.startMs < end).sort((a, b) => a.startMs - b.startMs);
  let spans: { startMs: number; endMs: number; title: string | null }[];
  if (marks.length >= 2) {
    spans = marks.map((c, i) => ({ startMs: i === 0 ? 0 : c.startMs, endMs: marks[i + 1]?.startMs ?? end, title: c.title }));
    const merged: typeof spans = [];
    for (const s of spans) {
      const last = merged.at(-1);
      const short = (x: { startMs: number; endMs: number }) => x.endMs - x.startMs < partMs * PART_DEFAULTS.minChapterShare;
      if (last && (short(s) || short(last))) merged[merged.length - 1] = { startMs: last.startMs, endMs: s.endMs, title: [last.title, s.title].filter(Boolean).join(' / ') };
      else merged.push(s);
    }
    spans = merged.flatMap((s) => {
      const len = s.endMs - s.startMs;
      if (len <= partMs * PART_DEFAULTS.maxChapterParts) return [s];
      const n = Math.ceil(len / partMs);
      return evenSpans(s.startMs, s.endMs, n).map((p, i) => ({ ...p, title: s.title ? `${s.title} (${i + 1}/${n})` : null }));
    });
  } else {
    // A last part under half a part length is folded into the one before.
    const n = Math.max(1, Math.round(end / partMs));
    spans = evenSpans(0, end, n).map((p) => ({ ...p, title: null }));
  }
  return spans.map((s, index) => ({ index, ...s }));
}

function evenSpans(start: number, end: number, n: number): { startMs: number; endMs: number }[] {
  const len = (end - start) / n;
  return Array.from({ length: n }, (_, i) => ({ startMs: Math.round(start + i * len), endMs: i === n - 1 ? end : Math.round(start + (i + 1) * len) }));
}

/** The part a moment falls in (the last part for moments past the end). */
export function partOf(parts: Part[], ms: number): number {
  const i = parts.findIndex((p) => ms < p.endMs);
  return i < 0 ? parts.length - 1 : i;
}

/**
 * Numbers the episode's windows as sources 1..N in time order. Windows overlap by a sentence or
 * two; each source ends where the next begins, so every cue belongs to exactly one source.
 */
export function episodeSources(
  video: { id: string; title: string },
  cues: Cue[],
  windows: { firstCue: number; lastCue: number }[],
  link: (ms: number) => string | null,
): EpisodeSource[] {
  const starts = [...new Set(windows.map((w) => w.firstCue))].sort((a, b) => a - b);
  const lastOfAll = Math.max(cues.length - 1, ...windows.map((w) => w.lastCue));
  return starts.map((first, i) => {
    const last = i + 1 < starts.length ? starts[i + 1] - 1 : lastOfAll;
    const own = cues.slice(first, last + 1);
    return {
      n: i + 1,
      videoId: video.id,
      title: video.title,
      cues: own,
      link,
      startMs: own[0]?.startMs ?? 0,
      endMs: own.at(-1)?.endMs ?? 0,
      firstCue: first,
      text: own.map((c) => (c.speaker ? `${c.speaker}: ${c.text}` : c.text)).join(' '),
    };
  });
}

/** Up to `k` items spread evenly over `items` (first and last included), in order. */
export function spread<T>(items: T[], k: number): T[] {
  if (k >= items.length) return [...items];
  if (k <= 0) return [];
  if (k === 1) return [items[Math.floor(items.length / 2)]];
  return Array.from({ length: k }, (_, i) => items[Math.round((i * (items.length - 1)) / (k - 1))]);
}

export interface SourceBlock {
  n: number;
  header: string;
  text: string;
}

/** Tokens of a rendered block: header, fence lines and separators (~55 characters) plus the text. */
const blockCost = (b: SourceBlock) => estimateTokens(b.header) + estimateTokens(b.text) + 14;

/** Tokens the blocks take when rendered whole. */
export const blocksCost = (blocks: SourceBlock[]) => blocks.reduce((n, b) => n + blockCost(b), 0);

/** Renders numbered sources as fenced blocks, the transcript text treated as quoted data. */
export function renderBlocks(blocks: SourceBlock[]): string {
  return blocks.map((b) => `[${b.n}] ${b.header}\n<transcript source="${b.n}">\n${fenceSafe(b.text)}\n</transcript>`).join('\n\n');
}

/**
 * Fits source blocks into `budget` tokens without losing the timeline: when they do not fit,
 * every block is cut to the same share; when even the minimum share does not fit, blocks are
 * dropped evenly (never only the end). Returns the blocks kept, in order.
 */
export function fitBlocks(blocks: SourceBlock[], budget: number): SourceBlock[] {
  if (blocksCost(blocks) <= budget) return blocks;
  const overhead = (b: SourceBlock) => estimateTokens(b.header) + 15;
  const maxKeep = Math.floor(budget / (PART_DEFAULTS.minSourceTokens + 30));
  const kept = spread(blocks, Math.max(0, Math.min(blocks.length, maxKeep)));
  const room = budget - kept.reduce((n, b) => n + overhead(b), 0);
  const share = Math.floor(room / Math.max(1, kept.length));
  return kept.map((b) => (estimateTokens(b.text) <= share ? b : { ...b, text: `${cutWords(b.text, share * 4)}…` }));
}

/** The text cut at a word boundary to at most `chars` characters. */
export function cutWords(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = text.slice(0, Math.max(0, chars));
  const space = cut.lastIndexOf(' ');
  return space > chars * 0.6 ? cut.slice(0, space) : cut;
}

/** `H:MM:SS–H:MM:SS` of a range, for prompts and headings. */
export const clockRange = (startMs: number, endMs: number) => `${formatClock(startMs)}–${formatClock(endMs)}`;
