import type { JsonObject } from '../wire-format';
import type { DifyTurn } from './dify-ingress-turn';

const PRICE_UNIT = '0.000001';

/** Decimal string as Dify sends prices (never exponent notation). */
function decimal(value: number): string {
  return value.toFixed(10).replace(/\.?0+$/, '') || '0';
}

/** Canonical usage of a chat completion (JSON or the last chunk), counted as numbers. */
export function canonicalUsageOf(value: unknown): DifyTurn['usage'] {
  if (!value || typeof value !== 'object') return undefined;
  const usage = value as JsonObject;
  const prompt = typeof usage['prompt_tokens'] === 'number' ? usage['prompt_tokens'] : 0;
  const completion = typeof usage['completion_tokens'] === 'number' ? usage['completion_tokens'] : 0;
  const total = typeof usage['total_tokens'] === 'number' ? usage['total_tokens'] : prompt + completion;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
}

/**
 * `metadata.usage` as Dify writes it: integer tokens, prices as decimal strings per token
 * (`*_unit_price` × `*_price_unit`), `currency`, `latency` in seconds.
 */
export function difyUsage(turn: DifyTurn, nowMs: number): JsonObject {
  const usage = turn.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const price = turn.priceOf(turn.servedModel);
  const input = price?.input ?? 0;
  const output = price?.output ?? 0;
  const promptPrice = (usage.prompt_tokens * input) / 1_000_000;
  const completionPrice = (usage.completion_tokens * output) / 1_000_000;
  return {
    prompt_tokens: usage.prompt_tokens,
    prompt_unit_price: decimal(input),
    prompt_price_unit: PRICE_UNIT,
    prompt_price: decimal(promptPrice),
    completion_tokens: usage.completion_tokens,
    completion_unit_price: decimal(output),
    completion_price_unit: PRICE_UNIT,
    completion_price: decimal(completionPrice),
    total_tokens: usage.total_tokens,
    total_price: decimal(promptPrice + completionPrice),
    currency: 'USD',
    latency: Math.max(0, Math.round(nowMs - turn.startedMs) / 1000),
  };
}
