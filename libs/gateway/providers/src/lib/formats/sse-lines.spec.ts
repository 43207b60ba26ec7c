import { jsonEventOf, SseDataLines } from './sse-lines';

describe(SseDataLines.name, () => {
  it('joins data lines split across pieces, CRLF included', () => {
    const lines = new SseDataLines();
    expect(lines.push('data: {"a"')).toEqual([]);
    expect(lines.push(':1}\r\n\r\ndata: [DO')).toEqual(['{"a":1}']);
    expect(lines.push('NE]\n\n: comment\nevent: x\n')).toEqual(['[DONE]']);
  });

  it('hands over a last line without its newline at the end', () => {
    const lines = new SseDataLines();
    lines.push('data:{"b":2}');
    expect(lines.end()).toEqual(['{"b":2}']);
    expect(lines.end()).toEqual([]);
  });
});

describe(jsonEventOf.name, () => {
  it('reads a JSON object and skips anything else', () => {
    expect(jsonEventOf('{"type":"ping"}')).toEqual({ type: 'ping' });
    for (const data of ['[DONE]', '{"type":', '[1]', 'null', '3']) expect(jsonEventOf(data)).toBeUndefined();
  });
});
