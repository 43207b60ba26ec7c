import { connect } from 'node:net';

/** In a raw exchange: the caller leaves (its socket is destroyed). */
export const LEAVE = Symbol('leave');

/** What a raw exchange sends: text (as UTF-8), bytes, a pause in milliseconds, or LEAVE. */
export type RawPart = string | Buffer | number | typeof LEAVE;

/**
 * Sends HTTP as raw bytes, the way no client library would (pipelined, split, malformed), and
 * resolves with everything the server sent, read as latin1, once the connection closes.
 */
export function rawExchange(port: number, parts: readonly RawPart[], host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    void (async () => {
      for (const part of parts) {
        if (part === LEAVE) socket.destroy();
        else if (typeof part === 'number') await new Promise((r) => setTimeout(r, part));
        else socket.write(part);
      }
    })();
  });
}
