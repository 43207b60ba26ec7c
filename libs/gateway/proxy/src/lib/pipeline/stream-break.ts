import { Logger } from '@nestjs/common';
import { Errors, logLine, type GatewayError } from '@synapse/gateway/errors';
import { UpstreamFailure, unreadableAnswer } from '@synapse/gateway/providers';
import { upstreamFailureError } from '../errors/upstream-error';
import type { Exchange } from './exchange';

const logger = new Logger('Proxy');

/** Status logged when the caller hung up before the response was complete (nginx's convention). */
export const CLIENT_CLOSED = 499;

/** Who ended a relayed stream before its end. */
export type StreamBreak =
  /** The caller left, or stopped the call: nobody waits for an error event. */
  | { by: 'caller' }
  /** The upstream broke the stream off or stopped sending: the target's failure. */
  | { by: 'upstream'; failure: UpstreamFailure }
  /** The gateway's own handling of the stream failed (a relay's or a transcoder's fault). */
  | { by: 'gateway'; error: GatewayError };

/**
 * Records why a relayed stream ended early, in the request log and the target's health. A body
 * only ever fails with an UpstreamFailure (the call classifies its errors); anything else was
 * thrown by the gateway's code reading it. Asking the call to classify that would be wrong: the
 * reader's loop ended the upstream call as it unwound, so the call would say the caller left, and
 * the caller, still there, would wait for an end that never came.
 */
export function noteStreamBreak(exchange: Exchange, error: unknown): StreamBreak {
  const { log } = exchange;
  if (!(error instanceof UpstreamFailure)) {
    logger.error(`${log.id}: relaying the stream failed: ${(error as Error)?.stack ?? error}`);
    const internal = Errors.internal(log.id);
    log.errorClass = internal.code;
    log.errorMessage = 'relaying the stream failed';
    return { by: 'gateway', error: internal };
  }
  log.errorClass = error.kind === 'client_closed' ? 'client_closed' : `upstream_${error.kind}`;
  log.errorMessage = error.message;
  if (error.kind === 'client_closed') {
    log.status = CLIENT_CLOSED;
    return { by: 'caller' };
  }
  exchange.onStreamBroken();
  // What a translator could not read may also be a translator's bug: keep it in sight.
  if (error.kind === 'invalid_response') logger.warn(`${log.id}: ${logLine(error.message)}`);
  return { by: 'upstream', failure: error };
}

/**
 * A whole answer the gateway could not read (not JSON, or its translator failed on it): the
 * target's failure, counted against it, and the caller's 502 `upstream_invalid_response`.
 */
export function unreadableAnswerError(exchange: Exchange, error: unknown): GatewayError {
  exchange.onStreamBroken();
  return upstreamFailureError(unreadableAnswer(error));
}
