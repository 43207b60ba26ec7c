import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describe(nestsDeeperThan.name, () => {
  it('finds nesting past the bound in arrays and objects, and none at the bound', () => {
    expect(nestsDeeperThan(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`)).toBe(false);
    expect(nestsDeeperThan(`{"a":${nested(MAX_JSON_DEPTH)}}`)).toBe(true);
    expect(nestsDeeperThan('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(nestsDeeperThan(nested(100_000))).toBe(true);
    // Wide is not deep.
    expect(nestsDeeperThan(JSON.stringify(Array.from({ length: 10_000 }, () => [[1]])))).toBe(false);
  });

  it('skips brackets inside strings, escaped quotes and backslashes included', () => {
    const brackets = '['.repeat(MAX_JSON_DEPTH * 2);
    expect(nestsDeeperThan(JSON.stringify({ text: brackets }))).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: `say \\"${brackets}\\" and \\\\`, more: brackets }))).toBe(false);
    expect(nestsDeeperThan(`{"a\\\\":${nested(MAX_JSON_DEPTH + 1)}}`)).toBe(true);
  });

  it('leaves text that is not JSON to the parse', () => {
    expect(nestsDeeperThan(`{"a":"${'x'.repeat(1000)}`)).toBe(false);
  });
});
