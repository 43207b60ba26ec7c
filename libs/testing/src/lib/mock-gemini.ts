import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonSender, resetMidStream, startRecordingMock, type RecordedRequest } from './mock-http-server';

/**
 * A server speaking the Gemini API as its reference describes it: `POST
 * /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse` (each SSE event a
 * whole GenerateContentResponse, the last with finishReason), `GET /v1beta/models`, the key in
 * `x-goog-api-key`, `:batchEmbedContents`, and errors as `{error: {code, message, status, details}}` (a wrong key is
 * Gemini's 400 API_KEY_INVALID; a 429 carries its retry delay in a RetryInfo detail, no header).
 * A request with tools is answered with a functionCall.
 */
export interface MockGeminiDirectives {
  status?: number;
  /** A 429's RetryInfo retryDelay, e.g. "7s". */
  retryDelay?: string;
  /** Close the socket after the first event of a stream. */
  reset?: 'mid';
}

export interface MockGemini {
  url: string;
  requests: RecordedRequest[];
  setDefaults(directives: MockGeminiDirectives): void;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** Google's JSON answers name their charset. */
const sendJson = jsonSender('application/json; charset=UTF-8');

const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/;

export async function startMockGemini(options: { apiKey: string }): Promise<MockGemini> {
  const mock = await startRecordingMock<MockGeminiDirectives>(
    ({ req, res, body }, directives) => handle(req, res, body, options.apiKey, directives),
    { badJson: (res) => googleError(res, 400, 'Invalid JSON payload received.') },
  );
  return { ...mock, url: `http://127.0.0.1:${mock.port}` };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  body: Record<string, unknown>,
  apiKey: string,
  mock: MockGeminiDirectives,
): Promise<void> {
  const key = req.headers['x-goog-api-key'];
  if (!key)
    return googleError(
      res,
      403,
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    );
  if (key !== apiKey) {
    return googleError(res, 400, 'API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
    ]);
  }
  const url = new URL(req.url ?? '/', 'http://gemini');
  if (req.method === 'GET' && url.pathname === '/v1beta/models') {
    return sendJson(res, 200, {
      models: [{ name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent'] }],
    });
  }
  const route = ROUTE.exec(url.pathname);
  if (req.method !== 'POST' || !route) return googleError(res, 404, 'Not found');
  if (mock.status) {
    const details =
      mock.status === 429 && mock.retryDelay
        ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: mock.retryDelay }]
        : undefined;
    return googleError(res, mock.status, `mock failure ${mock.status}`, details);
  }
  const modelVersion = decodeURIComponent(route[1] ?? '');
  if (route[2] === 'batchEmbedContents') return embed(res, modelVersion, body);
  const responseId = 'mock-response-1';
  const withTools = Array.isArray(body['tools']) && body['tools'].length > 0;
  const words = ['Hello', ' from', ' Gemini', '.'];
  const call = { functionCall: { name: 'get_weather', args: { city: 'Bergen' } } };
  const usageMetadata = {
    promptTokenCount: 31,
    candidatesTokenCount: 11,
    cachedContentTokenCount: 6,
    totalTokenCount: 42,
  };
  if (route[2] === 'generateContent') {
    const parts: unknown[] = [{ text: words.join('') }];
    if (withTools) parts.push(call);
    return sendJson(res, 200, {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata,
      modelVersion,
      responseId,
    });
  }
  if (url.searchParams.get('alt') !== 'sse') return googleError(res, 400, 'mock: only alt=sse streams are spoken');
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const event = (parts: unknown[], last: boolean) =>
    `data: ${JSON.stringify({
      candidates: [{ content: { role: 'model', parts }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 }],
      usageMetadata: last
        ? usageMetadata
        : { promptTokenCount: usageMetadata.promptTokenCount, totalTokenCount: usageMetadata.promptTokenCount },
      modelVersion,
      responseId,
    })}\r\n\r\n`;
  for (const [i, word] of words.entries()) {
    res.write(event([{ text: word }], !withTools && i === words.length - 1));
    if (i === 0 && mock.reset) return resetMidStream(res);
  }
  if (withTools) res.write(event([call], true));
  res.end();
}

/**
 * `batchEmbedContents`: one ContentEmbedding per request, in order; each request must name the
 * model of the path as a resource name (`models/…`). Answers carry no usage, as Gemini's do.
 */
function embed(res: ServerResponse, model: string, body: Record<string, unknown>): void {
  const requests = Array.isArray(body['requests']) ? (body['requests'] as Record<string, unknown>[]) : [];
  if (requests.length === 0)
    return googleError(res, 400, '* BatchEmbedContentsRequest.requests: contents is not specified');
  for (const [i, request] of requests.entries()) {
    if (request['model'] !== `models/${model}`) {
      return googleError(res, 400, `* BatchEmbedContentsRequest.requests[${i}].model: expected models/${model} (mock)`);
    }
  }
  const embeddings = requests.map((request, i) => {
    const size = typeof request['outputDimensionality'] === 'number' ? request['outputDimensionality'] : 3;
    return { values: Array.from({ length: size }, (_, j) => (j === 0 ? 0.5 + i : -0.25 * j)) };
  });
  sendJson(res, 200, { embeddings });
}

function googleError(res: ServerResponse, code: number, message: string, details?: unknown[]): void {
  sendJson(res, code, {
    error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN', ...(details ? { details } : {}) },
  });
}
