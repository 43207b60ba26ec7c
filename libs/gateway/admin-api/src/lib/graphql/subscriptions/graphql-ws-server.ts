import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { InjectThrottlerStorage, normalizeIp, type ThrottlerStorage } from '@nestjs/throttler';
import { BearerTokenPrecheck } from '@synapse/gateway/auth';
import { clientAddress } from '@synapse/gateway/config';
import {
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
} from 'graphql';
import { CloseCode, makeServer, type ExecutionResult, type SubscribePayload } from 'graphql-ws';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { adminApiErrorFormatter } from '../format-error';
import { GRAPHQL_GATE_SETTINGS } from '../gate/graphql-gate.tokens';
import type { GraphqlGateSettings } from '../gate/graphql-gate-settings';
import { GraphqlRefusals } from '../gate/graphql-refusal';
import { checkDocument } from '../limits/check-document';
import { GRAPHQL_WS_SETTINGS, type GraphqlWsSettings } from './graphql-ws-settings';
import { isWebSocketUpgrade, serveIgnoringUpgrade } from './ignored-upgrade';
import { subscriptionContext } from './subscription-context';

const WINDOW_MS = 60_000;
const KEEP_ALIVE_MS = 12_000;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** What a connection carries from its upgrade and its connection_init. */
interface Connection {
  ip: string;
  authorization?: string;
  expiry?: NodeJS.Timeout;
  close(code: number, reason: string): void;
}

/**
 * GraphQL subscriptions over WebSocket (the graphql-ws protocol) at the GraphQL path, on the
 * gateway's HTTP server. Run here rather than by the GraphQL module's `subscriptions` option, whose
 * WebSocket server takes 100 MiB messages and every upgrade, out of reach of GraphqlGate:
 *
 * - an upgrade counts once against the admin rate limit of its address, like an HTTP request;
 *   beyond GRAPHQL_WS_MAX_CONNECTIONS open connections, or when it is 0, upgrades get 503;
 * - a message is at most GRAPHQL_MAX_BODY_BYTES (larger ones close the connection, 1009);
 * - the connection must send a valid access token in `connection_init` (`{ authorization: 'Bearer …' }`)
 *   within GRAPHQL_WS_AUTH_TIMEOUT_MS, or is closed (4401/4408); it is closed when the token expires;
 * - only subscriptions are served (queries and mutations go over HTTP); each counts against the rate
 *   limit, is held to the document limits, validated, and runs under the same guards as HTTP
 *   operations (the access token is checked again, and the role's permission, per subscription).
 */
