import { Injectable } from '@nestjs/common';
import { ProviderRegistry, UpstreamClient, type UpstreamTarget } from '@synapse/gateway/providers';
import type { ServerResponse } from 'node:http';
import type { ActiveKey } from '../../catalog/catalog-snapshot';
import { CatalogService } from '../../catalog/catalog.service';
import { upstreamFailureError } from '../../errors/upstream-error';
import { difyModelFor } from './dify-model';
import { difyPassThroughChannel } from './dify-pass-through-channel';

/**
 * Dify calls other than generations (history, feedback, files, stop, app info, audio) on a pass-through
 * route: sent to the Dify app as they came (its app key instead of the caller's gateway key), the
 * answer relayed as it is. Generations go through ProxyService instead, for routing and the log.
 */
@Injectable()
export class DifyPassThroughRelay {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly providers: ProviderRegistry,
    private readonly catalog: CatalogService,
  ) {}

  /** The Dify app channel that serves a key's Dify calls, with the model its route is named by; undefined when none does. */
  channelFor(key: ActiveKey): { model: string; channel: UpstreamTarget } | undefined {
    const { snapshot } = this.catalog;
    const model = difyModelFor(key.name, snapshot.routes);
    const channel = difyPassThroughChannel(model, snapshot);
    return channel && { model, channel };
  }

  async forward(
    channel: UpstreamTarget,
    request: { method: 'GET' | 'POST' | 'DELETE'; url: string; contentType: string | undefined; body: Buffer },
    requestId: string,
    res: ServerResponse,
  ): Promise<void> {
    const headers = { ...this.providers.get(channel.type).headersFor(channel) };
    // The caller's content type (multipart for uploads); none for a body-less call.
    if (request.contentType) headers['content-type'] = request.contentType;
    else delete headers['content-type'];
    const call = this.upstream.call({
      target: channel,
      // The channel's base URL ends in Dify's /v1, as the caller's URL does.
      path: request.url.replace(/^\/v1(?=\/)/, ''),
      headers,
      method: request.method,
      body: request.method === 'GET' || request.body.length === 0 ? undefined : request.body,
      whole: true,
    });
    try {
      const response = await call.response;
      const body = await response.body.bytes();
      res.writeHead(response.statusCode, {
        ...(body.length > 0 && { 'content-type': String(response.headers['content-type'] ?? 'application/json') }),
        'content-length': body.length,
        'x-request-id': requestId,
        'x-synapse-channel': channel.channelId,
      });
      res.end(body);
    } catch (error) {
      throw upstreamFailureError(call.classify(error));
    } finally {
      call.finish();
    }
  }
}
