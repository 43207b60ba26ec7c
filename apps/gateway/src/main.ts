import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { GraphqlGate } from '@synapse/gateway/admin-api';
import { compileCidrs, loadEnv, UpstreamProxies, type GatewayEnv } from '@synapse/gateway/config';
import { outboundConnector } from '@synapse/gateway/providers';
import { CorsPolicy, newRequestId, PriceCatalog, ProxyHttpHandler, ProxyService } from '@synapse/gateway/proxy';
import { ProvisioningService } from '@synapse/gateway/provisioning';
import {
  answerMalformedRequest,
  GatewayExceptionFilter,
  jsonTooDeepError,
  nestsDeeperThan,
} from '@synapse/gateway/errors';
import { StoreAvailability } from '@synapse/gateway/persistence';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent, setGlobalDispatcher } from 'undici';
import { AppModule } from './app/app.module';
import { Lifecycle } from './app/lifecycle';
import { refuseAdminWhileStoreDown } from './app/store-outage-hook';
import { COMMANDS } from './commands';
import { ConfigReload } from './config-reload';
import { HttpDrain } from './http-drain';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
/** How long a shutdown waits, once every connection has closed, for the calls on them to be logged. */
const SETTLE_MS = 5_000;

function loadEnvOrExit(): GatewayEnv {
  try {
    return loadEnv();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

/**
 * Node's HTTP server with every limit set on purpose: a slow sender cannot hold a connection open
 * by trickling headers or a body, idle keep-alive connections end, and connections are capped.
 * Fastify does not apply its own timeouts to a server from serverFactory.
 */
function limitedServer(env: GatewayEnv, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  // Timeouts are enforced by a periodic sweep (30 s by default): sweep often enough to honour them.
  const server = createServer(
    { connectionsCheckingInterval: Math.min(5_000, Math.ceil(env.HTTP_HEADERS_TIMEOUT_MS / 2)) },
    handler,
  );
  server.headersTimeout = env.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = Math.max(env.HTTP_REQUEST_TIMEOUT_MS, env.HTTP_HEADERS_TIMEOUT_MS);
  server.keepAliveTimeout = env.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = env.HTTP_MAX_CONNECTIONS;
  return server;
}

/**
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY, said at start: upstream calls, health checks and webhooks
 * take them from the modules; the process's own `fetch` (OIDC's calls to its provider) through the
 * global dispatcher.
 */
function forwardProxies(env: GatewayEnv, logger: Logger): UpstreamProxies {
  const proxies = UpstreamProxies.fromEnv(env);
  const described = proxies.describe();
  if (described) {
    logger.log(`Forward proxies (HTTPS_PROXY, HTTP_PROXY): ${described}`);
    setGlobalDispatcher(new Agent({ connect: outboundConnector(undefined, proxies, { timeout: 10_000 }) }));
  }
  return proxies;
}

async function bootstrap(): Promise<void> {
  const env = loadEnvOrExit();
  const logger = new Logger('Gateway');
  // The proxied POST routes are answered by ProxyHttpHandler before Fastify sees them; every
  // other request goes on to Fastify and Nest. The handler is plugged in once the app is built.
  let proxyRoutes: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  // One matcher for both paths: Fastify's request.ip and the raw /v1 handler read X-Forwarded-For alike.
  const trustedProxies = compileCidrs(env.TRUSTED_PROXIES);
  const errors = new GatewayExceptionFilter(env.MAX_BODY_BYTES);
  const cors = env.CORS_ORIGINS.length > 0 ? new CorsPolicy(env.CORS_ORIGINS) : undefined;
  const adapter = new FastifyAdapter({
    serverFactory: (fastifyHandler: (req: IncomingMessage, res: ServerResponse) => void) =>
      limitedServer(env, (req, res) => {
        const origin = cors ? req.headers.origin : undefined;
        if (origin !== undefined && cors?.handle(req, res, origin)) return;
        if (!proxyRoutes?.(req, res)) fastifyHandler(req, res);
      }),
    bodyLimit: env.MAX_BODY_BYTES,
    trustProxy: env.TRUSTED_PROXIES.length > 0 ? (address: string) => trustedProxies(address) : false,
    // Ids come from the gateway only: they key the request log, so callers cannot choose them.
    requestIdHeader: false,
    genReqId: newRequestId,
    // No Nest middleware is used; middie's hook costs every request (measured with npm run bench).
    skipMiddie: true,
    // A request Node cannot parse (conflicting lengths, headers over the limit, too slow) is
    // answered in its path's error format too, not as Fastify's "Client Error".
    clientErrorHandler: answerMalformedRequest,
    // A path Fastify cannot route (a malformed percent-escape, a too long segment) is answered
    // before any route's filter: in the same formats as every other error, not in Fastify's own.
    // (Typed loosely: @nestjs/platform-fastify brings its own copy of Fastify's types.)
    frameworkErrors: (
      error: Error,
      request: { id: string },
      reply: { header(name: string, value: string): unknown },
    ) => {
      reply.header('x-request-id', request.id);
      errors.send(error, request as FastifyRequest, reply as FastifyReply);
    },
  });
  const proxies = forwardProxies(env, logger);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, trustedProxies, proxies),
    adapter,
    {
      logger: LEVELS.slice(0, LEVELS.indexOf(env.LOG_LEVEL) + 1),
      // Fastify's own JSON parser, not Nest's wrapper that rebuilds it per request; no form bodies.
      bodyParser: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  checkJsonNesting(fastify);
  const drain = new HttpDrain(fastify.server);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  refuseAdminWhileStoreDown(fastify, app.get(StoreAvailability));
  app.useGlobalFilters(errors);
  // Limits of /graphql, hooked onto Apollo's route as the GraphQL module adds it during listen().
  app.get(GraphqlGate).install();
  const proxyHttp = app.get(ProxyHttpHandler);
  proxyRoutes = proxyHttp.handle;
  await app.listen(env.PORT, env.HOST);
  logger.log(
    `SynapseHub gateway listening on http://${env.HOST}:${env.PORT} (${env.DATABASE_URL ? 'PostgreSQL' : `SQLite in ${env.DATA_DIR}`}${env.REDIS_URL ? ', Redis' : ''})`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing in-flight requests (at most ${env.SHUTDOWN_TIMEOUT_MS} ms)`);
    app.get(Lifecycle).draining = true;
    proxyHttp.draining = true;
    drain.start();
    // Stop accepting and wait for in-flight requests and streams, then cut what is left.
    const closed = fastify.close();
    const timer = setTimeout(() => {
      app.get(ProxyService).cutting = true;
      fastify.server.closeAllConnections();
    }, env.SHUTDOWN_TIMEOUT_MS);
    await closed;
    clearTimeout(timer);
    // Calls cut at the bound unwind in a few ticks: they record their log entries before its last write.
    if (!(await app.get(ProxyService).settled(SETTLE_MS))) {
      logger.warn(
        `calls still in the pipeline ${SETTLE_MS} ms after their connections closed: their log entries are lost`,
      );
    }
    // Flushes the request log, then closes pools, Redis and the store.
    await app.close();
    logger.log('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // Node's default for SIGHUP is to exit; here it reads the config file again, as nginx does.
  const reload = new ConfigReload(app.get(ProvisioningService), app.get(PriceCatalog), logger);
  process.on('SIGHUP', () => void reload.run());
}

// Whatever the gateway creates (the SQLite store and its WAL, keys, generated secrets) is its user's only.
process.umask(0o077);

/** `node main.js` serves; `node main.js <command>` runs an operator command and exits with its code. */
const command = process.argv[2];
const run = command === undefined ? undefined : COMMANDS.get(command);
if (command === undefined) {
  void bootstrap().catch((error: Error) => {
    process.stderr.write(`SynapseHub failed to start: ${error.message}\n`);
    process.exit(1);
  });
} else if (!run) {
  process.stderr.write(`unknown command '${command}' (known: ${[...COMMANDS.keys()].join(', ')})\n`);
  process.exit(1);
} else {
  void run(loadEnvOrExit()).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`${command} failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}

/**
 * Fastify's own JSON parser (prototype poisoning refused, as by default), with the nesting of the
 * body checked first: a login body nested 20,000 deep overflowed the stack in validation, a 500
 * with a stack to anyone. The raw /v1 and Dify handlers check the same before their own parse.
 */
function checkJsonNesting(
  fastify: ReturnType<ReturnType<NestFastifyApplication['getHttpAdapter']>['getInstance']>,
): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (nestsDeeperThan(body as string)) return done(jsonTooDeepError(), undefined);
    parse(request, body as string, done);
  });
}
