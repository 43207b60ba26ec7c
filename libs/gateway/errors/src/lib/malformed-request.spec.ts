import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rawExchange } from '@synapse/testing';
import { answerMalformedRequest, malformedRequestError } from './malformed-request';

const send = (port: number, request: string) => rawExchange(port, [request]);

const bodyOf = (answer: string): unknown => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

describe('answering requests Node cannot parse', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer({ maxHeaderSize: 1024 }, (_req, res) => res.end('served'));
    server.on('clientError', answerMalformedRequest);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("answers on /v1 in OpenAI's format, with the parser's reason, and closes", async () => {
    const answer = await send(
      port,
      'POST /v1/chat/completions HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('Connection: close');
    expect(bodyOf(answer)).toEqual({
      error: {
        message: expect.stringMatching(/^The request is not valid HTTP\/1\.1: .*Transfer-Encoding/),
        type: 'invalid_request_error',
        param: null,
        code: 'malformed_request',
      },
    });
  });

  it("answers elsewhere in Nest's format", async () => {
    const answer = await send(
      port,
      'POST /graphql HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}',
    );
    expect(bodyOf(answer)).toMatchObject({ statusCode: 400, error: 'malformed_request' });
  });

  it('answers headers over the limit with 431', async () => {
    const answer = await send(port, `GET /v1/models HTTP/1.1\r\nHost: h\r\nX-Big: ${'a'.repeat(2048)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(answer)).toMatchObject({ error: { code: 'headers_too_large' } });
  });

  it('answers a request that arrived too slowly with 408', () => {
    expect(
      malformedRequestError(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' })),
    ).toMatchObject({
      status: 408,
      code: 'request_timeout',
    });
  });

  it('still serves well-formed requests', async () => {
    expect(await send(port, 'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n')).toContain('served');
  });
});
