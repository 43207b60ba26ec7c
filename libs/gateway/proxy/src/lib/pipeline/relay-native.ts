import type { JsonObject, NativeTap, UpstreamResponse } from '@synapse/gateway/providers';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { toUsage } from '../usage/usage';
import type { Exchange, UsageResult } from './exchange';
import { drained } from './relay';
import { eventStreamHeaders, noteStreamBreak, readWholeAnswer, routingHeaders } from './relay-ingress';

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
  const received = await readWholeAnswer(exchange, response);
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
  res.writeHead(response.statusCode, eventStreamHeaders(exchange));
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
    const message = noteStreamBreak(exchange, error);
    if (message === undefined && !res.destroyed && !res.writableEnded) res.end();
    else if (message !== undefined && !res.destroyed) res.end(tap.fail(message));
  } finally {
    call.finish();
  }
  return toUsage(tap.usage);
}
