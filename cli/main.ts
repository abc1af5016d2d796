import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { VERSION } from '../core/version.ts';
import { loadConfig, type Config } from '../core/config.ts';
import { environmentError, EXIT, fail, usageError } from './errors.ts';
import { isFeedArg, isYouTubeArg } from './source-kind.ts';

const HELP = `episodic ${VERSION} — search and cite podcast and YouTube transcripts, locally

Usage: episodic <command> [options]

Commands:
  add <files|folders...>   index transcript files (.vtt .srt .xml .json .txt .md)
  add <YouTube URL|id...>  index videos, playlists or channels (watch/youtu.be/shorts/live URLs,
                           ids, list= URLs, /@handle, /channel/UC…; channels are followed)
  add <feed URL...>        index a podcast's RSS/Atom feed from its Podcasting 2.0 transcripts
                           (episodes without one are listed as no_transcript; feeds are followed)
      --lang en,de         caption/transcript language priority (manual captions preferred over automatic)
      --concurrency N      videos fetched at once (default 4)
      --cookies FILE       Netscape cookies.txt for when YouTube asks to confirm you are not a bot
      --manifest FILE      CSV or JSON with metadata per file
      --manifest-key COL   manifest column that names the file (file name, stem, or episode number)
      --columns MAP        field=column pairs, e.g. id=video_id,title=title,publishedAt=publish_date
      --channel NAME       channel/show name for these files
      --workers N          embedding worker threads (default: one per core)
  search "<query>"         hybrid keyword + semantic search
      --k N --video ID --channel NAME --from YYYY-MM-DD --to YYYY-MM-DD
  ask "<question>"         answer with citations (a model via OPENAI_BASE_URL/OPENAI_API_KEY,
                           otherwise quoted from the transcripts); same filters as search
  summarize <videoId>      TL;DR, key insights, Q&A, takeaways — every point cited (--format md|json, --refresh)
  topic "<topic>"          what the episodes say about a topic, per episode and over time
                           (--channel --from --to, --format md|json or --json)
  export <videoId>         --format srt|vtt (cleaned transcript) or md|json (the summary)
  list                     list indexed videos
  remove <videoId>         remove a video from the index
  refresh [--channel X]    re-list followed playlists/channels/feeds and add new videos and episodes
  resume                   continue paused or interrupted YouTube and feed jobs
  doctor                   check the index and the connection to YouTube
  repair                   fix a damaged index: copy what is readable into a fresh file (the damaged
                           one is kept aside), rebuild the keyword and vector indexes, re-embed lost vectors
  reindex                  rebuild every vector (e.g. after changing --embedder)
  serve                    start the HTTP API and web UI (--port 3000 --host 127.0.0.1); MCP at /mcp
  mcp                      MCP server over stdio for Claude Desktop, Cursor… (tools: search, ask,
                           get_transcript, summarize_episode, topic, list_episodes)
  eval qmsum <dir>         retrieval benchmark on QMSum meetings (--limit N, --index DIR to keep/reuse)
  eval questions <file>    retrieval benchmark on a listener-question set (--data-root DIR, --index DIR,
                           --split tune|test|all (default tune), --systems NAME,...)
  eval answers <files...>  answer quality on question sets against a built index (--index DIR,
                           --split tune|test, --out FILE for every answer); a model when configured
  eval topics <file>       topic episode precision/recall against hand-built gold lists (--index DIR)

Global options:
  --data DIR               index folder (default ./data, env EPISODIC_DATA)
  --embedder NAME          auto | use-lite | transformers (env EPISODIC_EMBEDDER)
  --model ID               Transformers.js model (env EPISODIC_MODEL)
  --json                   machine-readable output
  -h, --help               this help; \`episodic <command> --help\` for one command

Exit codes: 0 ok, 1 some items failed, 2 usage, 3 environment (configuration, data folder, port, model).
`;

const OPTIONS = {
  data: { type: 'string' },
  embedder: { type: 'string' },
  model: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
  manifest: { type: 'string' },
  'manifest-key': { type: 'string' },
  columns: { type: 'string' },
  channel: { type: 'string' },
  workers: { type: 'string' },
  k: { type: 'string' },
  video: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  lang: { type: 'string' },
  concurrency: { type: 'string' },
  cookies: { type: 'string' },
  format: { type: 'string' },
  refresh: { type: 'boolean', default: false },
  'data-root': { type: 'string' },
  index: { type: 'string' },
  limit: { type: 'string' },
  split: { type: 'string' },
  out: { type: 'string' },
  systems: { type: 'string' },
} as const;

