import { describe, expect, it } from 'vitest';
import { ParseError } from '../../indexer/domain.ts';
import { parseJson3, parseSrv3, parseTimedTextXml } from '../../indexer/parse/timedtext.ts';

describe('parseTimedTextXml', () => {
  const xml = [
    '<?xml version="1.0" encoding="utf-8" ?>',
    '<transcript>',
    '    <text start="0" dur="1.54">Hey, this is just a test</text>',
    '    <text start="1.54" dur="4.16">this is &lt;i>not&lt;/i> the original transcript</text>',
    '    <text start="5" dur="0.5"></text>',
    '    <text start="5.7" dur="3.239">it&amp;#39;s &amp;quot;double&amp;quot;',
    'escaped</text>',
    '    <text start="later" dur="1">broken</text>',
    '</transcript>',
  ].join('\n');

  it('reads start/dur seconds, strips escaped tags and decodes double-escaped entities', () => {
    const { cues, warnings } = parseTimedTextXml(xml, 'a.xml');
    expect(cues).toEqual([
      { startMs: 0, endMs: 1540, text: 'Hey, this is just a test' },
      { startMs: 1540, endMs: 5700, text: 'this is not the original transcript' },
      { startMs: 5700, endMs: 8939, text: 'it\'s "double" escaped' },
    ]);
    expect(warnings).toEqual([{ line: 8, message: '<text> without a valid time; skipped' }]);
  });

  it('throws ParseError for a document that is not a transcript', () => {
    expect(() => parseTimedTextXml('<html><body>nope</body></html>', 'b.xml')).toThrow(ParseError);
    expect(() => parseTimedTextXml('<transcript></transcript>', 'c.xml')).toThrow('c.xml: no timedtext cues found');
  });
});

describe('parseSrv3', () => {
  it('joins <s> word spans, skips append paragraphs and ends ASR lines where the next begins', () => {
    const srv3 = [
      '<?xml version="1.0" encoding="utf-8" ?><timedtext format="3">',
      '<head><ws id="0"/><wp id="0"/></head>',
      '<body>',
      '<w t="0" id="1" wp="1" ws="1"/>',
      '<p t="0" d="5430" w="1"><s ac="0">hello</s><s t="320" ac="0"> everyone</s><s t="640" ac="0"> welcome</s></p>',
      '<p t="2790" d="2640" w="1" a="1">',
      '</p>',
      '<p t="2800" d="4000" w="1"><s ac="0">to</s><s t="240" ac="0"> the</s><s t="560" ac="0"> show</s></p>',
      '<p t="9000" d="1500">Manual caption with &amp;amp; entity</p>',
      '</body></timedtext>',
    ].join('\n');
    const { cues, warnings } = parseSrv3(srv3, 'a.srv3');
    expect(cues).toEqual([
      { startMs: 0, endMs: 2800, text: 'hello everyone welcome' },
      { startMs: 2800, endMs: 6800, text: 'to the show' },
      { startMs: 9000, endMs: 10_500, text: 'Manual caption with & entity' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('warns about a paragraph without a time', () => {
    const srv3 = '<timedtext format="3"><body>\n<p t="0" d="1000">ok</p>\n<p d="5">no start</p>\n</body></timedtext>';
    const { cues, warnings } = parseSrv3(srv3, 'b.srv3');
    expect(cues.map((c) => c.text)).toEqual(['ok']);
    expect(warnings.map((w) => w.line)).toEqual([3]);
  });
});

describe('parseJson3', () => {
  it('reads events, skips window definitions and newline-only append events', () => {
    const json3 = JSON.stringify({
      wireMagic: 'pb3',
      events: [
        { tStartMs: 0, dDurationMs: 8000, id: 1, wpWinPosId: 1, wsWinStyleId: 1 },
        {
          tStartMs: 0,
          dDurationMs: 5430,
          wWinId: 1,
          segs: [{ utf8: 'hello', acAsrConf: 0 }, { utf8: ' everyone', tOffsetMs: 320 }, { utf8: ' welcome', tOffsetMs: 640 }],
        },
        { tStartMs: 2790, dDurationMs: 2640, wWinId: 1, aAppend: 1, segs: [{ utf8: '\n' }] },
        { tStartMs: 2800, dDurationMs: 5200, wWinId: 1, segs: [{ utf8: 'to' }, { utf8: ' the', tOffsetMs: 240 }, { utf8: ' show', tOffsetMs: 560 }] },
        { tStartMs: 9000, dDurationMs: 1000, segs: [{ utf8: 'line one\nline two' }] },
        { tStartMs: 'soon', segs: [{ utf8: 'bad time' }] },
      ],
    });
    const { cues, warnings } = parseJson3(json3, 'a.json3');
    expect(cues).toEqual([
      { startMs: 0, endMs: 2800, text: 'hello everyone welcome' },
      { startMs: 2800, endMs: 8000, text: 'to the show' },
      { startMs: 9000, endMs: 10_000, text: 'line one line two' },
    ]);
    expect(warnings).toEqual([{ line: 0, message: 'event #5 without a valid tStartMs/dDurationMs; skipped' }]);
  });

  it('throws ParseError with the line of a JSON syntax error', () => {
    try {
      parseJson3('{\n  "events": [\n    {"tStartMs": 0,,}\n  ]\n}', 'bad.json3');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).line).toBe(3);
    }
    expect(() => parseJson3('{"foo": []}', 'x.json')).toThrow('x.json: no "events" array: not json3');
  });
});
