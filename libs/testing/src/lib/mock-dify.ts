import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { audioFixture } from './audio-fixtures';
import { resetMidStream, sendJson, startMockHttpServer } from './mock-http-server';

/**
 * A real HTTP server speaking one Dify chat app's service API (docs.dify.ai, the app API
 * templates; see ../shared/protocols/dify.md): Bearer app key, `user` and `inputs` required,
 * conversations kept per user, errors as `{code, message, status}`, and SSE with one
 * `data: {"event": ...}` line per event, `event: ping` keep-alives and no `[DONE]`.
 * Steered by `setDefaults` (the OpenAI-format caller has no field the translation would carry).
 */
export interface DifyMockDirectives {
  /** Answer with this status and Dify's error body for it. */
  status?: number;
  retryAfter?: string;
  /** Close the socket after the first streamed answer. */
  reset?: 'mid';
  /** Keep the stream open after the first answer until the task is stopped or the caller leaves. */
  hold?: boolean;
  /** Send an `error` event after the first answer, as Dify does when the model fails mid-stream. */
  streamError?: boolean;
  /** Replace the answer (output moderation) before message_end. */
  replace?: string;
}

export interface MockDify {
  /** The channel's base URL, with /v1 as Dify's. */
  url: string;
  requests: { method: string; path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[];
  /** Stop calls received: task id and user. */
  stops: { taskId: string; user: unknown }[];
  setDefaults(directives: DifyMockDirectives): void;
  close(): Promise<void>;
}

const ERROR_CODES: Record<number, string> = {
  400: 'invalid_param',
  401: 'unauthorized',
  404: 'not_found',
  429: 'too_many_requests',
  500: 'internal_server_error',
};

export const DIFY_MOCK_USAGE = {
  prompt_tokens: 31,
  prompt_unit_price: '0.15',
  prompt_price_unit: '0.000001',
  prompt_price: '0.0000047',
  completion_tokens: 7,
  completion_unit_price: '0.6',
  completion_price_unit: '0.000001',
  completion_price: '0.0000042',
  total_tokens: 38,
  total_price: '0.0000089',
  currency: 'USD',
  latency: 0.42,
};

export async function startMockDify(options: { apiKey: string }): Promise<MockDify> {
  let defaults: DifyMockDirectives = {};
  const requests: MockDify['requests'] = [];
  const stops: MockDify['stops'] = [];
  /** conversation id → its user and turns so far. */
  const conversations = new Map<string, { user: string; turns: number }>();
  /** Running streamed tasks, ended by the stop endpoint. */
  const running = new Map<string, () => void>();
  const server = await startMockHttpServer(
    ({ req, res, body }) => {
      const path = (req.url ?? '').replace(/\?.*$/, '').replace(/^\/v1/, '');
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      const state = { conversations, running, stops, mock: defaults };
      return handle(req, res, path, body, options, state);
    },
    {
      badJson: (res) => sendError(res, 400, 'invalid_param', 'Invalid JSON payload received or JSON payload is empty.'),
      forms: true,
    },
  );
  return {
    url: `http://127.0.0.1:${server.port}/v1`,
    requests,
    stops,
    setDefaults: (directives) => (defaults = directives),
    close: server.close,
  };
}

interface MockState {
  conversations: Map<string, { user: string; turns: number }>;
  running: Map<string, () => void>;
  stops: MockDify['stops'];
  mock: DifyMockDirectives;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: Record<string, unknown>,
  options: { apiKey: string },
  state: MockState,
): Promise<void> {
  if (req.headers['authorization'] !== `Bearer ${options.apiKey}`) {
    return sendError(res, 401, 'unauthorized', 'Access token is invalid');
  }
  if (req.method === 'GET' && path === '/parameters') {
    return sendJson(res, 200, {
      opening_statement: '',
      user_input_form: [],
      file_upload: { image: { enabled: false } },
    });
  }
  const stop = /^\/(?:chat|completion)-messages\/([^/]+)\/stop$/.exec(path);
  if (req.method === 'POST' && stop) {
    if (typeof body['user'] !== 'string') return sendError(res, 400, 'invalid_param', 'Arg user must be provided.');
    const taskId = decodeURIComponent(stop[1] ?? '');
    state.stops.push({ taskId, user: body['user'] });
    state.running.get(taskId)?.();
    return sendJson(res, 200, { result: 'success' });
  }
  if (req.method === 'POST' && path === '/completion-messages') return complete(res, body);
  if (req.method === 'POST' && path === '/audio-to-text') return transcribe(res, body);
  if (req.method === 'POST' && path === '/text-to-audio') return speak(res, body);
  if (req.method !== 'POST' || path !== '/chat-messages') return sendError(res, 404, 'not_found', 'Not Found');
  const { mock } = state;
  if (mock.status) {
    if (mock.retryAfter) res.setHeader('retry-after', mock.retryAfter);
    return sendError(res, mock.status, ERROR_CODES[mock.status] ?? 'unknown', `mock failure ${mock.status}`);
  }
  const user = body['user'];
  if (typeof user !== 'string' || user === '') {
    return sendError(res, 400, 'invalid_param', 'Arg user must be provided.');
  }
  if (typeof body['query'] !== 'string') return sendError(res, 400, 'invalid_param', 'query is required');
  if (!body['inputs'] || typeof body['inputs'] !== 'object') {
    return sendError(res, 400, 'invalid_param', 'inputs is required in request body');
  }
  let conversationId = typeof body['conversation_id'] === 'string' ? body['conversation_id'] : '';
  let conversation = conversationId ? state.conversations.get(conversationId) : undefined;
  if (conversationId && (!conversation || conversation.user !== user)) {
    return sendError(res, 404, 'not_found', 'Conversation Not Exists.');
  }
  if (!conversation) {
    conversationId = randomUUID();
    conversation = { user, turns: 0 };
    state.conversations.set(conversationId, conversation);
  }
  conversation.turns += 1;
  const common = {
    task_id: randomUUID(),
    id: randomUUID(),
    message_id: '',
    conversation_id: conversationId,
    created_at: Math.floor(Date.now() / 1000),
  };
  common.message_id = common.id;
  const pieces = [`Turn ${conversation.turns}: `, `you said ${String(body['query'])}`];
  if (body['response_mode'] !== 'streaming') {
    return sendJson(res, 200, {
      event: 'message',
      ...common,
      mode: 'chat',
      answer: pieces.join(''),
      metadata: { usage: DIFY_MOCK_USAGE, retriever_resources: [] },
    });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (data: object) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  send({ event: 'message', ...common, answer: pieces[0] });
  res.write('event: ping\n\n');
  if (mock.reset === 'mid') return resetMidStream(res);
  if (mock.streamError) {
    send({
      event: 'error',
      message_id: common.message_id,
      status: 400,
      code: 'completion_request_error',
      message: 'mock model failure',
    });
    return void res.end();
  }
  if (mock.hold) {
    await new Promise<void>((resolve) => {
      state.running.set(common.task_id, resolve);
      res.once('close', resolve);
    });
    state.running.delete(common.task_id);
    if (res.destroyed) return;
  }
  send({ event: 'message', ...common, answer: pieces[1] });
  if (mock.replace) send({ event: 'message_replace', ...common, answer: mock.replace });
  send({ event: 'message_end', ...common, metadata: { usage: DIFY_MOCK_USAGE, retriever_resources: [] }, files: null });
  res.end();
}

/** A Text Generator app: stateless, its text in the `query` input variable, no conversation. */
function complete(res: ServerResponse, body: Record<string, unknown>): void {
  const inputs = body['inputs'] as Record<string, unknown> | undefined;
  if (typeof body['user'] !== 'string') return sendError(res, 400, 'invalid_param', 'Arg user must be provided.');
  if (!inputs || typeof inputs['query'] !== 'string') {
    return sendError(res, 400, 'invalid_param', 'query is required in input form');
  }
  const id = randomUUID();
  const common = { task_id: randomUUID(), id, message_id: id, created_at: Math.floor(Date.now() / 1000) };
  const answer = `Completed: ${inputs['query']}`;
  if (body['response_mode'] !== 'streaming') {
    return sendJson(res, 200, {
      event: 'message',
      ...common,
      mode: 'completion',
      answer,
      metadata: { usage: DIFY_MOCK_USAGE },
    });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(`data: ${JSON.stringify({ event: 'message', ...common, answer })}\n\n`);
  res.write(`data: ${JSON.stringify({ event: 'message_end', ...common, metadata: { usage: DIFY_MOCK_USAGE } })}\n\n`);
  res.end();
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { code, message, status });
}

/** The app's speech to text: a multipart `file` (audio) and `user`, answered `{text}`. */
function transcribe(res: ServerResponse, body: Record<string, unknown>) {
  const file = body['file'] as { type?: string; size?: number } | undefined;
  if (!file || typeof file !== 'object') return sendError(res, 400, 'no_audio_uploaded', 'Please upload your audio.');
  if (!String(file.type).startsWith('audio/')) {
    return sendError(res, 415, 'unsupported_audio_type', 'Audio type not allowed.');
  }
  return sendJson(res, 200, { text: `Heard ${file.size} bytes of audio.` });
}

/** The app's text to speech: `text` (or a `message_id`) and `user`, answered with the audio's bytes. */
function speak(res: ServerResponse, body: Record<string, unknown>) {
  if (typeof body['user'] !== 'string') return sendError(res, 400, 'invalid_param', 'Arg user must be provided.');
  if (typeof body['text'] !== 'string' && typeof body['message_id'] !== 'string') {
    return sendError(res, 400, 'invalid_param', 'text or message_id is required');
  }
  const audio = audioFixture('tone.wav');
  res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': audio.length });
  res.end(audio);
}
