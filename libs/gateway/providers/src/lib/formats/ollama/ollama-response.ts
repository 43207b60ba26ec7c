import type { JsonObject, StreamTranscoder } from '../wire-format';

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
export class OllamaToCanonicalStream implements StreamTranscoder {
  private buffer = '';
  private id = '';
  private model = '';
  private readonly created = Math.floor(Date.now() / 1000);
  private started = false;
  private tools = 0;
  private finished = false;
  usage: JsonObject | undefined;

  constructor(private readonly includeUsage: boolean) {}

  push(text: string): string {
    this.buffer += text;
    let out = '';
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) out += this.onLine(line);
    }
    return out;
  }

  end(): string {
    const rest = this.buffer.trim();
    this.buffer = '';
    return (rest ? this.onLine(rest) : '') + this.finish({});
  }

  fail(message: string): string {
    if (this.finished) return '';
    this.finished = true;
    return `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: 'upstream_stream_error' } })}\n\n`;
  }

  private chunk(delta: JsonObject, finishReason: string | null = null): string {
    const chunk = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  private onLine(line: string): string {
    if (this.finished) return '';
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
    if (answer['done'] === true) out += this.finish(answer);
    return out;
  }

  private finish(last: JsonObject): string {
    if (this.finished) return '';
    this.finished = true;
    this.usage = ollamaUsageOf(last);
    let out = last['done'] === true ? this.chunk({}, finishReasonOf(last, this.tools > 0)) : '';
    if (this.includeUsage) {
      const chunk = {
        id: this.id,
        object: 'chat.completion.chunk',
        created: this.created,
        model: this.model,
        choices: [],
        usage: this.usage,
      };
      out += `data: ${JSON.stringify(chunk)}\n\n`;
    }
    return out + 'data: [DONE]\n\n';
  }
}
