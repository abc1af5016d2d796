/**
 * The MCP server: the application core as MCP tools (search, ask, get_transcript,
 * summarize_episode, topic, list_episodes) and each indexed episode as a resource. A thin adapter:
 * tool arguments (zod shapes, so clients see their JSON schema) in, the core's result out as
 * Markdown text for the model plus the same data as structured content; a core error becomes a
 * tool error (`isError`) with its message, never a crash. Transports are the caller's business
 * (stdio in `episodic mcp`, Streamable HTTP at /mcp in `serve`).
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { explainStorageError } from '../indexer/store/data-dir.ts';
import { formatClock } from '../indexer/time.ts';
import { ask } from '../core/ask.ts';
import type { CoreDeps } from '../core/deps.ts';
import { CoreError } from '../core/errors.ts';
import { getEpisode, LIBRARY_DEFAULTS, listEpisodes, transcriptRange } from '../core/library.ts';
import { searchLibrary } from '../core/search.ts';
import { summarize, topic } from '../core/summaries.ts';
import { VideoSummary, type CueOut, type Filters, type Hit } from '../core/contract/api.ts';
import { answerToMarkdown, summaryToMarkdown, topicToMarkdown } from '../core/export.ts';

export interface McpDeps extends CoreDeps {
  version: string;
}

/** Where an episode's transcript is read as a resource. */
export const EPISODE_URI = 'episodic://episodes/{videoId}';
const episodeUri = (id: string) => `episodic://episodes/${encodeURIComponent(id)}`;

const videoId = z.string().describe('An episode id, as listed by list_episodes or returned by search');
/** The contract's filters as tool arguments: loose here, validated (with the contract's messages) by the core. */
const filters = {
  video: videoId.optional().describe('Only this episode'),
  channel: z.string().optional().describe('Only this channel or show (exact name)'),
  from: z.string().optional().describe('Only episodes published on or after this date (YYYY-MM-DD)'),
  to: z.string().optional().describe('Only episodes published on or before this date (YYYY-MM-DD)'),
} satisfies Record<keyof Filters, z.ZodType>;
const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

const clock = (seconds: number) => formatClock(seconds * 1000);
const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function hitsText(query: string, hits: Hit[]): string {
  if (hits.length === 0) return `No moments match "${query}".`;
  return hits
    .map((h, i) => {
      const where = `${h.title}${h.publishedAt ? ` (${h.publishedAt.slice(0, 10)})` : ''} at ${clock(h.start)}–${clock(h.end)}`;
      return `${i + 1}. ${where}${h.url ? ` — ${h.url}` : ''}\n   episode id: ${h.videoId}\n   ${oneLine(h.text, 400)}`;
    })
    .join('\n\n');
}

function episodeLine(v: VideoSummary): string {
  const facts = [v.channel, v.publishedAt?.slice(0, 10), v.duration != null ? clock(v.duration) : null, v.status === 'indexed' ? null : v.status].filter(Boolean);
  return `- ${v.id}: ${v.title}${facts.length ? ` (${facts.join(' · ')})` : ''}`;
}

function cueLines(cues: CueOut[]): string {
  return cues.map((c) => `[${clock(c.start)}] ${c.speaker ? `${c.speaker}: ` : ''}${c.text}`).join('\n');
}

/** A tool result from the core's answer: text for the model, the same data structured. */
const result = (text: string, data: object): CallToolResult => ({ content: [{ type: 'text', text }], structuredContent: data as Record<string, unknown> });

/** Turns a thrown error into a tool error the client can show; internals stay in the server's log (stderr). */
function toolError(err: unknown): CallToolResult {
  let kind = 'internal';
  let message = 'internal error';
  if (err instanceof CoreError) {
    kind = err.kind;
    message = err.message;
  } else {
    const storage = explainStorageError(err, '');
    if (storage) {
      kind = 'unavailable';
      message = storage.message;
    } else {
      console.error('[episodic mcp] unexpected error:', err);
    }
  }
  return { isError: true, content: [{ type: 'text', text: message }], structuredContent: { error: { kind, message } } };
}

async function guarded(work: () => Promise<CallToolResult> | CallToolResult): Promise<CallToolResult> {
  try {
    return await work();
  } catch (err) {
    return toolError(err);
  }
}

