import { ToCanonicalStream } from '../to-canonical-stream';
import type { JsonObject } from '../wire-format';

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Gemini finishReason → OpenAI finish_reason; a turn that called functions ends in tool_calls. */
export function geminiFinishReasonOf(reason: unknown, calledTools: boolean): string {
  if (calledTools) return 'tool_calls';
  switch (reason) {
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/**
 * usageMetadata → OpenAI usage: thinking tokens are billed as output, cached content is part of the
 * prompt (promptTokenCount includes it), and the prompts of Gemini's own tools (toolUsePromptTokenCount,
 * counted apart) are input too.
 */
export function geminiUsageOf(metadata: unknown): JsonObject {
  const m = (metadata && typeof metadata === 'object' ? metadata : {}) as JsonObject;
  const prompt = num(m['promptTokenCount']) + num(m['toolUsePromptTokenCount']);
  const completion = num(m['candidatesTokenCount']) + num(m['thoughtsTokenCount']);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: num(m['cachedContentTokenCount']) },
  };
}

interface Parts {
  text: string;
  reasoning: string;
  calls: JsonObject[];
  finishReason: unknown;
}

function partsOf(response: JsonObject, firstCall: number): Parts {
  const candidate = (Array.isArray(response['candidates']) ? response['candidates'][0] : undefined) as
    | JsonObject
    | undefined;
  const content = (candidate?.['content'] ?? {}) as JsonObject;
  const parts = Array.isArray(content['parts']) ? (content['parts'] as JsonObject[]) : [];
  const out: Parts = { text: '', reasoning: '', calls: [], finishReason: candidate?.['finishReason'] };
  for (const part of parts) {
    if (typeof part['text'] === 'string') {
      if (part['thought'] === true) out.reasoning += part['text'];
      else out.text += part['text'];
    } else if (part['functionCall'] && typeof part['functionCall'] === 'object') {
      const call = part['functionCall'] as JsonObject;
      const index = firstCall + out.calls.length;
      out.calls.push({
        index,
        id: typeof call['id'] === 'string' ? call['id'] : `call_${index}`,
        type: 'function',
        function: { name: call['name'], arguments: JSON.stringify(call['args'] ?? {}) },
      });
    }
  }
  return out;
}

/** A generateContent answer as a canonical chat completion (the first candidate). */
export function geminiToCanonicalResponse(response: JsonObject): JsonObject {
  const parts = partsOf(response, 0);
  const calls = parts.calls.map(({ index: _index, ...call }) => call);
  const message: JsonObject = { role: 'assistant', content: parts.text || (calls.length > 0 ? null : '') };
  if (parts.reasoning) message['reasoning_content'] = parts.reasoning;
  if (calls.length > 0) message['tool_calls'] = calls;
  return {
    id: String(response['responseId'] ?? `chatcmpl-gemini-${Date.now()}`),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response['modelVersion'],
    choices: [
      { index: 0, message, logprobs: null, finish_reason: geminiFinishReasonOf(parts.finishReason, calls.length > 0) },
    ],
    usage: geminiUsageOf(response['usageMetadata']),
  };
}

/**
 * `streamGenerateContent?alt=sse`: every event is a whole GenerateContentResponse with the new
 * parts; the one with a finishReason closes the turn, and the latest usageMetadata is the total.
 */
export class GeminiToCanonicalStream extends ToCanonicalStream {
  private started = false;
  private tools = 0;
  private metadata: unknown;
  private finishReason: unknown;

  protected onEvent(data: string): string {
    let response: JsonObject;
    try {
      response = JSON.parse(data) as JsonObject;
    } catch {
      return '';
    }
    if (response['error'] && typeof response['error'] === 'object') {
      const error = response['error'] as JsonObject;
      return this.fail(`${String(error['status'] ?? 'error')}: ${String(error['message'] ?? 'the upstream failed')}`);
    }
    let out = '';
    if (!this.started) {
      this.started = true;
      this.id = String(response['responseId'] ?? `chatcmpl-gemini-${Date.now()}`);
      this.model = String(response['modelVersion'] ?? '');
      out += this.chunk({ role: 'assistant', content: '' });
    }
    if (response['usageMetadata']) this.metadata = response['usageMetadata'];
    const parts = partsOf(response, this.tools);
    if (parts.reasoning) out += this.chunk({ reasoning_content: parts.reasoning });
    if (parts.text) out += this.chunk({ content: parts.text });
    if (parts.calls.length > 0) {
      this.tools += parts.calls.length;
      out += this.chunk({ tool_calls: parts.calls });
    }
    if (parts.finishReason) this.finishReason = parts.finishReason;
    return out;
  }

  protected closing(): string {
    this.usage = geminiUsageOf(this.metadata);
    return this.started ? this.chunk({}, geminiFinishReasonOf(this.finishReason, this.tools > 0)) : '';
  }
}
