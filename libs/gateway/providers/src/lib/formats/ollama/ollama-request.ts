import { FormatError, type JsonObject } from '../wire-format';

function isObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

const DATA_URL = /^data:[^;,]+;base64,(.*)$/s;

/** OpenAI content → Ollama's text and base64 images (Ollama fetches no URLs). */
function contentOf(content: unknown, where: string): { text: string; images: string[] } {
  if (typeof content === 'string') return { text: content, images: [] };
  if (content == null) return { text: '', images: [] };
  if (!Array.isArray(content)) throw new FormatError(`${where}.content: must be a string or an array.`, where);
  let text = '';
  const images: string[] = [];
  content.forEach((part, i) => {
    if (!isObject(part)) throw new FormatError(`${where}.content[${i}]: must be an object.`, where);
    if (part['type'] === 'text') text += String(part['text'] ?? '');
    else if (part['type'] === 'image_url') {
      const image = part['image_url'];
      const url = typeof image === 'string' ? image : isObject(image) ? image['url'] : undefined;
      const data = typeof url === 'string' ? DATA_URL.exec(url) : null;
      if (!data) {
        throw new FormatError(
          `${where}.content[${i}]: an ollama channel takes images as base64 data URLs only.`,
          where,
        );
      }
      images.push(data[1] ?? '');
    } else
      throw new FormatError(
        `${where}.content[${i}]: part type '${String(part['type'])}' is not supported by ollama.`,
        where,
      );
  });
  return { text, images };
}

function argumentsOf(value: unknown, where: string): unknown {
  if (typeof value !== 'string') return value ?? {};
  try {
    return value === '' ? {} : JSON.parse(value);
  } catch {
    throw new FormatError(`${where}.function.arguments: must be JSON.`, where);
  }
}

function messageOf(message: unknown, i: number, toolNames: Map<string, string>): JsonObject {
  const where = `messages[${i}]`;
  if (!isObject(message)) throw new FormatError(`${where}: must be an object.`, where);
  const role = message['role'] === 'developer' ? 'system' : String(message['role'] ?? '');
  const { text, images } = contentOf(message['content'], where);
  const out: JsonObject = { role, content: text };
  if (images.length > 0) out['images'] = images;
  if (role === 'assistant' && Array.isArray(message['tool_calls'])) {
    out['tool_calls'] = message['tool_calls'].map((call: unknown, j: number) => {
      const fn = isObject(call) && isObject(call['function']) ? call['function'] : {};
      if (isObject(call) && typeof call['id'] === 'string') toolNames.set(call['id'], String(fn['name'] ?? ''));
      return { function: { name: fn['name'], arguments: argumentsOf(fn['arguments'], `${where}.tool_calls[${j}]`) } };
    });
  }
  if (role === 'tool') {
    const name = toolNames.get(String(message['tool_call_id'] ?? ''));
    if (name) out['tool_name'] = name;
  }
  return out;
}

/** Canonical (OpenAI chat) sampling fields → Ollama `options`. */
const OPTIONS: Record<string, string> = {
  temperature: 'temperature',
  top_p: 'top_p',
  seed: 'seed',
  presence_penalty: 'presence_penalty',
  frequency_penalty: 'frequency_penalty',
  max_tokens: 'num_predict',
  max_completion_tokens: 'num_predict',
};

/** A canonical chat request as Ollama's `POST /api/chat` body. */
export function canonicalToOllamaRequest(canonical: JsonObject): JsonObject {
  if (typeof canonical['n'] === 'number' && canonical['n'] > 1) {
    throw new FormatError('n > 1 is not supported by an ollama channel.', 'n');
  }
  const messages = canonical['messages'];
  if (!Array.isArray(messages)) throw new FormatError('messages: must be an array.', 'messages');
  const toolNames = new Map<string, string>();
  const out: JsonObject = {
    model: canonical['model'],
    messages: messages.map((m, i) => messageOf(m, i, toolNames)),
    // Ollama streams unless told not to.
    stream: canonical['stream'] === true,
  };
  const options: JsonObject = {};
  for (const [from, to] of Object.entries(OPTIONS)) {
    if (typeof canonical[from] === 'number') options[to] = canonical[from];
  }
  const stop = canonical['stop'];
  if (typeof stop === 'string') options['stop'] = [stop];
  else if (Array.isArray(stop)) options['stop'] = stop;
  if (Object.keys(options).length > 0) out['options'] = options;
  if (Array.isArray(canonical['tools'])) out['tools'] = canonical['tools'];
  // Ollama's `think` takes a level ("low", "medium", "high": gpt-oss) or false to switch it off.
  const effort = canonical['reasoning_effort'];
  if (effort === 'low' || effort === 'medium' || effort === 'high') out['think'] = effort;
  else if (effort === 'none') out['think'] = false;
  const format = canonical['response_format'];
  if (isObject(format)) {
    if (format['type'] === 'json_object') out['format'] = 'json';
    else if (format['type'] === 'json_schema' && isObject(format['json_schema'])) {
      out['format'] = format['json_schema']['schema'];
    }
  }
  return out;
}
