import { readCanonicalData } from '../canonical-chunk';
import { SseDataLines } from '../sse-lines';
import type { JsonObject, StreamTranscoder } from '../wire-format';
import {
  functionCallItem,
  messageItem,
  rawIdOf,
  reasoningItem,
  responseObject,
  responsesUsageOf,
  statusOf,
  type ResponseStatus,
} from './responses-response';

interface TextItem {
  kind: 'message' | 'reasoning';
  outputIndex: number;
  text: string;
  refusal?: string;
  done: JsonObject | null;
}

interface CallItem {
  kind: 'function_call';
  outputIndex: number;
  toolIndex: number;
  call: { id: string | undefined; function: { name: string; arguments: string } };
  done: JsonObject | null;
}

type Item = TextItem | CallItem;

/**
 * OpenAI chat completion chunks → Responses API events: `response.created` and
 * `response.in_progress`, then each output item added, filled (`response.output_text.delta`,
 * `response.function_call_arguments.delta`, `response.reasoning_text.delta`) and done, and a
 * terminal `response.completed` (or `response.incomplete`) carrying the whole response and usage.
 * Text and reasoning items close when another item starts; function calls stay open until the end,
 * so that interleaved fragments of parallel calls all land (each event names its output_index).
 */
export class ResponsesStreamTranscoder implements StreamTranscoder {
  private readonly lines = new SseDataLines();
  private sequence = 0;
  private raw = '';
  private model: string;
  private readonly createdAt = Math.floor(Date.now() / 1000);
  private started = false;
  private finished = false;
  private readonly items: Item[] = [];
  /** The open message or reasoning item; deltas of the other kind close it. */
  private current: TextItem | null = null;
  private readonly calls = new Map<number, CallItem>();
  private finishReason: unknown;
  usage: JsonObject | undefined;

  constructor(
    requestedModel: string,
    private readonly request?: JsonObject,
  ) {
    this.model = requestedModel;
  }

  push(text: string): string {
    let out = '';
    for (const data of this.lines.push(text)) out += this.onData(data);
    return out;
  }

  end(): string {
    let out = '';
    for (const data of this.lines.end()) out += this.onData(data);
    return out + this.finish();
  }

  /** An `error` event, then `response.failed` with the response as far as it got. */
  fail(message: string): string {
    if (this.finished) return '';
    let out = this.start({});
    this.finished = true;
    out += this.event('error', { code: 'server_error', message, param: null });
    const error = { code: 'server_error', message };
    return out + this.event('response.failed', { response: this.response('failed', { error }) });
  }

  private event(type: string, data: JsonObject): string {
    const payload = { type, ...data, sequence_number: this.sequence++ };
    return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
  }

  private response(status: ResponseStatus, extra: { error?: JsonObject; incomplete?: JsonObject | null } = {}) {
    const output = this.items.filter((item) => item.done).map((item) => item.done as JsonObject);
    const usage = status === 'in_progress' || status === 'failed' ? null : responsesUsageOf(this.usage);
    return responseObject(this.raw, this.model, this.createdAt, this.request, { status, output, usage, ...extra });
  }

  private onData(data: string): string {
    if (this.finished) return '';
    const read = readCanonicalData(data);
    if (read.kind === 'done') return this.finish();
    if (read.kind === 'error') return this.fail(read.message);
    if (read.kind === 'skip') return '';
    const { chunk, choice, delta, reasoning } = read;
    let out = this.start(chunk);
    if (read.usage) this.usage = read.usage;
    if (!choice) return out;
    if (reasoning) out += this.textDelta('reasoning', reasoning);
    if (typeof delta['content'] === 'string' && delta['content'] !== '') {
      out += this.textDelta('message', delta['content']);
    }
    if (typeof delta['refusal'] === 'string' && delta['refusal'] !== '') {
      out += this.openText('message');
      (this.current as TextItem).refusal = ((this.current as TextItem).refusal ?? '') + delta['refusal'];
    }
    const calls = Array.isArray(delta['tool_calls']) ? (delta['tool_calls'] as JsonObject[]) : [];
    for (const call of calls) out += this.callFragment(call);
    if (choice['finish_reason']) this.finishReason = choice['finish_reason'];
    return out;
  }

