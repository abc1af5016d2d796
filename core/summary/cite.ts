/**
 * Turning summary text into cited points, pure: every [n] goes through `resolveCitations`, so a
 * citation is always a real cue of source n, never a time the model wrote.
 */
import type { Cue } from '../../indexer/domain.ts';
import type { Citation, SummaryPoint } from '../contract/api.ts';
import { resolveCitations, toCitation, type SourceCues } from '../llm/citations.ts';
import { keywordOverlaps } from '../transcript/overlap.ts';

export const CITE_DEFAULTS = {
  /** An uncited model statement is tied to the source sharing this share of its content words, or dropped. */
  groundOverlap: 0.3,
} as const;


/** Collects what went wrong while citing a whole summary, for its notice. */
export class CiteLog {
  readonly invalid = new Set<number>();
  grounded = 0;
  dropped = 0;

  /** The notice text, or null when every statement cited real sources. */
  notice(): string | null {
    const parts: string[] = [];
    if (this.invalid.size) parts.push(`Removed citations to sources that do not exist: ${[...this.invalid].sort((a, b) => a - b).map((n) => `[${n}]`).join(' ')}.`);
    if (this.grounded) parts.push(`${this.grounded} statement${this.grounded > 1 ? 's' : ''} without a citation ${this.grounded > 1 ? 'were' : 'was'} tied to the passage ${this.grounded > 1 ? 'they match' : 'it matches'} best.`);
    if (this.dropped) parts.push(`${this.dropped} statement${this.dropped > 1 ? 's' : ''} without a valid citation or a matching passage ${this.dropped > 1 ? 'were' : 'was'} left out.`);
    return parts.length ? parts.join(' ') : null;
  }
}

/**
 * Cites a model-written statement against the sources. Invalid markers are removed and logged. A
 * statement that cited only sources that do not exist is dropped (its claim has no support); one
 * the model forgot to cite is tied to the best-matching source by shared content words, or
 * dropped when nothing matches. Returns null when dropped.
 */
export function citeStatement(text: string, sources: (SourceCues & { text: string })[], log: CiteLog): SummaryPoint | null {
  const first = resolveCitations(text, sources);
  for (const n of first.invalid) log.invalid.add(n);
  if (first.citations.length) return { text: first.text, citations: first.citations.map(toCitation) };
  // No citation survived, so no marker is left either (invalid ones were removed).
  const bare = first.text.trim();
  if (!bare) return null;
  if (first.invalid.length || sources.length === 0) {
    log.dropped++;
    return null;
  }
  const overlaps = keywordOverlaps(bare, sources.map((s) => s.text));
  let best = 0;
  overlaps.forEach((o, i) => {
    if (o > overlaps[best]) best = i;
  });
  if (overlaps[best] < CITE_DEFAULTS.groundOverlap) {
    log.dropped++;
    return null;
  }
  log.grounded++;
  const grounded = resolveCitations(`${bare.replace(/([.!?…])?$/, ` [${sources[best].n}]$1`)}`, sources);
  return { text: grounded.text, citations: grounded.citations.map(toCitation) };
}

/** One quoted transcript sentence with the source it comes from and its own cues. */
export interface Quote {
  text: string;
  source: SourceCues;
  cues: Cue[];
}

/**
 * Cites quoted transcript sentences (extractive mode): each quote is resolved against its own
 * first cue, so the moment is where the quoted sentence starts. Markers are numbered in order.
 */
export function citeQuotes(quotes: Quote[]): SummaryPoint {
  const texts: string[] = [];
  const citations: Citation[] = [];
  for (const q of quotes) {
    const body = /[.!?…]["'”’)]*$/.test(q.text.trim()) ? q.text.trim() : `${q.text.trim()}…`;
    const r = resolveCitations(`${body} [${q.source.n}]`, [{ ...q.source, cues: q.cues.length ? q.cues.slice(0, 1) : q.source.cues }]);
    texts.push(r.text);
    for (const c of r.citations) citations.push(toCitation({ ...c, marker: citations.length }));
  }
  return { text: texts.join(' '), citations };
}
