/**
 * Sentences of a run of cues, pure. Caption cues are line fragments: a sentence often ends in the
 * middle of one and the next begins there. Each sentence keeps the index of the cue it starts in
 * (its citation: the cue that holds its first words) and the cue it ends in.
 */
import type { Cue } from '../../indexer/domain.ts';
import { endsSentence, splitSentences, wordCount } from '../../indexer/segment/windows.ts';

export interface CueSentence {
  text: string;
  /** Cue holding the sentence's first words, and the one holding its last. */
  firstCue: number;
  lastCue: number;
  /** Start of `firstCue` (the sentence may begin inside it). */
  startMs: number;
  /** False when the sentence was cut at `maxWords` rather than ending. */
  complete: boolean;
  speaker?: string;
}

/** Sentences of `cues`; a run without punctuation is cut at `maxWords`, and a change of speaker always ends one. */
export function cueSentences(cues: Cue[], maxWords = 60): CueSentence[] {
  const out: CueSentence[] = [];
  let current: CueSentence | undefined;
  const close = (complete: boolean) => {
    if (current) out.push({ ...current, text: current.text.trim(), complete });
    current = undefined;
  };
  cues.forEach((cue, i) => {
    if (current && cue.speaker !== undefined && current.speaker !== cue.speaker) close(endsSentence(current.text));
    const pieces = splitSentences(cue.text);
    pieces.forEach((piece, k) => {
      if (!current) current = { text: piece, firstCue: i, lastCue: i, startMs: cue.startMs, complete: false, ...(cue.speaker ? { speaker: cue.speaker } : {}) };
      else current = { ...current, text: `${current.text} ${piece}`, lastCue: i };
      const last = k === pieces.length - 1;
      if (!last || endsSentence(piece)) close(true);
      else if (wordCount(current.text) >= maxWords) close(false);
    });
  });
  close(current ? endsSentence(current.text) : true);
  return out;
}
