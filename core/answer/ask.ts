import type { AnswerPassage, AskEvent, AskRequest, AskResponse, AnswerMode } from '../contract/api.ts';
import { toSeconds } from '../../indexer/time.ts';
import { dot } from '../retrieval/dense.ts';
import { contentStems } from '../retrieval/keyword.ts';
import type { SearchDeps } from '../retrieval/search.ts';
import { resolveCitations, toCitation, type ResolvedCitation } from '../llm/citations.ts';
import type { Llm } from '../llm/client.ts';
import { keywordOverlaps } from '../transcript/overlap.ts';
import {
  candidateSentences,
  composeExtractive,
  EXTRACTIVE_DEFAULTS,
  groupByEpisode,
  pickPassages,
  RELEVANCE_FLOOR,
  scoreSentences,
  sentenceScore,
  type ExtractiveTuning,
  type Passage,
} from './extractive.ts';
import { standaloneQuery } from './followup.ts';
import { buildMessages, PROMPT_DEFAULTS } from './prompt.ts';
import { gatherSources, offlineSourceParams, toApiSource, type AskSource } from './sources.ts';

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

/** The chosen passages and how well the best one matches. */
export interface Selection {
  passages: Passage[];
  /** The best passage's relevance (0..1), compared with RELEVANCE_FLOOR. */
  relevance: number;
  covered: boolean;
}

/**
 * Scores the sources' sentences against the question and picks the passages to quote. `question`
 * is what the user typed (a follow-up's own words decide which sentences answer it, while the
 * search query carried the conversation's topic).
 */
export async function selectPassages(deps: SearchDeps, question: string, sources: AskSource[], o: ExtractiveTuning = EXTRACTIVE_DEFAULTS): Promise<Selection> {
  const { bySource, all } = candidateSentences(sources, question);
  const overlaps = keywordOverlaps(question, all.map((s) => s.text));
  const candidates = all
    .map((c, i) => ({ c, overlap: overlaps[i], prior: sentenceScore(c, overlaps[i], undefined, o) + 0.02 / (1 + c.rank) }))
    .filter((x) => sentenceScore(x.c, 1, 1, o) > 0)
    .sort((a, b) => b.prior - a.prior)
    .slice(0, o.embedCandidates);
  if (candidates.length === 0) return { passages: [], relevance: 0, covered: false };
  // With context weighting, each candidate's neighbours (same source) are embedded too.
  const place = new Map(all.map((c, i) => [c, i]));
  const neighbours = (i: number) => [i - 1, i + 1].filter((k) => k >= 0 && k < all.length && all[k].sentence.n === all[i].sentence.n);
  const wanted = [...new Set(candidates.flatMap((x) => { const i = place.get(x.c)!; return o.contextWeight > 0 ? [i, ...neighbours(i)] : [i]; }))];
  const [q, ...vecs] = await deps.embedder.embed([question, ...wanted.map((i) => all[i].text)]);
  const simOf = new Map(wanted.map((i, k) => [i, dot(q, vecs[k])]));
  const sims = candidates.map((x) => {
    const i = place.get(x.c)!;
    const own = simOf.get(i)!;
    if (o.contextWeight <= 0) return { own };
    const around = [i, ...neighbours(i)].map((k) => simOf.get(k)!);
    return { own, context: around.reduce((a, b) => a + b, 0) / around.length };
  });
  const scored = scoreSentences(candidates, sims, all, bySource, o);
  const videoOf = new Map(sources.map((s) => [s.n, s.videoId]));
  const passages = pickPassages(scored, bySource, (n) => videoOf.get(n)!, o.maxPassages, o);
  const relevance = passages.length ? Math.max(...passages.map((p) => p.relevance)) : 0;
  return { passages, relevance, covered: relevance >= RELEVANCE_FLOOR };
}

/** The offline answer from chosen passages: text, one citation per passage at its first cue, and the passages. */
export function extractiveAnswer(selection: Selection, sources: AskSource[]): { text: string; citations: ResolvedCitation[]; passages: AnswerPassage[] } {
  const byN = new Map(sources.map((s) => [s.n, s]));
  const groups = groupByEpisode(selection.passages, (n) => byN.get(n)!.videoId);
  const ordered = groups.flatMap((g) => g.passages);
  const citations: ResolvedCitation[] = [];
  const passages: AnswerPassage[] = [];
  ordered.forEach((p, marker) => {
    const s = byN.get(p.n)!;
    const first = s.cues[p.firstCue];
    const last = s.cues[p.lastCue];
    citations.push({ marker, n: p.n, videoId: s.videoId, title: s.title, startMs: first.startMs, endMs: first.endMs, quote: first.text, url: s.link(first.startMs) });
    passages.push({ marker, n: p.n, videoId: s.videoId, title: s.title, publishedAt: s.publishedAt, thumbnail: s.thumbnail, start: toSeconds(first.startMs), end: toSeconds(last.endMs), text: p.text, url: s.link(first.startMs) });
  });
  const text = composeExtractive(
    groups.map((g) => ({ source: byN.get(g.passages[0].n)!, passages: g.passages })),
    selection.covered,
  );
  return { text, citations, passages };
}

