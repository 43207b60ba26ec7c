import { FormatError, type JsonObject } from '../wire-format';

function isObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * What the Response object repeats of the request (instructions, tools, sampling, metadata). The
 * canonical request has no place for some of it (metadata, the flat tools), so it rides on the
 * canonical body under a symbol key: JSON.stringify skips symbols, so no upstream ever sees it.
 */
export const RESPONSES_ECHO = Symbol('responses.echo');

export interface ResponsesEcho {
  instructions: string | null;
  max_output_tokens: number | null;
  metadata: JsonObject;
  parallel_tool_calls: boolean;
  reasoning: { effort: string | null; summary: string | null };
  temperature: number | null;
  text: JsonObject;
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  user: string | null;
}

export type CanonicalWithEcho = JsonObject & { model: string; [RESPONSES_ECHO]?: ResponsesEcho };

/** The echo a canonical request carries, if it came from a Responses caller. */
export function echoOf(request: JsonObject | undefined): ResponsesEcho | undefined {
  return (request as CanonicalWithEcho | undefined)?.[RESPONSES_ECHO];
}

/** Fields that need OpenAI's server-side state, which a stateless gateway does not keep. */
const STATEFUL: Record<string, string> = {
  previous_response_id:
    'previous_response_id: this gateway does not store responses; send the whole conversation in input instead.',
  conversation:
    'conversation: this gateway does not store conversations; send the whole conversation in input instead.',
  prompt: 'prompt: stored prompt templates live on OpenAI; send instructions and input instead.',
};

const HOSTED_TOOL =
  'runs on OpenAI’s own servers and is not available through this gateway; only function tools are supported.';

/** Responses content parts → chat content parts. */
function partOf(part: unknown, where: string): JsonObject {
  if (!isObject(part)) throw new FormatError(`${where}: must be an object.`, where);
  switch (part['type']) {
    case 'input_text':
    case 'output_text':
      if (typeof part['text'] !== 'string') throw new FormatError(`${where}.text: must be a string.`, `${where}.text`);
      return { type: 'text', text: part['text'] };
    case 'refusal':
      return { type: 'text', text: String(part['refusal'] ?? '') };
    case 'input_image': {
      if (typeof part['image_url'] !== 'string') {
        throw new FormatError(
          `${where}: images need image_url (an https or data: URL); file_id refers to OpenAI's file store.`,
          `${where}.image_url`,
        );
      }
      const image: JsonObject = { url: part['image_url'] };
      if (part['detail'] === 'low' || part['detail'] === 'high' || part['detail'] === 'auto') {
        image['detail'] = part['detail'];
      }
      return { type: 'image_url', image_url: image };
    }
    case 'input_file': {
      const file: JsonObject = {};
      if (typeof part['file_data'] === 'string') file['file_data'] = part['file_data'];
      else if (typeof part['file_id'] === 'string') file['file_id'] = part['file_id'];
      else {
        throw new FormatError(`${where}: files need file_data or file_id (file_url is not supported).`, where);
      }
      if (typeof part['filename'] === 'string') file['filename'] = part['filename'];
      return { type: 'file', file };
    }
    case 'input_audio':
      return { type: 'input_audio', input_audio: part['input_audio'] };
    default:
      throw new FormatError(
        `${where}.type: '${String(part['type'])}' is not a supported content part.`,
        `${where}.type`,
      );
  }
}

function contentOf(content: unknown, where: string): JsonObject[] | string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) {
    throw new FormatError(`${where}.content: must be a string or an array of content parts.`, `${where}.content`);
  }
  const parts = content.map((part, i) => partOf(part, `${where}.content[${i}]`));
  return parts.every((p) => p['type'] === 'text') ? parts.map((p) => p['text']).join('') : parts;
}

function textOnly(content: JsonObject[] | string, where: string): string {
  if (typeof content === 'string') return content;
  throw new FormatError(`${where}.content: only text is allowed in this message.`, `${where}.content`);
}