/** An MCP server over the core; connect it to a transport. */
export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(
    { name: 'episodic', title: 'Episodic', version: deps.version },
    {
      instructions:
        'Episodic searches the transcripts of the podcast episodes and videos in the user\'s own library. Use `ask` for a cited answer, `search` for moments, `get_transcript` to read around a moment, `summarize_episode` and `topic` for overviews. Cite the returned links: each opens the episode at the moment quoted.',
    },
  );

  server.registerTool(
    'search',
    {
      title: 'Search the transcripts',
      description: 'Hybrid keyword + semantic search over every indexed transcript. Returns moments (episode, time range, text) with links that open the episode at that second. Quoted phrases must match exactly.',
      inputSchema: { query: z.string().describe('What to look for'), k: z.number().int().optional().describe('How many moments (1–100, default 10)'), ...filters },
      annotations: READ_ONLY,
    },
    ({ query, ...rest }) =>
      guarded(async () => {
        const hits = await searchLibrary(deps, { q: query, ...rest });
        return result(hitsText(query, hits), { results: hits });
      }),
  );

  server.registerTool(
    'ask',
    {
      title: 'Ask the library',
      description:
        'Answers a question from the transcripts. Every [n] in the answer is a citation resolved to a real transcript moment, with a deep link (YouTube &t= when available). Without a configured language model the answer is quoted from the transcripts.',
      inputSchema: { question: z.string().describe('The question'), k: z.number().int().optional().describe('How many sources to read (1–20, default 8)'), ...filters },
      annotations: READ_ONLY,
    },
    ({ question, ...rest }, extra) =>
      guarded(async () => {
        const answer = await ask(deps, { question, ...rest }, { signal: extra.signal });
        return result(answerToMarkdown(question, answer), answer);
      }),
  );

  server.registerTool(
    'get_transcript',
    {
      title: 'Read part of a transcript',
      description: `The transcript of one episode between two times (seconds), one timestamped line per cue. Default: ${LIBRARY_DEFAULTS.rangeSeconds / 60} minutes from start; at most ${LIBRARY_DEFAULTS.maxRangeSeconds / 60} minutes per call.`,
      inputSchema: {
        videoId,
        start: z.number().optional().describe('Seconds from the start of the episode (default 0)'),
        end: z.number().optional().describe('Seconds from the start of the episode'),
      },
      annotations: READ_ONLY,
    },
    (args) =>
      guarded(() => {
        const range = transcriptRange(deps.store, args);
        const head = `# ${range.video.title}, ${clock(range.start)}–${clock(range.end)}${range.url ? `\n${range.url}` : ''}`;
        const cut = range.truncated ? `\n\n(cut at ${LIBRARY_DEFAULTS.maxRangeSeconds / 60} minutes: ask again from ${clock(range.end)} for more)` : '';
        return result(`${head}\n\n${cueLines(range.cues) || '(nothing is said in this range)'}${cut}`, range);
      }),
  );

  server.registerTool(
    'summarize_episode',
    {
      title: 'Summarize an episode',
      description: 'TL;DR, key insights, questions & answers and takeaways of one episode, every point cited to its moment. Cached per transcript and model; long episodes take a while the first time with a language model.',
      inputSchema: { videoId, refresh: z.boolean().optional().describe('Regenerate instead of using the cached summary') },
      annotations: { ...READ_ONLY, idempotentHint: true },
    },
    ({ videoId: id, refresh }, extra) =>
      guarded(async () => {
        const summary = await summarize(deps, id, { refresh, signal: extra.signal });
        return result(summaryToMarkdown(summary), summary);
      }),
  );

  server.registerTool(
    'topic',
    {
      title: 'What the episodes say about a topic',
      description: 'Every episode that substantively discusses a topic (passing mentions are only counted), key points per episode with citations, a timeline by publish date and a synthesis.',
      inputSchema: { topic: z.string().describe('The topic'), channel: filters.channel, from: filters.from, to: filters.to },
      annotations: READ_ONLY,
    },
    (args, extra) =>
      guarded(async () => {
        const t = await topic(deps, args, extra.signal);
        return result(topicToMarkdown(t), t);
      }),
  );

  server.registerTool(
    'list_episodes',
    {
      title: 'List the episodes',
      description: 'The episodes and videos in the library: id, title, channel, date, duration (and status when not indexed).',
      inputSchema: { channel: filters.channel, status: VideoSummary.shape.status.optional().describe('Only this status, e.g. indexed or no_captions') },
      annotations: READ_ONLY,
    },
    (args) =>
      guarded(() => {
        const episodes = listEpisodes(deps.store, args);
        return result(episodes.length ? episodes.map(episodeLine).join('\n') : 'The library has no such episodes.', { episodes });
      }),
  );

  server.registerResource(
    'episode',
    new ResourceTemplate(EPISODE_URI, {
      list: () => ({
        resources: listEpisodes(deps.store, { status: 'indexed' }).map((v) => ({
          uri: episodeUri(v.id),
          name: v.title,
          description: [v.channel, v.publishedAt?.slice(0, 10), v.duration != null ? clock(v.duration) : null].filter(Boolean).join(' · ') || undefined,
          mimeType: 'text/markdown',
        })),
      }),
    }),
    { title: 'Episode transcript', description: 'The full timestamped transcript of an indexed episode', mimeType: 'text/markdown' },
    (uri, variables) => {
      const id = decodeURIComponent(String(variables.videoId));
      let detail;
      try {
        detail = getEpisode(deps.store, id);
      } catch (err) {
        // Resource reads have no tool-error form: the protocol's own error, with the core's message.
        if (err instanceof CoreError) throw new McpError(err.kind === 'not_found' ? -32002 : ErrorCode.InvalidParams, err.message);
        throw err;
      }
      const link = detail.url ? `\n${detail.url}` : '';
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: `# ${detail.title}${link}\n\n${cueLines(detail.transcript)}\n` }] };
    },
  );

  return server;
}
