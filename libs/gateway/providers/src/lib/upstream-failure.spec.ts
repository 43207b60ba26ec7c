import { errors } from 'undici';
import { EgressRefusedError } from './egress-connector';
import { classifyUpstreamError, UpstreamFailure } from './upstream-failure';

/** A socket error as Node raises it, with upstream text in its message. */
function socketError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code} 10.1.2.3:443 secret-upstream-detail`), { code });
}

/** Kind and message (toEqual on errors compares the message only). */
function classified(error: unknown, abortReason?: unknown): { kind: string; message: string } {
  const { kind, message } = classifyUpstreamError(error, abortReason);
  return { kind, message };
}

describe(classifyUpstreamError.name, () => {
  it('passes an UpstreamFailure through unchanged', () => {
    const failure = new UpstreamFailure('client_closed', 'the caller closed the connection');
    expect(classifyUpstreamError(failure)).toBe(failure);
  });

  it('names the abort reason rather than the error undici raised for the abort', () => {
    const reason = new UpstreamFailure('timeout', 'upstream did not finish in time');
    expect(classifyUpstreamError(new errors.RequestAbortedError(), reason)).toBe(reason);
    expect(classifyUpstreamError(socketError('ECONNRESET'), reason)).toBe(reason);
  });

  it('ignores an abort reason that is not an UpstreamFailure', () => {
    expect(classified(socketError('ECONNREFUSED'), new Error('something else'))).toEqual({
      kind: 'unreachable',
      message: 'upstream is unreachable',
    });
  });

  it('tells the timeouts apart by the phase undici was in', () => {
    expect(classified(new errors.ConnectTimeoutError())).toEqual({
      kind: 'timeout',
      message: 'upstream timed out while connecting',
    });
    expect(classified(new errors.HeadersTimeoutError())).toEqual({
      kind: 'timeout',
      message: 'upstream timed out while waiting for the first byte',
    });
    expect(classified(new errors.BodyTimeoutError())).toEqual({
      kind: 'timeout',
      message: 'upstream timed out while reading the response',
    });
  });

  it.each([
    ['ECONNRESET', socketError('ECONNRESET')],
    ['EPIPE', socketError('EPIPE')],
    ['UND_ERR_SOCKET', new errors.SocketError('other side closed')],
  ])('maps %s to a closed connection', (_, error) => {
    expect(classified(error)).toEqual({ kind: 'unreachable', message: 'upstream closed the connection' });
  });

  it.each([
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    ['ENOTFOUND', socketError('ENOTFOUND')],
    ['EAI_AGAIN', socketError('EAI_AGAIN')],
    ['an error without a code', new Error('boom')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
  ])('maps %s to an unreachable upstream', (_, error) => {
    expect(classified(error)).toEqual({ kind: 'unreachable', message: 'upstream is unreachable' });
  });

  it("maps the egress policy's refusal to refused, keeping its own message (the address and why)", () => {
    const refused = new EgressRefusedError('169.254.169.254 is a cloud metadata address');
    expect(classified(refused)).toEqual({ kind: 'refused', message: refused.message });
  });

  it("never repeats the upstream's own error text", () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_HEADERS_TIMEOUT']) {
      expect(classifyUpstreamError(socketError(code)).message).not.toContain('secret-upstream-detail');
    }
  });
});
