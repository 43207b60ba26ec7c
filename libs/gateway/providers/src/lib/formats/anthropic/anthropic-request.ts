import { FormatError, type JsonObject } from '../wire-format';

type Block = JsonObject & { type?: unknown };
type ContentPart = JsonObject;

function isObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function textOfSystem(system: unknown): string {
  if (typeof system === 'string') return system;
  if (Array.isArray(system)) {
    return system
      .map((block, i) => {
        if (!isObject(block) || block['type'] !== 'text' || typeof block['text'] !== 'string') {
          throw new FormatError(`system.${i}: only text blocks are allowed in the system prompt.`, `system.${i}`);
        }
        return block['text'];
      })
      .join('\n');
  }
  throw new FormatError('system: must be a string or an array of text blocks.', 'system');
}

/** Anthropic image source → OpenAI image_url part. */
function imagePart(block: Block, where: string): ContentPart {
  const source = block['source'];
  if (!isObject(source)) throw new FormatError(`${where}.source: Field required`, `${where}.source`);
  if (source['type'] === 'base64') {
    if (typeof source['media_type'] !== 'string' || typeof source['data'] !== 'string') {
      throw new FormatError(`${where}.source: base64 images need media_type and data.`, `${where}.source`);
    }
    return { type: 'image_url', image_url: { url: `data:${source['media_type']};base64,${source['data']}` } };
  }
  if (source['type'] === 'url' && typeof source['url'] === 'string') {
    return { type: 'image_url', image_url: { url: source['url'] } };
  }
  throw new FormatError(`${where}.source.type: must be 'base64' or 'url'.`, `${where}.source.type`);
}

function documentPart(block: Block, where: string): ContentPart {
  const source = block['source'];
  if (isObject(source) && source['type'] === 'base64' && typeof source['data'] === 'string') {
    const mediaType = typeof source['media_type'] === 'string' ? source['media_type'] : 'application/pdf';
    return {
      type: 'file',
      file: { filename: 'document.pdf', file_data: `data:${mediaType};base64,${source['data']}` },
    };
  }
  if (isObject(source) && source['type'] === 'text' && typeof source['data'] === 'string') {
    return { type: 'text', text: source['data'] };
  }
  throw new FormatError(`${where}.source: only base64 and text documents can be translated.`, `${where}.source`);
}

function blocksOf(content: unknown, where: string): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) {
    throw new FormatError(`${where}.content: must be a string or an array of content blocks.`, `${where}.content`);
  }
  return content.map((block, i) => {
    if (!isObject(block) || typeof block['type'] !== 'string') {
      throw new FormatError(`${where}.content.${i}: each content block needs a type.`, `${where}.content.${i}`);
    }
    return block;
  });
}

/** A user turn: tool results become `tool` messages first (as OpenAI wants them), the rest one user message. */
function userMessages(content: unknown, where: string): JsonObject[] {
  const out: JsonObject[] = [];
  const parts: ContentPart[] = [];
  blocksOf(content, where).forEach((block, i) => {
    const at = `${where}.content.${i}`;
    switch (block['type']) {
      case 'text':
        if (typeof block['text'] !== 'string') throw new FormatError(`${at}.text: Field required`, `${at}.text`);
        parts.push({ type: 'text', text: block['text'] });
        break;
      case 'image':
        parts.push(imagePart(block, at));
        break;
      case 'document':
        parts.push(documentPart(block, at));
        break;
      case 'tool_result': {
        if (typeof block['tool_use_id'] !== 'string') {
          throw new FormatError(`${at}.tool_use_id: Field required`, `${at}.tool_use_id`);
        }
        const texts: string[] = [];
        const inner = block['content'] === undefined ? [] : blocksOf(block['content'], at);
        inner.forEach((part, j) => {
          if (part['type'] === 'text' && typeof part['text'] === 'string') texts.push(part['text']);
          // A tool message holds text only: images move to the user message that follows.
          else if (part['type'] === 'image') parts.push(imagePart(part, `${at}.content.${j}`));
          else throw new FormatError(`${at}.content.${j}: unsupported block in a tool result.`, `${at}.content.${j}`);
        });
        const text = texts.join('\n');
        out.push({
          role: 'tool',
          tool_call_id: block['tool_use_id'],
          content: block['is_error'] === true ? `Error: ${text}` : text,
        });
        break;
      }
      default:
        throw new FormatError(
          `${at}.type: '${String(block['type'])}' blocks are not allowed in a user message here.`,
          `${at}.type`,
        );
    }
  });
  if (parts.length > 0) {
    const allText = parts.every((p) => p['type'] === 'text');
    out.push({
      role: 'user',
      content: allText ? parts.map((p) => p['text']).join('\n') : parts,
    });
  }
  return out;
}

function assistantMessage(content: unknown, where: string): JsonObject {
  const texts: string[] = [];
  const toolCalls: JsonObject[] = [];
  blocksOf(content, where).forEach((block, i) => {
    const at = `${where}.content.${i}`;
    switch (block['type']) {
      case 'text':
        if (typeof block['text'] !== 'string') throw new FormatError(`${at}.text: Field required`, `${at}.text`);
        texts.push(block['text']);
        break;
      case 'tool_use':
        if (typeof block['id'] !== 'string' || typeof block['name'] !== 'string') {
          throw new FormatError(`${at}: tool_use blocks need an id and a name.`, at);
        }
        toolCalls.push({
          id: block['id'],
          type: 'function',
          function: { name: block['name'], arguments: JSON.stringify(block['input'] ?? {}) },
        });
        break;
      case 'thinking':
      case 'redacted_thinking':
        // Reasoning of an earlier turn: an OpenAI-format upstream has no field to take it back.
        break;
      default:
        throw new FormatError(
          `${at}.type: '${String(block['type'])}' blocks are not allowed in an assistant message here.`,
          `${at}.type`,
        );
    }
  });
  const message: JsonObject = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (toolCalls.length > 0) message['tool_calls'] = toolCalls;
  return message;
}

