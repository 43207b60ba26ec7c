import type { Endpoint, IngressFormat, NativePassThrough } from '@synapse/gateway/providers';
import type { GatewayError } from '@synapse/gateway/errors';
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * A caller-facing format the pipeline serves besides OpenAI's (docs/adr/0007-wire-formats.md):
 * its translator, the canonical endpoint its calls become, and its own error shape.
 */
export interface Ingress {
  readonly format: IngressFormat;
  /** The canonical endpoint: what keys' endpoint lists, routing and the log see. */
  readonly endpoint: Endpoint;
  /** A header the format requires and the call lacks, checked before the body is read. */
  checkHeaders(headers: IncomingHttpHeaders): GatewayError | undefined;
  /** A token-count request as a call the translator accepts (count requests lack the output cap). */
  countRequest(body: unknown): unknown;
  /** The native token-count path on a channel of the format's own type, if the provider has one. */
  readonly countPath?: string;
  /** A token count as the format answers it; `{input_tokens}` (Anthropic's) when absent. */
  countAnswer?(inputTokens: number): Record<string, unknown>;
  sendError(res: ServerResponse, requestId: string, error: GatewayError, extraHeaders?: OutgoingHttpHeaders): void;
  /**
   * The caller's request as it is, for a channel that speaks the caller's format (ADR 0007), built
   * per call from its body and headers (Anthropic → an `anthropic` channel). Dify builds its own.
   */
  passThrough?(body: unknown, headers: IncomingHttpHeaders): NativePassThrough | undefined;
}

/** A non-OpenAI route: a model call, or a local token count. */
export interface IngressRoute {
  ingress: Ingress;
  action: 'call' | 'count_tokens';
}
