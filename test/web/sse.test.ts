import { describe, expect, it } from 'vitest';
import { readSse, SseParser, type SseMessage } from '../../web/src/lib/api/sse.ts';

const parseAll = (chunks: string[]): SseMessage[] => {
  const p = new SseParser();
  return [...chunks.flatMap((c) => p.push(c)), ...p.end()];
};

const stream = `event: sources\ndata: {"sources":[],"mode":"extractive"}\n\n: heartbeat\n\nevent: delta\ndata: {"text":"Hi [1]"}\n\nevent: done\ndata: {"answer":"Hi [1]"}\n\n`;
const expected: SseMessage[] = [
  { event: 'sources', data: '{"sources":[],"mode":"extractive"}' },
  { event: 'delta', data: '{"text":"Hi [1]"}' },
  { event: 'done', data: '{"answer":"Hi [1]"}' },
];

describe('SseParser', () => {
  it('parses named events and skips comments', () => {
    expect(parseAll([stream])).toEqual(expected);
  });

  it('gives the same events however the stream is cut', () => {
    for (let size = 1; size <= 7; size++) {
      const chunks = stream.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? [];
      expect(parseAll(chunks)).toEqual(expected);
    }
  });

  it('accepts CRLF and CR line ends, also with CR and LF in different chunks', () => {
    expect(parseAll(['event: a\r', '\ndata: 1\r\n\r', '\n'])).toEqual([{ event: 'a', data: '1' }]);
    expect(parseAll(['event: a\rdata: 1\r\r'])).toEqual([{ event: 'a', data: '1' }]);
    // "\r" then "\n" in two chunks is one line end, so both data lines belong to one event.
    expect(parseAll(['data: x\r', '\ndata: y\n\n'])).toEqual([{ event: 'message', data: 'x\ny' }]);
  });

  it('joins data lines with newlines, strips one leading space, ignores id and retry', () => {
    expect(parseAll(['id: 7\nretry: 100\ndata:  two spaces\ndata:none\ndata\n\n'])).toEqual([
      { event: 'message', data: ' two spaces\nnone\n' },
    ]);
  });

  it('drops events without data and resets the name after each event', () => {
    expect(parseAll(['event: ping\n\ndata: 1\n\n'])).toEqual([{ event: 'message', data: '1' }]);
  });

  it('delivers a last event whose blank line never came', () => {
    expect(parseAll(['event: done\ndata: {}'])).toEqual([{ event: 'done', data: '{}' }]);
  });
});

describe('readSse', () => {
  it('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"café ☕"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of bytes) c.enqueue(new Uint8Array([b]));
        c.close();
      },
    });
    const out: SseMessage[] = [];
    for await (const m of readSse(body)) out.push(m);
    expect(out).toEqual([{ event: 'delta', data: '{"text":"café ☕"}' }]);
  });
});
