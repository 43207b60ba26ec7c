import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP receiver for specs: records every request and answers what `answer` says. */
export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startHttpReceiver(
  answer: (request: ReceivedRequest, index: number) => { status: number; body?: string } = () => ({ status: 200 }),
): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const received = { url: req.url ?? '', headers: req.headers, body };
      requests.push(received);
      const reply = answer(received, requests.length - 1);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body ?? '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
