import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RequestHeaders, RequestLogEntry } from '@synapse/gateway/persistence';
import {
  FormatError,
  ProviderRegistry,
  UpstreamClient,
  UpstreamFailure,
  translatedResponse,
  type Endpoint,
  type JsonObject as WireJson,
  type NativePassThrough,
  type ProviderAdapter,
  type StreamTranscoder,
  type UpstreamTranslator,
  type UpstreamCall,
  type UpstreamResponse,
  type UpstreamTarget,
} from '@synapse/gateway/providers';
import {
  parseRetryAfter,
  upstreamModel,
  type CompiledRoute,
  type CompiledTarget,
  type RoutePlan,
} from '@synapse/routing';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate } from '../keys/authenticate-key';
import type { ActiveKey, CatalogSnapshot } from '../catalog/catalog-snapshot';
import { CatalogService } from '../catalog/catalog.service';
import { Errors, GatewayError, logLine, sendError } from '@synapse/gateway/errors';
import { normalizeUpstreamError, upstreamFailureError } from '../errors/upstream-error';
import type { Ingress } from '../ingress/ingress';

import { LimitGate, type Admission } from '../limits/limit-gate';
import { RequestBodyWriter, type CapturedBodies } from '../logging/request-body-writer';
import { InFlightCalls } from '../logging/in-flight-calls';
import { RequestLogWriter } from '../logging/request-log-writer';
import { billedSeconds, PRICING, toMicroUsd, type Pricing } from '../pricing/pricing';
import { RoutingService } from '../routing/routing.service';
import type { Usage } from '../usage/usage';
import { capsFor, checkCallSize, DEFAULT_CALL_CAPS, setOutputCap, type CallCaps, type CallSize } from './call-size';
import {
  answerType,
  ErrorAnswer,
  errorAnswerStatus,
  htmlAnswer,
  refusesField,
  relabelled,
  startsWith,
  wholeAnswerAsStream,
} from './answer-type';
import { header, type UsageResult } from './exchange';
import { eventsAsWholeAnswer, looksLikeEvents } from './whole-from-events';
import { headerSafe } from './header-value';
import { ENDPOINT_TRAITS, streamed } from './endpoint-traits';
import { formBodyFor, uploadedSeconds, type FormUpload } from './form-upload';
import { StreamedAudioLength } from '../audio-length/streamed-audio-length';
import { wholeSeconds } from '../audio-length/audio-length';
import { CLIENT_CLOSED, relayBytes, relayJson, relayStream } from './relay';
import { relayJsonInto, relayStreamInto } from './relay-ingress';
import { relayNativeJson, relayNativeStream } from './relay-native';
import { readRequestBody, type JsonObject } from './request-body';

/** A proxied call as the transport hands it over: the key is authenticated, the body parsed. */
export interface ProxyRequest {
  id: string;
  key: ActiveKey;
  body: unknown;
  /**
   * The body's text as received (OpenAI routes): sent upstream as it is when the gateway changes
   * nothing in it, instead of serializing the parsed body again on every attempt.
   */
  raw?: string;
  /** Size of the JSON body as received, for the token estimate of keys with a tpm cap. */
  bodyBytes: number;
  /** Set when the caller speaks another format than OpenAI's: the body is translated, and so is the answer. */
  ingress?: Ingress;
  /** The caller's request as it is, sent instead of a translation to a channel of the caller's own format (ADR 0007). */
  native?: NativePassThrough;
  /** The caller's headers kept for the log (`captureRequestHeaders`). */
  requestHeaders?: RequestHeaders | null;
  /** Ends the call as a hang-up would, the caller's stream closed cleanly (Dify's stop endpoints). */
  signal?: AbortSignal;
  /** An upload (multipart form): sent as a form, `body` holding its text fields. */
  form?: FormUpload;
}

