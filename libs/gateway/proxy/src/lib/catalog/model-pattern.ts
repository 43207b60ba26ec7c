import { RoutePattern } from '@synapse/routing';

export type ModelMatcher = (model: string) => boolean;

/**
 * Compiles an allow-list such as `["gpt-4o*", "text-embedding-3-small"]` once, for fast checks per
 * request. Globs match by their literal parts (RoutePattern), not by a regular expression: `.*`
 * backtracks, and a glob with a few `*` took seconds over a long model name a caller chose.
 */
export function compileModelPatterns(patterns: readonly string[]): ModelMatcher {
  if (patterns.includes('*')) return () => true;
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  const globs = patterns.filter((p) => p.includes('*')).map((p) => new RoutePattern(p));
  if (globs.length === 0) return (model) => exact.has(model);
  return (model) => exact.has(model) || globs.some((glob) => glob.matches(model));
}
