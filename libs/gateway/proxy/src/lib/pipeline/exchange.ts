import type { RequestLogEntry } from '@synapse/gateway/persistence';
import type { Endpoint, UpstreamCall, UpstreamResponse, UpstreamTarget } from '@synapse/gateway/providers';
import type { CapturedBodies } from '../logging/request-body-writer';
import type { Usage } from '../usage/usage';
import type { JsonObject } from './request-body';

/** One attempt that got a successful answer, as the relay needs it. */
export interface Exchange {
  endpoint: Endpoint;
  body: JsonObject;
  target: UpstreamTarget;
  call: UpstreamCall;
  log: RequestLogEntry;
  /** performance.now() when the gateway received the call. */
  started: number;
  /** How the call was routed, told to the caller in x-synapse-* headers (names made headerSafe). */
  decision: { route: string; model: string; channel: string; attempts: number };
  /** The upstream broke off a stream after it had started: counts against the target. */
  onStreamBroken(): void;
  /** Set when the key or route captures bodies: the relay leaves the answer here. */
  capture: CapturedBodies | undefined;
}

/** Usage known now, one to count later (tokenizer), or none (the call failed). */
export type UsageResult = Usage | (() => Usage | undefined) | undefined;

/** One header's first value; `name` in lower case. */
export function header(response: UpstreamResponse, name: string): string | undefined {
  if (response.header) return response.header(name);
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
