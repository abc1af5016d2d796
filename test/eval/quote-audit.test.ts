import { describe, expect, it } from 'vitest';
import type { Citation } from '../../core/contract/api.ts';
import { auditQuote, auditTop3, countAudits, flagged } from '../../eval/quote-audit.ts';

const cite = (marker: number, start: number, quote: string): Citation => ({ marker, n: marker + 1, videoId: 'v', title: 'T', start, end: start + 5, quote, url: null });

describe('quote audit', () => {
  it('tells each detector apart on one quote', () => {
    expect(auditQuote(30, 'Rockets are hard.')).toEqual({ startS: 30, early: true, evalFlag: 'intro', codeBoilerplate: false, windowPhrases: 0 });
    expect(auditQuote(900, 'This show is brought to you by Cash App.')).toEqual({ startS: 900, early: false, evalFlag: 'sponsor', codeBoilerplate: true, windowPhrases: 2 });
    // The host moving on is caught by the code's detector only.
    expect(auditQuote(900, 'Okay, let me ask you about Mars.')).toMatchObject({ early: false, evalFlag: null, codeBoilerplate: true, windowPhrases: 0 });
    const clean = auditQuote(900, 'Reusability is the holy grail of rocketry.');
    expect(flagged(clean)).toBe(false);
  });

  it('audits only the first three citations, with the sentence carrying each marker', () => {
    const answer = '“Mars needs a million people.” [1]\n“Thanks for having me.” [2]\n“Cost per ton matters.” [3]\n“Brought to you by Cash App.” [4]';
    const res = { answer, citations: [cite(0, 1200, 'Mars'), cite(1, 1300, 'x'), cite(2, 1400, 'cost'), cite(3, 1500, 'ad')] };
    const audit = auditTop3(res);
    expect(audit.map((a) => a.startS)).toEqual([1200, 1300, 1400]);
    expect(audit.map(flagged)).toEqual([false, true, false]);
  });

  it('counts answers, not quotes, per detector', () => {
    const a = [auditQuote(10, 'Hello.'), auditQuote(20, 'Again.')];
    const b = [auditQuote(900, 'Reusability matters.')];
    const c = [auditQuote(900, 'Use code LEX at Cash App.')];
    expect(countAudits([a, b, c])).toEqual({ answers: 3, early: 1, evalIntro: 1, evalSponsor: 1, codeBoilerplate: 1, windowPhrase: 1, any: 2 });
  });
});