export type CliValues = ReturnType<typeof parseCli>['values'];

function parseCli(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

/** Usage of each command, for `episodic <command> --help`. */
const COMMAND_HELP: Record<string, string> = {
  add: `Usage: episodic add <files|folders|YouTube URLs...> [options]

Indexes transcript files (.vtt .srt .xml .srv3 .json .json3 .txt .md; folders recursively) or
YouTube videos, playlists and channels. Re-adding an unchanged file is a no-op.
  --manifest FILE      CSV or JSON with metadata per file
  --manifest-key COL   manifest column that names the file (file name, stem, or episode number)
  --columns MAP        field=column pairs, e.g. id=video_id,title=title,publishedAt=publish_date
  --channel NAME       channel/show name for these files
  --workers N          embedding worker threads (default: one per core)
  --lang en,de         YouTube caption language priority
  --concurrency N      YouTube videos fetched at once (default 4)
  --cookies FILE       Netscape cookies.txt for YouTube's bot check
`,
  search: `Usage: episodic search "<query>" [--k N] [--video ID] [--channel NAME] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]

Hybrid keyword + semantic search; quoted phrases must match exactly.
`,
  ask: `Usage: episodic ask "<question>" [--k N] [--video ID] [--channel NAME] [--from DATE] [--to DATE] [--json]

Answers with citations: a model via OPENAI_BASE_URL/OPENAI_API_KEY, otherwise quoted from the transcripts.
`,
  summarize: `Usage: episodic summarize <videoId> [--format md|json] [--refresh]

TL;DR, key insights, Q&A and takeaways, every point cited.
`,
  topic: `Usage: episodic topic "<topic>" [--channel NAME] [--from DATE] [--to DATE] [--format md|json]

What the episodes say about a topic, per episode and over time.
`,
  export: `Usage: episodic export <videoId> --format srt|vtt|md|json

The cleaned transcript (srt, vtt) or the summary (md, json).
`,
  list: `Usage: episodic list [--json]

Every video with its status, date, duration and segment count.
`,
  remove: `Usage: episodic remove <videoId>

Removes a video and all its data.
`,
  refresh: `Usage: episodic refresh [--channel NAME]

Re-lists followed playlists and channels and adds only new videos.
`,
  resume: `Usage: episodic resume

Continues paused or interrupted YouTube jobs.
`,
  doctor: `Usage: episodic doctor [--json]

Checks the index (SQLite integrity, vectors, pinned embedder) and the connection to YouTube.
Exit 0 when the index is healthy (YouTube problems are warnings), 1 when it is not.
`,
  repair: `Usage: episodic repair [--json] [--workers N]

Fixes a damaged index: salvages what is readable (the damaged file is kept aside), rebuilds the
keyword and vector indexes, re-embeds lost vectors, and lists every episode it could not keep,
with its source, to add again. Exit 0 when nothing was lost and every check passes, 1 otherwise.
`,
  reindex: `Usage: episodic reindex [--embedder NAME] [--json]

Re-embeds every segment with the configured embedder and rebuilds the vector index.
`,
  serve: `Usage: episodic serve [--port 3000] [--host 127.0.0.1]

Starts the HTTP API and web UI.
`,
  eval: `Usage: episodic eval qmsum <dir> [--limit N] [--index DIR]
       episodic eval questions <file> [--data-root DIR] [--index DIR]

Retrieval benchmarks.
`,
};

const GLOBAL_HELP = `
Global options: --data DIR, --embedder auto|use-lite|transformers, --model ID, --json
Exit codes: 0 ok, 1 some items failed, 2 usage, 3 environment (configuration, data folder, port, model).
`;

/** Commands that only read an index: a --data folder that does not exist is a mistake, not a new index. */
const READING = new Set(['search', 'ask', 'summarize', 'topic', 'export', 'list', 'remove', 'repair', 'reindex', 'resume', 'refresh']);

/** A whole number option within bounds, or a usage error naming it. */
function wholeNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw usageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

/** Runs the CLI and returns the process exit code. The only place that reads argv and env. */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (err) {
    const json = argv.includes('--json');
    return fail('', `${(err as Error).message.split('\n')[0]} (run \`episodic --help\` for usage)`, EXIT.usage, json);
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (values.help && command && COMMAND_HELP[command]) {
    process.stdout.write(COMMAND_HELP[command] + GLOBAL_HELP);
    return 0;
  }
  if (values.help || !command) {
    process.stdout.write(HELP);
    return command || values.help ? 0 : 2;
  }
  let config: Config | undefined;
  try {
    const embedder = values.embedder as Config['embedder'] | undefined;
    if (embedder && !['auto', 'use-lite', 'transformers'].includes(embedder)) throw usageError('--embedder must be auto, use-lite or transformers');
    wholeNumber('workers', values.workers, 0, 256);
    config = loadConfig(env, {
      dataDir: values.data,
      embedder,
      model: values.model,
      port: wholeNumber('port', values.port, 0, 65535),
      host: values.host,
    });
    if (READING.has(command) && !existsSync(config.dataDir)) {
      throw environmentError(`there is no index at ${config.dataDir} (the folder does not exist); pass --data with your index folder, or add transcripts first with \`episodic add\``);
    }
    return await dispatch(command, args, values, config, env);
  } catch (err) {
    // Problems the user can act on get one sentence; anything else is a bug, shown as one too.
    // (Loaded here, not at start: it pulls in SQLite and HNSW, which --help never needs.)
    const { explainError } = await import('./explain.ts');
    const known = explainError(err, config?.dataDir);
    if (known) return fail(command, known.message, known.exitCode, values.json);
    const message = `unexpected error: ${(err as Error)?.message ?? String(err)}${env.EPISODIC_DEBUG ? '' : ' (set EPISODIC_DEBUG=1 for the stack trace)'}`;
    fail(command, message, EXIT.someFailed, values.json);
    if (env.EPISODIC_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return EXIT.someFailed;
  }
}

async function dispatch(command: string, args: string[], values: CliValues, config: Config, env: Record<string, string | undefined>): Promise<number> {
  switch (command) {
    case 'add': {
      const isRemote = (a: string) => isYouTubeArg(a) || isFeedArg(a);
      const youtube = args.filter(isRemote);
      const { runAdd } = await import('./add.ts');
      if (youtube.length === 0) return runAdd(config, args, values);
      const files = args.filter((a) => !isRemote(a));
      const code = files.length ? await runAdd(config, files, values) : 0;
      if (code === 130) return code;
      const { runAddYouTube } = await import('./youtube.ts');
      return Math.max(code, await runAddYouTube(config, youtube, values));
    }
    case 'refresh':
      return (await import('./youtube.ts')).runRefresh(config, values);
    case 'resume':
      return (await import('./youtube.ts')).runResume(config, values);
    case 'doctor':
      return (await import('./doctor.ts')).runDoctor(config, values, env);
    case 'search':
      return (await import('./query.ts')).runSearch(config, args, values);
    case 'ask':
      return (await import('./ask.ts')).runAsk(config, args, values);
    case 'summarize':
      return (await import('./summary.ts')).runSummarize(config, args, values);
    case 'topic':
      return (await import('./summary.ts')).runTopic(config, args, values);
    case 'export':
      return (await import('./summary.ts')).runExport(config, args, values);
    case 'list':
      return (await import('./query.ts')).runList(config, values);
    case 'remove':
      return (await import('./query.ts')).runRemove(config, args, values);
    case 'repair':
      return (await import('./repair.ts')).runRepair(config, values);
    case 'reindex':
      return (await import('./add.ts')).runReindex(config, values);
    case 'serve':
      return (await import('./serve.ts')).runServe(config);
    case 'mcp':
      return (await import('./mcp.ts')).runMcp(config);
    case 'eval':
      if (args[0] === 'answers') return (await import('./eval-answers.ts')).runEvalAnswers({ ...config, dataDir: values.index ?? config.dataDir }, args.slice(1), values);
      if (args[0] === 'topics') return (await import('./eval-topics.ts')).runEvalTopics({ ...config, dataDir: values.index ?? config.dataDir }, args.slice(1), values);
      return (await import('./eval.ts')).runEval(config, args, values);
    default:
      throw usageError(`unknown command "${command}" (run \`episodic --help\` for the list)`);
  }
}
