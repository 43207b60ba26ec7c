import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AUDIO_FIXTURE_SECONDS, audioFixture } from './audio-fixtures';
import { recordOf, resetMidStream, sendJson, startMockHttpServer, type RecordedRequest } from './mock-http-server';

/**
 * A real OpenAI-compatible HTTP server for tests and benchmarks. Requests steer it with an extra
 * body field, `mock`, which the gateway must forward untouched like any field it does not know.
 * It needs only Node built-ins, so the benchmark can run it in a process of its own.
 */
export interface MockDirectives {
  /** Delay before the status line. */
  delayMs?: number;
  /** Answer with this status and an OpenAI error body. */
  status?: number;
  /** The error body's `code` and `type` with `status` (default `mock_error`, and a type by status). */
  errorCode?: string;
  /** The error body's message with `status` (default `mock failure <status>`). */
  errorMessage?: string;
  /** Close the socket before answering, or in the middle of the answer (a stream's, or a JSON body's). */
  reset?: 'before' | 'mid';
  /** Leave usage out of the answer, as some OpenAI-compatible servers do. */
  noUsage?: boolean;
  /** Report this many prompt tokens as served from the prompt cache (`prompt_tokens_details.cached_tokens`). */
  cachedTokens?: number;
  /** Streamed content chunks (default 3) and the pause between them. */
  chunks?: number;
  chunkDelayMs?: number;
  retryAfter?: string;
  /** Answer embeddings with float arrays whatever `encoding_format` asks, as many servers do. */
  floatsOnly?: boolean;
  /** Hold the stream after its first chunk until the test calls `release(gate)`. */
  gate?: string;
  /** Fail (with `status`, 400 by default) repeating this request header's value in the error, as careless servers do. */
  echoHeader?: string;
}

export interface MockUpstream {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Responses whose caller went away before they were complete. */
  aborted: number;
  /** Lets a stream held at `gate` go on. */
  release(gate: string): void;
  /** Directives applied to every request (a request's own `mock` field wins); {} for a healthy server. */
  setDefaults(directives: MockDirectives): void;
  close(): Promise<void>;
}

export interface MockUpstreamOptions {
  port?: number;
  host?: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Keep request bodies for assertions (off in benchmarks). */
  record?: boolean;
  /** Directives for every request, e.g. `{ status: 500 }` for an upstream that always fails. */
  defaults?: MockDirectives;
}

const WORDS = ['Hello', ' from', ' the', ' mock', ' upstream', '.'];

interface Gate {
  opened: Promise<void>;
  open(): void;
}

interface State {
  defaults: MockDirectives;
  requests: RecordedRequest[];
  aborted: number;
  gates: Map<string, Gate>;
}

function gateOf(state: State, name: string): Gate {
  let gate = state.gates.get(name);
  if (!gate) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    gate = { opened, open };
    state.gates.set(name, gate);
  }
  return gate;
}