/** What one call carries through its attempts. */
interface CallContext {
  endpoint: Endpoint;
  body: JsonObject;
  /** The caller's bytes while they still say what `body` says (ProxyRequest.raw). */
  raw: string | undefined;
  form: FormUpload | undefined;
  requested: string;
  stream: boolean;
  callerWantsUsage: boolean;
  /** The output cap the gateway wrote into a chat call (`max_completion_tokens`), when it did. */
  addedCap: number | undefined;
  snapshot: CatalogSnapshot;
  res: ServerResponse;
  log: RequestLogEntry;
  started: number;
  /** The target that served, to charge its tokens to. */
  servedTarget?: string;
  /** The attempt in flight, so that the caller hanging up can cancel it. */
  call?: UpstreamCall;
  /** A native stream's stop call (Dify's stop endpoint), sent when the caller hangs up mid-stream. */
  cancelUpstream?: () => void;
  callerGone: boolean;
  /** The bodies kept for this call, when its key or route captures them. */
  capture: CapturedBodies | undefined;
  ingress: Ingress | undefined;
  /** Sent instead of a translation to a channel of the caller's own format (ADR 0007). */
  native: NativePassThrough | undefined;
  /** The length of the audio relayed (speech answered in bytes, which carry no usage). */
  answerAudio?: StreamedAudioLength;
}

/**
 * The `/v1` request pipeline: authenticate from memory, resolve the route, try its targets (and
 * fallbacks) as the routing plan says, relay the first good answer (streamed byte by byte when
 * asked), and hand a log entry to the batch writer afterwards.
 */
@Injectable()
export class ProxyService {
  private readonly logger = new Logger('Proxy');
  /** Channels whose upstream refused `stream_options` (per catalog version: an edit asks again). */
  private readonly streamUsageRefused = new WeakSet<UpstreamTarget>();
  /** Channels whose upstream refused `max_completion_tokens`: a cap the gateway adds goes as `max_tokens`. */
  private readonly maxCompletionTokensRefused = new WeakSet<UpstreamTarget>();
  /**
   * Route targets whose model refused `max_tokens` for `max_completion_tokens` (OpenAI's reasoning
   * models): a caller's `max_tokens` goes to them under the newer name (per catalog version).
   */
  private readonly maxTokensRefused = new WeakSet<CompiledTarget>();
  /**
   * Calls in the pipeline until their log entry is recorded (a turn later when tokens are counted):
   * a shutdown waits for them.
   */
  private running = 0;
  private whenSettled: (() => void) | undefined;
  /**
   * Set when the shutdown's bound cuts the calls left: their log entries read 503
   * `gateway_shutdown`, a failure that monitoring and alerts count, not a caller that left (499).
   */
  cutting = false;

  constructor(
    private readonly catalog: CatalogService,
    private readonly routing: RoutingService,
    private readonly upstream: UpstreamClient,
    private readonly providers: ProviderRegistry,
    private readonly logs: RequestLogWriter,
    private readonly limits: LimitGate,
    @Inject(PRICING) private readonly pricing: Pricing,
    @Inject(DEFAULT_CALL_CAPS) private readonly defaultCaps: CallCaps,
    private readonly bodies: RequestBodyWriter,
    private readonly inFlight: InFlightCalls,
  ) {}

  /**
   * Resolves the caller's key from the request's headers alone (from memory), before the transport
   * reads the body; throws the GatewayError to answer. The same check as the passport strategy
   * behind `GET /v1/models`, called directly: the strategy's promises cost ~5 µs a call (ADR 0002).
   */
  authenticate(endpoint: Endpoint, headers: IncomingHttpHeaders, clientIp: string | undefined): ActiveKey {
    return authenticate(headers, this.catalog.snapshot, clientIp, endpoint);
  }

