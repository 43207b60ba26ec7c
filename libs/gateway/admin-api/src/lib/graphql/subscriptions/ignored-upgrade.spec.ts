import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rawExchange } from '@synapse/testing';

/** The bytes of a text whose characters are all below 256, as Node's parser reads a head. */
const latin1 = (text: string) => Buffer.from(text, 'latin1');
import { isWebSocketUpgrade, serveIgnoringUpgrade } from './ignored-upgrade';

describe('serving requests whose upgrade is ignored', () => {
  let server: Server;
  let port: number;
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let upgrades = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('latin1');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.end(`served ${req.method} ${req.url} ${body}`);
      });
    });
    server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
      if (!isWebSocketUpgrade(req)) return serveIgnoringUpgrade(server, req, socket, head);
      upgrades++;
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  it("serves an h2c POST (curl --http2, Java's HttpClient) as HTTP/1.1, with its body, headers and bytes intact", async () => {
    const body = '{"model":"m","content":"caf\xe9"}';
    const answer = await rawExchange(port, [
      latin1(
        `POST /v1/chat/completions?x=1 HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings, close\r\n` +
          `Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nX-Name: caf\xe9\r\nContent-Length: ${body.length}\r\n\r\n` +
          body.slice(0, 10),
      ),
      20,
      latin1(body.slice(10)),
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions?x=1', body });
    expect(seen[0].headers).toMatchObject({ connection: 'close', 'x-name': 'caf\xe9', host: 'h' });
    expect(seen[0].headers.upgrade).toBeUndefined();
    expect(seen[0].headers['http2-settings']).toBeUndefined();
    expect(upgrades).toBe(0);
  });

  it('keeps the connection for the next calls, chunked bodies included', async () => {
    const answer = await rawExchange(port, [
      `POST /a HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMA\r\n` +
        `Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n`,
      20,
      `0\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`,
    ]);
    expect(answer.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/a', 'abc'],
      ['GET', '/b', ''],
    ]);
  });

  it('leaves WebSocket handshakes to the upgrade listener', async () => {
    const answer = await rawExchange(port, [
      'GET /other HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    expect(upgrades).toBe(1);
    expect(seen).toHaveLength(0);
  });
});
