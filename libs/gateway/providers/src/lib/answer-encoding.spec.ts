import { randomBytes } from 'node:crypto';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { answerCoding, decodeWhole, DecodedStream } from './answer-encoding';
import { failureOf, localTarget, localUpstreams, writeUntilDone } from './testing/local-upstream';
import { UpstreamFailure } from './upstream-failure';
import type { UpstreamClient } from './upstream-client';
import type { UpstreamTarget } from './upstream-target';

const raw = (...pairs: string[]) => pairs.map((text) => Buffer.from(text, 'latin1'));
const TOO_LARGE = new UpstreamFailure('invalid_response', 'too large');
/** What the gateway blames on the upstream (toEqual compares an error's message and own fields). */
const invalid = (message: string) => new UpstreamFailure('invalid_response', message);

describe('answerCoding', () => {
  it('reads the coding from the raw headers: none, identity and case are nothing special', () => {
    expect(answerCoding(raw('Content-Type', 'application/json'))).toBeUndefined();
    expect(answerCoding(raw('content-encoding', 'identity'))).toBeUndefined();
    expect(answerCoding(raw('Content-Encoding', 'GZIP'))).toBe('gzip');
    expect(answerCoding(raw('content-encoding', 'x-gzip'))).toBe('gzip');
    expect(answerCoding(raw('content-encoding', ' br , identity'))).toBe('br');
    expect(answerCoding(raw('x-content-encoding', 'gzip', 'content-encoding', 'deflate'))).toBe('deflate');
  });

  it('names a coding it cannot read, and two codings one over the other', () => {
    for (const value of ['zstd', 'gzip, br', 'compress']) {
      expect(answerCoding(raw('content-encoding', value))).toEqual(
        invalid(
          `the upstream's answer is encoded (Content-Encoding: ${value}), which the gateway cannot read; it reads gzip, deflate and br`,
        ),
      );
    }
  });
});

describe('decodeWhole', () => {
  const text = Buffer.from(JSON.stringify({ usage: { prompt_tokens: 3 }, text: 'é'.repeat(1000) }));

  it('decodes gzip, br, and deflate with or without its zlib wrapper (servers send both)', async () => {
    expect(await decodeWhole('gzip', gzipSync(text), 1e6, TOO_LARGE)).toEqual(text);
    expect(await decodeWhole('br', brotliCompressSync(text), 1e6, TOO_LARGE)).toEqual(text);
    expect(await decodeWhole('deflate', deflateSync(text), 1e6, TOO_LARGE)).toEqual(text);
    expect(await decodeWhole('deflate', deflateRawSync(text), 1e6, TOO_LARGE)).toEqual(text);
    expect(await decodeWhole('gzip', Buffer.alloc(0), 1e6, TOO_LARGE)).toEqual(Buffer.alloc(0));
  });

  it('stops at the bound on what the answer expands to: 64 MiB of zeros in 64 KiB of gzip', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    await expect(decodeWhole('gzip', bomb, 1024 * 1024, TOO_LARGE)).rejects.toBe(TOO_LARGE);
  });

  it('fails as the upstream’s invalid response when the bytes are not what the header says', async () => {
    expect(await failureOf(decodeWhole('gzip', text, 1e6, TOO_LARGE))).toEqual(
      invalid("the upstream's answer could not be decoded (Content-Encoding: gzip): incorrect header check"),
    );
    expect(await failureOf(decodeWhole('gzip', gzipSync(text).subarray(0, 50), 1e6, TOO_LARGE))).toEqual(
      invalid("the upstream's answer could not be decoded (Content-Encoding: gzip): unexpected end of file"),
    );
  });
});

describe('DecodedStream', () => {
  it('asks for the socket to pause only when a reader is behind, not at every read of a fast one', async () => {
    // 64 KiB a socket read, as undici hands them over. Every pause costs a resume that rereads the
    // socket's backlog: at zlib's default 16 KiB buffer every read paused, and 16 MiB took seconds.
    const plain = randomBytes(4 * 1024 * 1024);
    const encoded = gzipSync(plain);
    const decoded: Buffer[] = [];
    let drained: () => void = () => undefined;
    let ended: () => void = () => undefined;
    const whole = new Promise<void>((resolve) => (ended = resolve));
    const stream = new DecodedStream(
      'gzip',
      { push: (chunk) => (decoded.push(chunk), true), end: () => ended() },
      () => drained(),
      (failure) => {
        throw failure;
      },
    );
    let reads = 0;
    let pauses = 0;
    for (let at = 0; at < encoded.length; at += 64 * 1024) {
      reads += 1;
      if (stream.write(encoded.subarray(at, at + 64 * 1024))) continue;
      pauses += 1;
      await new Promise<void>((resolve) => (drained = resolve));
    }
    expect(pauses).toBeLessThan(reads / 2);
    stream.end();
    await whole;
    expect(Buffer.concat(decoded).equals(plain)).toBe(true);
  });
});

describe('UpstreamClient with compressed answers', () => {
  const local = localUpstreams();
  const call = (client: UpstreamClient, target: UpstreamTarget, whole = false) =>
    client.call({ target, path: '/chat/completions', headers: {}, body: '{}', whole });

  it('a streamed gzip answer: a reader that does not read pauses the upstream; reading on gets every byte', async () => {
    // Random bytes do not compress: they back up the socket as plain bytes would. 16 MiB: loopback's
    // socket buffers alone take about 4.
    const plain = randomBytes(16 * 1024 * 1024);
    const encoded = gzipSync(plain);
    const slice = 16 * 1024;
    let sent = 0;
    let backedUp = false;
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' });
      const next = () => {
        if (sent >= encoded.length) return undefined;
        const piece = encoded.subarray(sent, sent + slice);
        sent += piece.length;
        return piece;
      };
      writeUntilDone(res, next, () => (backedUp = true));
    });
    const pending = call(local.client(), localTarget(upstream.url, { firstByteMs: 10_000 }));
    const response = await pending.response;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(backedUp).toBe(true);
    expect(sent).toBeLessThan(encoded.length / 2);

    const body = await response.body.bytes();
    pending.finish();
    expect(body.equals(plain)).toBe(true);
  });

  it('a streamed gzip answer cut short fails its reader as an invalid response', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      res.end(gzipSync('data: {"a":1}\n\n'.repeat(100)).subarray(0, 40));
    });
    const response = await call(local.client(), localTarget(upstream.url)).response;
    expect(await failureOf(response.body.text())).toEqual(
      invalid("the upstream's answer could not be decoded (Content-Encoding: gzip): unexpected end of file"),
    );
  });

  it('a coding it cannot read fails the call at its headers, without reading the body', async () => {
    const upstream = await local.upstream(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd' });
      // Never ended: only a call that stops at the headers lets this test finish.
      res.write('{');
    });
    for (const whole of [true, false]) {
      const failure = await failureOf(call(local.client(), localTarget(upstream.url), whole).response);
      expect(failure.message).toContain('(Content-Encoding: zstd), which the gateway cannot read');
    }
    expect(await (await upstream.request(0)).ended).toEqual({ complete: false });
    expect(await (await upstream.request(1)).ended).toEqual({ complete: false });
  });
});