export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const state: State = { defaults: options.defaults ?? {}, requests: [], aborted: 0, gates: new Map() };
  const server = await startMockHttpServer(
    ({ req, res, body, raw }) => {
      if (options.record !== false) state.requests.push({ ...recordOf(req, body), raw: raw.toString('utf8') });
      return handle(req, res, body, options, state);
    },
    {
      port: options.port,
      host: options.host,
      keepAliveTimeoutMs: 60_000,
      forms: true,
      badJson: (res) =>
        sendJson(res, 400, { error: { message: 'bad json', type: 'invalid_request_error', param: null, code: null } }),
    },
  );
  return {
    url: `http://127.0.0.1:${server.port}/v1`,
    port: server.port,
    get requests() {
      return state.requests;
    },
    get aborted() {
      return state.aborted;
    },
    release: (gate) => gateOf(state, gate).open(),
    setDefaults: (directives) => (state.defaults = directives),
    close: server.close,
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, unknown>,
  options: MockUpstreamOptions,
  state: State,
): Promise<void> {
  const mock = { ...state.defaults, ...(body['mock'] as MockDirectives | undefined) };
  if (options.apiKey && req.headers['authorization'] !== `Bearer ${options.apiKey}`) {
    const presented = String(req.headers['authorization'] ?? '').replace(/^Bearer /, '');
    return sendJson(res, 401, {
      error: {
        message: `Incorrect API key provided: ${presented}.`,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
  }
  // A caller that leaves ends the wait: no timer outlives the call (or the test).
  if (mock.delayMs && !(await waitWhileConnected(res, mock.delayMs))) return;
  if (mock.reset === 'before') return void req.socket.destroy();
  if (mock.echoHeader) {
    const value = String(req.headers[mock.echoHeader.toLowerCase()] ?? '');
    return sendJson(res, mock.status ?? 400, {
      error: {
        message: `header ${mock.echoHeader} '${value}' is not accepted`,
        type: 'invalid_request_error',
        param: mock.echoHeader,
        code: 'mock_echo',
      },
    });
  }
  if (mock.status) {
    if (mock.retryAfter) res.setHeader('retry-after', mock.retryAfter);
    return sendJson(res, mock.status, {
      error: {
        message: mock.errorMessage ?? `mock failure ${mock.status}`,
        type: mock.errorCode ?? (mock.status >= 500 ? 'server_error' : 'invalid_request_error'),
        param: null,
        code: mock.errorCode ?? 'mock_error',
      },
    });
  }
  const model = String(body['model'] ?? 'unknown');
  const path = (req.url ?? '').replace(/\?.*$/, '');
  if (req.method === 'GET' && path.endsWith('/models')) {
    return sendJson(res, 200, {
      object: 'list',
      data: [{ id: 'mock-model', object: 'model', created: 0, owned_by: 'mock' }],
    });
  }
  if (path.endsWith('/embeddings')) return sendJson(res, 200, embeddings(model, body, mock));
  if (path.endsWith('/moderations')) return sendJson(res, 200, moderations(model, body));
  if (path.endsWith('/rerank')) return sendJson(res, 200, rerank(model, body, mock));
  if (path.endsWith('/audio/speech')) return speech(res, body, mock, state);
  if (path.endsWith('/audio/transcriptions') || path.endsWith('/audio/translations')) {
    return transcription(res, model, body, path.endsWith('/translations'));
  }
  if (path.endsWith('/images/edits') || path.endsWith('/images/variations'))
    return sendJson(res, 200, images(body, mock));
  if (path.endsWith('/images/generations')) {
    if (body['stream'] === true) return imageEvents(res, mock);
    return sendJson(res, 200, images(body, mock));
  }
  const chat = path.endsWith('/chat/completions');
  if (!chat && !path.endsWith('/completions'))
    return sendJson(res, 404, {
      error: { message: 'no such route', type: 'invalid_request_error', param: null, code: null },
    });
  if (body['stream'] === true) return stream(res, chat, model, body, mock, state);
  const text = WORDS.join('');
  const usage = mock.noUsage
    ? undefined
    : { prompt_tokens: 11, completion_tokens: 6, total_tokens: 17, ...cacheDetails(mock) };
  const send = mock.reset === 'mid' ? sendHalfAndReset : sendJson;
  return send(res, 200, {
    id: 'chatcmpl-mock',
    object: chat ? 'chat.completion' : 'text_completion',
    created: 1767225600,
    model,
    choices: [
      chat
        ? {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          }
        : { index: 0, text, logprobs: null, finish_reason: 'stop' },
    ],
    ...(usage && { usage }),
    system_fingerprint: 'fp_mock',
    mock_extra: { kept: true },
  });
}

async function stream(
  res: ServerResponse,
  chat: boolean,
  model: string,
  body: Record<string, unknown>,
  mock: MockDirectives,
  state: State,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let finished = false;
  res.on('close', () => {
    if (!finished) state.aborted++;
  });
  const count = mock.chunks ?? 3;
  const base = {
    id: 'chatcmpl-mock',
    object: chat ? 'chat.completion.chunk' : 'text_completion',
    created: 1767225600,
    model,
  };
  const includeUsage = (body['stream_options'] as { include_usage?: boolean } | undefined)?.include_usage === true;
  for (let i = 0; i < count; i++) {
    if (res.destroyed) return;
    if (mock.reset === 'mid' && i === Math.floor(count / 2)) {
      return resetMidStream(res);
    }
    const word = WORDS[i % WORDS.length];
    const choice = chat
      ? {
          index: 0,
          delta: i === 0 ? { role: 'assistant', content: word } : { content: word },
          logprobs: null,
          finish_reason: null,
        }
      : { index: 0, text: word, logprobs: null, finish_reason: null };
    res.write(`data: ${JSON.stringify({ ...base, choices: [choice], ...(includeUsage && { usage: null }) })}\n\n`);
    if (i === 0 && mock.gate) await gateOf(state, mock.gate).opened;
    if (mock.chunkDelayMs) await sleep(mock.chunkDelayMs);
  }
  const last = chat
    ? { index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }
    : { index: 0, text: '', logprobs: null, finish_reason: 'stop' };
  res.write(`data: ${JSON.stringify({ ...base, choices: [last], ...(includeUsage && { usage: null }) })}\n\n`);
  if (includeUsage && !mock.noUsage) {
    res.write(
      `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 11, completion_tokens: count, total_tokens: 11 + count, ...cacheDetails(mock) } })}\n\n`,
    );
  }
  finished = true;
  res.end('data: [DONE]\n\n');
}

function embeddings(model: string, body: Record<string, unknown>, mock: MockDirectives) {
  const inputs = Array.isArray(body['input']) ? body['input'] : [body['input']];
  const base64 = body['encoding_format'] === 'base64' && !mock.floatsOnly;
  return {
    object: 'list',
    data: inputs.map((_, index) => {
      const vector = [0.25 + index, -0.5, 0.125];
      return {
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
      };
    }),
    model,
    ...(!mock.noUsage && { usage: { prompt_tokens: 2 * inputs.length, total_tokens: 2 * inputs.length } }),
  };
}

/** OpenAI's moderation answer: one result per input, flagged when the text says "attack". */
function moderations(model: string, body: Record<string, unknown>) {
  const inputs = Array.isArray(body['input']) ? body['input'] : [body['input']];
  return {
    id: 'modr-mock',
    model,
    results: inputs.map((input) => {
      const flagged = String(input).includes('attack');
      return {
        flagged,
        categories: { violence: flagged, harassment: false },
        category_scores: { violence: flagged ? 0.91 : 0.01, harassment: 0.001 },
        category_applied_input_types: { violence: ['text'], harassment: ['text'] },
      };
    }),
  };
}

/**
 * Jina's rerank answer (vLLM's too): the documents by relevance, here the ones sharing more words
 * with the query first, `top_n` of them, and usage as total tokens (a word each).
 */
function rerank(model: string, body: Record<string, unknown>, mock: MockDirectives) {
  const documents = Array.isArray(body['documents']) ? body['documents'].map(String) : [];
  const words = new Set(String(body['query']).toLowerCase().split(/\s+/));
  const scored = documents.map((document, index) => {
    const shared = document
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => words.has(w)).length;
    return { index, relevance_score: shared / (1 + shared), document };
  });
  scored.sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
  const topN = typeof body['top_n'] === 'number' ? body['top_n'] : scored.length;
  const tokens = [String(body['query']), ...documents].join(' ').split(/\s+/).length;
  return {
    model,
    results: scored
      .slice(0, topN)
      .map(({ index, relevance_score, document }) =>
        body['return_documents'] === true
          ? { index, relevance_score, document: { text: document } }
          : { index, relevance_score },
      ),
    ...(!mock.noUsage && { usage: { total_tokens: tokens } }),
  };
}

/**
 * OpenAI's transcription answers: JSON with token usage (gpt-4o-transcribe) or seconds (whisper-1),
 * plain text for `response_format` `text`, `srt` or `vtt`, or with `stream=true` transcript events ending in usage.
 */
function transcription(res: ServerResponse, model: string, body: Record<string, unknown>, translation: boolean) {
  const text = translation ? 'Hello, translated.' : 'Hello from the mock upstream.';
  const usage =
    model === 'whisper-1'
      ? { type: 'duration', seconds: 3 }
      : { type: 'tokens', input_tokens: 20, output_tokens: 5, total_tokens: 25 };
  if (body['stream'] === 'true') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const delta of ['Hello', ' from the mock upstream.']) {
      res.write(`data: ${JSON.stringify({ type: 'transcript.text.delta', delta })}\n\n`);
    }
    return void res.end(`data: ${JSON.stringify({ type: 'transcript.text.done', text, usage })}\n\n`);
  }
  // Text, subtitles: no usage in them.
  const format = body['response_format'];
  if (format === 'text' || format === 'srt' || format === 'vtt') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    const cue = `00:00:00${format === 'srt' ? ',' : '.'}000 --> 00:00:03${format === 'srt' ? ',' : '.'}000\n${text}\n`;
    return void res.end(format === 'text' ? `${text}\n` : format === 'srt' ? `1\n${cue}\n` : `WEBVTT\n\n${cue}\n`);
  }
  sendJson(res, 200, { text, usage });
}

