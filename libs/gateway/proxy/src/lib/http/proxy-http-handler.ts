import { Inject, Injectable, Logger } from '@nestjs/common';
import { clientAddress } from '@synapse/gateway/config';
import type { Endpoint } from '@synapse/gateway/providers';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActiveKey } from '../catalog/catalog-snapshot';
import { Errors, GatewayError, nestsDeeperThan, sendError, TOO_DEEP_MESSAGE } from '@synapse/gateway/errors';
import { UnauthenticatedThrottle } from '../limits/unauthenticated-throttle';
import type { IngressRoute } from '../ingress/ingress';
import { DifyHttpHandler } from '../ingress/dify/dify-http-handler';
import { INGRESS_ROUTES } from '../ingress/ingress-routes';
import { captureRequestHeaders } from '../logging/request-headers';
import { TokenCountService } from '../ingress/token-count.service';
import { FORM_ENDPOINTS, PROXY_ENDPOINTS } from '../openai/proxy-endpoints';
import { readFormUpload } from '../pipeline/form-upload';
import { ProxyService } from '../pipeline/proxy.service';
import { PROXY_HTTP_OPTIONS, type ProxyHttpOptions } from './proxy-http-options';
import { readBodyUpTo } from './read-body';
import { newRequestId } from './request-id';
import { whyNotJson } from './why-not-json';

export { PROXY_HTTP_OPTIONS, type ProxyHttpOptions } from './proxy-http-options';

/** An unread body up to this size is drained after a refusal, so that the caller reads the answer cleanly. */
const DRAIN_LIMIT = 64 * 1024;
/**
 * A key's body over the size limit is read and dropped up to this many times the limit before the
 * 413 is answered in full: a client still sending when the connection closes sees a reset, not the
 * answer, and the SDKs send a reset call again (a 30 MB recording three times, then "Connection error").
 */
const LINGER_FACTOR = 4;

