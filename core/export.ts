/**
 * Exports, pure: summaries, topic summaries and answers as Markdown with deep links (every
 * citation becomes a clickable timestamp), and a video's cleaned transcript as SRT or WebVTT.
 */
import type { Cue } from '../indexer/domain.ts';
import { formatClock, formatTimestamp } from '../indexer/time.ts';
import type { AskResponse, Citation, EpisodeSummary, SummaryPoint, TopicSummary } from './contract/api.ts';

export const EXPORT_FORMATS = ['srt', 'vtt', 'md', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Pretty JSON with a trailing newline. */
export const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Cues fit for a subtitle file: whitespace collapsed, empty and repeated lines dropped, in time
 * order, and no cue running past the start of the next (players show overlaps as stacked lines).
 */
export function cleanCues(cues: Cue[]): Cue[] {
  const sorted = cues
    .map((c) => ({ ...c, text: c.text.replace(/\s+/g, ' ').trim() }))
    .filter((c) => c.text && c.endMs >= c.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  const out: Cue[] = [];
  for (const c of sorted) {
    const last = out.at(-1);
    if (last && last.text === c.text && last.speaker === c.speaker && c.startMs <= last.endMs + 1000) {
      last.endMs = Math.max(last.endMs, c.endMs);
      continue;
    }
    if (last && last.endMs > c.startMs) last.endMs = Math.max(last.startMs, c.startMs);
    out.push({ ...c });
  }
  return out.map((c) => (c.endMs > c.startMs ? c : { ...c, endMs: c.startMs + 1 }));
}

/** "-->" inside text would end a timing line early in both formats. */
const safeArrow = (text: string) => text.replace(/-->/g, '->');

/** SubRip: numbered cues, `HH:MM:SS,mmm` times, speakers as a `Name:` prefix. */
export function toSrt(cues: Cue[]): string {
  return cleanCues(cues)
    .map((c, i) => `${i + 1}\n${formatTimestamp(c.startMs, ',')} --> ${formatTimestamp(c.endMs, ',')}\n${safeArrow(c.speaker ? `${c.speaker}: ${c.text}` : c.text)}\n`)
    .join('\n');
}

/** Escaping `>` also defuses "-->". */
const escapeVtt = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** WebVTT: `HH:MM:SS.mmm` times, speakers as voice tags, the title as a NOTE. */
export function toVtt(cues: Cue[], title?: string): string {
  const head = title ? `WEBVTT\n\nNOTE ${safeArrow(title).replace(/\n/g, ' ')}\n` : 'WEBVTT\n';
  const body = cleanCues(cues).map((c) => {
    const speaker = c.speaker?.replace(/[<>&\n]/g, ' ').trim();
    const text = escapeVtt(c.text);
    return `${formatTimestamp(c.startMs)} --> ${formatTimestamp(c.endMs)}\n${speaker ? `<v ${speaker}>${text}` : text}\n`;
  });
  return [head, ...body].join('\n');
}

/** Replaces the n-th [k] marker of `text` with a link to the n-th citation's moment. */
export function linkMarkers(text: string, citations: Citation[]): string {
  let i = 0;
  return text.replace(/\[(\d+)\]/g, (m) => {
    const marker = i++;
    const c = citations.find((x) => x.marker === marker);
    if (!c) return m;
    const clock = formatClock(c.start * 1000);
    return c.url ? `[[${clock}]](${c.url})` : `[${clock}]`;
  });
}

const point = (p: SummaryPoint) => linkMarkers(p.text, p.citations);
const mdEscape = (s: string) => s.replace(/([\\`*_[\]#])/g, '\\$1');

function byline(parts: (string | null | undefined)[]): string {
  return parts.filter(Boolean).join(' · ');
}

/** An episode summary as Markdown: the four sections, citations as timestamp links. */
export function summaryToMarkdown(s: EpisodeSummary): string {
  const lines: string[] = [`# ${mdEscape(s.title)}`, ''];
  lines.push(byline([s.channel, s.publishedAt?.slice(0, 10), s.duration != null ? formatClock(s.duration * 1000) : null, s.url ? `[watch](${s.url})` : null]), '');
  lines.push(s.mode === 'llm' ? `_Summary written by ${s.model} from the transcript; every point links to the moment it comes from._` : '_Extractive summary: sentences quoted from the transcript, each linked to its moment._', '');
  if (s.notice) lines.push(`> ${s.notice}`, '');
  lines.push('## TL;DR', '', point(s.tldr), '');
  lines.push('## Key insights', '', ...s.insights.map((p) => `- ${point(p)}`), '');
  if (s.questions.length) {
    lines.push('## Questions & answers', '');
    for (const qa of s.questions) lines.push(`**Q: ${mdEscape(qa.question)}**`, '', `A: ${linkMarkers(qa.answer, qa.citations)}`, '');
  }
  lines.push('## Summary & key takeaways', '');
  for (const p of s.takeaways) lines.push(point(p), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A topic summary as Markdown: counts, synthesis, timeline, then key points per episode. */
export function topicToMarkdown(t: TopicSummary): string {
  const c = t.counts;
  const lines: string[] = [`# Topic: ${mdEscape(t.topic)}`, ''];
  lines.push(`${c.episodes} episode${c.episodes === 1 ? '' : 's'} · ${c.minutes} minutes discussed · ${c.mentions} passages${c.passing ? ` · ${c.passing} more episode${c.passing === 1 ? ' mentions' : 's mention'} it only in passing` : ''}`, '');
  if (t.notice) lines.push(`> ${t.notice}`, '');
  if (t.synthesis.length) lines.push('## Synthesis', '', ...t.synthesis.flatMap((p) => [point(p), '']));
  if (t.timeline.length) {
    lines.push('## Timeline', '');
    for (const e of t.timeline) lines.push(`- **${e.publishedAt?.slice(0, 10) ?? 'undated'}** — ${mdEscape(e.title)} (${e.minutes} min): ${point(e.point)}`);
    lines.push('');
  }
  if (t.episodes.length) {
    lines.push('## Episodes', '');
    for (const e of t.episodes) {
      lines.push(`### ${mdEscape(e.title)}`, '', byline([e.publishedAt?.slice(0, 10), `${e.minutes} min on the topic`, e.url ? `[first moment](${e.url})` : null]), '');
      lines.push(...e.points.map((p) => `- ${point(p)}`), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A cited answer as Markdown: the question, the answer with timestamp links, and the sources. */
export function answerToMarkdown(question: string, a: AskResponse): string {
  const lines: string[] = [`# ${mdEscape(question)}`, ''];
  if (a.notice) lines.push(`> ${a.notice}`, '');
  lines.push(linkMarkers(a.answer, a.citations), '');
  if (a.citations.length) {
    lines.push('## Cited moments', '');
    for (const c of a.citations) lines.push(`${c.marker + 1}. ${mdEscape(c.title)} at ${c.url ? `[${formatClock(c.start * 1000)}](${c.url})` : formatClock(c.start * 1000)} — “${c.quote}”`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
