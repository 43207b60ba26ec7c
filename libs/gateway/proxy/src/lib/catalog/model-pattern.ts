export type ModelMatcher = (model: string) => boolean;

/** Compiles an allow-list such as `["gpt-4o*", "text-embedding-3-small"]` once, for fast checks per request. */
export function compileModelPatterns(patterns: readonly string[]): ModelMatcher {
  if (patterns.includes('*')) return () => true;
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  const globs = patterns
    .filter((p) => p.includes('*'))
    .map((p) => new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`));
  if (globs.length === 0) return (model) => exact.has(model);
  return (model) => exact.has(model) || globs.some((re) => re.test(model));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
