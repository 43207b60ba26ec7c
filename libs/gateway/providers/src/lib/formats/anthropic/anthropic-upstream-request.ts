import { FormatError, type JsonObject } from '../wire-format';

/** Anthropic requires max_tokens; OpenAI callers often leave it out. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

function isObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isObject(part) && typeof part['text'] === 'string' ? part['text'] : '')).join('');
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function sourceOf(url: string): JsonObject {
  const data = DATA_URL.exec(url);
  return data ? { type: 'base64', media_type: data[1], data: data[2] } : { type: 'url', url };
}

/** OpenAI content (string or parts) → Anthropic blocks. */
function blocksOf(content: unknown, where: string): JsonObject[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (content == null) return [];
  if (!Array.isArray(content)) throw new FormatError(`${where}.content: must be a string or an array.`, where);
  return content.map((part, i) => {
    if (!isObject(part)) throw new FormatError(`${where}.content[${i}]: must be an object.`, where);
    switch (part['type']) {
      case 'text':
        return { type: 'text', text: String(part['text'] ?? '') };
      case 'image_url': {
        const image = part['image_url'];
        const url = typeof image === 'string' ? image : isObject(image) ? image['url'] : undefined;
        if (typeof url !== 'string') throw new FormatError(`${where}.content[${i}].image_url.url is required.`, where);
        return { type: 'image', source: sourceOf(url) };
      }
      case 'file': {
        const file = isObject(part['file']) ? part['file'] : {};
        const data = typeof file['file_data'] === 'string' ? DATA_URL.exec(file['file_data']) : null;
        if (!data)
          throw new FormatError(`${where}.content[${i}]: only inline (file_data) files can go to Anthropic.`, where);
        return { type: 'document', source: { type: 'base64', media_type: data[1], data: data[2] } };
      }
      default:
        throw new FormatError(`${where}.content[${i}]: '${String(part['type'])}' parts cannot go to Anthropic.`, where);
    }
  });
}

function parseArguments(text: unknown): unknown {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text);
    return isObject(parsed) ? parsed : { value: parsed };
  } catch {
    throw new FormatError('tool_calls[].function.arguments must be a JSON object.', 'messages');
  }
}

/** Appends a turn, merging it into the previous one of the same role (Anthropic alternates roles). */
function push(out: JsonObject[], role: 'user' | 'assistant', blocks: JsonObject[]): void {
  const last = out[out.length - 1];
  if (last && last['role'] === role) (last['content'] as JsonObject[]).push(...blocks);
  else out.push({ role, content: blocks });
}

function toolChoiceOf(choice: unknown, parallel: unknown): JsonObject | undefined {
  let out: JsonObject | undefined;
  if (choice === 'auto') out = { type: 'auto' };
  else if (choice === 'none') out = { type: 'none' };
  else if (choice === 'required') out = { type: 'any' };
  else if (isObject(choice) && isObject(choice['function'])) out = { type: 'tool', name: choice['function']['name'] };
  if (parallel === false && out?.['type'] !== 'none')
    out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return out;
}

/**
 * A canonical (OpenAI chat completions) request as an Anthropic Messages request (protocol notes
 * §6.1): system and developer messages into `system`, tool results into user turns, tools,
 * tool_choice, images and stop strings mapped; temperature clamped to Anthropic's 0–1.
 */
export function canonicalToAnthropicRequest(body: JsonObject): JsonObject {
  if (typeof body['n'] === 'number' && body['n'] > 1) {
    throw new FormatError("'n' greater than 1 is not supported by Anthropic models.", 'n');
  }
  const system: string[] = [];
  const messages: JsonObject[] = [];
  const input = Array.isArray(body['messages']) ? (body['messages'] as unknown[]) : [];
  input.forEach((message, i) => {
    const where = `messages[${i}]`;
    if (!isObject(message)) throw new FormatError(`${where}: must be an object.`, 'messages');
    switch (message['role']) {
      case 'system':
      case 'developer':
        system.push(textOf(message['content']));
        break;
      case 'user':
        push(messages, 'user', blocksOf(message['content'], where));
        break;
      case 'assistant': {
        const blocks = blocksOf(message['content'], where);
        const calls = Array.isArray(message['tool_calls']) ? (message['tool_calls'] as JsonObject[]) : [];
        for (const call of calls) {
          const fn = isObject(call['function']) ? call['function'] : {};
          blocks.push({ type: 'tool_use', id: call['id'], name: fn['name'], input: parseArguments(fn['arguments']) });
        }
        push(messages, 'assistant', blocks);
        break;
      }
      case 'tool':
        push(messages, 'user', [
          { type: 'tool_result', tool_use_id: message['tool_call_id'], content: textOf(message['content']) },
        ]);
        break;
      default:
        throw new FormatError(`${where}.role '${String(message['role'])}' cannot go to Anthropic.`, 'messages');
    }
  });
  const out: JsonObject = {
    model: body['model'],
    messages,
    max_tokens: body['max_completion_tokens'] ?? body['max_tokens'] ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
  };
  if (system.length > 0) out['system'] = system.join('\n\n');
  const stop = body['stop'];
  if (typeof stop === 'string') out['stop_sequences'] = [stop];
  else if (Array.isArray(stop) && stop.length > 0) out['stop_sequences'] = stop;
  if (typeof body['temperature'] === 'number') out['temperature'] = Math.min(1, body['temperature']);
  if (typeof body['top_p'] === 'number') out['top_p'] = body['top_p'];
  if (typeof body['user'] === 'string') out['metadata'] = { user_id: body['user'] };
  if (Array.isArray(body['tools']) && body['tools'].length > 0) {
    out['tools'] = (body['tools'] as JsonObject[]).map((tool) => {
      const fn = isObject(tool['function']) ? tool['function'] : {};
      return {
        name: fn['name'],
        ...(typeof fn['description'] === 'string' && { description: fn['description'] }),
        input_schema: isObject(fn['parameters']) ? fn['parameters'] : { type: 'object', properties: {} },
      };
    });
  }
  const choice = toolChoiceOf(body['tool_choice'], body['parallel_tool_calls']);
  if (choice) out['tool_choice'] = choice;
  if (body['stream'] === true) out['stream'] = true;
  return out;
}