  /**
   * Resolves true once every call in the pipeline has recorded its log entry, false after
   * `timeoutMs`. Calls cut by the shutdown's bound unwind in a few ticks; the log's last write must
   * come after them.
   */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.whenSettled = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  async forward(endpoint: Endpoint, request: ProxyRequest, res: ServerResponse): Promise<void> {
    this.running++;
    const started = performance.now();
    const log = newLogEntry(request.id, endpoint);
    let usage: UsageResult;
    let context: CallContext | undefined;
    let admission: Admission | undefined;
    let capture: CapturedBodies | undefined;
    let inFlightModel: string | undefined;
    // Characters a price per million characters charges (tts-1's input), known before the call.
    let characters: number | undefined;
    // Seconds of audio: uploaded (whisper-1's file), known before the call, or relayed (speech).
    let seconds: number | undefined;
    const hangUp = () => {
      if (res.writableFinished || !context) return;
      context.callerGone = true;
      context.call?.abort(this.hungUp());
      context.cancelUpstream?.();
    };
    res.on('close', hangUp);
    request.signal?.addEventListener('abort', hangUp, { once: true });
    try {
      const snapshot = this.catalog.snapshot;
      const { key } = request;
      log.keyId = key.id;
      log.userId = key.userId;
      log.teamId = key.teamId;
      if (request.ingress) log.ingressFormat = request.ingress.format.name;
      log.requestHeaders = request.requestHeaders ?? null;
      const body = readRequestBody(
        endpoint,
        request.ingress ? toCanonical(request.ingress, request.body) : request.body,
      );
      const requested = body.model;
      log.requestedModel = requested;
      const { charactersOf, secondsOf } = ENDPOINT_TRAITS[endpoint];
      if (charactersOf) characters = characterCount(body[charactersOf]);
      this.inFlight.start(key.id, key.userId, key.teamId, (inFlightModel = requested));
      const route = snapshot.routes.resolve(requested);
      if (!route) throw Errors.modelNotFound(requested);
      if (!key.allows(requested)) throw Errors.modelNotAllowed(requested);
      // Only for a call that can be served: reading an MP3 without a frame count takes milliseconds.
      if (secondsOf && request.form) seconds = uploadedSeconds(request.form, secondsOf);
      // Off by default: one boolean, and a null check on the snapshot, per call.
      if (key.captureBodies || (snapshot.captureRoutes !== null && snapshot.captureRoutes.has(route.name))) {
        capture = { request: JSON.stringify(body), response: null };
      }
      const size = checkCallSize(endpoint, body, capsFor(key, this.defaultCaps));
      if (key.scopes.length > 0) {
        if (key.budgeted && this.pricing.unpricedModels === 'deny' && !this.pricing.prices.priceOf(requested)) {
          throw Errors.modelNotPriced(requested);
        }
        // Tokens are checked before the call with a rough estimate (4 bytes a token), charged after it.
        const promptTokens = Math.ceil(request.bodyBytes / 4);
        const estimate = key.scopes.some((s) => s.limits.tpm !== undefined) ? promptTokens : 0;
        const reserved = key.budgeted ? this.worstCost(requested, promptTokens, size, characters, seconds) : 0;
        const verdict = await this.limits.admit(key.scopes, estimate, Date.now(), reserved);
        if (!verdict.allowed) throw Errors.rateLimited(verdict);
        admission = { scopes: key.scopes, reservedMicroUsd: reserved, verdict };
      }
      const stream = streamed(endpoint, body);
      log.stream = stream;
      const streamOptions = body['stream_options'] as { include_usage?: unknown } | undefined;
      context = {
        endpoint,
        body,
        raw: size.capAdded ? undefined : request.raw,
        requested,
        stream,
        callerWantsUsage: streamOptions?.include_usage === true,
        addedCap: size.capAdded && endpoint === 'chat.completions' ? size.maxTokens : undefined,
        snapshot,
        res,
        log,
        started,
        callerGone: false,
        capture,
        ingress: request.ingress,
        native: request.native,
        form: request.form,
      };
      usage = await this.serve(route, context);
    } catch (error) {
      this.fail(error, request.id, res, log, request.ingress);
    } finally {
      log.latencyMs = Math.round(performance.now() - started);
      if (inFlightModel !== undefined) {
        this.inFlight.end(request.key.id, request.key.userId, request.key.teamId, inFlightModel);
      }
      if (admission) this.limits.end(admission);
      seconds ??= wholeSeconds(context?.answerAudio?.seconds);
      this.record(log, usage, context?.servedTarget, admission, characters, seconds);
      if (capture) this.bodies.record(log.id, log.createdAt, capture);
    }
  }

