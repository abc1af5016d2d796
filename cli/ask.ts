import { ask } from '../core/ask.ts';
import type { Config } from '../core/config.ts';
import { coreDeps } from '../core/deps.ts';
import { formatClock } from '../indexer/time.ts';
import { AskRequest } from '../core/contract/api.ts';
import { fail } from './errors.ts';
import type { CliValues } from './main.ts';
import { openForReading } from './open.ts';

/** `episodic ask "<question>"`: streams the answer, then lists the cited moments. */
export async function runAsk(config: Config, args: string[], values: CliValues): Promise<number> {
  const parsed = AskRequest.safeParse({ question: args.join(' '), k: values.k ? Number(values.k) : undefined, video: values.video, channel: values.channel, from: values.from, to: values.to });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('ask', `${issue.path.join('.') || 'question'}: ${issue.message}`, 2, values.json);
  }
  const opened = await openForReading(config, { searches: true, command: 'ask', json: values.json });
  if (!opened) return 1;
  const { store, embedder } = opened;
  const controller = new AbortController();
  const onInt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onInt);
  try {
    const result = await ask(coreDeps(config, store, embedder), parsed.data, {
      onEvent: (e) => {
        if (!values.json && e.event === 'delta') process.stdout.write(e.data.text);
      },
      signal: controller.signal,
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    process.stdout.write('\n\n');
    if (result.notice) process.stdout.write(`Note: ${result.notice}\n\n`);
    for (const c of result.citations) {
      process.stdout.write(`[${c.n}] ${c.title} @ ${formatClock(c.start * 1000)} — “${c.quote}”${c.url ? `\n    ${c.url}` : ''}\n`);
    }
    return 0;
  } finally {
    process.off('SIGINT', onInt);
    await opened.close();
  }
}