/** Responses input items → chat messages, tool calls folded into the assistant turn they belong to. */
function messagesOf(input: unknown[]): JsonObject[] {
  const messages: JsonObject[] = [];
  /** Images returned by tools: a tool message holds text only, so they follow as a user message. */
  let toolImages: JsonObject[] = [];
  const flushToolImages = () => {
    if (toolImages.length > 0) messages.push({ role: 'user', content: toolImages });
    toolImages = [];
  };
  input.forEach((item, i) => {
    const where = `input[${i}]`;
    if (!isObject(item)) throw new FormatError(`${where}: must be an object.`, where);
    const type = item['type'] ?? 'message';
    if (type !== 'function_call_output') flushToolImages();
    switch (type) {
      case 'message': {
        const role = item['role'];
        const content = contentOf(item['content'], where);
        if (role === 'user') messages.push({ role, content });
        else if (role === 'system' || role === 'developer') messages.push({ role, content: textOnly(content, where) });
        else if (role === 'assistant') messages.push({ role, content: textOnly(content, where) });
        else {
          throw new FormatError(
            `${where}.role: must be one of 'user', 'assistant', 'system', 'developer'.`,
            `${where}.role`,
          );
        }
        break;
      }
      case 'function_call': {
        if (typeof item['call_id'] !== 'string' || typeof item['name'] !== 'string') {
          throw new FormatError(`${where}: function_call items need call_id and name.`, where);
        }
        const call = {
          id: item['call_id'],
          type: 'function',
          function: { name: item['name'], arguments: typeof item['arguments'] === 'string' ? item['arguments'] : '' },
        };
        const last = messages.at(-1);
        // The calls of one turn follow each other (and the turn's text): one assistant message.
        if (last && last['role'] === 'assistant') {
          last['tool_calls'] = [...((last['tool_calls'] as JsonObject[] | undefined) ?? []), call];
          if (last['content'] === '') last['content'] = null;
        } else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        break;
      }
      case 'function_call_output': {
        if (typeof item['call_id'] !== 'string') {
          throw new FormatError(`${where}.call_id: Missing required parameter.`, `${where}.call_id`);
        }
        const output = item['output'];
        let text: string;
        if (typeof output === 'string') text = output;
        else if (Array.isArray(output)) {
          const texts: string[] = [];
          output.forEach((part, j) => {
            const translated = partOf(part, `${where}.output[${j}]`);
            if (translated['type'] === 'text') texts.push(String(translated['text']));
            else toolImages.push(translated);
          });
          text = texts.join('');
        } else throw new FormatError(`${where}.output: must be a string or an array.`, `${where}.output`);
        messages.push({ role: 'tool', tool_call_id: item['call_id'], content: text });
        break;
      }
      case 'reasoning':
        // Reasoning of an earlier turn: chat completions have no field to take it back.
        break;
      case 'item_reference':
        throw new FormatError(
          `${where}: item references point into stored responses, which this gateway does not keep.`,
          `${where}.type`,
        );
      default:
        throw new FormatError(`${where}.type: '${String(type)}' items are not supported here.`, `${where}.type`);
    }
  });
  flushToolImages();
  return messages;
}

function functionTool(tool: JsonObject, where: string): JsonObject {
  if (typeof tool['name'] !== 'string' || tool['name'] === '') {
    throw new FormatError(`${where}.name: Missing required parameter.`, `${where}.name`);
  }
  const fn: JsonObject = {
    name: tool['name'],
    parameters: isObject(tool['parameters']) ? tool['parameters'] : { type: 'object', properties: {} },
  };
  if (typeof tool['description'] === 'string') fn['description'] = tool['description'];
  if (typeof tool['strict'] === 'boolean') fn['strict'] = tool['strict'];
  return { type: 'function', function: fn };
}