  /**
   * Records calls turned away before the pipeline (no valid key, malformed JSON, a body over the
   * limit), so that every call to a proxy endpoint has its log entry.
   */
  recordRejected(
    id: string,
    endpoint: Endpoint,
    error: GatewayError,
    key?: ActiveKey,
    ingress?: Ingress,
    requestHeaders?: RequestHeaders | null,
  ): void {
    const log = newLogEntry(id, endpoint);
    if (ingress) log.ingressFormat = ingress.format.name;
    log.requestHeaders = requestHeaders ?? null;
    log.keyId = key?.id ?? null;
    log.userId = key?.userId ?? null;
    log.teamId = key?.teamId ?? null;
    log.status = error.status;
    log.errorClass = error.code;
    log.errorMessage = error.message;
    this.logs.record(log);
  }

  /** Walks the routing plan: retries and fallbacks until one target answers well, or none is left. */
  private async serve(route: CompiledRoute, context: CallContext): Promise<UsageResult> {
    const { snapshot, body, endpoint, log } = context;
    const { health, channels } = this.routing;
    const plan = this.routing.plan(route);
    let lastError: GatewayError | undefined;
    let lastChannelId: string | null = null;
    const callerStreamOptions = body['stream_options'];
    const { textAnswers } = ENDPOINT_TRAITS[endpoint];
    // A caller's `max_tokens` alone, which a model that takes only `max_completion_tokens` gets renamed.
    const callerCap =
      endpoint === 'chat.completions' &&
      typeof body['max_tokens'] === 'number' &&
      body['max_completion_tokens'] === undefined &&
      context.addedCap === undefined
        ? body['max_tokens']
        : undefined;
    // Whether an attempt sent it renamed: the body is not the caller's bytes any more.
    let capRenamed = false;
    // The target of an attempt sent again at once (an upstream that refused stream_options).
    let resend: CompiledTarget | undefined;
    // Whether a target was passed over because its channel does not offer the endpoint.
    let unserved = false;
    for (let target = plan.next(); target; target = resend ?? plan.next()) {
      const again = resend !== undefined;
      resend = undefined;
      try {
        if (!again && plan.delayMs > 0) await sleep(plan.delayMs);
        if (context.callerGone) throw this.hungUp();
        const channel = snapshot.channels.get(target.channelId);
        if (!channel) throw new Error(`route target ${target.id} has no channel in the snapshot`);
        const adapter = this.providers.get(channel.type);
        if (!adapter.supports(endpoint)) {
          // A route may mix channel types: one without this API is passed over, not failed.
          plan.passOver();
          unserved = true;
          continue;
        }
        lastChannelId = channel.channelId;
        body.model = upstreamModel(target, context.requested);
        const askForUsage =
          context.stream &&
          !context.callerWantsUsage &&
          (adapter.streamUsageFor?.(channel) ?? adapter.streamUsage) &&
          !this.streamUsageRefused.has(channel) &&
          textAnswers;
        if (askForUsage) body['stream_options'] = { ...(callerStreamOptions as object), include_usage: true };
        else if (body['stream_options'] !== callerStreamOptions) {
          // An earlier attempt asked; this channel is not to be (or refused it).
          if (callerStreamOptions === undefined) delete body['stream_options'];
          else body['stream_options'] = callerStreamOptions;
        }
        // A cap the gateway added goes as `max_tokens` to upstreams that do not know the newer field.
        const legacyCap =
          context.addedCap !== undefined &&
          (adapter.knowsMaxCompletionTokens?.(channel) === false || this.maxCompletionTokensRefused.has(channel));
        if (context.addedCap !== undefined) setOutputCap(body, context.addedCap, legacyCap);
        const renameCap = callerCap !== undefined && this.maxTokensRefused.has(target);
        if (renameCap || capRenamed) {
          setOutputCap(body, callerCap as number, !renameCap);
          capRenamed = true;
        }
        // Unchanged (same model, nothing added): the caller's bytes go as they came.
        const raw = !askForUsage && !capRenamed && body.model === context.requested ? context.raw : undefined;

        const attemptStarted = performance.now();
        // A caller of the channel's own format is passed through (ADR 0007); a native API gets its
        // own request; OpenAI-compatible upstreams the canonical body as it is.
        const passThrough = context.native?.channelType === channel.type ? context.native : undefined;
        const translator = endpoint === 'embeddings' ? adapter.embeddings : adapter.translator;
        const native = passThrough
          ? (passThrough.bodyFor?.(body.model as string) ?? passThrough.body)
          : translator
            ? toNative(translator, body, log.keyId ?? '')
            : undefined;
        // An upload goes as a form again, with the upstream's model name in it.
        const form = context.form && formBodyFor(context.form, body.model as string);
        const call = this.upstream.call({
          target: channel,
          path: passThrough?.path ?? adapter.pathFor(endpoint, body.model as string, channel, context.stream),
          headers: passThrough?.headers
            ? { ...adapter.headersFor(channel), ...passThrough.headers }
            : form
              ? { ...adapter.headersFor(channel), 'content-type': form.contentType }
              : adapter.headersFor(channel),
          body: native ? JSON.stringify(native) : form ? form.bytes : (raw ?? JSON.stringify(body)),
          whole: !context.stream,
        });
        context.call = call;
        let response;
        try {
          response = await call.response;
        } catch (error) {
          const failure = call.classify(error);
          if (failure.kind === 'client_closed') {
            health.release(target.id);
            throw failure;
          }
          plan.failed({ kind: failure.kind === 'timeout' ? 'timeout' : 'connect' });
          lastError = upstreamFailureError(failure);
          continue;
        }
        // A 200 of one error object (OpenRouter's way when a provider fails late) is that error.
        const failedStatus =
          response.statusCode >= 300
            ? response.statusCode
            : translator || passThrough
              ? undefined
              : errorAnswerStatus(response.body.whole);
        if (failedStatus !== undefined) {
          const text = await response.body.text().catch(() => '');
          call.finish();
          // Older Azure api-versions and servers that refuse fields they do not know refuse one the
          // gateway added: this channel gets it no more (or the older field), the call goes again at once.
          if (askForUsage && refusesField(failedStatus, text, 'stream_options')) {
            this.streamUsageRefused.add(channel);
            resend = target;
            continue;
          }
          if (
            context.addedCap !== undefined &&
            !legacyCap &&
            refusesField(failedStatus, text, 'max_completion_tokens')
          ) {
            this.maxCompletionTokensRefused.add(channel);
            resend = target;
            continue;
          }
          // "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."
          if (
            callerCap !== undefined &&
            !renameCap &&
            refusesField(failedStatus, text, 'max_tokens') &&
            text.includes('max_completion_tokens')
          ) {
            this.maxTokensRefused.add(target);
            resend = target;
            continue;
          }
          lastError = answeredError(plan, failedStatus, text, response, adapter, channel.secrets, target);
          continue;
        }
        // Answers that say "success" but are not the API's: a web page, or a whole completion to a streamed call.
        // Events to a call that asked for no stream (a server that always streams): their completion.
        const whole = response.body.whole;
        if (!context.stream && !passThrough && !translator && looksLikeEvents(whole) && textAnswers) {
          try {
            response = eventsAsWholeAnswer(response, whole as Buffer, endpoint);
          } catch (error) {
            if (error instanceof ErrorAnswer) {
              lastError = answeredError(plan, error.status, error.text, response, adapter, channel.secrets, target);
            } else {
              plan.failed({ kind: 'connect' });
              lastError = upstreamFailureError(call.classify(error));
            }
            continue;
          }
        }
        // Judged by the first bytes as well as the type, which servers get wrong.
        const type = answerType(header(response, 'content-type'));
        if (type === 'html' || (type === 'json' && context.stream && !passThrough && !translator && textAnswers)) {
          try {
            const start = await response.body.peek?.();
            if (type === 'html' && startsWith(start, '<')) {
              void response.body.dump();
              throw htmlAnswer();
            }
            // JSON under a page's type (Flask's default): relayed as what it is, or SDKs return text.
            if (type === 'html' && startsWith(start, '{')) response = relabelled(response, 'application/json');
            if (type === 'json' && startsWith(start, '{')) {
              response = await wholeAnswerAsStream(response, endpoint, context.callerWantsUsage || askForUsage);
              call.finish();
            }
            // Otherwise the type lied (events sent as JSON, an answer as a page): relayed as any other.
          } catch (error) {
            call.finish();
            if (error instanceof ErrorAnswer) {
              lastError = answeredError(plan, error.status, error.text, response, adapter, channel.secrets, target);
              continue;
            }
            const failure = call.classify(error);
            if (failure.kind === 'client_closed') {
              health.release(target.id);
              throw failure;
            }
            plan.failed({ kind: 'connect' });
            lastError = upstreamFailureError(failure);
            continue;
          }
        }
        const tap = passThrough?.tap();
        if (tap) {
          if (tap.cancelRequest) {
            context.cancelUpstream = () => this.cancelUpstream(channel, adapter.headersFor(channel), tap);
          }
        } else if (translator) {
          const includeUsage = context.callerWantsUsage || askForUsage;
          // Embeddings never stream: a stream's translator is the chat one.
          const transcoder = context.stream ? adapter.translator?.streamTranscoder(includeUsage, native) : undefined;
          if (transcoder?.cancelRequest) {
            context.cancelUpstream = () => this.cancelUpstream(channel, adapter.headersFor(channel), transcoder);
          }
          response = translatedResponse(translator, response, context.stream, includeUsage, transcoder, body);
        }
        plan.succeeded(performance.now() - attemptStarted);
        context.servedTarget = target.id;
        const served = plan.served;
        log.routeName = served?.route.name ?? route.name;
        log.channelId = channel.channelId;
        log.upstreamModel = body.model as string;
        log.attempts = plan.attempts;
        const exchange = {
          endpoint,
          body,
          target: channel,
          call,
          log,
          started: context.started,
          decision: {
            route: headerSafe(log.routeName),
            model: headerSafe(log.upstreamModel),
            channel: channel.channelId,
            attempts: plan.attempts,
          },
          onStreamBroken: () => health.recordFailure(target.id),
          capture: context.capture,
        };
        if (tap) {
          return context.stream
            ? await relayNativeStream(tap, exchange, response, context.res)
            : await relayNativeJson(tap, exchange, response, context.res);
        }
        const ingress = context.ingress?.format;
        if (ingress) {
          return context.stream
            ? await relayStreamInto(ingress, exchange, response, context.res)
            : await relayJsonInto(ingress, exchange, response, context.res);
        }
        if (!context.stream) return await relayJson(exchange, response, context.res);
        if (endpoint === 'audio.speech' && body['stream_format'] !== 'sse') {
          context.answerAudio = new StreamedAudioLength(body['response_format']);
          return await relayBytes(exchange, response, context.res, context.answerAudio);
        }
        return await relayStream(exchange, response, context.res, askForUsage);
      } finally {
        if (!resend) {
          health.end(target.id);
          channels.release(target.channelId);
        }
      }
    }
    log.attempts = plan.attempts;
    // A call that failed is charged to the route asked for and the last channel tried (live error rates).
    log.routeName ??= route.name;
    log.channelId ??= lastChannelId;
    if (unserved && plan.attempts === 0) throw Errors.endpointNotServed(context.requested, endpoint);
    if (plan.attempts === 0 || !lastError) throw Errors.routeUnavailable(context.requested);
    throw lastError;
  }

