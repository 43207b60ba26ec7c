import { countChatPromptTokens, countInputTokens, countTextTokens, countTokens } from '../usage/token-counter';
import { toUsage, type Usage } from '../usage/usage';
import { ENDPOINT_TRAITS } from './endpoint-traits';
import type { Exchange } from './exchange';

function promptTokens(exchange: Exchange): number {
  const { body, endpoint } = exchange;
  if (endpoint === 'chat.completions') return countChatPromptTokens(body['messages']);
  return countInputTokens(endpoint === 'completions' ? body['prompt'] : body['input']);
}

/** The upstream reported no usage: count with the gateway's tokenizer and say so in the log. */
export function usageFromJson(exchange: Exchange, body: Buffer): Usage | undefined {
  let parsed: { usage?: unknown; choices?: { message?: { content?: unknown }; text?: unknown }[] };
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const reported = toUsage(parsed.usage) ?? (exchange.endpoint === 'rerank' ? rerankUsage(parsed.usage) : undefined);
  if (reported || !ENDPOINT_TRAITS[exchange.endpoint].counted) return reported;
  exchange.log.usageSource = 'tokenizer';
  const prompt = promptTokens(exchange);
  const texts: string[] = [];
  for (const choice of Array.isArray(parsed.choices) ? parsed.choices : []) {
    const text = choice?.message?.content ?? choice?.text;
    if (typeof text === 'string') texts.push(text);
  }
  const completion = countTextTokens(texts);
  return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
}

export function estimateStreamUsage(exchange: Exchange, completionText: string): Usage | undefined {
  if (!ENDPOINT_TRAITS[exchange.endpoint].counted) return undefined;
  exchange.log.usageSource = 'tokenizer';
  const prompt = promptTokens(exchange);
  const completion = countTokens(completionText);
  return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
}

/** Jina's and vLLM's rerank usage: `{"total_tokens": n}`, all of it input. (Cohere bills search units, not tokens.) */
function rerankUsage(usage: unknown): Usage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  return toUsage({ prompt_tokens: (usage as Record<string, unknown>)['total_tokens'] });
}
