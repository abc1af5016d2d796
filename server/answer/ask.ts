import type { AskEvent, AskRequest, AskResponse, AnswerMode } from '../contract/api.ts';
import { dot } from '../retrieval/dense.ts';
import type { SearchDeps } from '../retrieval/search.ts';
import { resolveCitations, toCitation } from './citations.ts';
import { composeExtractive, EXTRACTIVE_DEFAULTS, keywordOverlaps, pickSentences, sentenceScore, sentencesOf, withContext } from './extractive.ts';
import { standaloneQuery } from './followup.ts';
import type { Llm } from './llm.ts';
import { buildMessages, PROMPT_DEFAULTS } from './prompt.ts';
import { gatherSources, toApiSource, type AskSource } from './sources.ts';

export interface AskDeps extends SearchDeps {
  llm?: Llm;
  contextTokens?: number;
}

export type Emit = (event: AskEvent) => void;

const NOTHING_FOUND = 'Nothing in the indexed episodes matches this question.';

/**
 * Lets the event loop run so an emitted event reaches the client now: Node's HTTP response
 * uncorks its socket on the next tick, which CPU-bound embedding (a long chain of already
 * resolved promises) would otherwise postpone to the end of the answer.
 */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The offline answer from the sources' own sentences. */
export async function extractiveAnswer(deps: SearchDeps, question: string, sources: AskSource[]): Promise<string> {
  const all = sources.flatMap((s, rank) => sentencesOf(s, rank));
  const overlaps = keywordOverlaps(question, all.map((s) => s.text));
  const byOverlap = all.map((sentence, i) => ({ sentence, overlap: overlaps[i] }));
  const candidates = [...byOverlap].sort((a, b) => b.overlap - a.overlap || a.sentence.rank - b.sentence.rank).slice(0, EXTRACTIVE_DEFAULTS.embedCandidates);
  const [q, ...vecs] = await deps.embedder.embed([question, ...candidates.map((c) => c.sentence.text)]);
  const scored = candidates.map((c, i) => ({ sentence: c.sentence, score: sentenceScore(c.sentence, c.overlap, Math.max(0, dot(q, vecs[i]))) }));
  const picked = pickSentences(scored).sort((a, b) => a.n - b.n || a.cue - b.cue);
  return composeExtractive(
    picked.map((s) => ({ sentence: s, text: withContext(s, all) })),
    sources,
  );
}

/**
 * Answers a question: sources first (emitted at once), then the answer text streamed, then the
 * citations resolved to real cues, then `done`. Falls back to the extractive answer when no model
 * is configured or the model fails; stops quietly when `signal` aborts (client gone).
 */
export async function answerQuestion(deps: AskDeps, req: AskRequest, emit: Emit, signal: AbortSignal): Promise<AskResponse> {
  const query = await standaloneQuery(req.question, req.history, deps.llm, signal);
  const sources = await gatherSources(deps, { q: query, k: req.k, video: req.video, channel: req.channel, from: req.from, to: req.to });
  let mode: AnswerMode = deps.llm ? 'llm' : 'extractive';
  let notice: string | null = deps.llm ? null : 'No language model is configured: this answer is quoted from the transcripts.';
  let included = sources;
  let text = '';
  if (sources.length === 0) {
    emit({ event: 'sources', data: { sources: [], mode } });
    text = NOTHING_FOUND;
    emit({ event: 'delta', data: { text } });
  } else if (deps.llm) {
    const built = buildMessages(req.question, sources, req.history, deps.contextTokens ?? PROMPT_DEFAULTS.contextTokens);
    included = built.included;
    emit({ event: 'sources', data: { sources: included.map(toApiSource), mode } });
    await flush();
    try {
      for await (const chunk of deps.llm.stream(built.messages, signal)) {
        text += chunk;
        emit({ event: 'delta', data: { text: chunk } });
      }
      if (!text.trim()) throw new Error('the model returned an empty answer');
    } catch (err) {
      if (signal.aborted) throw err;
      mode = 'extractive';
      notice = `The language model failed (${(err as Error).message}); this answer is quoted from the transcripts instead.`;
      await flush();
      text = await extractiveAnswer(deps, query, sources);
      included = sources;
      emit({ event: 'delta', data: { text: `\n\n${notice}\n\n${text}` } });
    }
  } else {
    emit({ event: 'sources', data: { sources: sources.map(toApiSource), mode } });
    await flush();
    // The extractive answer is CPU work that cannot be interrupted: skip it if the client left.
    signal.throwIfAborted();
    text = await extractiveAnswer(deps, query, sources);
    emit({ event: 'delta', data: { text } });
  }
  const resolved = resolveCitations(text, included);
  if (resolved.invalid.length) {
    const dropped = `Removed citations to sources that do not exist: ${resolved.invalid.map((n) => `[${n}]`).join(' ')}.`;
    notice = notice ? `${notice} ${dropped}` : dropped;
  }
  const citations = resolved.citations.map(toCitation);
  emit({ event: 'citations', data: { citations, invalid: resolved.invalid } });
  const response: AskResponse = { answer: resolved.text, citations, sources: included.map(toApiSource), mode, notice };
  emit({ event: 'done', data: response });
  return response;
}
