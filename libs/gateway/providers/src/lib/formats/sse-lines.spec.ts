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

describe(`${SseDataLines.name}'s work`, () => {
  /** Characters searched by String#indexOf while `run` runs (the splitting's work, without a clock). */
  function searched(run: () => void): number {
    const original = String.prototype.indexOf;
    let chars = 0;
    const spy = jest.spyOn(String.prototype, 'indexOf').mockImplementation(function (
      this: string,
      search: string,
      from = 0,
    ) {
      chars += this.length - from;
      return original.call(this, search, from);
    });
    try {
      run();
    } finally {
      spy.mockRestore();
    }
    return chars;
  }

  it('searches each character once, however many pieces a line comes in (16 MB took minutes)', () => {
    const lines = new SseDataLines();
    let out: string[] = [];
    const chars = searched(() => {
      lines.push('data: ');
      for (let i = 0; i < 1000; i++) lines.push('x'.repeat(1000));
      out = lines.push('\n');
    });
    expect(out.map((data) => data.length)).toEqual([1_000_000]);
    expect(chars).toBeLessThan(2 * 1_000_010);
  });
});

describe(jsonEventOf.name, () => {
  it('reads a JSON object and skips anything else', () => {
    expect(jsonEventOf('{"type":"ping"}')).toEqual({ type: 'ping' });
    for (const data of ['[DONE]', '{"type":', '[1]', 'null', '3']) expect(jsonEventOf(data)).toBeUndefined();
  });
});
