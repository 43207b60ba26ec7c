import { Transform } from 'node:stream';

/** Passes a body through until more than `maxBytes` came, then fails with what `tooLarge` makes. */
export function byteLimit(maxBytes: number, tooLarge: () => Error): Transform {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > maxBytes) callback(tooLarge());
      else callback(null, chunk);
    },
  });
}
