import { Inject, Injectable, Logger } from '@nestjs/common';
import { clientAddress } from '@synapse/gateway/config';
import { Errors, GatewayError, nestsDeeperThan, TOO_DEEP_MESSAGE } from '@synapse/gateway/errors';
import { FormatError, requireDifyUser } from '@synapse/gateway/providers';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActiveKey } from '../../catalog/catalog-snapshot';
import { CatalogService } from '../../catalog/catalog.service';
import { newRequestId } from '../../http/request-id';
import { PROXY_HTTP_OPTIONS, type ProxyHttpOptions } from '../../http/proxy-http-options';
import { UnauthenticatedThrottle } from '../../limits/unauthenticated-throttle';
import { ProxyService } from '../../pipeline/proxy.service';
import { difyInfo, difyMeta, difyParameters } from './dify-app-info';
import { DifyConversationsService } from './dify-conversations.service';
import { DIFY_AUDIO_LIMIT, DIFY_FILE_LIMIT } from './dify-files';
import { readBodyUpTo } from '../../http/read-body';
import { DifyGenerationService } from './dify-generation.service';
import { difyModelFor } from './dify-model';
import { DifyPassThroughRelay } from './dify-pass-through.relay';
import { matchDifyRoute, type DifyAction } from './dify-routes';
import { DifyTasks } from './dify-tasks';
import { DifyUploads } from './dify-uploads.service';
import { DIFY, DifyErrors, sendDifyError, sendDifyJson } from './dify.ingress';
import { whyNotJson } from '../../http/why-not-json';

/** Room for the multipart framing around an upload of the largest size. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** A request body as read: its bytes, or too large. */
type Body = { bytes: Buffer } | { tooLarge: true };

/**
 * Dify's service API (docs/dify.md#dify-as-an-ingress), served from Node's HTTP server like the
 * other /v1 calls. ProxyHttpHandler asks it only for requests that are not OpenAI or other
 * ingress routes, so the OpenAI path does not look at Dify's table. Every answer, errors included,
 * is in Dify's shape.
 */
@Injectable()
export class DifyHttpHandler {
  private readonly logger = new Logger('Dify');

  constructor(
    private readonly proxy: ProxyService,
    private readonly catalog: CatalogService,
    private readonly unauthenticated: UnauthenticatedThrottle,
    private readonly generations: DifyGenerationService,
    private readonly conversations: DifyConversationsService,
    private readonly uploads: DifyUploads,
    private readonly tasks: DifyTasks,
    private readonly passThrough: DifyPassThroughRelay,
    @Inject(PROXY_HTTP_OPTIONS) private readonly options: ProxyHttpOptions,
  ) {}

  /** Serves a Dify call and returns true, or returns false when the path is not Dify's. */
  handle(req: IncomingMessage, res: ServerResponse, draining: boolean, path: string): boolean {
    const action = matchDifyRoute(req.method, path);
    if (!action) return false;
    const id = newRequestId();
    void this.serve(action, id, req, res, draining).catch((error: unknown) => {
      // A caller that left while sending its body: there is no one to answer, and nothing failed.
      if (req.destroyed && (error as NodeJS.ErrnoException)?.code === 'ECONNRESET') return;
      this.logger.error(`${id}: Dify ${req.method} ${path}: ${(error as Error)?.stack ?? error}`);
      if (!res.headersSent) sendDifyError(res, id, Errors.internal(id));
      else res.destroy();
    });
    return true;
  }

