import { Logger } from '@nestjs/common';
import { UpstreamFailure } from '@synapse/gateway/providers';
import type { Exchange } from './exchange';
import { CLIENT_CLOSED, noteStreamBreak, unreadableAnswerError } from './stream-break';

describe('noteStreamBreak', () => {
  const exchange = () => {
    const log = { id: 'req_1', status: 200, errorClass: null, errorMessage: null };
    return { log, onStreamBroken: jest.fn() } as unknown as Exchange & { onStreamBroken: jest.Mock };
  };
  let errors: jest.SpyInstance;
  beforeEach(() => (errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined)));
  afterEach(() => jest.restoreAllMocks());

  it('charges a broken-off stream to the upstream target', () => {
    const broken = exchange();
    const failure = new UpstreamFailure('unreachable', 'upstream closed the connection');
    expect(noteStreamBreak(broken, failure)).toEqual({ by: 'upstream', failure });
    expect(broken.onStreamBroken).toHaveBeenCalledTimes(1);
    expect(broken.log).toMatchObject({ status: 200, errorClass: 'upstream_unreachable' });
  });

  it('charges an event the translator could not read to the upstream, and says so in the log', () => {
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const unreadable = exchange();
    const failure = new UpstreamFailure('invalid_response', "the upstream's answer could not be read (TypeError: x)");
    expect(noteStreamBreak(unreadable, failure)).toEqual({ by: 'upstream', failure });
    expect(unreadable.onStreamBroken).toHaveBeenCalledTimes(1);
    expect(unreadable.log).toMatchObject({ errorClass: 'upstream_invalid_response' });
    expect(warnings).toHaveBeenCalledWith(`req_1: ${failure.message}`);
  });

  it('logs a caller that left as 499, and charges nobody', () => {
    const left = exchange();
    expect(noteStreamBreak(left, new UpstreamFailure('client_closed', 'the caller left'))).toEqual({ by: 'caller' });
    expect(left.onStreamBroken).not.toHaveBeenCalled();
    expect(left.log).toMatchObject({ status: CLIENT_CLOSED, errorClass: 'client_closed' });
  });

  it("takes anything else as the gateway's fault: logged with its stack, an internal error for the caller", () => {
    const faulty = exchange();
    const broken = noteStreamBreak(faulty, new TypeError("Cannot read properties of null (reading 'usage')"));
    expect(broken).toMatchObject({ by: 'gateway', error: { status: 500, code: 'internal_error' } });
    expect(faulty.onStreamBroken).not.toHaveBeenCalled();
    expect(faulty.log).toMatchObject({ status: 200, errorClass: 'internal_error' });
    expect(String(errors.mock.calls[0][0])).toMatch(/^req_1: relaying the stream failed: TypeError: Cannot read/);
  });

  it('makes a whole answer the gateway could not read a 502 counted against the target', () => {
    const unread = exchange();
    const error = unreadableAnswerError(unread, new SyntaxError('Unexpected token < in JSON'));
    expect(error).toMatchObject({ status: 502, code: 'upstream_invalid_response' });
    expect(error.options.detail).toBe(
      "the upstream's answer could not be read (SyntaxError: Unexpected token < in JSON)",
    );
    expect(unread.onStreamBroken).toHaveBeenCalledTimes(1);
  });
});
