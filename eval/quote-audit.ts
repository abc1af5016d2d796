/**
 * A second look at issue 13's check "no quote from a host introduction or sponsor read among the
 * top three": the answer eval's own flag (`quoteFlag`, patterns written apart from the answer's
 * filters) next to the detectors the code itself uses (`core/transcript/boilerplate.ts` for
 * answers and summaries, the window phrases of `core/retrieval/localize.ts`) and the plain
 * "starts in the first three minutes" test. Pure: saved answers in, counts out.
 */
import type { AskResponse } from '../core/contract/api.ts';
import { boilerplateScore } from '../core/retrieval/localize.ts';
import { isBoilerplate, isHostTurn } from '../core/transcript/boilerplate.ts';
import { INTRO_S, markerSentences, quoteFlag, type QuoteFlag } from './answers.ts';

/** What each detector says about one quote. */
export interface QuoteAudit {
  startS: number;
  /** Starts inside the episode's first `INTRO_S` seconds. */
  early: boolean;
  /** The answer eval's flag (time or its own wording patterns). */
  evalFlag: QuoteFlag | null;
  /** The code's sentence detector: a sponsor read, a pleasantry or the host moving on. */
  codeBoilerplate: boolean;
  /** How many of the retrieval's boilerplate-window phrases the quote holds (a window needs 2). */
  windowPhrases: number;
}

/** Audits one quote: its start (seconds) and its text. */
export function auditQuote(startS: number, text: string): QuoteAudit {
  return {
    startS,
    early: startS < INTRO_S,
    evalFlag: quoteFlag(startS, text) ?? null,
    codeBoilerplate: isBoilerplate(text) || isHostTurn(text),
    windowPhrases: boilerplateScore(text),
  };
}

/** Audits an answer's first three citations (their quote and the answer sentence carrying the marker). */
export function auditTop3(res: Pick<AskResponse, 'answer' | 'citations'>): QuoteAudit[] {
  const texts = markerSentences(res.answer);
  return res.citations.slice(0, 3).map((c, i) => auditQuote(c.start, `${texts[i] ?? ''} ${c.quote}`.trim()));
}

/** True when any detector flags the quote. */
export const flagged = (a: QuoteAudit) => a.early || a.evalFlag !== null || a.codeBoilerplate || a.windowPhrases >= 1;

/** Answers (not quotes) with at least one top-three quote flagged, per detector. */
export interface AuditCounts {
  answers: number;
  early: number;
  evalIntro: number;
  evalSponsor: number;
  codeBoilerplate: number;
  windowPhrase: number;
  any: number;
}

export function countAudits(perAnswer: QuoteAudit[][]): AuditCounts {
  const count = (f: (a: QuoteAudit) => boolean) => perAnswer.filter((top) => top.some(f)).length;
  return {
    answers: perAnswer.length,
    early: count((a) => a.early),
    evalIntro: count((a) => a.evalFlag === 'intro'),
    evalSponsor: count((a) => a.evalFlag === 'sponsor'),
    codeBoilerplate: count((a) => a.codeBoilerplate),
    windowPhrase: count((a) => a.windowPhrases >= 1),
    any: count(flagged),
  };
}