  private async serve(
    action: DifyAction,
    id: string,
    req: IncomingMessage,
    res: ServerResponse,
    draining: boolean,
  ): Promise<void> {
    const generation = action.kind === 'generate';
    const refuse = (error: GatewayError, key?: ActiveKey) => {
      // Generations are model calls: each has its request-log entry, refused ones too.
      if (generation) this.proxy.recordRejected(id, 'chat.completions', error, key, DIFY);
      const unread = !req.complete;
      sendDifyError(res, id, error, unread || draining ? { connection: 'close' } : {});
      if (unread) req.resume();
    };
    if (draining) return refuse(Errors.unavailable('The gateway is shutting down; retry the call.'));
    const clientIp = clientAddress(
      req.socket.remoteAddress,
      req.headers['x-forwarded-for'],
      this.options.trustedProxies,
    );
    let key: ActiveKey;
    try {
      // The key is checked before the body is read, as on every /v1 path.
      key = this.proxy.authenticate('chat.completions', req.headers, clientIp);
    } catch (error) {
      if (!(error instanceof GatewayError)) return refuse(Errors.internal(id));
      return refuse(await this.unauthenticated.refusal(clientIp, error).catch(() => error));
    }
    // Audio is served only by a Dify app behind the gateway: said before a recording is read.
    if ((action.kind === 'audio-to-text' || action.kind === 'text-to-audio') && !this.passThrough.channelFor(key)) {
      return refuse(DifyErrors.audioNotServed(action.kind), key);
    }
    const limit = uploadLimit(action) ?? this.options.bodyLimit;
    if (Number(req.headers['content-length'] ?? 0) > limit) return refuse(Errors.bodyTooLarge(limit), key);
    const body = req.method === 'GET' ? { bytes: Buffer.alloc(0) } : await readBody(req, limit);
    if ('tooLarge' in body) return refuse(Errors.bodyTooLarge(limit), key);
    try {
      await this.dispatch(action, id, key, req, body.bytes, res);
    } catch (error) {
      refuse(
        error instanceof GatewayError
          ? error
          : error instanceof FormatError
            ? DifyErrors.invalidParam(error.message, error.param)
            : (this.logger.error(`${id}: ${(error as Error)?.stack ?? error}`), Errors.internal(id)),
        key,
      );
    }
  }

  private async dispatch(
    action: DifyAction,
    id: string,
    key: ActiveKey,
    req: IncomingMessage,
    bytes: Buffer,
    res: ServerResponse,
  ): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://gateway').searchParams;
    const send = (status: number, body?: unknown) => sendDifyJson(res, id, status, body);
    const json = () => jsonOf(bytes, req.headers['content-encoding']);
    const target = action.kind === 'generate' ? undefined : this.passThrough.channelFor(key);
    if (target) {
      // The Dify app keeps the history and files; nothing reaches it that the key may not reach.
      if (!key.allows(target.model)) throw Errors.modelNotAllowed(target.model);
      const method = req.method as 'GET' | 'POST' | 'DELETE';
      const request = { method, url: req.url ?? '', contentType: req.headers['content-type'], body: bytes };
      return this.passThrough.forward(target.channel, request, id, res);
    }
    switch (action.kind) {
      case 'generate':
        return this.generations.generate(action.app, { id, key, body: json(), bodyBytes: bytes.length }, res);
      case 'stop': {
        const user = requireDifyUser(objectOf(json()));
        this.tasks.stop(action.id, key.id, user);
        return send(200, { result: 'success' });
      }
      case 'conversations':
        return send(200, await this.conversations.list(key.id, query));
      case 'messages':
        return send(200, await this.conversations.messages(key.id, query));
      case 'rename':
        return send(200, await this.conversations.rename(key.id, action.id, objectOf(json())));
      case 'delete':
        await this.conversations.delete(key.id, action.id, bytes.length ? objectOf(json()) : {});
        return send(204);
      case 'feedback':
        return send(200, await this.conversations.feedback(key.id, action.id, objectOf(json())));
      case 'parameters':
        return send(200, difyParameters());
      case 'info':
        return send(200, difyInfo(difyModelFor(key.name, this.catalog.snapshot.routes)));
      case 'meta':
        return send(200, difyMeta());
      case 'upload':
        return send(201, await this.uploads.upload(key.id, req.headers['content-type'] ?? '', bytes));
      case 'audio-to-text':
      case 'text-to-audio':
        // Refused before the body was read (serve); here only if the app's route went away meanwhile.
        throw DifyErrors.audioNotServed(action.kind);
    }
  }
}

/** A form's limit (a file and its framing), for the paths that take one. */
function uploadLimit(action: DifyAction): number | undefined {
  if (action.kind === 'upload') return DIFY_FILE_LIMIT + MULTIPART_OVERHEAD;
  if (action.kind === 'audio-to-text') return DIFY_AUDIO_LIMIT + MULTIPART_OVERHEAD;
  return undefined;
}

/** The whole body, or tooLarge once it passes `limit` (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    req.once('error', reject);
    readBodyUpTo(req, limit, (bytes) => resolve(bytes ? { bytes } : { tooLarge: true }));
  });
}

function jsonOf(bytes: Buffer, contentEncoding: string | undefined): unknown {
  const text = bytes.toString('utf8');
  if (!text.trim()) throw DifyErrors.invalidParam('The request body is empty; send a JSON object.');
  if (nestsDeeperThan(text)) throw DifyErrors.invalidParam(TOO_DEEP_MESSAGE);
  try {
    return JSON.parse(text);
  } catch {
    throw DifyErrors.invalidParam(whyNotJson(contentEncoding, text));
  }
}

function objectOf(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw DifyErrors.invalidParam('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}
