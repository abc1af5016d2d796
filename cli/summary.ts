import type { Config } from '../core/config.ts';
import { coreDeps } from '../core/deps.ts';
import { CoreError, EXIT_CODE } from '../core/errors.ts';
import { EXPORT_FORMATS, summaryToMarkdown, toJson, topicToMarkdown, type ExportFormat } from '../core/export.ts';
import { subtitles } from '../core/library.ts';
import { summarize, topic } from '../core/summaries.ts';
import { Store } from '../indexer/store/store.ts';
import { TopicRequest, VideoId } from '../core/contract/api.ts';
import { fail } from './errors.ts';
import { openForReading } from './open.ts';

/** The options these commands read (a subset of the CLI's parsed values). */
export interface SummaryCliValues {
  json?: boolean;
  format?: string;
  refresh?: boolean;
  channel?: string;
  from?: string;
  to?: string;
}

/** Runs `work` with SIGINT aborting it; core errors (unknown video…) become a message and their exit code. */
async function guarded(command: string, json: boolean | undefined, work: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onInt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onInt);
  try {
    return await work(controller.signal);
  } catch (err) {
    if (!(err instanceof CoreError)) throw err;
    return fail(command, err.message, EXIT_CODE[err.kind], json);
  } finally {
    process.off('SIGINT', onInt);
  }
}

function parseVideoId(command: string, args: string[], json: boolean | undefined): string | undefined {
  const parsed = VideoId.safeParse(args[0]);
  if (args.length !== 1 || !parsed.success) {
    fail(command, 'give one video id (see `episodic list`)', 2, json);
    return undefined;
  }
  return parsed.data;
}

/** `episodic summarize <videoId> [--format md|json] [--refresh]`: the cited episode summary (Markdown by default). */
export async function runSummarize(config: Config, args: string[], values: SummaryCliValues): Promise<number> {
  const id = parseVideoId('summarize', args, values.json);
  if (!id) return 2;
  const format = values.json ? 'json' : (values.format ?? 'md');
  if (format !== 'md' && format !== 'json') {
    return fail('summarize', '--format must be md or json', 2, values.json);
  }
  const opened = await openForReading(config, { command: 'summarize', json: values.json });
  if (!opened) return 1;
  try {
    return await guarded('summarize', values.json, async (signal) => {
      const summary = await summarize(coreDeps(config, opened.store, opened.embedder), id, {
        refresh: values.refresh,
        signal,
        onProgress: (done, total) => {
          if (total > 1 && done < total) process.stderr.write(done < total - 1 ? `Summarising part ${done + 1} of ${total - 1}…\n` : 'Merging the parts…\n');
        },
      });
      process.stdout.write(format === 'json' ? toJson(summary) : summaryToMarkdown(summary));
      return 0;
    });
  } finally {
    await opened.close();
  }
}

/** `episodic topic "<topic>" [--channel] [--from] [--to] [--json]`: what the episodes say about a topic. */
export async function runTopic(config: Config, args: string[], values: SummaryCliValues): Promise<number> {
  const parsed = TopicRequest.safeParse({ topic: args.join(' '), channel: values.channel, from: values.from, to: values.to });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('topic', `${issue.path.join('.') || 'topic'}: ${issue.message}`, 2, values.json);
  }
  const format = values.json ? 'json' : (values.format ?? 'md');
  if (format !== 'md' && format !== 'json') {
    return fail('topic', '--format must be md or json', 2, values.json);
  }
  const opened = await openForReading(config, { searches: true, command: 'topic', json: values.json });
  if (!opened) return 1;
  try {
    return await guarded('topic', values.json, async (signal) => {
      const result = await topic(coreDeps(config, opened.store, opened.embedder), parsed.data, signal);
      process.stdout.write(format === 'json' ? toJson(result) : topicToMarkdown(result));
      return 0;
    });
  } finally {
    await opened.close();
  }
}

/**
 * `episodic export <videoId> --format srt|vtt|md|json`: the cleaned transcript as subtitles
 * (srt, vtt), or the episode summary (md, json; cached when already made).
 */
export async function runExport(config: Config, args: string[], values: SummaryCliValues): Promise<number> {
  const id = parseVideoId('export', args, values.json);
  if (!id) return 2;
  const format = (values.json ? 'json' : values.format) as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format)) {
    return fail('export', `--format must be one of ${EXPORT_FORMATS.join(', ')}`, 2, values.json);
  }
  if (format === 'md' || format === 'json') return runSummarize(config, args, { ...values, format, json: false });
  // Subtitles need no embedder: read the stored cues only.
  const store = Store.open(config.dataDir);
  try {
    return await guarded('export', values.json, async () => {
      process.stdout.write(subtitles(store, id, format, { indexedOnly: true }).text);
      return 0;
    });
  } finally {
    store.close();
  }
}