/** An answer's bytes in three pieces: its first 100 bytes, then two halves of the rest. */
function inThree(bytes: Buffer): readonly Buffer[] {
  const half = 100 + ((bytes.length - 100) >> 1);
  return [bytes.subarray(0, 100), bytes.subarray(100, half), bytes.subarray(half)];
}

/** The audio a speech call returns in MP3, OpenAI's default, in three pieces: 7.38 s of a tone. */
export const MOCK_SPEECH_CHUNKS: readonly Buffer[] = inThree(audioFixture('tone.mp3'));

/**
 * Speech in each of OpenAI's `response_format`s, with its content type and how long it plays (as
 * ffprobe reads the file):
 * `pcm` is raw 16-bit samples at 24 kHz, one channel (1.5 s of them).
 */
export const MOCK_SPEECH: Readonly<Record<string, { type: string; chunks: readonly Buffer[]; seconds: number }>> = {
  mp3: { type: 'audio/mpeg', chunks: MOCK_SPEECH_CHUNKS, seconds: AUDIO_FIXTURE_SECONDS['tone.mp3'] },
  opus: {
    type: 'audio/ogg',
    chunks: inThree(audioFixture('tone.opus.ogg')),
    seconds: AUDIO_FIXTURE_SECONDS['tone.opus.ogg'],
  },
  aac: { type: 'audio/aac', chunks: inThree(audioFixture('tone.aac')), seconds: AUDIO_FIXTURE_SECONDS['tone.aac'] },
  flac: { type: 'audio/flac', chunks: inThree(audioFixture('tone.flac')), seconds: AUDIO_FIXTURE_SECONDS['tone.flac'] },
  wav: {
    type: 'audio/wav',
    chunks: inThree(audioFixture('tone-piped.wav')),
    seconds: AUDIO_FIXTURE_SECONDS['tone-piped.wav'],
  },
  pcm: { type: 'audio/pcm', chunks: inThree(Buffer.alloc(24_000 * 2 * 1.5, 3)), seconds: 1.5 },
};