  /** Tells a native upstream to stop the work a departed caller no longer waits for; failures only logged. */
  private cancelUpstream(
    target: UpstreamTarget,
    headers: Record<string, string>,
    transcoder: Pick<StreamTranscoder, 'cancelRequest'>,
  ): void {
    const request = transcoder.cancelRequest?.();
    if (!request) return;
    const call = this.upstream.call({
      target,
      path: request.path,
      headers,
      body: JSON.stringify(request.body),
      whole: true,
    });
    call.response
      .then((response) => response.body.dump())
      .catch((error) =>
        this.logger.warn(`cancel ${request.path} on ${target.channelName}: ${call.classify(error).message}`),
      )
      .finally(() => call.finish());
  }

  /**
   * The most a call can cost, in micro-USD, at the requested model's price: its prompt (estimated)
   * and every choice's output up to its token limit (without a token limit only the prompt is
   * known), or, for uploaded audio, its minutes if the answer reports no usage, whichever is more.
   */
  private worstCost(
    model: string,
    promptTokens: number,
    size: CallSize,
    characters: number | undefined,
    audioSeconds: number | undefined,
  ): number {
    const { prices } = this.pricing;
    const completionTokens = (size.maxTokens ?? 0) * size.choices;
    const byTokens = prices.costOf([model], { promptTokens, completionTokens }, true, characters) ?? 0;
    const byMinutes =
      audioSeconds === undefined ? 0 : (prices.costOf([model], undefined, true, characters, audioSeconds) ?? 0);
    return toMicroUsd(Math.max(byTokens, byMinutes));
  }