function toolsOf(value: unknown): JsonObject[] {
  if (!Array.isArray(value)) throw new FormatError('tools: must be an array.', 'tools');
  return value.map((tool, i) => {
    const where = `tools[${i}]`;
    if (!isObject(tool)) throw new FormatError(`${where}: must be an object.`, where);
    if (tool['type'] !== 'function') {
      throw new FormatError(`${where}.type: the tool '${String(tool['type'])}' ${HOSTED_TOOL}`, `${where}.type`);
    }
    return functionTool(tool, where);
  });
}

function toolChoiceOf(choice: unknown): unknown {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  if (!isObject(choice)) {
    throw new FormatError("tool_choice: must be 'none', 'auto', 'required' or an object.", 'tool_choice');
  }
  if (choice['type'] === 'function') {
    if (typeof choice['name'] !== 'string') {
      throw new FormatError('tool_choice.name: Missing required parameter.', 'tool_choice.name');
    }
    return { type: 'function', function: { name: choice['name'] } };
  }
  if (choice['type'] === 'allowed_tools') {
    const tools = Array.isArray(choice['tools']) ? choice['tools'] : [];
    return {
      type: 'allowed_tools',
      allowed_tools: {
        mode: choice['mode'] === 'required' ? 'required' : 'auto',
        tools: tools.map((tool: unknown, i) => {
          if (!isObject(tool) || tool['type'] !== 'function' || typeof tool['name'] !== 'string') {
            throw new FormatError(
              `tool_choice.tools[${i}]: only function tools can be allowed.`,
              `tool_choice.tools[${i}]`,
            );
          }
          return { type: 'function', function: { name: tool['name'] } };
        }),
      },
    };
  }
  throw new FormatError(`tool_choice.type: the tool '${String(choice['type'])}' ${HOSTED_TOOL}`, 'tool_choice.type');
}

/** `text.format` → response_format. */
function responseFormatOf(format: unknown): JsonObject | undefined {
  if (format === undefined) return undefined;
  if (!isObject(format)) throw new FormatError('text.format: must be an object.', 'text.format');
  switch (format['type']) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      if (typeof format['name'] !== 'string') {
        throw new FormatError('text.format.name: Missing required parameter.', 'text.format.name');
      }
      const schema: JsonObject = { name: format['name'] };
      for (const field of ['schema', 'description', 'strict']) {
        if (format[field] !== undefined) schema[field] = format[field];
      }
      return { type: 'json_schema', json_schema: schema };
    }
    default:
      throw new FormatError(
        "text.format.type: must be one of 'text', 'json_object', 'json_schema'.",
        'text.format.type',
      );
  }
}

function numberField(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw new FormatError(`${field}: must be a number.`, field);
  return value;
}

/**
 * An OpenAI Responses API request (`POST /v1/responses`) as a canonical chat completions request.
 * The gateway keeps no state: what needs OpenAI's stored responses, conversations, prompts or
 * hosted tools is refused with a 400 naming the field; `store` is accepted and nothing is stored.
 */
