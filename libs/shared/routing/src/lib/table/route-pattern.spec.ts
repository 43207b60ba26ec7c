import { RoutePattern } from './route-pattern';

describe(RoutePattern.name, () => {
  it('matches * as any run of characters, including none', () => {
    const pattern = new RoutePattern('gpt-4o*');
    expect(pattern.matches('gpt-4o')).toBe(true);
    expect(pattern.matches('gpt-4o-mini')).toBe(true);
    expect(pattern.matches('gpt-4')).toBe(false);
    expect(new RoutePattern('*').matches('anything')).toBe(true);
  });

  it('handles wildcards in the middle and at both ends without overlapping literals', () => {
    const pattern = new RoutePattern('a*b*c');
    expect(pattern.matches('abc')).toBe(true);
    expect(pattern.matches('a-b-b-c')).toBe(true);
    expect(pattern.matches('ac')).toBe(false);
    expect(new RoutePattern('ab*ba').matches('aba')).toBe(false);
    expect(new RoutePattern('*claude*').matches('anthropic/claude-3')).toBe(true);
    expect(new RoutePattern('x.*').matches('xy')).toBe(false);
  });

  it('orders by literal prefix length, then fewer wildcards, then more literal text', () => {
    const sources = ['*', 'gpt-*', 'gpt-4*', 'gpt-4*-*', 'gpt-4*mini', '*-mini'];
    const sorted = sources.map((s) => new RoutePattern(s)).sort(RoutePattern.bySpecificity);
    expect(sorted.map((p) => p.source)).toEqual(['gpt-4*mini', 'gpt-4*', 'gpt-4*-*', 'gpt-*', '*-mini', '*']);
  });
});