  /** Why a call's connection closed before its end. */
  private hungUp(): UpstreamFailure {
    return new UpstreamFailure('client_closed', 'the caller closed the connection');
  }

  private fail(
    error: unknown,
    requestId: string,
    res: ServerResponse,
    log: RequestLogEntry,
    ingress: Ingress | undefined,
  ): void {
    let gatewayError: GatewayError;
    if (error instanceof GatewayError) gatewayError = error;
    else if (error instanceof UpstreamFailure && error.kind === 'client_closed') {
      log.status = CLIENT_CLOSED;
      log.errorClass = 'client_closed';
      log.errorMessage = error.message;
      return;
    } else {
      this.logger.error(`${requestId}: ${(error as Error)?.stack ?? error}`);
      gatewayError = Errors.internal(requestId);
    }
    log.status = gatewayError.status;
    log.errorClass = gatewayError.code;
    log.errorMessage = gatewayError.options.detail ?? gatewayError.message;
    if (gatewayError.status >= 500) {
      this.logger.warn(`${requestId}: ${gatewayError.status} ${gatewayError.code}: ${logLine(log.errorMessage)}`);
    }
    if (res.headersSent) return;
    if (ingress) ingress.sendError(res, requestId, gatewayError);
    else sendError(res, requestId, gatewayError);
  }

