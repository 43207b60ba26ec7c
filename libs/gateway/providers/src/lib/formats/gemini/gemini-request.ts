import { FormatError, type JsonObject } from '../wire-format';

function isObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isObject(part) && typeof part['text'] === 'string' ? part['text'] : '')).join('');
}

/** OpenAI content → Gemini parts: text, and images as inlineData (Gemini fetches no URLs here). */
function partsOf(content: unknown, where: string): JsonObject[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (content == null) return [];
  if (!Array.isArray(content)) throw new FormatError(`${where}.content: must be a string or an array.`, where);
  return content.map((part, i) => {
    if (!isObject(part)) throw new FormatError(`${where}.content[${i}]: must be an object.`, where);
    if (part['type'] === 'text') return { text: String(part['text'] ?? '') };
    if (part['type'] === 'image_url') {
      const image = part['image_url'];
      const url = typeof image === 'string' ? image : isObject(image) ? image['url'] : undefined;
      const data = typeof url === 'string' ? DATA_URL.exec(url) : null;
      if (!data)
        throw new FormatError(`${where}.content[${i}]: a gemini channel takes images as base64 data URLs only.`, where);
      return { inlineData: { mimeType: data[1], data: data[2] } };
    }
    throw new FormatError(
      `${where}.content[${i}]: part type '${String(part['type'])}' is not supported by gemini.`,
      where,
    );
  });
}

function argsOf(value: unknown, where: string): JsonObject {
  if (isObject(value)) return value;
  if (typeof value !== 'string' || value === '') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : { value: parsed };
  } catch {
    throw new FormatError(`${where}.function.arguments: must be JSON.`, where);
  }
}

/** A tool's result as Gemini's functionResponse.response, which must be an object. */
function resultOf(content: unknown): JsonObject {
  const text = textOf(content);
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch {
    /* plain text */
  }
  return { result: text };
}

const TOOL_MODES: Record<string, string> = { none: 'NONE', auto: 'AUTO', required: 'ANY' };

/** A canonical chat request as Gemini's generateContent body (the model goes in the path). */
export function canonicalToGeminiRequest(canonical: JsonObject): JsonObject {
  if (typeof canonical['n'] === 'number' && canonical['n'] > 1) {
    throw new FormatError('n > 1 is not supported by a gemini channel.', 'n');
  }
  const messages = canonical['messages'];
  if (!Array.isArray(messages)) throw new FormatError('messages: must be an array.', 'messages');
  const system: string[] = [];
  const contents: JsonObject[] = [];
  const toolNames = new Map<string, string>();
  const add = (role: string, parts: JsonObject[]) => {
    const last = contents.at(-1);
    // Gemini wants turns to alternate: consecutive tool results (or user parts) share one turn.
    if (last && last['role'] === role) (last['parts'] as JsonObject[]).push(...parts);
    else contents.push({ role, parts });
  };
  messages.forEach((message: unknown, i) => {
    const where = `messages[${i}]`;
    if (!isObject(message)) throw new FormatError(`${where}: must be an object.`, where);
    const role = message['role'];
    if (role === 'system' || role === 'developer') {
      system.push(textOf(message['content']));
    } else if (role === 'user') {
      add('user', partsOf(message['content'], where));
    } else if (role === 'assistant') {
      const parts = partsOf(message['content'], where);
      const calls = Array.isArray(message['tool_calls']) ? message['tool_calls'] : [];
      calls.forEach((call: unknown, j) => {
        const fn = isObject(call) && isObject(call['function']) ? call['function'] : {};
        const name = String(fn['name'] ?? '');
        if (isObject(call) && typeof call['id'] === 'string') toolNames.set(call['id'], name);
        parts.push({ functionCall: { name, args: argsOf(fn['arguments'], `${where}.tool_calls[${j}]`) } });
      });
      add('model', parts);
    } else if (role === 'tool') {
      const name = toolNames.get(String(message['tool_call_id'] ?? ''));
      if (!name) throw new FormatError(`${where}.tool_call_id: answers no earlier tool call.`, where);
      add('user', [{ functionResponse: { name, response: resultOf(message['content']) } }]);
    } else {
      throw new FormatError(`${where}.role: '${String(role)}' is not supported.`, where);
    }
  });
  const out: JsonObject = { contents };
  if (system.length > 0) out['systemInstruction'] = { parts: [{ text: system.join('\n\n') }] };

  const config: JsonObject = {};
  if (typeof canonical['temperature'] === 'number') config['temperature'] = canonical['temperature'];
  if (typeof canonical['top_p'] === 'number') config['topP'] = canonical['top_p'];
  if (typeof canonical['seed'] === 'number') config['seed'] = canonical['seed'];
  const max = canonical['max_completion_tokens'] ?? canonical['max_tokens'];
  if (typeof max === 'number') config['maxOutputTokens'] = max;
  const stop = canonical['stop'];
  if (typeof stop === 'string') config['stopSequences'] = [stop];
  else if (Array.isArray(stop)) config['stopSequences'] = stop;
  const format = canonical['response_format'];
  if (isObject(format) && (format['type'] === 'json_object' || format['type'] === 'json_schema')) {
    config['responseMimeType'] = 'application/json';
    if (isObject(format['json_schema']) && isObject(format['json_schema']['schema'])) {
      config['responseJsonSchema'] = format['json_schema']['schema'];
    }
  }
  if (Object.keys(config).length > 0) out['generationConfig'] = config;

  if (Array.isArray(canonical['tools']) && canonical['tools'].length > 0) {
    const declarations = canonical['tools'].map((tool: unknown, i) => {
      const fn = isObject(tool) && isObject(tool['function']) ? tool['function'] : undefined;
      if (!fn) throw new FormatError(`tools[${i}]: only function tools are supported by gemini.`, 'tools');
      const declaration: JsonObject = { name: fn['name'] };
      if (fn['description'] !== undefined) declaration['description'] = fn['description'];
      if (fn['parameters'] !== undefined) declaration['parametersJsonSchema'] = fn['parameters'];
      return declaration;
    });
    out['tools'] = [{ functionDeclarations: declarations }];
  }
  const choice = canonical['tool_choice'];
  if (typeof choice === 'string' && Object.hasOwn(TOOL_MODES, choice)) {
    out['toolConfig'] = { functionCallingConfig: { mode: TOOL_MODES[choice] } };
  } else if (isObject(choice) && isObject(choice['function'])) {
    out['toolConfig'] = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice['function']['name']] } };
  }
  return out;
}
