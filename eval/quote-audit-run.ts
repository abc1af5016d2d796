/**
 * Audits the top three quotes of saved answers (`episodic eval answers … --out FILE`):
 *   node --import tsx eval/quote-audit-run.ts answers-tune.json answers-test.json
 * Prints, per half, how many answers have a top-three quote flagged by each detector, then the
 * flagged quotes themselves so they can be read.
 */
import { readFileSync } from 'node:fs';
import type { AskResponse } from '../core/contract/api.ts';
import type { AnswerJudgement } from './answers.ts';
import { auditTop3, countAudits, flagged, type QuoteAudit } from './quote-audit.ts';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node --import tsx eval/quote-audit-run.ts <answers.json>...\n');
  process.exit(2);
}
const rows: { split: string; answerable: boolean; id: string; q: AskResponse; audit: QuoteAudit[] }[] = [];
for (const file of files) {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { judgements: AnswerJudgement[]; answers: Record<string, AskResponse> };
  for (const j of saved.judgements) {
    const res = saved.answers[j.id];
    if (res) rows.push({ split: j.split, answerable: j.answerable, id: j.id, q: res, audit: auditTop3(res) });
  }
}
const header = ['half', 'answers', 'first 3 min', 'eval intro', 'eval sponsor', 'code boilerplate', 'window phrase', 'any'];
process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
for (const split of ['tune', 'test']) {
  for (const [label, pick] of [['answerable', true], ['unanswerable', false]] as const) {
    const own = rows.filter((r) => r.split === split && r.answerable === pick);
    if (own.length === 0) continue;
    const c = countAudits(own.map((r) => r.audit));
    process.stdout.write(`| ${split} ${label} | ${c.answers} | ${c.early} | ${c.evalIntro} | ${c.evalSponsor} | ${c.codeBoilerplate} | ${c.windowPhrase} | ${c.any} |\n`);
  }
}
process.stdout.write('\nFlagged top-three quotes:\n');
for (const r of rows) {
  r.audit.forEach((a, i) => {
    if (!flagged(a)) return;
    const c = r.q.citations[i];
    const why = [a.early && 'first 3 min', a.evalFlag && `eval ${a.evalFlag}`, a.codeBoilerplate && 'code boilerplate', a.windowPhrases && `${a.windowPhrases} window phrase(s)`].filter(Boolean).join(', ');
    process.stdout.write(`- ${r.split} ${r.id} #${i + 1} ${c.videoId} @${Math.round(c.start)} s (${why}): ${c.quote.slice(0, 160).replace(/\s+/g, ' ')}\n`);
  });
}
