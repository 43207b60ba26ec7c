import type { JsonObject, NativeTap, UpstreamResponse } from '@synapse/gateway/providers';
import type { ServerResponse } from 'node:http';
import { toUsage } from '../usage/usage';
import type { Exchange, UsageResult } from './exchange';
import { readWholeAnswer } from './relay';
import { relayEvents, routingHeaders } from './relay-ingress';

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
  await relayEvents(exchange, response, res, {
    chunk: (bytes, text) => {
      tap.push(text);
      return bytes;
    },
    end: (rest) => {
      tap.push(rest);
      return '';
    },
    stopped: () => '',
    fail: (message) => tap.fail(message),
  });
  return toUsage(tap.usage);
}
