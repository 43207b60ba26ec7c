import { EgressPolicy } from '@synapse/gateway/config';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { UpstreamClient } from '../upstream-client';
import { UpstreamFailure } from '../upstream-failure';
import type { Timeouts, UpstreamTarget } from '../upstream-target';

/** One request as the local upstream received it, left for the test to answer (or not). */
export interface ReceivedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  body: string;
  /** Resolves when the exchange ends: `complete` is false when the connection went before the answer was sent. */
  ended: Promise<{ complete: boolean }>;
}

/** A real HTTP server on 127.0.0.1 that counts its connections and hands each request to the test. */
export interface LocalUpstream {
  readonly url: string;
  readonly requests: readonly ReceivedRequest[];
  /** Connections accepted so far. */
  readonly connectionsAccepted: number;
  /** Connections open now. */
  readonly connectionsOpen: number;
  /** The most connections that were open at the same time. */
  readonly peakConnections: number;
  /** The n-th request (from 0), once it has arrived with its whole body. */
  request(n: number): Promise<ReceivedRequest>;
  /** Resolves once at most `n` connections are open (0: all closed). */
  connectionsDownTo(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Loopback is private: the client under test must be allowed to dial it. */
const LOOPBACK_ALLOWED = new EgressPolicy(['127.0.0.0/8']);

/**
 * Starts a local upstream. `answer` runs for every request once its body has arrived; without it
 * requests are held, and the test answers them through `request(n)`.
 */
async function startLocalUpstream(answer?: (received: ReceivedRequest) => void): Promise<LocalUpstream> {
  const requests: ReceivedRequest[] = [];
  const waiting = new Map<number, ((received: ReceivedRequest) => void)[]>();
  const sockets = new Set<Socket>();
  let accepted = 0;
  let peak = 0;
  let waitingForClose: { atMost: number; resolve: () => void }[] = [];

  const server: Server = createServer((req, res) => {
    const ended = new Promise<{ complete: boolean }>((resolve) =>
      res.once('close', () => resolve({ complete: res.writableFinished })),
    );
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const received = { req, res, body: Buffer.concat(chunks).toString(), ended };
      requests.push(received);
      for (const resolve of waiting.get(requests.length - 1) ?? []) resolve(received);
      answer?.(received);
    });
  });
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    peak = Math.max(peak, sockets.size);
    socket.once('close', () => {
      sockets.delete(socket);
      const done = waitingForClose.filter((w) => sockets.size <= w.atMost);
      waitingForClose = waitingForClose.filter((w) => sockets.size > w.atMost);
      for (const { resolve } of done) resolve();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get connectionsAccepted() {
      return accepted;
    },
    get connectionsOpen() {
      return sockets.size;
    },
    get peakConnections() {
      return peak;
    },
    request: (n) => {
      const arrived = requests[n];
      if (arrived) return Promise.resolve(arrived);
      return new Promise((resolve) => waiting.set(n, [...(waiting.get(n) ?? []), resolve]));
    },
    connectionsDownTo: (atMost) =>
      sockets.size <= atMost ? Promise.resolve() : new Promise((resolve) => waitingForClose.push({ atMost, resolve })),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * Clients and servers for the tests of one describe block, all closed after each test. Servers go
 * first: that ends any request a failed test left hanging, which a client's close() would wait for.
 */
export function localUpstreams() {
  const servers: { close(): Promise<void> }[] = [];
  const clients: UpstreamClient[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  const server = <T extends { close(): Promise<void> }>(started: T): T => (servers.push(started), started);
  return {
    client: (connections = 4, maxAnswerBytes?: number) => {
      const client = new UpstreamClient({ connections, egress: LOOPBACK_ALLOWED, maxAnswerBytes });
      clients.push(client);
      return client;
    },
    upstream: async (answer?: (received: ReceivedRequest) => void) => server(await startLocalUpstream(answer)),
    silentServer: async () => server(await startSilentServer()),
  };
}

/** A TCP server that accepts connections and never says a word (no HTTP answer, no TLS handshake). */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A loopback port that nothing listens on (it was bound a moment ago, then released). */
export async function unusedPort(): Promise<number> {
  const server = createTcpServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A channel pointing at `baseUrl`; timeouts not given are long enough never to fire in a test. */
export function localTarget(
  baseUrl: string,
  timeouts: Partial<Timeouts> = {},
  overrides: Partial<UpstreamTarget> = {},
): UpstreamTarget {
  return {
    channelId: 'ch-local',
    channelName: 'local',
    type: 'openai',
    baseUrl,
    apiKey: null,
    headers: {},
    secrets: [],
    timeouts: { connectMs: 5_000, firstByteMs: 5_000, totalMs: 10_000, ...timeouts },
    ...overrides,
  };
}

/** The UpstreamFailure a promise rejects with; anything else (including success) fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<UpstreamFailure> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error('expected an UpstreamFailure, but the call succeeded');
  if (!(outcome.error instanceof UpstreamFailure)) {
    throw new Error(`expected an UpstreamFailure, got ${String(outcome.error)}`);
  }
  return outcome.error;
}

/** What reading a body (or the rest of it) to its end throws; it must throw. For `call.classify`. */
export async function errorReading(body: AsyncIterable<unknown> | AsyncIterator<unknown>): Promise<unknown> {
  const chunks = Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : body;
  try {
    while (!(await chunks.next()).done) {
      // drop the chunk
    }
  } catch (error) {
    return error;
  }
  throw new Error('expected reading the body to fail, but it ended normally');
}

/** Sends the headers and a first chunk, then one more chunk every few milliseconds until the exchange ends. */
export function trickle({ res }: ReceivedRequest): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('data: first\n\n');
  const ticker = setInterval(() => {
    if (!res.writableEnded && !res.destroyed) res.write('data: more\n\n');
  }, 10);
  res.once('close', () => clearInterval(ticker));
}

/**
 * Writes what `next` gives until it gives nothing, then ends the answer, waiting for 'drain'
 * whenever the connection backs up (`backedUp` is told each time): an upstream that respects a
 * slow reader.
 */
export function writeUntilDone(res: ServerResponse, next: () => Buffer | undefined, backedUp: () => void): void {
  const writeMore = () => {
    for (let chunk = next(); chunk; chunk = next()) {
      if (!res.write(chunk)) {
        backedUp();
        return void res.once('drain', writeMore);
      }
    }
    res.end();
  };
  writeMore();
}
