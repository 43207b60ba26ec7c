import type { UsagePoint } from '../query/usage-query.service';

const COLUMNS: readonly (readonly [string, (point: UsagePoint) => string | number | null])[] = [
  ['bucket_start', (p) => p.bucketStart.toISOString()],
  ['group', (p) => p.group],
  ['requests', (p) => p.requests],
  ['errors', (p) => p.errors],
  ['prompt_tokens', (p) => p.promptTokens],
  ['completion_tokens', (p) => p.completionTokens],
  ['cached_tokens', (p) => p.cachedTokens],
  ['total_tokens', (p) => p.totalTokens],
  ['cost_usd', (p) => p.costUsd],
  ['latency_avg_ms', (p) => round(p.latencyAvgMs)],
  ['latency_p50_ms', (p) => round(p.latencyP50Ms)],
  ['latency_p95_ms', (p) => round(p.latencyP95Ms)],
  ['ttft_avg_ms', (p) => round(p.ttftAvgMs)],
  ['tokens_per_second', (p) => round(p.tokensPerSecond)],
];

/** The CSV lines of a usage series, header first, each ending in CRLF (RFC 4180). */
export function* usageCsvLines(points: Iterable<UsagePoint>): Generator<string> {
  yield `${COLUMNS.map(([name]) => name).join(',')}\r\n`;
  for (const point of points) yield `${COLUMNS.map(([, cell]) => csvCell(cell(point))).join(',')}\r\n`;
}

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return: model names come from callers) gets a leading quote; text with a comma, quote
 * or line break is quoted.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}
