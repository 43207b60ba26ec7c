import { LineSplitter } from '../line-splitter';
import { ToCanonicalStream } from '../to-canonical-stream';
import type { JsonObject } from '../wire-format';

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Ollama's token counts (prompt_eval_count, eval_count) → OpenAI usage. */
export function ollamaUsageOf(answer: JsonObject): JsonObject {
  const prompt = num(answer['prompt_eval_count']);
  const completion = num(answer['eval_count']);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function finishReasonOf(answer: JsonObject, sawTools: boolean): string {
  if (sawTools) return 'tool_calls';
  return answer['done_reason'] === 'length' ? 'length' : 'stop';
}

/** Ollama's tool calls have object arguments and, from older servers, no ids; OpenAI's have ids and JSON strings. */
function toolCallsOf(message: JsonObject, first: number): JsonObject[] {
  const calls = Array.isArray(message['tool_calls']) ? (message['tool_calls'] as JsonObject[]) : [];
  return calls.map((call, i) => {
    const fn = (call['function'] ?? {}) as JsonObject;
    const args = fn['arguments'];
    return {
      index: first + i,
      id: typeof call['id'] === 'string' && call['id'] !== '' ? call['id'] : `call_${first + i}`,
      type: 'function',
      function: { name: fn['name'], arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
    };
  });
}

function idOf(answer: JsonObject): string {
  return `chatcmpl-ollama-${String(answer['created_at'] ?? Date.now())}`;
}

/** An Ollama `/api/chat` answer (stream: false) as a canonical chat completion. */
export function ollamaToCanonicalResponse(answer: JsonObject): JsonObject {
  const message = (answer['message'] ?? {}) as JsonObject;
  const calls = toolCallsOf(message, 0).map(({ index: _index, ...call }) => call);
  const out: JsonObject = {
    role: 'assistant',
    content: String(message['content'] ?? '') || (calls.length > 0 ? null : ''),
  };
  if (typeof message['thinking'] === 'string' && message['thinking']) out['reasoning_content'] = message['thinking'];
  if (calls.length > 0) out['tool_calls'] = calls;
  return {
    id: idOf(answer),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: answer['model'],
    choices: [{ index: 0, message: out, logprobs: null, finish_reason: finishReasonOf(answer, calls.length > 0) }],
    usage: ollamaUsageOf(answer),
  };
}

/**
 * Ollama's NDJSON stream (one JSON object a line, the last with `done: true` and the counts) →
 * OpenAI chunks; a line `{"error": …}` is the upstream failing mid-stream.
 */
export class OllamaToCanonicalStream extends ToCanonicalStream {
  private readonly ndjson = new LineSplitter();
  private started = false;
  private tools = 0;
  /** The answer with `done: true` once it came: its counts are the usage. */
  private last: JsonObject = {};

  /** Whole NDJSON lines, whatever the chunk boundaries. */
  protected override frames(text: string): string[] {
    return nonEmpty(this.ndjson.push(text));
  }

  protected override lastFrames(): string[] {
    return nonEmpty(this.ndjson.end());
  }

  protected onEvent(line: string): string {
    let answer: JsonObject;
    try {
      answer = JSON.parse(line) as JsonObject;
    } catch {
      return '';
    }
    if (typeof answer['error'] === 'string') return this.fail(answer['error']);
    let out = '';
    if (!this.started) {
      this.started = true;
      this.id = idOf(answer);
      this.model = String(answer['model'] ?? '');
      out += this.chunk({ role: 'assistant', content: '' });
    }
    const message = (answer['message'] ?? {}) as JsonObject;
    if (typeof message['thinking'] === 'string' && message['thinking']) {
      out += this.chunk({ reasoning_content: message['thinking'] });
    }
    if (typeof message['content'] === 'string' && message['content'])
      out += this.chunk({ content: message['content'] });
    const calls = toolCallsOf(message, this.tools);
    if (calls.length > 0) {
      this.tools += calls.length;
      out += this.chunk({ tool_calls: calls });
    }
    if (answer['done'] === true) {
      this.last = answer;
      out += this.finish();
    }
    return out;
  }

  protected closing(): string {
    this.usage = ollamaUsageOf(this.last);
    return this.last['done'] === true ? this.chunk({}, finishReasonOf(this.last, this.tools > 0)) : '';
  }
}

function nonEmpty(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed) out.push(trimmed);
  }
  return out;
}
