import { LineSplitter } from './line-splitter';

describe(LineSplitter.name, () => {
  it('hands over whole lines whatever the pieces, and the last one at the end', () => {
    const lines = new LineSplitter();
    expect(lines.push('a')).toEqual([]);
    expect(lines.push('b\ncd')).toEqual(['ab']);
    expect(lines.push('\n\nef\ng')).toEqual(['cd', '', 'ef']);
    expect(lines.end()).toEqual(['g']);
    expect(lines.end()).toEqual([]);
  });

  it('drops a line longer than its bound whole, holding no more than the bound, and goes on after it', () => {
    const lines = new LineSplitter(10);
    expect(lines.push('ok\n0123456')).toEqual(['ok']);
    expect(lines.push('789abcdef')).toEqual([]);
    expect(lines.push('more of it')).toEqual([]);
    expect(lines.push('end\nnext\nlast')).toEqual(['next']);
    expect(lines.end()).toEqual(['last']);
    // An overlong last line is not handed over at the end either.
    lines.push('x'.repeat(11));
    expect(lines.end()).toEqual([]);
  });
});