const JSON_CONTENT_TYPE = /^application\/([\w.+-]*\+)?json\b/i;
const FORM_CONTENT_TYPE = /^multipart\/form-data\b/i;

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
  /** Proxied calls received and not yet answered in full (their response closed). */
  inFlight = 0;
  private readonly maxInFlight: number;
  private readonly callClosed = () => this.inFlight--;
  private readonly logger = new Logger('Proxy');

  constructor(
    private readonly proxy: ProxyService,
    private readonly unauthenticated: UnauthenticatedThrottle,
    private readonly tokenCounts: TokenCountService,
    private readonly dify: DifyHttpHandler,
    @Inject(PROXY_HTTP_OPTIONS) private readonly options: ProxyHttpOptions,
  ) {
    this.maxInFlight = options.maxInFlight ?? 0;
  }

  /** Handles a proxied call and returns true, or returns false to leave the request to Fastify. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    try {
      return this.dispatch(req, res);
    } catch (error) {
      // Nothing above this catches: a throw on the server's request event would end the process.
      this.failed(req, res, error);
      return true;
    }
  };

  private dispatch(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (req.method !== 'POST') return this.dify.handle(req, res, this.draining, path);
    const endpoint = PROXY_ENDPOINTS.get(path);
    if (endpoint) {
      this.receive(endpoint, newRequestId(), req, res);
      return true;
    }
    // Uploads (multipart forms), then other wire formats (Anthropic, ...): looked up only after the JSON routes missed.
    const upload = FORM_ENDPOINTS.get(path);
    if (upload) {
      this.receive(upload, newRequestId(), req, res, undefined, true);
      return true;
    }
    const route = INGRESS_ROUTES.get(path);
    // Dify's service API (several methods, ids in paths): its own table, consulted last.
    if (!route) return this.dify.handle(req, res, this.draining, path);
    this.receive(route.ingress.endpoint, newRequestId(), req, res, route);
    return true;
  }

  /**
   * A fault of the gateway's own while taking a call: it costs that call (500, or the connection
   * when the answer had begun), not the process, which ends on an uncaught throw or rejection.
   */
  private failed(req: IncomingMessage, res: ServerResponse, error: unknown, id = newRequestId()): void {
    // The path only: a query string may carry a caller's key.
    const path = (req.url ?? '').split('?')[0];
    this.logger.error(`${id}: ${req.method} ${path}: ${(error as Error)?.stack ?? error}`);
    if (res.writableEnded) return;
    if (res.headersSent) return void res.destroy();
    sendError(res, id, Errors.internal(id), { connection: 'close' });
    if (!req.complete && Number(req.headers['content-length'] ?? Infinity) <= DRAIN_LIMIT) req.resume();
  }

  private receive(
    endpoint: Endpoint,
    id: string,
    req: IncomingMessage,
    res: ServerResponse,
    route?: IngressRoute,
    form = false,
  ): void {
    if (this.draining) {
      return this.reject(
        endpoint,
        id,
        req,
        res,
        Errors.unavailable('The gateway is shutting down; retry the call.'),
        undefined,
        route,
      );
    }
    if (this.maxInFlight > 0) {
      if (this.inFlight >= this.maxInFlight) {
        return this.reject(endpoint, id, req, res, Errors.overloaded(), undefined, route);
      }
      this.inFlight++;
      // `on`, not `once`: a response closes once, and `once` wraps every listener in a closure.
      res.on('close', this.callClosed);
    }
    if (!(form ? FORM_CONTENT_TYPE : JSON_CONTENT_TYPE).test(req.headers['content-type'] ?? '')) {
      return this.reject(
        endpoint,
        id,
        req,
        res,
        Errors.badRequest(
          form
            ? 'Unsupported Content-Type; send the file and fields as multipart/form-data.'
            : 'Unsupported Content-Type; send the body as JSON with "Content-Type: application/json".',
          null,
          'invalid_content_type',
        ),
        undefined,
        route,
      );
    }
    const missing = route?.ingress.checkHeaders(req.headers);
    if (missing) return this.reject(endpoint, id, req, res, missing, undefined, route);
    const clientIp = clientAddress(
      req.socket.remoteAddress,
      req.headers['x-forwarded-for'],
      this.options.trustedProxies,
    );
    // The key is checked from the headers before a byte of the body is read: a caller without a
    // valid key cannot make the gateway receive, buffer or parse a large body.
    let key: ActiveKey;
    try {
      key = this.proxy.authenticate(endpoint, req.headers, clientIp);
    } catch (error) {
      if (!(error instanceof GatewayError)) {
        return this.reject(endpoint, id, req, res, Errors.internal(id), undefined, route);
      }
      return void this.unauthenticated
        .refusal(clientIp, error)
        .then(
          (refusal) => this.reject(endpoint, id, req, res, refusal, undefined, route),
          () => this.reject(endpoint, id, req, res, error, undefined, route),
        )
        .catch((fault: unknown) => this.failed(req, res, fault, id));
    }
    const limit = this.options.bodyLimit;
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      return this.reject(endpoint, id, req, res, Errors.bodyTooLarge(limit), key, route, true);
    }
    this.readBody(endpoint, id, key, req, res, route, form);
  }

  private readBody(
    endpoint: Endpoint,
    id: string,
    key: ActiveKey,
    req: IncomingMessage,
    res: ServerResponse,
    route: IngressRoute | undefined,
    form: boolean,
  ): void {
    const limit = this.options.bodyLimit;
    readBodyUpTo(req, limit, (received) => {
      // Called from the request stream's events, where a throw would end the process.
      try {
        if (!received) return this.reject(endpoint, id, req, res, Errors.bodyTooLarge(limit), key, route);
        if (form) return void this.receivedForm(endpoint, id, key, received, req, res);
        this.received(endpoint, id, key, received, req, res, route);
      } catch (error) {
        this.failed(req, res, error, id);
      }
    });
  }

  /** Parses the body and hands the call to the pipeline. */
  private received(
    endpoint: Endpoint,
    id: string,
    key: ActiveKey,
    received: Buffer,
    req: IncomingMessage,
    res: ServerResponse,
    route?: IngressRoute,
  ): void {
    const size = received.length;
    let body: unknown;
    let text = '';
    try {
      text = received.toString('utf8');
      if (!text.trim()) throw Errors.badRequest('The request body is empty; send a JSON object.', null, 'invalid_json');
      if (nestsDeeperThan(text)) throw Errors.badRequest(TOO_DEEP_MESSAGE, null, 'invalid_json');
      body = JSON.parse(text);
    } catch (error) {
      const rejection =
        (error as GatewayError).status !== undefined
          ? (error as GatewayError)
          : Errors.badRequest(whyNotJson(req.headers['content-encoding'], text), null, 'invalid_json');
      return this.reject(endpoint, id, req, res, rejection, key, route);
    }
    const requestHeaders = captureRequestHeaders(req.headers);
    // They answer their own errors; a rejection left is a fault of the gateway's (see failed).
    const lost = (error: unknown) => this.failed(req, res, error, id);
    if (!route) {
      return void this.proxy
        .forward(endpoint, { id, key, body, raw: text, bodyBytes: size, requestHeaders }, res)
        .catch(lost);
    }
    if (route.action === 'count_tokens') {
      return void this.tokenCounts.count(route.ingress, { id, key, body, bodyBytes: size }, res).catch(lost);
    }
    const native = route.ingress.passThrough?.(body, req.headers);
    void this.proxy
      .forward(endpoint, { id, key, body, bodyBytes: size, ingress: route.ingress, native, requestHeaders }, res)
      .catch(lost);
  }

  /** Reads an upload's form and hands the call to the pipeline, its text fields as the body. */
  private async receivedForm(
    endpoint: Endpoint,
    id: string,
    key: ActiveKey,
    received: Buffer,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    try {
      const { upload, fields } = readFormUpload(received, req.headers['content-type'] ?? '');
      // The token estimate of keys with a tpm cap counts the fields, not the file's bytes.
      const bodyBytes = JSON.stringify(fields).length;
      const requestHeaders = captureRequestHeaders(req.headers);
      await this.proxy.forward(endpoint, { id, key, body: fields, bodyBytes, requestHeaders, form: upload }, res);
    } catch (error) {
      if (error instanceof GatewayError) return this.reject(endpoint, id, req, res, error, key);
      this.failed(req, res, error, id);
    }
  }

  /** Answers without calling the upstream, logs the call, and discards what is left of the body. */
  private reject(
    endpoint: Endpoint,
    id: string,
    req: IncomingMessage,
    res: ServerResponse,
    error: GatewayError,
    key?: ActiveKey,
    route?: IngressRoute,
    /** A known key's body over the limit: read and dropped (up to LINGER_FACTOR × the limit), the connection kept. */
    linger = false,
  ): void {
    this.proxy.recordRejected(id, endpoint, error, key, route?.ingress, captureRequestHeaders(req.headers));
    const unread = !req.complete;
    const length = Number(req.headers['content-length'] ?? Infinity);
    const lingering = linger && unread && length <= this.options.bodyLimit * LINGER_FACTOR;
    // An unread body would be parsed as the next request on a kept-alive connection: close it,
    // unless all of it is read and dropped (Node's server does that for a response that ends first).
    const headers = (unread && !lingering) || this.draining ? { connection: 'close' } : {};
    if (route) route.ingress.sendError(res, id, error, headers);
    else sendError(res, id, error, headers);
    // A small rest is read and dropped so that the caller sees the answer rather than a reset; a
    // large one only from a known key (lingering): otherwise the socket closes once the answer is out.
    if (lingering || (unread && length <= DRAIN_LIMIT)) req.resume();
  }
}