function tools(value: unknown): JsonObject[] {
  if (!Array.isArray(value)) throw new FormatError('tools: must be an array.', 'tools');
  return value.map((tool, i) => {
    if (!isObject(tool) || typeof tool['name'] !== 'string') {
      throw new FormatError(`tools.${i}.name: Field required`, `tools.${i}.name`);
    }
    if (tool['type'] !== undefined && tool['type'] !== 'custom') {
      throw new FormatError(
        `tools.${i}.type: the server tool '${String(tool['type'])}' is only available from Anthropic upstreams.`,
        `tools.${i}.type`,
      );
    }
    const fn: JsonObject = {
      name: tool['name'],
      parameters: isObject(tool['input_schema']) ? tool['input_schema'] : { type: 'object', properties: {} },
    };
    if (typeof tool['description'] === 'string') fn['description'] = tool['description'];
    if (typeof tool['strict'] === 'boolean') fn['strict'] = tool['strict'];
    return { type: 'function', function: fn };
  });
}

function applyToolChoice(choice: unknown, out: JsonObject): void {
  if (!isObject(choice)) throw new FormatError('tool_choice: must be an object.', 'tool_choice');
  switch (choice['type']) {
    case 'auto':
      out['tool_choice'] = 'auto';
      break;
    case 'any':
      out['tool_choice'] = 'required';
      break;
    case 'none':
      out['tool_choice'] = 'none';
      break;
    case 'tool':
      if (typeof choice['name'] !== 'string')
        throw new FormatError('tool_choice.name: Field required', 'tool_choice.name');
      out['tool_choice'] = { type: 'function', function: { name: choice['name'] } };
      break;
    default:
      throw new FormatError("tool_choice.type: must be one of 'auto', 'any', 'tool', 'none'.", 'tool_choice.type');
  }
  if (choice['disable_parallel_tool_use'] === true) out['parallel_tool_calls'] = false;
}

/**
 * An Anthropic Messages request as a canonical (OpenAI chat completions) request. Validation
 * follows the Messages API's own messages (`max_tokens: Field required`). Fields without an
 * OpenAI equivalent (top_k, thinking, cache_control, anthropic-only tools) are dropped or refused.
 */
export function anthropicToCanonical(body: unknown): JsonObject & { model: string } {
  if (!isObject(body)) throw new FormatError('The request body must be a JSON object.');
  if (typeof body['model'] !== 'string' || body['model'] === '') {
    throw new FormatError('model: Field required', 'model');
  }
  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined) throw new FormatError('max_tokens: Field required', 'max_tokens');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new FormatError('max_tokens: must be a positive integer.', 'max_tokens');
  }
  const input = body['messages'];
  if (!Array.isArray(input)) throw new FormatError('messages: Field required', 'messages');
  if (input.length === 0) throw new FormatError('messages: at least one message is required.', 'messages');
  if (body['stream'] !== undefined && typeof body['stream'] !== 'boolean') {
    throw new FormatError('stream: must be a boolean.', 'stream');
  }

  const messages: JsonObject[] = [];
  if (body['system'] !== undefined) {
    const system = textOfSystem(body['system']);
    if (system) messages.push({ role: 'system', content: system });
  }
  input.forEach((message, i) => {
    const where = `messages.${i}`;
    if (!isObject(message)) throw new FormatError(`${where}: must be an object.`, where);
    if (message['role'] === 'user') messages.push(...userMessages(message['content'], where));
    else if (message['role'] === 'assistant') messages.push(assistantMessage(message['content'], where));
    else throw new FormatError(`${where}.role: must be 'user' or 'assistant'.`, `${where}.role`);
  });

  const out: JsonObject & { model: string } = { model: body['model'], messages, max_tokens: maxTokens };
  if (body['stop_sequences'] !== undefined) {
    const stop = body['stop_sequences'];
    if (!Array.isArray(stop) || !stop.every((s) => typeof s === 'string')) {
      throw new FormatError('stop_sequences: must be an array of strings.', 'stop_sequences');
    }
    if (stop.length > 0) out['stop'] = stop;
  }
  for (const field of ['temperature', 'top_p'] as const) {
    if (body[field] === undefined) continue;
    if (typeof body[field] !== 'number') throw new FormatError(`${field}: must be a number.`, field);
    out[field] = body[field];
  }
  const metadata = body['metadata'];
  if (isObject(metadata) && typeof metadata['user_id'] === 'string') out['user'] = metadata['user_id'];
  if (body['tools'] !== undefined) {
    const list = tools(body['tools']);
    if (list.length > 0) out['tools'] = list;
  }
  if (body['tool_choice'] !== undefined) applyToolChoice(body['tool_choice'], out);
  if (body['stream'] === true) {
    out['stream'] = true;
    // Anthropic streams always end with usage: ask the upstream for it.
    out['stream_options'] = { include_usage: true };
  }
  return out;
}
