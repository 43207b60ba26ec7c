import { Injectable, Logger } from '@nestjs/common';
import type { RequestLogEntry } from '@synapse/gateway/persistence';
import {
  ProviderRegistry,
  UpstreamClient,
  UpstreamFailure,
  type Endpoint,
  type UpstreamCall,
  type UpstreamResponse,
  type UpstreamTarget,
} from '@synapse/gateway/providers';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CatalogService } from '../catalog/catalog.service';
import { Errors, GatewayError } from '../errors/gateway-error';
import { sendError } from '../http/send-error';
import { normalizeUpstreamError } from '../errors/upstream-error';
import { RequestLogWriter } from '../logging/request-log-writer';
import { SseUsageTap } from '../usage/sse-usage-tap';
import { countChatPromptTokens, countInputTokens, countTokens } from '../usage/token-counter';
import { extractUsageFast, toUsage, type Usage } from '../usage/usage';
import { authenticate } from './key-auth';
import { readRequestBody, type JsonObject } from './request-body';

/** Status logged when the caller hung up before the response was complete (nginx's convention). */
const CLIENT_CLOSED = 499;

/** A proxied call as the transport hands it over: the body is already parsed JSON. */
export interface ProxyRequest {
  id: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

interface Exchange {
  endpoint: Endpoint;
  body: JsonObject;
  stream: boolean;
  target: UpstreamTarget;
  call: UpstreamCall;
  log: RequestLogEntry;
  started: number;
}

/**
 * The `/v1` request pipeline: authenticate from memory, pick a channel, forward, relay the answer
 * (streamed byte by byte when asked), and hand a log entry to the batch writer afterwards.
 */
@Injectable()
export class ProxyService {
  private readonly logger = new Logger('Proxy');

  constructor(
    private readonly catalog: CatalogService,
    private readonly upstream: UpstreamClient,
    private readonly providers: ProviderRegistry,
    private readonly logs: RequestLogWriter,
  ) {}

  async forward(endpoint: Endpoint, request: ProxyRequest, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const log = newLogEntry(request.id, endpoint);
    let usage: UsageResult;
    try {
      const snapshot = this.catalog.snapshot;
      const key = authenticate(request.headers, snapshot);
      log.keyId = key.id;
      log.userId = key.userId;
      const body = readRequestBody(endpoint, request.body);
      log.requestedModel = body.model;
      const model = snapshot.model(body.model);
      if (!model) throw Errors.modelNotFound(body.model);
      if (!key.allows(model.id)) throw Errors.modelNotAllowed(body.model);

      const target = snapshot.pick(model);
      const adapter = this.providers.get(target.type);
      if (!adapter.supports(endpoint)) throw Errors.modelNotFound(body.model);
      log.channelId = target.channelId;
      log.upstreamModel = model.id;

      const stream = endpoint !== 'embeddings' && body['stream'] === true;
      log.stream = stream;
      const streamOptions = body['stream_options'] as { include_usage?: unknown } | undefined;
      const callerWantsUsage = streamOptions?.include_usage === true;
      const askForUsage = stream && adapter.streamUsage && !callerWantsUsage;
      if (askForUsage) body['stream_options'] = { ...streamOptions, include_usage: true };

      const call = this.upstream.call({
        target,
        path: adapter.pathFor(endpoint),
        headers: adapter.headersFor(target),
        body: JSON.stringify(body),
      });
      // The caller hanging up cancels the upstream call, whether it is still waiting or streaming.
      res.once('close', () => {
        if (!res.writableFinished) call.abort(new UpstreamFailure('client_closed', 'the caller closed the connection'));
      });
      const exchange: Exchange = { endpoint, body, stream, target, call, log, started };
      const response = await call.response;
      if (response.statusCode >= 400) {
        const text = await response.body.text().catch(() => '');
        call.finish();
        throw normalizeUpstreamError(response.statusCode, text, target.apiKey, header(response, 'retry-after'));
      }
      usage = stream
        ? await this.relayStream(exchange, response, res, askForUsage)
        : await this.relayJson(exchange, response, res);
    } catch (error) {
      this.fail(error, request.id, res, log);
    } finally {
      log.latencyMs = Math.round(performance.now() - started);
      this.record(log, usage);
    }
  }

  /**
   * Records calls turned away before the pipeline (malformed JSON, a body over the limit), so that
   * every call to a proxy endpoint has its log entry.
   */
  recordRejected(id: string, endpoint: Endpoint, error: GatewayError): void {
    const log = newLogEntry(id, endpoint);
    log.status = error.status;
    log.errorClass = error.code;
    log.errorMessage = error.message;
    this.logs.record(log);
  }

  private async relayJson(exchange: Exchange, response: UpstreamResponse, res: ServerResponse) {
    const body = Buffer.from(await response.body.arrayBuffer());
    exchange.call.finish();
    exchange.log.status = response.statusCode;
    res.writeHead(response.statusCode, {
      'content-type': header(response, 'content-type') ?? 'application/json',
      'content-length': body.length,
      'x-request-id': exchange.log.id,
    });
    res.end(body);
    return extractUsageFast(body) ?? (() => usageFromJson(exchange, body));
  }

