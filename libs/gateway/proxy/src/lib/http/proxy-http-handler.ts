import { Inject, Injectable } from '@nestjs/common';
import type { Endpoint } from '@synapse/gateway/providers';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Errors, type GatewayError } from '../errors/gateway-error';
import { PROXY_ENDPOINTS } from '../openai/proxy-endpoints';
import { ProxyService } from '../openai/proxy.service';
import { newRequestId } from './request-id';
import { sendError } from './send-error';

export interface ProxyHttpOptions {
  bodyLimit: number;
  /** Behind a reverse proxy: the caller is the first address of X-Forwarded-For. */
  trustProxy: boolean;
}

export const PROXY_HTTP_OPTIONS = Symbol('PROXY_HTTP_OPTIONS');

const JSON_CONTENT_TYPE = /^application\/([\w.+-]*\+)?json\b/i;

/**
 * Serves the proxied POST routes straight from Node's HTTP server, ahead of Fastify and Nest.
 * Both frameworks' per-request machinery (routing, hooks, body parser, reply pipeline) cost more
 * CPU than the proxying itself (docs/adr/0002-proxy-hot-path.md); these routes need none of it.
 * Everything else (health, models, the admin API) is left to Fastify and Nest.
 */
@Injectable()
export class ProxyHttpHandler {
  /** Set when shutdown begins: new calls get 503 while in-flight ones finish. */
  draining = false;

  constructor(
    private readonly proxy: ProxyService,
    @Inject(PROXY_HTTP_OPTIONS) private readonly options: ProxyHttpOptions,
  ) {}

  /** Handles a proxied call and returns true, or returns false to leave the request to Fastify. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const endpoint = PROXY_ENDPOINTS.get(query < 0 ? url : url.slice(0, query));
    if (!endpoint) return false;
    this.receive(endpoint, newRequestId(), req, res);
    return true;
  };

  private receive(endpoint: Endpoint, id: string, req: IncomingMessage, res: ServerResponse): void {
    if (this.draining) {
      return this.reject(endpoint, id, req, res, Errors.unavailable('The gateway is shutting down; retry the call.'));
    }
    if (!JSON_CONTENT_TYPE.test(req.headers['content-type'] ?? '')) {
      return this.reject(
        endpoint,
        id,
        req,
        res,
        Errors.badRequest(
          'Unsupported Content-Type; send the body as JSON with "Content-Type: application/json".',
          null,
          'invalid_content_type',
        ),
      );
    }
    const limit = this.options.bodyLimit;
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      return this.reject(endpoint, id, req, res, Errors.bodyTooLarge(limit));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.off('end', onEnd);
        this.reject(endpoint, id, req, res, Errors.bodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      let body: unknown;
      try {
        const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8');
        if (!text.trim())
          throw Errors.badRequest('The request body is empty; send a JSON object.', null, 'invalid_json');
        body = JSON.parse(text);
      } catch (error) {
        const rejection =
          (error as GatewayError).status !== undefined
            ? (error as GatewayError)
            : Errors.badRequest('The request body is not valid JSON.', null, 'invalid_json');
        return this.reject(endpoint, id, req, res, rejection);
      }
      void this.proxy.forward(
        endpoint,
        { id, headers: req.headers, clientIp: this.clientIp(req), body, bodyBytes: size },
        res,
      );
    };
    req.on('data', onData);
    req.on('end', onEnd);
  }

  /** The socket's peer, or with TRUST_PROXY the left-most X-Forwarded-For address, as Fastify reads it. */
  private clientIp(req: IncomingMessage): string | undefined {
    if (this.options.trustProxy) {
      const forwarded = req.headers['x-forwarded-for'];
      if (typeof forwarded === 'string' && forwarded) {
        const comma = forwarded.indexOf(',');
        return (comma < 0 ? forwarded : forwarded.slice(0, comma)).trim();
      }
    }
    return req.socket.remoteAddress;
  }

  /** Answers without calling the upstream, logs the call, and discards what is left of the body. */
  private reject(endpoint: Endpoint, id: string, req: IncomingMessage, res: ServerResponse, error: GatewayError): void {
    this.proxy.recordRejected(id, endpoint, error);
    // An unread body would be parsed as the next request on a kept-alive connection: close it.
    const unread = !req.complete;
    sendError(res, id, error, unread || this.draining ? { connection: 'close' } : {});
    if (unread) req.resume();
  }
}
