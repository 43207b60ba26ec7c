import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A connection and the answer under way on it (Node's own field; drain libraries read it too). */
type ServedSocket = Socket & { _httpMessage?: ServerResponse | null };

/** How long a connection that has sent nothing may stay once the drain starts. */
const SILENT_GRACE_MS = 1_000;

/**
 * Ends connections as their calls finish once the server drains. `server.close()` ends only the
 * connections idle between two calls at that moment, and stops Node's header timeouts. So a SIGTERM
 * waited its whole SHUTDOWN_TIMEOUT_MS for a keep-alive connection whose call finished later (its
 * client keeps it pooled: `Keep-Alive: timeout=65`), or for one on which nothing was ever sent (a
 * client's spare, opened for a call that was then cancelled). Tracked per connection, not per
 * request: nothing a call.
 */
export class HttpDrain {
  private readonly open = new Set<ServedSocket>();

  constructor(server: Server) {
    server.on('connection', (socket: ServedSocket) => {
      this.open.add(socket);
      socket.once('close', () => this.open.delete(socket));
    });
  }

  /**
   * Answers not yet begun say `Connection: close` (Node then ends the connection after them);
   * answers under way end their connection when they finish; connections still silent after a
   * grace are cut. Idle connections are the server's `close()` to end, and calls that arrive from
   * now on are refused with `Connection: close`.
   */
  start(): void {
    for (const socket of this.open) {
      const res = socket._httpMessage;
      if (!res) {
        if (socket.bytesRead === 0)
          setTimeout(() => socket.bytesRead === 0 && socket.destroy(), SILENT_GRACE_MS).unref();
        continue;
      }
      if (!res.headersSent) res.shouldKeepAlive = false;
      else if (res.writableFinished) socket.end();
      else res.once('finish', () => socket.end());
    }
  }
}
