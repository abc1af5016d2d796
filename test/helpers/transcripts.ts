import { formatTimestamp } from '../../indexer/time.ts';

/** Sentences on distinct topics, so keyword and semantic search have something real to find. */
export const TOPIC_SENTENCES: Record<string, string[]> = {
  bees: [
    'Honey bees communicate the location of flowers with a waggle dance.',
    'The queen bee can lay two thousand eggs in a single day.',
    'Beekeepers use smoke to calm the colony before opening the hive.',
    'Pollination by bees supports about a third of the food we eat.',
  ],
  rockets: [
    'Reusable rockets land on a drone ship after delivering the payload.',
    'Liquid oxygen and kerosene burn in the engine to produce thrust.',
    'Reaching orbit requires a speed of about eight kilometers per second.',
    'The second stage separates once the first stage runs out of fuel.',
  ],
  bread: [
    'Sourdough bread rises with wild yeast instead of commercial yeast.',
    'Kneading the dough develops gluten, which traps the gas.',
    'A hot oven with steam gives the loaf a crisp and shiny crust.',
    'Let the bread cool for an hour before slicing it.',
  ],
};

/** A WebVTT transcript cycling through the given topics' sentences, one 5-second cue each. */
export function makeVtt(topics: string[], repeat = 4, opts: { speaker?: string; extra?: string } = {}): string {
  const lines = ['WEBVTT', ''];
  let t = 0;
  for (let r = 0; r < repeat; r++) {
    for (const topic of topics) {
      for (const s of TOPIC_SENTENCES[topic]) {
        lines.push(`${formatTimestamp(t)} --> ${formatTimestamp(t + 5000)}`);
        lines.push(opts.speaker ? `<v ${opts.speaker}>${s}` : s, '');
        t += 5000;
      }
    }
  }
  if (opts.extra) lines.push(`${formatTimestamp(t)} --> ${formatTimestamp(t + 5000)}`, opts.extra, '');
  return lines.join('\n');
}
