import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { InjectThrottlerStorage, normalizeIp, type ThrottlerStorage } from '@nestjs/throttler';
import { accessTokenRefusal, BearerTokenPrecheck } from '@synapse/gateway/auth';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { checkDocument } from '../limits/check-document';
import { byteLimit } from './byte-limit';
import { GRAPHQL_GATE_SETTINGS } from './graphql-gate.tokens';
import type { GraphqlGateSettings } from './graphql-gate-settings';
import { GraphqlRefusal, GraphqlRefusals } from './graphql-refusal';

const WINDOW_MS = 60_000;

/** What onRequest learnt about a request, for the hooks after it. */
interface Admission {
  maxBytes: number;
  /** Set when the request has no valid access token. */
  tokenMessage?: string;
}

/**
 * Everything `/graphql` refuses before Apollo parses a document, as Fastify hooks on Apollo's own
 * route, in this order:
 *
 * 1. onRequest: one hit on the admin rate limit per HTTP request (the ThrottlerStorage and window of
 *    ADMIN_RATE_LIMIT_PER_MINUTE), whatever becomes of the request, so refused documents spend the
 *    caller's budget too; then the size the request announces (Content-Length, or the URL of a
 *    GET), against the small limit when it carries no valid access token (signature and expiry
 *    only, no I/O) and the body limit otherwise. Nothing has been read yet.
 * 2. bodyLimit and preParsing: bodies without Content-Length are cut off at the same limits.
 * 3. preHandler: the document, parsed at most to `maxTokens` tokens and measured (aliases, fields
 *    repeated for one response path, depth, cost) before graphql-js's validation, some of whose
 *    rules take time quadratic in the fields. Apollo parses it again (2,000 tokens: a millisecond).
 *
 * Apollo registers the route when the GraphQL module starts; `install` must run before that.
 */
@Injectable()
export class GraphqlGate implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminApi');
  private readonly admissions = new WeakMap<FastifyRequest, Admission>();
  private gatedRoutes = 0;

  constructor(
    @Inject(GRAPHQL_GATE_SETTINGS) private readonly settings: GraphqlGateSettings & { path: string },
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly tokens: BearerTokenPrecheck,
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Puts the hooks on the GraphQL route when Apollo adds it; call before the application starts. */
  install(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRoute', (route) => {
      if (route.url === this.settings.path) this.gate(route);
    });
  }

  /** A `/graphql` served without the gate would take any body: refuse to start instead. */
  onApplicationBootstrap(): void {
    if (this.gatedRoutes === 0) {
      throw new Error(`${this.settings.path} was registered without GraphqlGate: call GraphqlGate.install first`);
    }
  }

  private gate(route: RouteOptions): void {
    this.gatedRoutes++;
    route.bodyLimit = this.settings.maxBodyBytes;
    route.onRequest = [...hooks(route.onRequest), (request, reply) => this.admit(request, reply)];
    route.preParsing = [
      ...hooks(route.preParsing),
      async (request: FastifyRequest, _reply: FastifyReply, payload: NodeJS.ReadableStream) =>
        this.limitUnannouncedBody(request, payload),
    ];
    route.preHandler = [...hooks(route.preHandler), async (request: FastifyRequest) => this.checkDocument(request)];
    const { maxBodyBytes } = this.settings;
    const next = route.errorHandler;
    route.errorHandler = function (this: FastifyInstance, error, request, reply) {
      if (error instanceof GraphqlRefusal) return refuse(reply, error);
      // Fastify's own bodyLimit, for a body without Content-Length that outgrew it.
      if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return refuse(reply, GraphqlRefusals.tooLarge(maxBodyBytes));
      }
      if (next) return next.call(this, error, request, reply);
      throw error;
    };
  }

  private async admit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await this.countRequest(request, reply);
    const tokenFailure = this.tokens.failure(request.headers.authorization);
    const admission: Admission = tokenFailure
      ? { maxBytes: this.settings.maxUnauthenticatedBytes, tokenMessage: accessTokenRefusal(tokenFailure).message }
      : { maxBytes: this.settings.maxBodyBytes };
    this.admissions.set(request, admission);
    const announced = request.method === 'GET' ? request.url.length : Number(request.headers['content-length']);
    if (announced > admission.maxBytes) throw this.tooLarge(admission);
  }

  private async countRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const limit = this.settings.requestsPerMinute;
    if (limit === 0) return;
    let record;
    try {
      record = await this.storage.increment(
        `graphql:${normalizeIp(request.ip)}`,
        WINDOW_MS,
        limit,
        WINDOW_MS,
        'default',
      );
    } catch (error) {
      // As for the sign-in lockout: an unreachable Redis must not take the admin API down with it.
      this.logger.error(`admin rate limit not counted: ${(error as Error).message}`);
      return;
    }
    if (record.isBlocked) throw GraphqlRefusals.tooManyRequests(record.timeToBlockExpire);
    reply.header('x-ratelimit-limit', limit);
    reply.header('x-ratelimit-remaining', Math.max(0, limit - record.totalHits));
    reply.header('x-ratelimit-reset', record.timeToExpire);
  }

  /** A chunked body announces no size: count it as it comes (Fastify's bodyLimit does so for the larger limit). */
  private limitUnannouncedBody(request: FastifyRequest, payload: NodeJS.ReadableStream): NodeJS.ReadableStream {
    const admission = this.admissions.get(request);
    if (!admission?.tokenMessage || request.headers['content-length'] !== undefined) return payload;
    return payload.pipe(byteLimit(admission.maxBytes, () => this.tooLarge(admission)));
  }

  private checkDocument(request: FastifyRequest): void {
    const source = operationSource(request);
    if (source === undefined) return;
    const over = checkDocument(source, this.settings.limits, this.schemaHost.schema);
    if (over) throw GraphqlRefusals.overLimit(over);
  }

  private tooLarge({ maxBytes, tokenMessage }: Admission): GraphqlRefusal {
    return tokenMessage
      ? GraphqlRefusals.tooLargeUnauthenticated(tokenMessage, maxBytes)
      : GraphqlRefusals.tooLarge(maxBytes);
  }
}

/** The document as Apollo will read it: `query` of a JSON body, or of the URL of a GET. */
function operationSource(request: FastifyRequest): string | undefined {
  if (request.method === 'GET') {
    const search = request.url.indexOf('?');
    return search < 0 ? undefined : (new URLSearchParams(request.url.slice(search + 1)).get('query') ?? undefined);
  }
  const body = request.body as { query?: unknown } | null | undefined;
  return typeof body?.query === 'string' ? body.query : undefined;
}

function refuse(reply: FastifyReply, refusal: GraphqlRefusal): FastifyReply {
  return reply
    .code(refusal.statusCode)
    .headers(refusal.headers)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(refusal.body));
}

function hooks<T>(existing: T | T[] | undefined): T[] {
  if (existing === undefined) return [];
  return Array.isArray(existing) ? existing : [existing];
}
