import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** What an ignored upgrade leaves out of the request it is served as. */
const UPGRADE_FIELDS = new Set(['upgrade', 'http2-settings']);

/** A WebSocket handshake: the only upgrade the gateway speaks. */
export function isWebSocketUpgrade(request: IncomingMessage): boolean {
  return (request.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/**
 * Serves a request whose upgrade the gateway does not speak as the HTTP/1.1 request it also is.
 * Once a server has an 'upgrade' listener (the GraphQL WebSocket server), Node hands it every
 * request that carries `Upgrade`, parser detached. But HTTP lets a server ignore an upgrade
 * (RFC 9110 §7.8), and clients count on it: Java's HttpClient and `curl --http2` ask for h2c on
 * plain-http calls, POSTs to /v1 included. The request's head is written again without the
 * upgrade, ahead of the bytes already read, and the socket starts over as a new connection.
 */
export function serveIgnoringUpgrade(server: Server, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.unshift(Buffer.concat([headWithoutUpgrade(request), head]));
  server.emit('connection', socket);
}

function headWithoutUpgrade(request: IncomingMessage): Buffer {
  const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (UPGRADE_FIELDS.has(name)) continue;
    if (name === 'connection') {
      const kept = raw[i + 1]
        .split(',')
        .map((token) => token.trim())
        .filter((token) => token !== '' && !UPGRADE_FIELDS.has(token.toLowerCase()));
      if (kept.length > 0) lines.push(`${raw[i]}: ${kept.join(', ')}`);
    } else {
      lines.push(`${raw[i]}: ${raw[i + 1]}`);
    }
  }
  // Node's parser read the head as latin1: written back the same way, the bytes are the caller's.
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}