/**
 * OpenAI's speech answer: audio bytes in the format asked for (MOCK_SPEECH) written piece by piece (held after the first at `gate`), or
 * with `stream_format: "sse"` `speech.audio.delta` events and a `speech.audio.done` with usage.
 */
async function speech(res: ServerResponse, body: Record<string, unknown>, mock: MockDirectives, state: State) {
  if (body['stream_format'] === 'sse') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const chunk of MOCK_SPEECH_CHUNKS) {
      res.write(`data: ${JSON.stringify({ type: 'speech.audio.delta', audio: chunk.toString('base64') })}\n\n`);
    }
    const usage = { input_tokens: 5, output_tokens: 40, total_tokens: 45 };
    return void res.end(`data: ${JSON.stringify({ type: 'speech.audio.done', usage })}\n\n`);
  }
  const audio =
    MOCK_SPEECH[typeof body['response_format'] === 'string' ? body['response_format'] : 'mp3'] ?? MOCK_SPEECH['mp3'];
  res.writeHead(200, { 'content-type': audio.type, 'transfer-encoding': 'chunked' });
  let finished = false;
  res.on('close', () => {
    if (!finished) state.aborted++;
  });
  for (const [i, chunk] of audio.chunks.entries()) {
    if (res.destroyed) return;
    res.write(chunk);
    if (i === 0 && mock.gate) await gateOf(state, mock.gate).opened;
  }
  finished = true;
  res.end();
}

/** A 1×1 PNG, base64: the image every generation returns. */
export const MOCK_IMAGE_B64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const IMAGE_USAGE = {
  input_tokens: 14,
  output_tokens: 272,
  total_tokens: 286,
  input_tokens_details: { text_tokens: 14, image_tokens: 0 },
};

/** gpt-image-1's answer shape: `n` images as b64_json (or URLs when asked), and usage in input/output tokens. */
function images(body: Record<string, unknown>, mock: MockDirectives) {
  // A number in JSON, a string in a form (edits, variations).
  const n = Number(body['n'] ?? 1) || 1;
  const url = body['response_format'] === 'url';
  return {
    created: 1767225600,
    data: Array.from({ length: n }, (_, index) =>
      url ? { url: `https://images.example/mock-${index}.png` } : { b64_json: MOCK_IMAGE_B64 },
    ),
    ...(!mock.noUsage && { usage: IMAGE_USAGE }),
  };
}

/** A streamed image generation: one partial image event, then the completed one with usage. */
function imageEvents(res: ServerResponse, mock: MockDirectives): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (type: string, data: object) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  event('image_generation.partial_image', { b64_json: MOCK_IMAGE_B64, partial_image_index: 0, created_at: 1767225600 });
  event('image_generation.completed', {
    b64_json: MOCK_IMAGE_B64,
    created_at: 1767225600,
    ...(!mock.noUsage && { usage: IMAGE_USAGE }),
  });
  res.end();
}

/** The headers and half the body, then a reset: an answer broken off in the middle. */
function sendHalfAndReset(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.write(text.slice(0, text.length >> 1), () => setTimeout(() => res.socket?.destroy(), 10));
}

function cacheDetails(mock: MockDirectives): { prompt_tokens_details?: { cached_tokens: number } } {
  return mock.cachedTokens === undefined ? {} : { prompt_tokens_details: { cached_tokens: mock.cachedTokens } };
}

/** Waits `ms`, or less if the caller's connection closes first; true if the caller is still there. */
async function waitWhileConnected(res: ServerResponse, ms: number): Promise<boolean> {
  const gone = new AbortController();
  const leave = () => gone.abort();
  res.once('close', leave);
  await sleep(ms, undefined, { signal: gone.signal }).catch(() => undefined);
  res.off('close', leave);
  return !gone.signal.aborted;
}