  /** Counting tokens can be slow for long texts, so that happens on a later turn of the event loop. */
  private record(
    log: RequestLogEntry,
    usage: UsageResult,
    servedTarget: string | undefined,
    admission: Admission | undefined,
    characters: number | undefined,
    seconds: number | undefined,
  ): void {
    const finish = (counted: Usage | undefined) => {
      try {
        // What the gateway measures (the call itself, characters, audio it read) is charged for calls an
        // upstream accepted (set when one answered with success), even when the caller or the stream broke off later.
        const accepted = log.upstreamModel !== null;
        withUsage(log, counted);
        const audioSeconds = billedSeconds(counted, accepted, seconds);
        if (audioSeconds !== undefined) log.audioSeconds = Math.ceil(audioSeconds);
        const models = [log.upstreamModel, log.requestedModel];
        log.costUsd = this.pricing.prices.costOf(models, counted, accepted, characters, seconds);
        if (servedTarget && counted) this.routing.recordTokens(servedTarget, counted.totalTokens);
        // A call that used nothing still gives its budget reservation back.
        if (admission && (counted || admission.reservedMicroUsd > 0)) {
          const costMicroUsd = log.costUsd === null ? null : toMicroUsd(log.costUsd);
          this.limits.charge(admission, { tokens: counted?.totalTokens ?? 0, costMicroUsd }, Date.now());
        }
        if (this.cutting && log.status === CLIENT_CLOSED) {
          log.status = 503;
          log.errorClass = 'gateway_shutdown';
          log.errorMessage = "cut by the gateway's shutdown (SHUTDOWN_TIMEOUT_MS)";
        }
        this.logs.record(log);
      } finally {
        if (--this.running === 0) this.whenSettled?.();
      }
    };
    if (typeof usage !== 'function') return finish(usage);
    setImmediate(() => {
      let counted: Usage | undefined;
      try {
        counted = usage();
      } catch (error) {
        this.logger.warn(`${log.id}: could not count usage: ${(error as Error).message}`);
      }
      finish(counted);
    });
  }
}

