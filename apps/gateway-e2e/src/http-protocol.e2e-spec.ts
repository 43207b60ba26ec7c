import { LEAVE, rawExchange as exchange, startMockUpstream, type MockUpstream } from '@synapse/testing';
import { gzipSync } from 'node:zlib';
import { oneChannelConfig, removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-protocol-0123456789abcdef0123';
const BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
const STREAM_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });

/** A POST's head; `Connection: close` on the last request of an exchange. */
const post = (body: string | Buffer, extra = '', path = '/v1/chat/completions') =>
  `POST ${path} HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\n` +
  `${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
// Not anchored to a line: a JSON body runs straight into the next answer's status line.
const statuses = (answer: string) => [...answer.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));

/**
 * HTTP as clients and proxies really send it, on raw sockets: pipelined calls, Expect: 100-continue,
 * chunked bodies, HTTP/1.0, bodies the gateway cannot read. Each answer must be complete and in order.
 */
describe('HTTP/1.1 as callers send it', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let port: number;

  beforeAll(async () => {
    upstream = await startMockUpstream({ record: false });
    gateway = await startGateway({
      config: oneChannelConfig(upstream.url, KEY),
    });
    port = Number(new URL(gateway.url).port);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('answers pipelined calls in order, a stream among them', async () => {
    const answer = await exchange(port, [
      post(BODY) + BODY + post(STREAM_BODY) + STREAM_BODY + post(BODY, 'Connection: close\r\n') + BODY,
    ]);
    expect(statuses(answer)).toEqual([200, 200, 200]);
    const [first, stream, last] = answer.split(/(?=HTTP\/1\.1 \d{3} )/);
    expect(first).toContain('"object":"chat.completion"');
    expect(stream).toContain('data: [DONE]');
    expect(stream).toMatch(/\r\n0\r\n\r\n$/);
    expect(last).toContain('"object":"chat.completion"');
    expect(new Set(answer.match(/x-request-id: \S+/g)).size).toBe(3);
  });

  it('sends 100 Continue to a caller that waits for it, then answers', async () => {
    const answer = await exchange(port, [post(BODY, 'Expect: 100-continue\r\nConnection: close\r\n'), 200, BODY]);
    expect(statuses(answer)).toEqual([100, 200]);
  });

  it('reads a chunked body sent in pieces', async () => {
    const head =
      `POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${KEY}\r\n` +
      'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    const answer = await exchange(port, [
      head,
      `5\r\n${BODY.slice(0, 5)}\r\n`,
      50,
      `${(BODY.length - 5).toString(16)}\r\n${BODY.slice(5)}\r\n0\r\n\r\n`,
    ]);
    expect(statuses(answer)).toEqual([200]);
    expect(answer).toContain('Hello from the mock upstream.');
  });

  it('keeps an HTTP/1.0 connection that asks for keep-alive', async () => {
    const first = post(BODY, 'Connection: keep-alive\r\n').replace('HTTP/1.1', 'HTTP/1.0') + BODY;
    const second = post(BODY).replace('HTTP/1.1', 'HTTP/1.0') + BODY;
    const answer = await exchange(port, [first, 300, second]);
    expect(statuses(answer)).toEqual([200, 200]);
  });

  it.each([
    ['an OpenAI', '/v1/chat/completions', '"code":"invalid_json"'],
    ['a Dify', '/v1/chat-messages', '"code":"invalid_param"'],
  ])('says why %s body cannot be read: compressed, or with a byte order mark', async (_name, path, code) => {
    const gzipped = gzipSync(BODY);
    const compressed = await exchange(port, [
      post(gzipped, 'Content-Encoding: gzip\r\nConnection: close\r\n', path),
      gzipped,
    ]);
    expect(statuses(compressed)).toEqual([400]);
    expect(compressed).toContain(code);
    expect(compressed).toContain('encoded (Content-Encoding: gzip); send the JSON uncompressed');
    const marked = `\ufeff${BODY}`;
    const withMark = await exchange(port, [post(marked, 'Connection: close\r\n', path) + marked]);
    expect(withMark).toContain('byte order mark (U+FEFF)');
  });

  it('takes a caller that leaves mid-body in its stride', async () => {
    const promised = post(BODY).replace(`Content-Length: ${BODY.length}`, `Content-Length: ${BODY.length + 100}`);
    await exchange(port, [promised + BODY, 100, LEAVE]);
    const answer = await exchange(port, [post(BODY, 'Connection: close\r\n') + BODY]);
    expect(statuses(answer)).toEqual([200]);
    expect(gateway.output()).not.toMatch(/ERROR/);
  });
});