  private start(chunk: JsonObject): string {
    if (this.started) return '';
    this.started = true;
    this.raw = rawIdOf(chunk['id']);
    if (typeof chunk['model'] === 'string') this.model = chunk['model'];
    const response = this.response('in_progress');
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  private openText(kind: TextItem['kind']): string {
    if (this.current?.kind === kind) return '';
    let out = this.closeText();
    const item: TextItem = { kind, outputIndex: this.items.length, text: '', done: null };
    this.items.push(item);
    this.current = item;
    const id = this.itemId(item);
    const shell =
      kind === 'message'
        ? { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] }
        : { id, type: 'reasoning', summary: [], content: [] };
    const part =
      kind === 'message'
        ? { type: 'output_text', text: '', annotations: [], logprobs: [] }
        : { type: 'reasoning_text', text: '' };
    out += this.event('response.output_item.added', { output_index: item.outputIndex, item: shell });
    out += this.event('response.content_part.added', {
      item_id: id,
      output_index: item.outputIndex,
      content_index: 0,
      part,
    });
    return out;
  }

  private textDelta(kind: TextItem['kind'], text: string): string {
    const out = this.openText(kind);
    const item = this.current as TextItem;
    item.text += text;
    const type = kind === 'message' ? 'response.output_text.delta' : 'response.reasoning_text.delta';
    const fields: JsonObject = {
      item_id: this.itemId(item),
      output_index: item.outputIndex,
      content_index: 0,
      delta: text,
    };
    if (kind === 'message') fields['logprobs'] = [];
    return out + this.event(type, fields);
  }

  private closeText(): string {
    const item = this.current;
    if (!item) return '';
    this.current = null;
    const id = this.itemId(item);
    const where = { item_id: id, output_index: item.outputIndex, content_index: 0 };
    let out = '';
    if (item.kind === 'message') {
      const status = statusOf(this.finishReason).status === 'completed' ? 'completed' : 'incomplete';
      item.done = messageItem(this.raw, item.text, status, item.refusal);
      item.done['id'] = id;
      out += this.event('response.output_text.done', { ...where, text: item.text, logprobs: [] });
      out += this.event('response.content_part.done', {
        ...where,
        part: { type: 'output_text', text: item.text, annotations: [], logprobs: [] },
      });
    } else {
      item.done = reasoningItem(this.raw, item.text);
      item.done['id'] = id;
      out += this.event('response.reasoning_text.done', { ...where, text: item.text });
      out += this.event('response.content_part.done', { ...where, part: { type: 'reasoning_text', text: item.text } });
    }
    return out + this.event('response.output_item.done', { output_index: item.outputIndex, item: item.done });
  }

  private callFragment(fragment: JsonObject): string {
    const toolIndex = typeof fragment['index'] === 'number' ? fragment['index'] : 0;
    const fn = (fragment['function'] ?? {}) as JsonObject;
    let out = '';
    let item = this.calls.get(toolIndex);
    if (!item) {
      out += this.closeText();
      item = {
        kind: 'function_call',
        outputIndex: this.items.length,
        toolIndex,
        call: {
          id: typeof fragment['id'] === 'string' ? fragment['id'] : undefined,
          function: { name: typeof fn['name'] === 'string' ? fn['name'] : '', arguments: '' },
        },
        done: null,
      };
      this.items.push(item);
      this.calls.set(toolIndex, item);
      const shell = functionCallItem(this.raw, toolIndex, item.call, 'in_progress');
      out += this.event('response.output_item.added', { output_index: item.outputIndex, item: shell });
    }
    const args = fn['arguments'];
    if (typeof args === 'string' && args !== '') {
      item.call.function.arguments += args;
      out += this.event('response.function_call_arguments.delta', {
        item_id: this.itemId(item),
        output_index: item.outputIndex,
        delta: args,
      });
    }
    return out;
  }

  private closeCall(item: CallItem): string {
    item.done = functionCallItem(this.raw, item.toolIndex, item.call, 'completed');
    const args = item.call.function.arguments;
    return (
      this.event('response.function_call_arguments.done', {
        item_id: this.itemId(item),
        output_index: item.outputIndex,
        name: item.call.function.name,
        arguments: args,
      }) + this.event('response.output_item.done', { output_index: item.outputIndex, item: item.done })
    );
  }

  private itemId(item: Item): string {
    if (item.kind === 'function_call') return `fc_${this.raw}_${item.toolIndex}`;
    // A response may hold more than one message or reasoning item: the output index keeps them apart.
    return `${item.kind === 'message' ? 'msg' : 'rs'}_${this.raw}${item.outputIndex > 0 ? `_${item.outputIndex}` : ''}`;
  }

  private finish(): string {
    if (this.finished) return '';
    let out = this.start({});
    // A stream with no output at all still answers with one (empty) message, as the JSON answer does.
    if (this.items.length === 0) out += this.openText('message');
    out += this.closeText();
    for (const item of this.items) if (item.kind === 'function_call' && !item.done) out += this.closeCall(item);
    this.finished = true;
    const { status, incomplete } = statusOf(this.finishReason);
    const type = status === 'completed' ? 'response.completed' : 'response.incomplete';
    return out + this.event(type, { response: this.response(status, { incomplete }) });
  }
}
