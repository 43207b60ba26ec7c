import { compileModelPatterns } from './model-pattern';

describe('compileModelPatterns', () => {
  it('allows everything with *', () => {
    expect(compileModelPatterns(['*'])('anything/at-all')).toBe(true);
  });
  it('matches exact names and globs, and nothing else', () => {
    const allows = compileModelPatterns(['gpt-4o*', 'text-embedding-3-small', 'meta/llama.3']);
    expect(allows('gpt-4o-mini')).toBe(true);
    expect(allows('gpt-4o')).toBe(true);
    expect(allows('text-embedding-3-small')).toBe(true);
    expect(allows('meta/llama.3')).toBe(true);
    expect(allows('meta/llamaX3')).toBe(false);
    expect(allows('gpt-4')).toBe(false);
    expect(allows('xgpt-4o')).toBe(false);
  });
  it('matches globs with several * over a long name a caller chose without backtracking (a regex took minutes)', () => {
    const allows = compileModelPatterns(['x-*-*-*-y', 'a*b*c*d']);
    const long = 'x-' + '-'.repeat(200_000);
    expect(allows(long)).toBe(false);
    expect(allows(long + 'y')).toBe(true);
    expect(allows('a' + 'b'.repeat(200_000))).toBe(false);
    expect(allows('a+b.c(d')).toBe(true);
    expect(allows('abcx')).toBe(false);
  });
  it('allows nothing with an empty list', () => {
    expect(compileModelPatterns([])('gpt-4o')).toBe(false);
  });
});