/** The words a follow-up is scored on: its own when it has content words, else the rewritten query. */
function scoringQuestion(question: string, query: string): string {
  return contentStems(question).size > 0 ? question : query;
}

/**
 * Answers a question: sources first (emitted at once), then (offline) each quoted passage, the
 * answer text, the citations resolved to real cues, then `done`. Below the relevance floor the
 * answer says nothing covers the question and quotes the closest moments as possibly related,
 * without asking the model. Falls back to the extractive answer when no model is configured or
 * the model fails; stops quietly when `signal` aborts (client gone).
 */
export async function answerQuestion(deps: AskDeps, req: AskRequest, emit: Emit, signal: AbortSignal): Promise<AskResponse> {
  const query = await standaloneQuery(req.question, req.history, deps.llm, signal);
  // Without a model the answer is quoted from the sources' sentences: draw on a wider pool.
  const offlineOnly = offlineSourceParams(req.k);
  const params = { q: query, k: deps.llm ? req.k : offlineOnly.k, video: req.video, channel: req.channel, from: req.from, to: req.to };
  const sources = await (deps.llm ? gatherSources(deps, params) : gatherSources(deps, params, offlineOnly.tuning));
  let mode: AnswerMode = deps.llm ? 'llm' : 'extractive';
  let notice: string | null = deps.llm ? null : 'No language model is configured: this answer is quoted from the transcripts.';
  if (sources.length === 0) {
    emit({ event: 'sources', data: { sources: [], mode } });
    emit({ event: 'delta', data: { text: NOTHING_FOUND } });
    return finish(emit, { answer: NOTHING_FOUND, citations: [], sources: [], mode, passages: [], covered: false, relevance: null, notice });
  }
  emit({ event: 'sources', data: { sources: sources.map(toApiSource), mode } });
  await flush();
  // Scoring is CPU work that cannot be interrupted: skip it if the client left.
  signal.throwIfAborted();
  const selection = await selectPassages(deps, scoringQuestion(req.question, query), sources);

  const offline = async (prefix: string) => {
    const built = extractiveAnswer(selection, sources);
    for (const passage of built.passages) {
      emit({ event: 'passage', data: { passage, covered: selection.covered } });
      await flush();
    }
    emit({ event: 'delta', data: { text: `${prefix}${built.text}` } });
    return built;
  };

  if (deps.llm && selection.covered) {
    const built = buildMessages(req.question, sources, req.history, deps.contextTokens ?? PROMPT_DEFAULTS.contextTokens);
    let text = '';
    try {
      for await (const chunk of deps.llm.stream(built.messages, signal)) {
        text += chunk;
        emit({ event: 'delta', data: { text: chunk } });
      }
      if (!text.trim()) throw new Error('the model returned an empty answer');
      const resolved = resolveCitations(text, built.included);
      if (resolved.invalid.length) notice = `Removed citations to sources that do not exist: ${resolved.invalid.map((n) => `[${n}]`).join(' ')}.`;
      const citations = resolved.citations.map(toCitation);
      emit({ event: 'citations', data: { citations, invalid: resolved.invalid } });
      // The model saw only the sources that fit its context; those are the ones it may cite.
      return finish(emit, { answer: resolved.text, citations, sources: built.included.map(toApiSource), mode, passages: [], covered: true, relevance: selection.relevance, notice });
    } catch (err) {
      if (signal.aborted) throw err;
      mode = 'extractive';
      notice = `The language model failed (${(err as Error).message}); this answer is quoted from the transcripts instead.`;
      await flush();
      const answer = await offline(`\n\n${notice}\n\n`);
      return offlineDone(emit, answer, sources, mode, selection, notice);
    }
  }
  if (deps.llm) notice = 'Nothing in the library seems to cover this question, so the language model was not asked; the closest moments are quoted.';
  mode = 'extractive';
  const answer = await offline('');
  return offlineDone(emit, answer, sources, mode, selection, notice);
}

function offlineDone(emit: Emit, built: ReturnType<typeof extractiveAnswer>, sources: AskSource[], mode: AnswerMode, selection: Selection, notice: string | null): AskResponse {
  const citations = built.citations.map(toCitation);
  emit({ event: 'citations', data: { citations, invalid: [] } });
  return finish(emit, { answer: built.text, citations, sources: sources.map(toApiSource), mode, passages: built.passages, covered: selection.covered, relevance: selection.relevance, notice });
}

function finish(emit: Emit, response: AskResponse): AskResponse {
  emit({ event: 'done', data: response });
  return response;
}
