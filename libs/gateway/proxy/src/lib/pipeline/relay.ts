import type { UpstreamResponse } from '@synapse/gateway/providers';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Errors, type GatewayError } from '@synapse/gateway/errors';
import type { StreamedAudioLength } from '../audio-length/streamed-audio-length';
import { SseUsageTap } from '../usage/sse-usage-tap';
import { extractUsageFast } from '../usage/usage';
import { ensureBase64Embeddings } from './embeddings-encoding';
import { header, type Exchange, type UsageResult } from './exchange';
import { noteStreamBreak, unreadableAnswerError, type StreamBreak } from './stream-break';
import { estimateStreamUsage, usageFromJson } from './usage-fallback';

export { CLIENT_CLOSED } from './stream-break';

/** A complete JSON answer: read whole (it is small next to the caller's patience), then sent at once. */
export async function relayJson(
  exchange: Exchange,
  response: UpstreamResponse,
  res: ServerResponse,
): Promise<UsageResult> {
  const received = await readWholeAnswer(exchange, response);
  const body = exchange.endpoint === 'embeddings' ? ensureBase64Embeddings(exchange.body, received) : received;
  exchange.log.status = response.statusCode;
  const { decision } = exchange;
  // One object literal of fixed shape: spreading into header objects showed up in profiles.
  res.writeHead(response.statusCode, {
    'content-type': header(response, 'content-type') ?? 'application/json',
    'content-length': body.length,
    'x-request-id': exchange.log.id,
    'x-synapse-route': decision.route,
    'x-synapse-model': decision.model,
    'x-synapse-channel': decision.channel,
    'x-synapse-attempts': decision.attempts,
  });
  res.end(body);
  if (exchange.capture) exchange.capture.response = body;
  return extractUsageFast(body) ?? (() => usageFromJson(exchange, body));
}

/**
 * A whole non-streamed answer; a caller that left (or stopped the call) is not the gateway's
 * failure, an answer its translator could not read is the target's.
 */
export async function readWholeAnswer(exchange: Exchange, response: UpstreamResponse): Promise<Buffer> {
  try {
    return await response.body.bytes();
  } catch (error) {
    const failure = exchange.call.classify(error);
    if (failure.kind === 'invalid_response') throw unreadableAnswerError(exchange, failure);
    throw failure.kind === 'client_closed' ? failure : error;
  } finally {
    exchange.call.finish();
  }
}

/**
 * An SSE answer, relayed chunk by chunk as it arrives. Backpressure from the caller pauses reading
 * from the upstream. A break after the first byte cannot be retried: the caller gets an error event.
 */
export async function relayStream(
  exchange: Exchange,
  response: UpstreamResponse,
  res: ServerResponse,
  dropUsageChunk: boolean,
): Promise<UsageResult> {
  const { log, call, started } = exchange;
  const { decision } = exchange;
  res.writeHead(response.statusCode, {
    'x-synapse-route': decision.route,
    'x-synapse-model': decision.model,
    'x-synapse-channel': decision.channel,
    'x-synapse-attempts': decision.attempts,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    'x-request-id': log.id,
  });
  log.status = response.statusCode;
  const tap = new SseUsageTap(dropUsageChunk);
  try {
    for await (const chunk of response.body) {
      log.ttftMs ??= Math.round(performance.now() - started);
      const out = tap.push(chunk as Buffer);
      if (out && !res.write(out)) await drained(res);
    }
    const rest = tap.end();
    if (rest) res.write(rest);
    res.end();
  } catch (error) {
    const broken = noteStreamBreak(exchange, error);
    if (!res.destroyed && !res.writableEnded) {
      // The status line is gone; tell the caller in the stream the way OpenAI's SDKs understand.
      res.end(broken.by === 'caller' ? undefined : `data: ${JSON.stringify(streamError(broken).toBody())}\n\n`);
    }
  } finally {
    call.finish();
  }
  // The deltas' text, which the tap assembles anyway for the tokenizer fallback.
  if (exchange.capture) exchange.capture.response = tap.completionText();
  return tap.usage ?? (() => estimateStreamUsage(exchange, tap.completionText()));
}

/**
 * An answer of bytes other than events (speech audio), relayed as they arrive under the upstream's
 * content type, its length measured as it passes (`audio`). No usage is in it; a break after the
 * first byte ends the caller's connection.
 */
export async function relayBytes(
  exchange: Exchange,
  response: UpstreamResponse,
  res: ServerResponse,
  audio: StreamedAudioLength,
): Promise<undefined> {
  const { log, call, started, decision } = exchange;
  res.writeHead(response.statusCode, {
    'content-type': header(response, 'content-type') ?? 'application/octet-stream',
    'x-request-id': log.id,
    'x-synapse-route': decision.route,
    'x-synapse-model': decision.model,
    'x-synapse-channel': decision.channel,
    'x-synapse-attempts': decision.attempts,
    'x-accel-buffering': 'no',
  });
  log.status = response.statusCode;
  try {
    for await (const chunk of response.body) {
      log.ttftMs ??= Math.round(performance.now() - started);
      const written = res.write(chunk as Buffer);
      audio.push(chunk as Buffer);
      if (!written) await drained(res);
    }
    res.end();
  } catch (error) {
    const broken = noteStreamBreak(exchange, error);
    // The status line is gone and audio has no error event: a cut connection is the only signal.
    if (broken.by !== 'caller') res.destroy();
  } finally {
    call.finish();
  }
  return undefined;
}

function streamError(broken: Exclude<StreamBreak, { by: 'caller' }>): GatewayError {
  if (broken.by === 'gateway') return broken.error;
  const { failure } = broken;
  if (failure.kind === 'timeout') return Errors.upstreamTimeout(failure.message);
  if (failure.kind === 'invalid_response') return Errors.upstreamInvalidResponse();
  return Errors.upstreamUnreachable(failure.message);
}

export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
