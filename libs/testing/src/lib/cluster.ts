/**
 * The multi-replica topology without Docker: N gateway processes (the production build) on one
 * PostgreSQL and one Redis, behind a small round-robin TCP front, as docker-compose's `replicas`
 * profile runs them behind the console's nginx. Used by the cluster e2e suite and, through
 * tools/cluster/cluster.ts, by `npm run cluster`.
 *
 * The front balances connections, not requests (a keep-alive connection stays on its replica, as
 * with an L4 load balancer); a replica that refuses a connection is skipped for the next one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { GATEWAY_NODE_FLAGS } from './gateway-node-flags';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './free-port';
import { resolve } from 'node:path';

/** The production build that `nx run gateway:build:production` writes. */
const GATEWAY_MAIN = resolve(__dirname, '../../../../dist/apps/gateway/main.js');

export interface Replica {
  port: number;
  child: ChildProcess;
  output(): string;
  /** Connections the front has handed to this replica. */
  connections: number;
}

export interface Cluster {
  url: string;
  replicas: Replica[];
  /** Stops the front and every replica still running (SIGTERM, so that logs are flushed). */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  replicas: number;
  /** The front's port; 0 for any free one. */
  port?: number;
  /** The gateways' environment: DATABASE_URL, REDIS_URL, SYNAPSE_SECRET, config... */
  env: Record<string, string>;
  host?: string;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const host = options.host ?? '127.0.0.1';
  const replicas: Replica[] = [];
  // One after the other, as a rolling deploy would: each applies migrations and the config file.
  for (let i = 0; i < options.replicas; i++) replicas.push(await startReplica(host, options.env));
  const sockets = new Set<Socket>();
  let next = 0;
  const front: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.pause();
    const connect = (tried: number) => {
      if (tried >= replicas.length) return client.destroy();
      const replica = replicas[next++ % replicas.length];
      const upstream = createConnection({ host, port: replica.port });
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        replica.connections++;
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        client.pipe(upstream).pipe(client);
        client.resume();
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
      // A refused connection (a replica that is down) goes to the next one; later errors end both sides.
      upstream.once('error', () => {
        if (!connected) connect(tried + 1);
      });
    };
    connect(0);
  });
  await new Promise<void>((ready) => front.listen(options.port ?? 0, host, ready));
  const address = front.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host}:${port}`,
    replicas,
    stop: async () => {
      await new Promise<void>((closed) => {
        front.close(() => closed());
        for (const socket of sockets) socket.destroy();
      });
      await Promise.all(replicas.map((replica) => stopReplica(replica)));
    },
  };
}

async function startReplica(host: string, env: Record<string, string>): Promise<Replica> {
  const port = await freePort(host);
  const child = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, GATEWAY_MAIN], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      ...env,
      HOST: host,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`a replica exited with ${child.exitCode} during start:\n${output}`);
    const ready = await fetch(`http://${host}:${port}/health/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { port, child, output: () => output, connections: 0 };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`a replica did not become ready:\n${output}`);
}

function stopReplica(replica: Replica): Promise<void> {
  const { child } = replica;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((stopped) => {
    child.once('exit', () => stopped());
    child.kill('SIGTERM');
  });
}
