import { parseArgs } from 'node:util';
import { explainStorageError } from '../indexer/store/data-dir.ts';
import { IndexLockedError } from '../indexer/store/lock.ts';
import { EmbedderMismatchError } from '../indexer/store/store.ts';
import { loadConfig, type Config } from '../server/config.ts';
import { VERSION } from '../server/main.ts';
import { runAdd, runReindex } from './add.ts';
import { runAsk } from './ask.ts';
import { runList, runRemove, runSearch } from './query.ts';
import { runEval } from './eval.ts';
import { runServe } from './serve.ts';
import { runExport, runSummarize, runTopic } from './summary.ts';
import { runDoctor } from './doctor.ts';
import { runRepair } from './repair.ts';
import { isYouTubeArg, runAddYouTube, runRefresh, runResume } from './youtube.ts';

const HELP = `episodic ${VERSION} — search and cite podcast and YouTube transcripts, locally

Usage: episodic <command> [options]

Commands:
  add <files|folders...>   index transcript files (.vtt .srt .xml .json .txt .md)
  add <YouTube URL|id...>  index videos, playlists or channels (watch/youtu.be/shorts/live URLs,
                           ids, list= URLs, /@handle, /channel/UC…; channels are followed)
      --lang en,de         caption language priority (manual captions preferred over automatic)
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
  refresh [--channel X]    re-list followed playlists/channels and add new videos
  resume                   continue paused or interrupted YouTube jobs
  doctor                   check the index and the connection to YouTube
  repair                   fix a damaged index: copy what is readable into a fresh file (the damaged
                           one is kept aside), rebuild the keyword and vector indexes, re-embed lost vectors
  reindex                  rebuild every vector (e.g. after changing --embedder)
  serve                    start the HTTP API and web UI (--port 3000 --host 127.0.0.1)
  eval qmsum <dir>         retrieval benchmark on QMSum meetings (--limit N, --index DIR to keep/reuse)
  eval questions <file>    retrieval benchmark on a listener-question set (--data-root DIR, --index DIR,
                           --split tune|test|all (default tune), --systems NAME,...)

Global options:
  --data DIR               index folder (default ./data, env EPISODIC_DATA)
  --embedder NAME          auto | use-lite | transformers (env EPISODIC_EMBEDDER)
  --model ID               Transformers.js model (env EPISODIC_MODEL)
  --json                   machine-readable output
  -h, --help               this help
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
  systems: { type: 'string' },
} as const;

export type CliValues = ReturnType<typeof parseCli>['values'];

function parseCli(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

/** Runs the CLI and returns the process exit code. The only place that reads argv and env. */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (err) {
    process.stderr.write(`episodic: ${(err as Error).message}\nRun \`episodic --help\` for usage.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (values.help || !command) {
    process.stdout.write(HELP);
    return command || values.help ? 0 : 2;
  }
  const embedder = values.embedder as Config['embedder'] | undefined;
  if (embedder && !['auto', 'use-lite', 'transformers'].includes(embedder)) {
    process.stderr.write(`episodic: --embedder must be auto, use-lite or transformers\n`);
    return 2;
  }
  const config = loadConfig(env, {
    dataDir: values.data,
    embedder,
    model: values.model,
    port: values.port !== undefined ? Number(values.port) : undefined,
    host: values.host,
  });
  try {
    return await dispatch(command, args, values, config, env);
  } catch (err) {
    // Problems the user can act on get their message alone; anything else keeps its stack.
    const known = explainStorageError(err, config.dataDir) ?? (err instanceof IndexLockedError || err instanceof EmbedderMismatchError ? err : undefined);
    if (!known) throw err;
    process.stderr.write(`episodic ${command}: ${known.message}\n`);
    return 1;
  }
}

async function dispatch(command: string, args: string[], values: CliValues, config: Config, env: Record<string, string | undefined>): Promise<number> {
  switch (command) {
    case 'add': {
      const youtube = args.filter(isYouTubeArg);
      if (youtube.length === 0) return runAdd(config, args, values);
      const files = args.filter((a) => !isYouTubeArg(a));
      const code = files.length ? await runAdd(config, files, values) : 0;
      return code === 130 ? code : Math.max(code, await runAddYouTube(config, youtube, values));
    }
    case 'refresh':
      return runRefresh(config, values);
    case 'resume':
      return runResume(config, values);
    case 'doctor':
      return runDoctor(config, values, env);
    case 'search':
      return runSearch(config, args, values);
    case 'ask':
      return runAsk(config, args, values);
    case 'summarize':
      return runSummarize(config, args, values);
    case 'topic':
      return runTopic(config, args, values);
    case 'export':
      return runExport(config, args, values);
    case 'list':
      return runList(config, values);
    case 'remove':
      return runRemove(config, args);
    case 'repair':
      return runRepair(config, values);
    case 'reindex':
      return runReindex(config, values);
    case 'serve':
      return runServe(config);
    case 'eval':
      return runEval(config, args, values);
    default:
      process.stderr.write(`episodic: unknown command "${command}"\nRun \`episodic --help\` for usage.\n`);
      return 2;
  }
}
