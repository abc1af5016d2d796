/**
 * QMSum meetings as timestamped transcripts. Pure. QMSum turns carry no times, so a turn
 * becomes one cue timed by its word count at a steady speaking rate; gold turn spans
 * (END INCLUSIVE) become time ranges over the same clock.
 */
import { z } from 'zod';
import type { Cue } from '../indexer/domain.ts';
import type { TranscriptInput } from '../indexer/pipeline.ts';
import { wordCount } from '../indexer/segment/windows.ts';
import type { EvalQuery, GoldSpan } from './metrics.ts';

/** Conversational speaking rate used to give turns a duration. */
export const WORDS_PER_MINUTE = 150;
const MS_PER_WORD = 60_000 / WORDS_PER_MINUTE;

const TurnIndex = z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(Number);

/** The parts of a QMSum meeting file the evaluation uses. */
export const QmsumMeeting = z.object({
  meeting_transcripts: z.array(z.object({ speaker: z.string(), content: z.string() })),
  specific_query_list: z.array(
    z.object({
      query: z.string(),
      relevant_text_span: z.array(z.tuple([TurnIndex, TurnIndex])),
    }),
  ),
});
export type QmsumMeeting = z.infer<typeof QmsumMeeting>;

/**
 * Removes `{disfmarker}`-style annotations and undoes the corpus tokenisation
 * ("we 're here ." → "we're here."), so the text reads like a transcript.
 */
export function cleanTurn(content: string): string {
  return content
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\s+('(?:s|re|m|ll|ve|d)|n't)\b/gi, '$1')
    .replace(/\s+([.,?!;:])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A meeting ready for ingest plus its specific queries with gold time spans. */
export interface ConvertedMeeting {
  input: TranscriptInput;
  queries: EvalQuery[];
}

/**
 * Converts one meeting. Turn i runs from the time of all words before it for its own word
 * count × 400 ms; turns left empty by markup removal keep their (zero-length) place on the
 * clock but produce no cue. A gold span [st, ed] runs from turn st's start to turn ed's end.
 */
export function convertMeeting(id: string, meeting: QmsumMeeting): ConvertedMeeting {
  const turns = meeting.meeting_transcripts;
  const times: { startMs: number; endMs: number }[] = [];
  const cues: Cue[] = [];
  let clock = 0;
  for (const turn of turns) {
    const text = cleanTurn(turn.content);
    const startMs = clock;
    clock += Math.round(wordCount(text) * MS_PER_WORD);
    times.push({ startMs, endMs: clock });
    if (text) cues.push({ startMs, endMs: clock, text, speaker: turn.speaker });
  }
  const queries = meeting.specific_query_list.map((sq, i): EvalQuery => {
    const gold = sq.relevant_text_span.map(([st, ed]): GoldSpan => {
      if (st > ed || ed >= turns.length) throw new Error(`${id}: query ${i} has span [${st}, ${ed}] outside ${turns.length} turns`);
      return { startMs: times[st].startMs, endMs: times[ed].endMs, anchorMs: times[st].startMs };
    });
    return { id: `${id}#${i}`, q: sq.query, videoId: id, gold };
  });
  const speakers = [...new Set(turns.map((t) => t.speaker))];
  return {
    input: { meta: { id, title: id, channel: 'QMSum', speakers, durationMs: clock }, cues, source: `qmsum:${id}`, format: 'qmsum' },
    queries,
  };
}
