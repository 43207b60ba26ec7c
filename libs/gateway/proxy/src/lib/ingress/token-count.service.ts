import { Injectable, Logger } from '@nestjs/common';
import { FormatError, ProviderRegistry, UpstreamClient } from '@synapse/gateway/providers';
import { Errors, GatewayError } from '@synapse/gateway/errors';
import { upstreamModel } from '@synapse/routing';
import type { ServerResponse } from 'node:http';
import { CatalogService } from '../catalog/catalog.service';
import { LimitGate } from '../limits/limit-gate';
import type { ProxyRequest } from '../pipeline/proxy.service';
import { readRequestBody } from '../pipeline/request-body';
import { countChatPromptTokens, countTokens } from '../usage/token-counter';
import type { Ingress } from './ingress';

/**
 * Token counts for callers of another format (`/v1/messages/count_tokens`,
 * `/v1/responses/input_tokens`). When the model's route starts with a channel that speaks the
 * caller's format natively, the count is asked of it (the only exact count); otherwise, or if it
 * fails, the gateway's tokenizer estimates it locally.
 */
@Injectable()
export class TokenCountService {
  private readonly logger = new Logger('TokenCount');

  constructor(
    private readonly catalog: CatalogService,
    private readonly upstream: UpstreamClient,
    private readonly providers: ProviderRegistry,
    private readonly limits: LimitGate,
  ) {}

  async count(ingress: Ingress, request: ProxyRequest, res: ServerResponse): Promise<void> {
    try {
      const body = readRequestBody(ingress.endpoint, canonical(ingress, ingress.countRequest(request.body)));
      const model = body.model;
      const snapshot = this.catalog.snapshot;
      const route = snapshot.routes.resolve(model);
      if (!route) throw Errors.modelNotFound(model);
      if (!request.key.allows(model)) throw Errors.modelNotAllowed(model);
      if (request.key.scopes.length > 0) {
        const verdict = await this.limits.admitTokenCount(request.key.scopes);
        if (!verdict.allowed) throw Errors.rateLimited(verdict);
      }
      const first = route.targets[0];
      const channel = first && snapshot.channels.get(first.channelId);
      if (channel && channel.type === ingress.format.name && ingress.countPath) {
        const counted = await this.countUpstream(ingress.countPath, channel, upstreamModel(first, model), request);
        if (counted !== undefined) return send(ingress, res, request.id, counted, 'upstream');
      }
      const tools = body['tools'];
      const estimate = countChatPromptTokens(body['messages']) + (tools ? countTokens(JSON.stringify(tools)) : 0);
      send(ingress, res, request.id, estimate, 'estimate');
    } catch (error) {
      if (!(error instanceof GatewayError)) this.logger.error(`${request.id}: ${(error as Error)?.stack ?? error}`);
      ingress.sendError(res, request.id, error instanceof GatewayError ? error : Errors.internal(request.id));
    }
  }

  /** The caller's own body, with the upstream's model name, to the native count endpoint. */
  private async countUpstream(
    path: string,
    channel: Parameters<UpstreamClient['call']>[0]['target'],
    model: string,
    request: ProxyRequest,
  ): Promise<number | undefined> {
    const adapter = this.providers.get(channel.type);
    const call = this.upstream.call({
      target: channel,
      path,
      headers: adapter.headersFor(channel),
      body: JSON.stringify({ ...(request.body as object), model }),
      whole: true,
    });
    try {
      const response = await call.response;
      const text = await response.body.text();
      if (response.statusCode >= 400) {
        this.logger.warn(`${request.id}: count_tokens upstream answered ${response.statusCode}; estimating locally`);
        return undefined;
      }
      const tokens = (JSON.parse(text) as { input_tokens?: unknown }).input_tokens;
      return typeof tokens === 'number' ? tokens : undefined;
    } catch (error) {
      this.logger.warn(
        `${request.id}: count_tokens upstream failed (${call.classify(error).message}); estimating locally`,
      );
      return undefined;
    } finally {
      call.finish();
    }
  }
}

function canonical(ingress: Ingress, body: unknown) {
  try {
    return ingress.format.toCanonical(body);
  } catch (error) {
    if (error instanceof FormatError) throw Errors.badRequest(error.message, error.param, 'invalid_request');
    throw error;
  }
}

function send(
  ingress: Ingress,
  res: ServerResponse,
  requestId: string,
  inputTokens: number,
  source: 'upstream' | 'estimate',
): void {
  const text = JSON.stringify(ingress.countAnswer?.(inputTokens) ?? { input_tokens: inputTokens });
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
    'x-synapse-token-count': source,
  });
  res.end(text);
}