@Injectable()
export class GraphqlWsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AdminApi');
  private wss: WebSocketServer | undefined;
  private readonly format = adminApiErrorFormatter({ hideSuggestions: true });

  constructor(
    @Inject(GRAPHQL_GATE_SETTINGS) private readonly gate: GraphqlGateSettings & { path: string },
    @Inject(GRAPHQL_WS_SETTINGS) private readonly settings: GraphqlWsSettings,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly tokens: BearerTokenPrecheck,
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  get connections(): number {
    return this.wss?.clients.size ?? 0;
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.gate.maxBodyBytes });
    const graphqlWs = makeServer<Record<string, unknown>, Connection>({
      schema: this.schemaHost.schema,
      connectionInitWaitTimeout: this.settings.authTimeoutMs,
      onConnect: (ctx) => this.authenticate(ctx.extra, ctx.connectionParams),
      onSubscribe: (ctx, _id, payload) => this.admit(ctx.extra, payload),
      onNext: (_ctx, _id, _payload, _args, result) => this.formatted(result),
    });
    this.wss.on('connection', (socket: WebSocket, connection: Connection) => {
      const closed = graphqlWs.opened(
        {
          protocol: socket.protocol,
          send: (data) =>
            new Promise<void>((resolve, reject) => {
              if (socket.readyState !== socket.OPEN) return resolve();
              socket.send(data, (error) => (error ? reject(error) : resolve()));
            }),
          close: (code, reason) => socket.close(code, reason),
          onMessage: (handle) =>
            socket.on('message', (data) => {
              const text = String(data);
              const unexpected = serverOnlyType(text);
              // The client's mistake, not the server's: graphql-ws throws on it, which would read as 4500.
              if (unexpected)
                return socket.close(CloseCode.BadRequest, `Unexpected message of type ${unexpected} received`);
              handle(text).catch((error: Error) => {
                this.logger.error(`subscription message failed: ${error.stack ?? error.message}`);
                socket.close(CloseCode.InternalServerError, 'Internal server error');
              });
            }),
        },
        connection,
      );
      connection.close = (code, reason) => socket.close(code, reason);
      // Pings keep proxies from cutting idle subscriptions, and find peers that vanished.
      let alive = true;
      socket.on('pong', () => (alive = true));
      const keepAlive = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
      }, KEEP_ALIVE_MS);
      socket.on('error', () => socket.terminate());
      socket.once('close', (code, reason) => {
        clearInterval(keepAlive);
        clearTimeout(connection.expiry);
        void closed(code, String(reason));
      });
    });
    // Shutdown waits for open connections, and upgraded sockets stay open: end them as closing starts.
    this.adapterHost.httpAdapter.getInstance<FastifyInstance>().addHook('preClose', (done: () => void) => {
      this.goAway();
      done();
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!isWebSocketUpgrade(request)) return serveIgnoringUpgrade(server, request, socket, head);
      void this.upgrade(request, socket, head).catch((error: Error) => {
        this.logger.error(`WebSocket upgrade failed: ${error.message}`);
        refuse(socket, 500, 'Internal Server Error');
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    this.goAway();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  /** Closes every connection (1001); clients reconnect to another replica. */
  private goAway(): void {
    for (const client of this.wss?.clients ?? []) {
      client.close(1001, 'Going away');
      // A peer that does not answer the close frame must not hold the shutdown.
      setTimeout(() => client.terminate(), 1_000).unref();
    }
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const wss = this.wss;
    const path = (request.url ?? '').split('?')[0];
    if (!wss || path !== this.gate.path) return refuse(socket, 404, 'Not Found');
    socket.on('error', () => socket.destroy());
    const ip = clientAddress(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      this.settings.trustedProxies,
    );
    const tooMany = await this.countRequest(ip ?? 'unknown');
    if (tooMany !== undefined) return refuse(socket, 429, 'Too Many Requests', { 'retry-after': String(tooMany) });
    if (wss.clients.size >= this.settings.maxConnections) {
      return refuse(socket, 503, 'Service Unavailable', { 'retry-after': '30' });
    }
    const connection: Connection = { ip: ip ?? 'unknown', close: () => socket.destroy() };
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, connection));
  }

  /** Seconds to wait when the address is over the admin rate limit; undefined when it may go on. */
  private async countRequest(ip: string): Promise<number | undefined> {
    const limit = this.gate.requestsPerMinute;
    if (limit === 0) return undefined;
    try {
      const record = await this.storage.increment(`graphql:${normalizeIp(ip)}`, WINDOW_MS, limit, WINDOW_MS, 'default');
      return record.isBlocked ? record.timeToBlockExpire : undefined;
    } catch (error) {
      // As on HTTP: an unreachable Redis must not take the admin API down with it.
      this.logger.error(`admin rate limit not counted: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** connection_init: a valid access token (signature and expiry here; the guards check the rest). */
  private authenticate(connection: Connection, params: Readonly<Record<string, unknown>> | undefined): boolean {
    const value = params?.['authorization'] ?? params?.['Authorization'];
    const authorization = typeof value === 'string' ? value : undefined;
    const failure = this.tokens.failure(authorization);
    if (failure) {
      connection.close(
        CloseCode.Unauthorized,
        failure === 'expired_token'
          ? 'The access token has expired: sign in again.'
          : "Send connectionParams { authorization: 'Bearer <access token>' }.",
      );
      return false;
    }
    connection.authorization = authorization;
    const expiresInMs = tokenExpiry(authorization as string) - Date.now();
    connection.expiry = setTimeout(
      () => connection.close(CloseCode.Unauthorized, 'The access token has expired: reconnect with a new one.'),
      Math.max(0, expiresInMs),
    );
    connection.expiry.unref();
    return true;
  }

  private async admit(connection: Connection, payload: SubscribePayload): Promise<ExecutionArgs | GraphQLError[]> {
    const tooMany = await this.countRequest(connection.ip);
    if (tooMany !== undefined) {
      return [
        new GraphQLError(`Too many requests; retry in ${tooMany} s.`, { extensions: { code: 'TOO_MANY_REQUESTS' } }),
      ];
    }
    const schema = this.schemaHost.schema;
    const over = checkDocument(payload.query, this.gate.limits, schema);
    if (over) {
      const refusal = GraphqlRefusals.overLimit(over);
      return [new GraphQLError(refusal.message, { extensions: { code: refusal.extensions.code } })];
    }
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: this.gate.limits.maxTokens, noLocation: true });
    } catch (error) {
      return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) {
      return invalid.map(
        (error) =>
          new GraphQLError(error.message.replace(/ ?Did you mean .+\?$/, ''), {
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
      );
    }
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION &&
        (payload.operationName == null || definition.name?.value === payload.operationName),
    );
    if (operation?.operation !== 'subscription') {
      return [
        new GraphQLError('Only subscriptions are served over WebSocket: send queries and mutations over HTTP.', {
          extensions: { code: 'BAD_REQUEST' },
        }),
      ];
    }
    return {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue: subscriptionContext(connection.authorization ?? '', connection.ip),
    };
  }

  /** Errors leave as they leave over HTTP: with a code, internal ones masked under an error id. */
  private formatted(result: ExecutionResult): ExecutionResult | undefined {
    if (!result.errors?.length) return undefined;
    const errors = result.errors.map((error) => {
      const graphqlError = error as GraphQLError;
      const formatted: GraphQLFormattedError =
        typeof graphqlError.toJSON === 'function' ? graphqlError.toJSON() : (error as GraphQLFormattedError);
      // Errors of graphql-js itself (variables that do not fit their type) are the caller's.
      const code = formatted.extensions?.['code'] ?? (graphqlError.originalError ? undefined : 'BAD_USER_INPUT');
      return this.format({ ...formatted, extensions: { ...formatted.extensions, code } }, error);
    });
    return { ...result, errors } as unknown as ExecutionResult;
  }
}

/** When the (already verified) access token expires, in ms since the epoch. */
function tokenExpiry(authorization: string): number {
  const token = BEARER.exec(authorization)?.[1] ?? '';
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now();
  } catch {
    return Date.now();
  }
}

/** Messages only a server sends (graphql-transport-ws); from a client, the protocol's answer is 4400. */
const SERVER_ONLY = new Set(['connection_ack', 'next', 'error']);

/** The type of a client's message when it is one only a server may send. */
function serverOnlyType(text: string): string | undefined {
  try {
    const type = (JSON.parse(text) as { type?: unknown } | null)?.type;
    return typeof type === 'string' && SERVER_ONLY.has(type) ? type : undefined;
  } catch {
    // Not JSON: graphql-ws answers it (4400) itself.
    return undefined;
  }
}

function refuse(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void {
  if (!socket.writable) return void socket.destroy();
  const lines = [`HTTP/1.1 ${status} ${text}`, 'Connection: close', 'Content-Length: 0'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n`);
}