/** The caller's request in the canonical format; what the format cannot express is the caller's 400. */
function toCanonical(ingress: Ingress, body: unknown) {
  try {
    return ingress.format.toCanonical(body);
  } catch (error) {
    if (error instanceof FormatError) throw Errors.badRequest(error.message, error.param, 'invalid_request');
    throw error;
  }
}

/** The canonical request in a native API's format; what it cannot carry is the caller's 400. */
function toNative(translator: Pick<UpstreamTranslator, 'toNative'>, body: WireJson, keyId: string): WireJson {
  try {
    return translator.toNative(body, { keyId });
  } catch (error) {
    if (error instanceof FormatError) throw Errors.badRequest(error.message, error.param, 'invalid_request');
    throw error;
  }
}

function withUsage(log: RequestLogEntry, usage: Usage | undefined): RequestLogEntry {
  if (usage) {
    log.promptTokens = usage.promptTokens;
    log.completionTokens = usage.completionTokens;
    log.totalTokens = usage.totalTokens;
    log.cachedTokens = usage.cachedTokens ?? null;
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
    teamId: null,
    requestedModel: null,
    routeName: null,
    channelId: null,
    upstreamModel: null,
    attempts: null,
    stream: false,
    status: 0,
    latencyMs: 0,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    totalTokens: null,
    cachedTokens: null,
    audioSeconds: null,
    usageSource: null,
    costUsd: null,
    errorClass: null,
    errorMessage: null,
  };
}

/**
 * An upstream's error answer as the error the caller gets, reported to the plan with that error's
 * status: what normalizeUpstreamError makes a 502 (a rejected channel key, spent credit, a model
 * the operator named that the upstream does not know, a redirect, a 5xx) is the channel's fault,
 * counted and tried elsewhere; a status it keeps (400, 404, 429, 408) is judged as such.
 */
function answeredError(
  plan: RoutePlan,
  status: number,
  text: string,
  response: UpstreamResponse,
  adapter: ProviderAdapter,
  secrets: readonly string[],
  target: CompiledTarget,
): GatewayError {
  const retryAfter = header(response, 'retry-after') ?? adapter.retryAfterFrom?.(text);
  // A model the operator named (a route's target, a channel's list) that the upstream does not
  // know, or a wrong path to it, is the target's to fix; a name passed through ('*') is the caller's.
  const notFoundIsTargets = target.model !== '*' && !adapter.notFoundIsCallers;
  const error = normalizeUpstreamError(status, text, secrets, retryAfter, notFoundIsTargets);
  plan.failed({ kind: 'status', status: error.status, retryAfterMs: parseRetryAfter(retryAfter, Date.now()) });
  return error;
}

/** Characters of a text as people count them (code points, not UTF-16 units); 0 for anything else. */
function characterCount(text: unknown): number {
  if (typeof text !== 'string') return 0;
  let count = 0;
  for (const _ of text) count++;
  return count;
}
