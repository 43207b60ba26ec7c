import type { IncomingMessage } from 'node:http';

/**
 * Reads a request's body, at most `limit` bytes: `done(bytes)` at its end, or `done(undefined)` as
 * soon as it passes the limit (the rest is left unread and the request paused). Callbacks rather
 * than a promise: this runs for every proxied call.
 */
export function readBodyUpTo(req: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      req.off('data', onData);
      req.off('end', onEnd);
      req.pause();
      return done(undefined);
    }
    chunks.push(chunk);
  };
  const onEnd = () => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  req.on('data', onData);
  req.on('end', onEnd);
}
