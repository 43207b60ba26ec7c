import { readingAnswer, type IngressFormat, type JsonObject, type UpstreamResponse } from '@synapse/gateway/providers';
import { Errors } from '@synapse/gateway/errors';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { SseUsageTap } from '../usage/sse-usage-tap';
import { toUsage } from '../usage/usage';
import type { Exchange, UsageResult } from './exchange';
import { drained, readWholeAnswer } from './relay';
import { noteStreamBreak, unreadableAnswerError, type StreamBreak } from './stream-break';
import { estimateStreamUsage, usageFromJson } from './usage-fallback';

/** The routing decision and request id, on every answer of a translated or passed-through call. */
export function routingHeaders(exchange: Exchange): Record<string, string | number> {
  const { decision } = exchange;
  return {
    'x-request-id': exchange.log.id,
    'request-id': exchange.log.id,
    'x-synapse-route': decision.route,
    'x-synapse-model': decision.model,
    'x-synapse-channel': decision.channel,
    'x-synapse-attempts': decision.attempts,
  };
}

/** Headers of a relayed event stream in the caller's format (translated or passed through). */
export function eventStreamHeaders(exchange: Exchange): Record<string, string | number> {
  return {
    ...routingHeaders(exchange),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  };
}

/** A complete canonical answer, translated into the caller's format. */
export async function relayJsonInto(
  ingress: IngressFormat,
  exchange: Exchange,
  response: UpstreamResponse,
  res: ServerResponse,
): Promise<UsageResult> {
  const received = await readWholeAnswer(exchange, response);
  let parsed: JsonObject;
  try {
    parsed = JSON.parse(received.toString('utf8')) as JsonObject;
  } catch (error) {
    throw unreadableAnswerError(exchange, error);
  }
  const requested = exchange.log.requestedModel ?? String(exchange.body.model);
  let body: Buffer;
  try {
    body = Buffer.from(JSON.stringify(ingress.fromCanonical(parsed, requested, exchange.body)));
  } catch (error) {
    throw unreadableAnswerError(exchange, error);
  }
  exchange.log.status = response.statusCode;
  res.writeHead(response.statusCode, {
    ...routingHeaders(exchange),
    'content-type': 'application/json',
    'content-length': body.length,
  });
  res.end(body);
  if (exchange.capture) exchange.capture.response = body;
  return toUsage(parsed['usage']) ?? (() => usageFromJson(exchange, received));
}

/** What a relayed event stream sends the caller for each piece of the upstream's, at its end, and when it breaks. */
export interface EventRelay {
  /** The caller's bytes for a piece of the upstream's stream (`text`: the piece decoded). */
  chunk(bytes: Buffer, text: string): string | Buffer;
  /** What is left to send once the upstream's stream ended (`rest`: the decoder's last text). */
  end(rest: string): string;
  /** The caller stopped the call (ProxyRequest.signal): the stream ends as the format ends it. */
  stopped(): string;
  /** The upstream broke off: the caller's error event. */
  fail(message: string): string;
}

/**
 * An event stream relayed in the caller's format, translated or passed through: headers, the
 * pieces as they come (with backpressure), and its end, whether the upstream, the caller or a
 * break ended it.
 */
export async function relayEvents(
  exchange: Exchange,
  response: UpstreamResponse,
  res: ServerResponse,
  relay: EventRelay,
): Promise<void> {
  const { log, call, started } = exchange;
  res.writeHead(response.statusCode, eventStreamHeaders(exchange));
  log.status = response.statusCode;
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of response.body) {
      log.ttftMs ??= Math.round(performance.now() - started);
      const out = relay.chunk(chunk as Buffer, decoder.write(chunk as Buffer));
      if (out.length > 0 && !res.write(out)) await drained(res);
    }
    res.end(relay.end(decoder.end()));
  } catch (error) {
    const broken = noteStreamBreak(exchange, error);
    if (!res.destroyed && !res.writableEnded)
      res.end(broken.by === 'caller' ? relay.stopped() : relay.fail(breakMessage(broken)));
  } finally {
    call.finish();
  }
}

/** The text of the caller's error event when a stream broke off. */
function breakMessage(broken: Exclude<StreamBreak, { by: 'caller' }>): string {
  if (broken.by === 'gateway') return broken.error.message;
  const { kind } = broken.failure;
  if (kind === 'timeout') return 'The upstream did not answer in time.';
  if (kind === 'invalid_response') return Errors.upstreamInvalidResponse().message;
  return 'The upstream broke off the stream.';
}

/**
 * A canonical SSE answer, translated event by event into the caller's stream. The usage tap reads
 * the canonical chunks as for OpenAI callers (usage, the text for the tokenizer fallback).
 */
export async function relayStreamInto(
  ingress: IngressFormat,
  exchange: Exchange,
  response: UpstreamResponse,
  res: ServerResponse,
): Promise<UsageResult> {
  const tap = new SseUsageTap(false);
  const transcoder = ingress.streamTranscoder(
    exchange.log.requestedModel ?? String(exchange.body.model),
    exchange.body,
  );
  await relayEvents(exchange, response, res, {
    chunk: (bytes, text) => {
      tap.push(bytes);
      return readingAnswer(() => transcoder.push(text));
    },
    end: (rest) => {
      tap.end();
      return readingAnswer(() => transcoder.push(rest) + transcoder.end());
    },
    stopped: () => transcoder.end(),
    fail: (message) => transcoder.fail(message),
  });
  if (exchange.capture) exchange.capture.response = tap.completionText();
  return tap.usage ?? (() => estimateStreamUsage(exchange, tap.completionText()));
}
