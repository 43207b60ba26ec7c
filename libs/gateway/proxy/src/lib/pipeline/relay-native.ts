import type { JsonObject, NativeTap, UpstreamResponse } from '@synapse/gateway/providers';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { toUsage } from '../usage/usage';
import type { Exchange, UsageResult } from './exchange';
import { CLIENT_CLOSED, drained } from './relay';
import { routingHeaders } from './relay-ingress';

/**
 * A caller's own format answered by an upstream that speaks it (ADR 0007's pass-through): the
 * bytes go to the caller as they are; the tap reads usage (and the task to stop) on the way.
 */
export async function relayNativeJson(
  tap: NativeTap,
  exchange: Exchange,
  response: UpstreamResponse,
  res: ServerResponse,
): Promise<UsageResult> {
  let received: Buffer;
  try {
    received = Buffer.from(await response.body.arrayBuffer());
  } catch (error) {
    const failure = exchange.call.classify(error);
    throw failure.kind === 'client_closed' ? failure : error;
  } finally {
    exchange.call.finish();
  }
  try {
    tap.json(JSON.parse(received.toString('utf8')) as JsonObject);
  } catch {
    // Not JSON: relayed all the same; the call has no usage.
  }
  exchange.log.status = response.statusCode;
  res.writeHead(response.statusCode, {
    ...routingHeaders(exchange),
    'content-type': String(response.headers['content-type'] ?? 'application/json'),
    'content-length': received.length,
  });
  res.end(received);
  if (exchange.capture) exchange.capture.response = received;
  return toUsage(tap.usage);
}

export async function relayNativeStream(
  tap: NativeTap,
  exchange: Exchange,
  response: UpstreamResponse,
  res: ServerResponse,
): Promise<UsageResult> {
  const { log, call, started } = exchange;
  res.writeHead(response.statusCode, {
    ...routingHeaders(exchange),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  log.status = response.statusCode;
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of response.body) {
      log.ttftMs ??= Math.round(performance.now() - started);
      tap.push(decoder.write(chunk as Buffer));
      if (!res.write(chunk)) await drained(res);
    }
    tap.push(decoder.end());
    res.end();
  } catch (error) {
    const failure = call.classify(error);
    log.errorClass = failure.kind === 'client_closed' ? 'client_closed' : `upstream_${failure.kind}`;
    log.errorMessage = failure.message;
    if (failure.kind === 'client_closed') {
      log.status = CLIENT_CLOSED;
      if (!res.destroyed && !res.writableEnded) res.end();
    } else {
      exchange.onStreamBroken();
      if (!res.destroyed) {
        res.end(
          tap.fail(
            failure.kind === 'timeout' ? 'The upstream did not answer in time.' : 'The upstream broke off the stream.',
          ),
        );
      }
    }
  } finally {
    call.finish();
  }
  return toUsage(tap.usage);
}
