import type { IncomingMessage, ServerResponse } from 'node:http';
import { resetMidStream, sendJson, startRecordingMock, type RecordedRequest } from './mock-http-server';

/**
 * A real HTTP server speaking Anthropic's Messages API wire format (docs.claude.com, the official
 * SDK's types; see ../shared/protocols/anthropic.md): `x-api-key` and `anthropic-version`
 * required, `{type:"error", error:{type, message}}` errors, and SSE with an `event:` line per event.
 * Steered by `setDefaults` (the OpenAI-format caller has no field the translation would carry).
 */
export interface AnthropicMockDirectives {
  /** Answer with this status and Anthropic's error body for it (529: overloaded_error). */
  status?: number;
  retryAfter?: string;
  /** Close the socket in the middle of a stream. */
  reset?: 'mid';
}

export interface MockAnthropic {
  /** The channel's base URL (Anthropic's is https://api.anthropic.com, without /v1). */
  url: string;
  requests: RecordedRequest[];
  setDefaults(directives: AnthropicMockDirectives): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export async function startMockAnthropic(options: { apiKey: string }): Promise<MockAnthropic> {
  const mock = await startRecordingMock<AnthropicMockDirectives>(
    ({ req, res, body }, directives) => handle(req, res, body, options, directives),
    { badJson: (res) => sendError(res, 400, 'There was an issue with the format or content of your request.') },
  );
  return { ...mock, url: `http://127.0.0.1:${mock.port}` };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, unknown>,
  options: { apiKey: string },
  mock: AnthropicMockDirectives,
): Promise<void> {
  if (req.headers['x-api-key'] !== options.apiKey) return sendError(res, 401, 'invalid x-api-key');
  if (!req.headers['anthropic-version']) return sendError(res, 400, 'anthropic-version: header is required');
  const path = (req.url ?? '').replace(/\?.*$/, '');
  if (req.method === 'GET' && path === '/v1/models') {
    return sendJson(res, 200, {
      data: [{ type: 'model', id: 'claude-mock', display_name: 'Claude Mock', created_at: '2026-01-01T00:00:00Z' }],
      has_more: false,
      first_id: 'claude-mock',
      last_id: 'claude-mock',
    });
  }
  if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
    if (!Array.isArray(body['messages'])) return sendError(res, 400, 'messages: Field required');
    return sendJson(res, 200, { input_tokens: 77 });
  }
  if (req.method !== 'POST' || path !== '/v1/messages') return sendError(res, 404, 'Not found');
  if (mock.status) {
    if (mock.retryAfter) res.setHeader('retry-after', mock.retryAfter);
    return sendError(res, mock.status, `mock failure ${mock.status}`);
  }
  if (typeof body['max_tokens'] !== 'number') return sendError(res, 400, 'max_tokens: Field required');
  if (!Array.isArray(body['messages'])) return sendError(res, 400, 'messages: Field required');
  const withTool = Array.isArray(body['tools']) && body['tools'].length > 0;
  // Extended thinking asked for: a thinking block with its signature comes first, as Claude sends it.
  const thinking = (body['thinking'] as { type?: string } | undefined)?.type === 'enabled';
  const model = String(body['model']);
  const usage = { input_tokens: 21, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 4 };
  if (body['stream'] !== true) {
    return sendJson(res, 200, {
      id: 'msg_mock01',
      type: 'message',
      role: 'assistant',
      model,
      content: [
        ...(thinking ? [{ type: 'thinking', thinking: 'The user greets me.', signature: 'sig-mock-1' }] : []),
        { type: 'text', text: 'Hello from Claude.' },
        ...(withTool ? [{ type: 'tool_use', id: 'toolu_mock1', name: 'get_weather', input: { city: 'Oslo' } }] : []),
      ],
      stop_reason: withTool ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage,
    });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (type: string, data: object) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', {
    message: {
      id: 'msg_mock02',
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  });
  const at = thinking ? 1 : 0;
  if (thinking) {
    send('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } });
    send('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'The user greets me.' } });
    send('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'sig-mock-2' } });
    send('content_block_stop', { index: 0 });
  }
  send('content_block_start', { index: at, content_block: { type: 'text', text: '' } });
  send('ping', {});
  send('content_block_delta', { index: at, delta: { type: 'text_delta', text: 'Hello' } });
  if (mock.reset === 'mid') return resetMidStream(res);
  send('content_block_delta', { index: at, delta: { type: 'text_delta', text: ' from Claude.' } });
  send('content_block_stop', { index: at });
  if (withTool) {
    send('content_block_start', {
      index: at + 1,
      content_block: { type: 'tool_use', id: 'toolu_mock2', name: 'get_weather', input: {} },
    });
    send('content_block_delta', { index: at + 1, delta: { type: 'input_json_delta', partial_json: '' } });
    send('content_block_delta', { index: at + 1, delta: { type: 'input_json_delta', partial_json: '{"city": "Ber' } });
    send('content_block_delta', { index: at + 1, delta: { type: 'input_json_delta', partial_json: 'gen"}' } });
    send('content_block_stop', { index: at + 1 });
  }
  send('message_delta', {
    delta: { stop_reason: withTool ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: 9 },
  });
  send('message_stop', {});
  res.end();
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, {
    type: 'error',
    error: { type: ERROR_TYPES[status] ?? 'api_error', message },
    request_id: 'req_mock',
  });
}
