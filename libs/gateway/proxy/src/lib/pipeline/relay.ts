import type { UpstreamResponse } from '@synapse/gateway/providers';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Errors } from '@synapse/gateway/errors';
import { SseUsageTap } from '../usage/sse-usage-tap';
import { extractUsageFast } from '../usage/usage';
import { ensureBase64Embeddings } from './embeddings-encoding';
import { header, type Exchange, type UsageResult } from './exchange';
import { estimateStreamUsage, usageFromJson } from './usage-fallback';

/** Status logged when the caller hung up before the response was complete (nginx's convention). */
export const CLIENT_CLOSED = 499;

/** A complete JSON answer: read whole (it is small next to the caller's patience), then sent at once. */
export async function relayJson(
  exchange: Exchange,
  response: UpstreamResponse,
  res: ServerResponse,
): Promise<UsageResult> {
  const received = await response.body.bytes();
  exchange.call.finish();
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
    connection: 'keep-alive',
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
    const failure = call.classify(error);
    log.errorClass = failure.kind === 'client_closed' ? 'client_closed' : `upstream_${failure.kind}`;
    log.errorMessage = failure.message;
    if (failure.kind === 'client_closed') {
      log.status = CLIENT_CLOSED;
    } else {
      exchange.onStreamBroken();
      if (!res.destroyed) {
        // The status line is gone; tell the caller in the stream the way OpenAI's SDKs understand.
        const gatewayError =
          failure.kind === 'timeout'
            ? Errors.upstreamTimeout(failure.message)
            : Errors.upstreamUnreachable(failure.message);
        res.end(`data: ${JSON.stringify(gatewayError.toBody())}\n\n`);
      }
    }
  } finally {
    call.finish();
  }
  // The deltas' text, which the tap assembles anyway for the tokenizer fallback.
  if (exchange.capture) exchange.capture.response = tap.completionText();
  return tap.usage ?? (() => estimateStreamUsage(exchange, tap.completionText()));
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
