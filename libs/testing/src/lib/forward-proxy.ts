/**
 * A forward proxy as corporate networks run them (Squid, a cloud NAT proxy), for tests: it opens
 * CONNECT tunnels to whatever host and port it is asked, records each request, and, given
 * credentials, answers 407 to a CONNECT without them. Node built-ins only.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ForwardProxy {
  url: string;
  port: number;
  /** Each CONNECT as it came: the authority asked for and the Proxy-Authorization sent. */
  readonly connects: readonly { authority: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

export async function startForwardProxy(options: { user?: string; password?: string } = {}): Promise<ForwardProxy> {
  const connects: { authority: string; authorization: string | undefined }[] = [];
  const sockets = new Set<Socket>();
  const expected =
    options.user !== undefined
      ? `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}`
      : undefined;
  const server = createServer((_, res) => res.writeHead(405).end('CONNECT only'));
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const authority = req.url ?? '';
    const authorization = req.headers['proxy-authorization'];
    connects.push({ authority, authorization });
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    if (expected !== undefined && authorization !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\n\r\n');
      return;
    }
    const at = authority.lastIndexOf(':');
    const upstream = connect(Number(authority.slice(at + 1)), authority.slice(0, at).replace(/^\[|\]$/g, ''));
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.once('error', () => client.destroy());
    client.once('error', () => upstream.destroy());
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
