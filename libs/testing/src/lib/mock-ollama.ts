import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonSender, resetMidStream, startRecordingMock, type RecordedRequest } from './mock-http-server';

/**
 * A server speaking Ollama's native API as its reference describes it: `POST /api/chat` answering
 * one JSON object (`stream: false`) or NDJSON lines (streaming is Ollama's default), the last with
 * `done: true`, `done_reason` and the token counts; `POST /api/embed`; `GET /api/tags`; errors as
 * `{"error": "…"}`.
 * A request with tools is answered with a tool call.
 */
export interface MockOllamaDirectives {
  status?: number;
  retryAfter?: string;
  /** Close the socket in the middle of a stream, after the first line. */
  reset?: 'mid';
  /** An `{"error": …}` line in the middle of a stream, as Ollama sends when a model fails while generating. */
  errorLine?: string;
}

export interface MockOllama {
  url: string;
  requests: RecordedRequest[];
  setDefaults(directives: MockOllamaDirectives): void;
  close(): Promise<void>;
}

export interface MockOllamaOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (Ollama behind an auth proxy). */
  apiKey?: string;
}

/** Ollama's JSON answers name their charset. */
const sendJson = jsonSender('application/json; charset=utf-8');

export const OLLAMA_PROMPT_TOKENS = 26;
export const OLLAMA_EVAL_COUNT = 12;
export const OLLAMA_EMBED_TOKENS_PER_INPUT = 4;

export async function startMockOllama(options: MockOllamaOptions = {}): Promise<MockOllama> {
  const mock = await startRecordingMock<MockOllamaDirectives>(
    ({ req, res, body }, directives) => handle(req, res, body, options, directives),
    { badJson: (res) => sendJson(res, 400, { error: 'invalid character in request body' }) },
  );
  return { ...mock, url: `http://127.0.0.1:${mock.port}` };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, unknown>,
  options: MockOllamaOptions,
  mock: MockOllamaDirectives,
): Promise<void> {
  if (options.apiKey && req.headers['authorization'] !== `Bearer ${options.apiKey}`) {
    return sendJson(res, 401, { error: 'unauthorized' });
  }
  const path = (req.url ?? '').replace(/\?.*$/, '');
  if (req.method === 'GET' && path === '/api/tags') {
    return sendJson(res, 200, { models: [{ name: 'llama3.2:latest', model: 'llama3.2:latest', size: 2019393189 }] });
  }
  if (req.method !== 'POST' || (path !== '/api/chat' && path !== '/api/embed')) {
    return sendJson(res, 404, { error: '404 page not found' });
  }
  if (mock.status) {
    if (mock.retryAfter) res.setHeader('retry-after', mock.retryAfter);
    return sendJson(res, mock.status, { error: `mock failure ${mock.status}` });
  }
  if (path === '/api/embed') return embed(res, body);
  const model = String(body['model'] ?? '');
  const created_at = new Date().toISOString();
  const withTools = Array.isArray(body['tools']) && body['tools'].length > 0;
  const words = ['Hello', ' from', ' Ollama', '.'];
  const toolCall = { function: { name: 'get_weather', arguments: { city: 'Bergen' } } };
  const last = {
    model,
    created_at,
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 4883583458,
    load_duration: 1334875,
    prompt_eval_count: OLLAMA_PROMPT_TOKENS,
    prompt_eval_duration: 342546000,
    eval_count: OLLAMA_EVAL_COUNT,
    eval_duration: 4535599000,
  };
  if (body['stream'] === false) {
    const message: Record<string, unknown> = { role: 'assistant', content: words.join('') };
    if (withTools) message['tool_calls'] = [toolCall];
    return sendJson(res, 200, { ...last, message });
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const [i, word] of words.entries()) {
    res.write(JSON.stringify({ model, created_at, message: { role: 'assistant', content: word }, done: false }) + '\n');
    if (i === 0 && mock.errorLine) {
      res.end(JSON.stringify({ error: mock.errorLine }) + '\n');
      return;
    }
    if (i === 0 && mock.reset) return resetMidStream(res);
  }
  if (withTools) {
    res.write(
      JSON.stringify({
        model,
        created_at,
        message: { role: 'assistant', content: '', tool_calls: [toolCall] },
        done: false,
      }) + '\n',
    );
  }
  res.end(JSON.stringify(last) + '\n');
}

/** `/api/embed`: one vector per input (a string or strings), `prompt_eval_count` of 4 tokens an input. */
function embed(res: ServerResponse, body: Record<string, unknown>): void {
  const input = body['input'];
  const texts = typeof input === 'string' ? [input] : Array.isArray(input) ? input : undefined;
  if (!texts || !texts.every((t) => typeof t === 'string')) {
    return sendJson(res, 400, { error: 'invalid input type' });
  }
  const size = typeof body['dimensions'] === 'number' ? body['dimensions'] : 3;
  sendJson(res, 200, {
    model: String(body['model'] ?? ''),
    embeddings: texts.map((_, i) => Array.from({ length: size }, (_, j) => (j === 0 ? 0.125 + i : 0.5 * j))),
    total_duration: 14143917,
    load_duration: 1019500,
    prompt_eval_count: OLLAMA_EMBED_TOKENS_PER_INPUT * texts.length,
  });
}