  private async relayStream(
    exchange: Exchange,
    response: UpstreamResponse,
    raw: ServerResponse,
    dropUsageChunk: boolean,
  ) {
    const { log, call, started } = exchange;
    raw.writeHead(response.statusCode, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': log.id,
    });
    log.status = response.statusCode;
    const tap = new SseUsageTap(dropUsageChunk);
    try {
      for await (const chunk of response.body) {
        log.ttftMs ??= Math.round(performance.now() - started);
        const out = tap.push(chunk as Buffer);
        if (out && !raw.write(out)) await drained(raw);
      }
      const rest = tap.end();
      if (rest) raw.write(rest);
      raw.end();
    } catch (error) {
      const failure = call.classify(error);
      log.errorClass = failure.kind === 'client_closed' ? 'client_closed' : `upstream_${failure.kind}`;
      log.errorMessage = failure.message;
      if (failure.kind === 'client_closed') {
        log.status = CLIENT_CLOSED;
      } else if (!raw.destroyed) {
        // The status line is gone; tell the caller in the stream the way OpenAI's SDKs understand.
        const gatewayError =
          failure.kind === 'timeout'
            ? Errors.upstreamTimeout(failure.message)
            : Errors.upstreamUnreachable(failure.message);
        raw.end(`data: ${JSON.stringify(gatewayError.toBody())}\n\n`);
        this.logger.warn(`${log.id}: stream from channel ${exchange.target.channelName} broke: ${failure.message}`);
      }
    } finally {
      call.finish();
    }
    return tap.usage ?? (() => estimateStreamUsage(exchange, tap.completionText()));
  }

  private fail(error: unknown, requestId: string, res: ServerResponse, log: RequestLogEntry): void {
    let gatewayError: GatewayError;
    if (error instanceof GatewayError) gatewayError = error;
    else if (error instanceof UpstreamFailure) {
      if (error.kind === 'client_closed') {
        log.status = CLIENT_CLOSED;
        log.errorClass = 'client_closed';
        return;
      }
      gatewayError = error.kind === 'timeout' ? Errors.upstreamTimeout() : Errors.upstreamUnreachable();
      log.errorMessage = error.message;
    } else {
      this.logger.error(`${requestId}: ${(error as Error)?.stack ?? error}`);
      gatewayError = Errors.internal(requestId);
    }
    log.status = gatewayError.status;
    log.errorClass = gatewayError.code;
    log.errorMessage ??= gatewayError.message;
    if (gatewayError.status >= 500)
      this.logger.warn(`${requestId}: ${gatewayError.status} ${gatewayError.code}: ${log.errorMessage}`);
    if (!res.headersSent) sendError(res, requestId, gatewayError);
  }

  /** Counting tokens can be slow for long texts, so that happens on a later turn of the event loop. */
  private record(log: RequestLogEntry, usage: UsageResult): void {
    if (typeof usage !== 'function') {
      this.logs.record(withUsage(log, usage));
      return;
    }
    setImmediate(() => {
      try {
        withUsage(log, usage());
      } catch (error) {
        this.logger.warn(`${log.id}: could not count usage: ${(error as Error).message}`);
      }
      this.logs.record(log);
    });
  }
}

/** Usage known now, one to count later (tokenizer), or none (the call failed). */
type UsageResult = Usage | (() => Usage | undefined) | undefined;

function withUsage(log: RequestLogEntry, usage: Usage | undefined): RequestLogEntry {
  if (usage) {
    log.promptTokens = usage.promptTokens;
    log.completionTokens = usage.completionTokens;
    log.totalTokens = usage.totalTokens;
    log.usageSource ??= 'upstream';
  }
  return log;
}

function newLogEntry(id: string, endpoint: Endpoint): RequestLogEntry {
  return {
    id,
    createdAt: new Date(),
    endpoint,
    keyId: null,
    userId: null,
    requestedModel: null,
    channelId: null,
    upstreamModel: null,
    stream: false,
    status: 0,
    latencyMs: 0,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    totalTokens: null,
    usageSource: null,
    errorClass: null,
    errorMessage: null,
  };
}

function header(response: UpstreamResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function drained(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.once('drain', done);
    raw.once('close', done);
  });
}

function promptTokens(exchange: Exchange): number {
  const { body, endpoint } = exchange;
  if (endpoint === 'chat.completions') return countChatPromptTokens(body['messages']);
  return countInputTokens(endpoint === 'completions' ? body['prompt'] : body['input']);
}

/** The upstream reported no usage: count with the gateway's tokenizer and say so in the log. */
function usageFromJson(exchange: Exchange, body: Buffer): Usage | undefined {
  let parsed: { usage?: unknown; choices?: { message?: { content?: unknown }; text?: unknown }[] };
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const reported = toUsage(parsed.usage);
  if (reported) return reported;
  exchange.log.usageSource = 'tokenizer';
  const prompt = promptTokens(exchange);
  let completion = 0;
  for (const choice of parsed.choices ?? []) {
    const text = choice?.message?.content ?? choice?.text;
    if (typeof text === 'string') completion += countTokens(text);
  }
  return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
}

function estimateStreamUsage(exchange: Exchange, completionText: string): Usage {
  exchange.log.usageSource = 'tokenizer';
  const prompt = promptTokens(exchange);
  const completion = countTokens(completionText);
  return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
}
