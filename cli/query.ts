import type { Config } from '../core/config.ts';
import { CoreError } from '../core/errors.ts';
import { libraryStats, listEpisodes, removeEpisodeLocked } from '../core/library.ts';
import { searchLibrary } from '../core/search.ts';
import { acquireWriteLock } from '../indexer/store/lock.ts';
import { Store } from '../indexer/store/store.ts';
import { formatClock } from '../indexer/time.ts';
import { SearchQuery } from '../core/contract/api.ts';
import { fail } from './errors.ts';
import type { CliValues } from './main.ts';
import { openForReading } from './open.ts';

/** `episodic search "<query>"` — same validation and result shape as GET /api/search. */
export async function runSearch(config: Config, args: string[], values: CliValues): Promise<number> {
  const parsed = SearchQuery.safeParse({ q: args.join(' '), k: values.k, video: values.video, channel: values.channel, from: values.from, to: values.to });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('search', `${issue.path.join('.') || 'query'}: ${issue.message}`, 2, values.json);
  }
  const opened = await openForReading(config, { searches: true, command: 'search', json: values.json });
  if (!opened) return 1;
  const { store, embedder } = opened;
  try {
    const results = await searchLibrary({ store, embedder }, parsed.data);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
      return 0;
    }
    if (results.length === 0) process.stdout.write('No results.\n');
    results.forEach((h, i) => {
      const date = h.publishedAt ? ` · ${h.publishedAt.slice(0, 10)}` : '';
      process.stdout.write(`\n${i + 1}. ${h.title}${date} · ${formatClock(h.start * 1000)}–${formatClock(h.end * 1000)}${h.chapter ? ` · in chapter: ${h.chapter}` : ''}\n`);
      if (h.url) process.stdout.write(`   ${h.url}\n`);
      const text = h.text.replace(/\s+/g, ' ');
      process.stdout.write(`   ${text.length > 300 ? `${text.slice(0, 297)}…` : text}\n`);
    });
    return 0;
  } finally {
    await opened.close();
  }
}

/** `episodic list` */
export async function runList(config: Config, values: CliValues): Promise<number> {
  const store = Store.open(config.dataDir);
  try {
    const videos = listEpisodes(store);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ videos }, null, 2)}\n`);
      return 0;
    }
    if (videos.length === 0) process.stdout.write(`No videos in ${config.dataDir}. Add some: episodic add <files or folders>\n`);
    for (const v of videos) {
      const duration = v.duration != null ? formatClock(v.duration * 1000) : '?';
      const track = v.track ? ` · captions ${v.track.lang} ${v.track.kind}` : '';
      process.stdout.write(`${v.id}\t${v.status}\t${v.publishedAt?.slice(0, 10) ?? '—'}\t${duration}\t${v.segments} seg${track}\t${v.title}\n`);
    }
    const s = libraryStats(store);
    if (!values.json && videos.length) process.stdout.write(`${s.indexed} indexed · ${s.hours.toFixed(1)} h · ${s.segments} segments\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** `episodic remove <videoId>` */
export async function runRemove(config: Config, args: string[], values: { json?: boolean } = {}): Promise<number> {
  if (args.length !== 1) {
    return fail('remove', 'give exactly one video id', 2, values.json);
  }
  const store = Store.open(config.dataDir);
  try {
    removeEpisodeLocked(store, args[0], () => acquireWriteLock(config.dataDir));
    process.stdout.write(`Removed ${args[0]}.\n`);
    return 0;
  } catch (err) {
    if (err instanceof CoreError && err.kind === 'not_found') return fail('remove', `no video "${args[0]}" in ${config.dataDir}`, 1, values.json);
    throw err;
  } finally {
    store.close();
  }
}
