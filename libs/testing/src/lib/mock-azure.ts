import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { recordOf, sendJson, startMockHttpServer, type RecordedRequest } from './mock-http-server';
import { startMockUpstream, type MockDirectives, type MockUpstream } from './mock-upstream';

/**
 * Azure OpenAI's routing and auth in front of the OpenAI-format mock: `api-key` header,
 * `/openai/deployments/<deployment>/<operation>?api-version=…`, `GET /openai/models`, and Azure's
 * own error bodies (`{error: {code, message}}`) for a wrong key, an unknown deployment or a
 * missing api-version. Answers, streams and `mock` directives are the OpenAI mock's.
 */
export interface MockAzure {
  /** The resource endpoint, as a channel's base URL: `http://127.0.0.1:<port>`. */
  url: string;
  /** Requests as Azure received them (path with its query). */
  requests: RecordedRequest[];
  setDefaults(directives: MockDirectives): void;
  close(): Promise<void>;
}

export interface MockAzureOptions {
  apiKey: string;
  deployments: readonly string[];
}

const DEPLOYMENT = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/;

export async function startMockAzure(options: MockAzureOptions): Promise<MockAzure> {
  const inner = await startMockUpstream({ record: false });
  const requests: RecordedRequest[] = [];
  // A body that is not JSON is recorded as {} and forwarded as it came: the inner mock answers 400.
  const server = await startMockHttpServer(({ req, res, body, raw }) => {
    requests.push(recordOf(req, body));
    route(req, res, raw, options, inner);
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    setDefaults: (directives) => inner.setDefaults(directives),
    close: async () => {
      await server.close();
      await inner.close();
    },
  };
}

function route(
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  options: MockAzureOptions,
  inner: MockUpstream,
): void {
  const url = new URL(req.url ?? '/', 'http://azure');
  if (req.headers['api-key'] !== options.apiKey) {
    return azureError(
      res,
      401,
      '401',
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    );
  }
  if (!url.searchParams.get('api-version')) {
    return azureError(res, 404, '404', 'Resource not found');
  }
  if (req.method === 'GET' && url.pathname === '/openai/models') {
    return forward(req, res, '/v1/models', raw, inner);
  }
  const match = DEPLOYMENT.exec(url.pathname);
  if (!match) return azureError(res, 404, '404', 'Resource not found');
  const deployment = decodeURIComponent(match[1] ?? '');
  if (!options.deployments.includes(deployment)) {
    return azureError(
      res,
      404,
      'DeploymentNotFound',
      'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
    );
  }
  forward(req, res, `/v1/${match[2]}`, raw, inner);
}

function forward(req: IncomingMessage, res: ServerResponse, path: string, raw: Buffer, inner: MockUpstream): void {
  const out = request(
    { host: '127.0.0.1', port: inner.port, method: req.method, path, headers: { 'content-type': 'application/json' } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      // The inner mock's reset mid-stream is passed on as a reset of the caller's socket.
      answer.on('error', () => res.destroy());
      answer.on('aborted', () => res.destroy());
    },
  );
  out.on('error', () => res.destroy());
  out.end(raw);
}

function azureError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}