export function responsesToCanonical(body: unknown): CanonicalWithEcho {
  if (!isObject(body)) throw new FormatError('The request body must be a JSON object.');
  if (typeof body['model'] !== 'string' || body['model'] === '') {
    throw new FormatError("Missing required parameter: 'model'.", 'model');
  }
  for (const [field, message] of Object.entries(STATEFUL)) {
    if (body[field] !== undefined && body[field] !== null) throw new FormatError(message, field);
  }
  if (body['background'] === true) {
    throw new FormatError(
      'background: background responses need storage, which this gateway does not keep.',
      'background',
    );
  }
  for (const field of ['stream', 'store', 'parallel_tool_calls']) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'boolean') {
      throw new FormatError(`${field}: must be a boolean.`, field);
    }
  }

  const messages: JsonObject[] = [];
  const instructions = body['instructions'];
  if (instructions !== undefined && instructions !== null) {
    if (typeof instructions !== 'string') throw new FormatError('instructions: must be a string.', 'instructions');
    if (instructions !== '') messages.push({ role: 'system', content: instructions });
  }
  const input = body['input'];
  if (typeof input === 'string') messages.push({ role: 'user', content: input });
  else if (Array.isArray(input)) messages.push(...messagesOf(input));
  else if (input === undefined || input === null)
    throw new FormatError("Missing required parameter: 'input'.", 'input');
  else throw new FormatError('input: must be a string or an array of input items.', 'input');
  if (!messages.some((m) => m['role'] !== 'system' && m['role'] !== 'developer')) {
    throw new FormatError('input: must contain at least one message or item.', 'input');
  }

  const out: CanonicalWithEcho = { model: body['model'], messages };
  const maxOutput = body['max_output_tokens'];
  if (maxOutput !== undefined && maxOutput !== null) {
    if (typeof maxOutput !== 'number' || !Number.isInteger(maxOutput) || maxOutput < 1) {
      throw new FormatError('max_output_tokens: must be a positive integer.', 'max_output_tokens');
    }
    out['max_completion_tokens'] = maxOutput;
  }
  const temperature = numberField(body, 'temperature');
  if (temperature !== undefined) out['temperature'] = temperature;
  const topP = numberField(body, 'top_p');
  if (topP !== undefined) out['top_p'] = topP;

  let tools: unknown[] = [];
  if (body['tools'] !== undefined && body['tools'] !== null) {
    const list = toolsOf(body['tools']);
    tools = body['tools'] as unknown[];
    if (list.length > 0) out['tools'] = list;
  }
  if (body['tool_choice'] !== undefined && body['tool_choice'] !== null) {
    out['tool_choice'] = toolChoiceOf(body['tool_choice']);
  }
  if (typeof body['parallel_tool_calls'] === 'boolean') out['parallel_tool_calls'] = body['parallel_tool_calls'];

  const text = isObject(body['text']) ? body['text'] : {};
  if (body['text'] !== undefined && body['text'] !== null && !isObject(body['text'])) {
    throw new FormatError('text: must be an object.', 'text');
  }
  const responseFormat = responseFormatOf(text['format']);
  if (responseFormat) out['response_format'] = responseFormat;
  if (typeof text['verbosity'] === 'string') out['verbosity'] = text['verbosity'];

  const reasoning = isObject(body['reasoning']) ? body['reasoning'] : {};
  if (typeof reasoning['effort'] === 'string') out['reasoning_effort'] = reasoning['effort'];

  const metadata = body['metadata'];
  if (metadata !== undefined && metadata !== null) {
    if (!isObject(metadata) || !Object.values(metadata).every((v) => typeof v === 'string')) {
      throw new FormatError('metadata: must be an object of string values.', 'metadata');
    }
  }
  if (body['user'] !== undefined && body['user'] !== null) {
    if (typeof body['user'] !== 'string') throw new FormatError('user: must be a string.', 'user');
    out['user'] = body['user'];
  }
  for (const field of ['safety_identifier', 'prompt_cache_key', 'service_tier']) {
    if (typeof body[field] === 'string') out[field] = body[field];
  }
  if (body['stream'] === true) {
    out['stream'] = true;
    // response.completed always carries usage: ask the upstream for it.
    out['stream_options'] = { include_usage: true };
  }

  out[RESPONSES_ECHO] = {
    instructions: typeof instructions === 'string' ? instructions : null,
    max_output_tokens: typeof maxOutput === 'number' ? maxOutput : null,
    metadata: isObject(metadata) ? metadata : {},
    parallel_tool_calls: body['parallel_tool_calls'] !== false,
    reasoning: {
      effort: typeof reasoning['effort'] === 'string' ? reasoning['effort'] : null,
      summary: typeof reasoning['summary'] === 'string' ? reasoning['summary'] : null,
    },
    temperature: temperature ?? null,
    text: { format: isObject(text['format']) ? text['format'] : { type: 'text' } },
    tool_choice: body['tool_choice'] ?? 'auto',
    tools,
    top_p: topP ?? null,
    user: typeof body['user'] === 'string' ? body['user'] : null,
  };
  return out;
}
