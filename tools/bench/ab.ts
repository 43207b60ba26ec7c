/**
 * Side-by-side throughput of gateway builds (or flags) against the bare proxy, in interleaved
 * rounds: on a shared machine two runs of `npm run bench` minutes apart differ by more than most
 * changes to the path, so a before/after is only read from rounds that alternate.
 *
 *   node -r @swc-node/register tools/bench/ab.ts <main.js>[@flag+flag] ...
 *   e.g. tools/bench/ab.ts /tmp/before/dist/apps/gateway/main.js dist/apps/gateway/main.js@--max-semi-space-size=64
 *
 * A gateway without `@` runs with the production flags (GATEWAY_NODE_FLAGS, as `npm start` and the
 * image); `main.js@` runs it with V8's defaults, `main.js@--a+--b` with those flags instead.
 *
 * Starts the mock upstream, the bare proxy and each gateway (SQLite, the bench's key and channel,
 * live metrics on), then runs BENCH_AB_ROUNDS (3) rounds of BENCH_DURATION (8) s at
 * BENCH_CONNECTIONS (64) connections on each, in order and then in reverse order, after a 2 s
 * warm-up each. Server CPU per call is the process's (every thread) and its main thread's, from /proc.
 * Prints each round and the medians: req/s, CPU µs per call, and each against the bare proxy of the
 * same rounds. On a noisy machine, many short rounds (BENCH_DURATION=1, BENCH_AB_ROUNDS=24) spread
 * the machine's slow spells over every server alike. BENCH_AB_FIRST_BYTE_ROUNDS (0) adds that many
 * alternating rounds of a stream's first byte one call at a time (first-byte.ts), the mock direct
 * included.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../../libs/testing/src/lib/gateway-node-flags';
import {
  BENCH_API_KEY as API_KEY,
  BENCH_UPSTREAM_API_KEY as UPSTREAM_API_KEY,
  benchGatewayEnv,
  METRICS_ON_ENV,
  writeBenchConfig,
} from './bench-gateway';
import { firstBytes } from './first-byte';
import { median } from './median';
import { cpuTimeMs } from './process-cpu';

const ROOT = resolve(__dirname, '../..');
const BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello' }] });
const ROUNDS = Number(process.env['BENCH_AB_ROUNDS'] ?? 3);
const DURATION = Number(process.env['BENCH_DURATION'] ?? 8);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 64);
const FIRST_BYTE_ROUNDS = Number(process.env['BENCH_AB_FIRST_BYTE_ROUNDS'] ?? 0);
const TS_ARGS = ['-r', require.resolve('@swc-node/register')];

// autocannon has no bundled types (run.ts declares more of them): what this file reads.
interface LoadResult {
  requests: { average: number; total: number };
  errors: number;
  non2xx: number;
}
const autocannon = require('autocannon') as (options: object) => PromiseLike<LoadResult>;

interface Server {
  name: string;
  proc: ChildProcess;
  port: number;
  rounds: { rps: number; cpuUs: number; mainUs: number }[];
}

const processes: ChildProcess[] = [];
const dirs: string[] = [];

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  processes.push(proc);
  return proc;
}

function readyPort(proc: ChildProcess): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let text = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const port = /"port":(\d+)/.exec(text)?.[1];
      if (port) resolvePort(Number(port));
    });
    proc.once('exit', (code) => reject(new Error(`exited (${code}) before it was ready: ${text}`)));
  });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} never answered`);
}

let nextPort = 43_100;

async function startGateway(spec: string, mockPort: number): Promise<Server> {
  const [main, flags] = spec.split('@') as [string, string | undefined];
  const nodeFlags = flags === undefined ? GATEWAY_NODE_FLAGS : flags.split('+').filter(Boolean);
  const dir = mkdtempSync(join(tmpdir(), 'synapse-ab-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'data'));
  const config = join(dir, 'synapse.yaml');
  writeBenchConfig(config, `http://127.0.0.1:${mockPort}`);
  const port = nextPort++;
  const proc = spawn(process.execPath, [...nodeFlags, resolve(ROOT, main)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env['PATH'],
      ...benchGatewayEnv(config, join(dir, 'data')),
      ...METRICS_ON_ENV,
      HOST: '127.0.0.1',
      PORT: String(port),
    },
  });
  processes.push(proc);
  await waitReady(`http://127.0.0.1:${port}/health/ready`);
  return { name: flags === undefined ? `${spec} (${nodeFlags.join(' ')})` : spec, proc, port, rounds: [] };
}

function load(port: number, seconds: number): PromiseLike<LoadResult> {
  return autocannon({
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: BODY,
  });
}

async function round(server: Server): Promise<void> {
  const pid = server.proc.pid as number;
  const before = cpuTimeMs(pid);
  const mainBefore = cpuTimeMs(pid, true);
  const result = await load(server.port, DURATION);
  const cpuUs = ((cpuTimeMs(pid) - before) * 1000) / result.requests.total;
  const mainUs = ((cpuTimeMs(pid, true) - mainBefore) * 1000) / result.requests.total;
  if (result.errors || result.non2xx)
    throw new Error(`${server.name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  server.rounds.push({ rps: result.requests.average, cpuUs, mainUs });
  console.log(
    `${server.name}: ${Math.round(result.requests.average)} req/s, ${cpuUs.toFixed(1)} µs per call (main thread ${mainUs.toFixed(1)})`,
  );
}

async function main(): Promise<void> {
  const specs = process.argv.slice(2);
  if (specs.length === 0) throw new Error('usage: ab.ts <gateway main.js>[@flag+flag] ...');
  const mockProc = start([...TS_ARGS, 'tools/bench/mock-upstream-process.ts', '0'], {});
  const mockPort = await readyPort(mockProc);
  const bareProc = start([...TS_ARGS, 'tools/bench/bare-proxy.ts', `http://127.0.0.1:${mockPort}`, '0'], {
    BENCH_UPSTREAM_API_KEY: UPSTREAM_API_KEY,
  });
  const bare: Server = { name: 'bare proxy', proc: bareProc, port: await readyPort(bareProc), rounds: [] };
  const servers = [bare];
  for (const spec of specs) servers.push(await startGateway(spec, mockPort));
  for (const server of servers) await load(server.port, 2);
  for (let r = 0; r < ROUNDS; r++) {
    for (const server of r % 2 === 0 ? servers : [...servers].reverse()) await round(server);
  }
  const bareRps = median(bare.rounds.map((x) => x.rps));
  const bareUs = median(bare.rounds.map((x) => x.cpuUs));
  const bareMainUs = median(bare.rounds.map((x) => x.mainUs));
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
  console.log(
    '\n| server | req/s (median) | vs bare proxy | CPU µs per call (median) | vs bare proxy | main thread µs | vs bare proxy |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const server of servers) {
    const rps = median(server.rounds.map((x) => x.rps));
    const us = median(server.rounds.map((x) => x.cpuUs));
    const mainUs = median(server.rounds.map((x) => x.mainUs));
    console.log(
      `| ${server.name} | ${Math.round(rps)} | ${((100 * rps) / bareRps).toFixed(1)} % | ${us.toFixed(1)} | ${signed(us - bareUs)} | ${mainUs.toFixed(1)} | ${signed(mainUs - bareMainUs)} |`,
    );
  }
  if (FIRST_BYTE_ROUNDS > 0) {
    const targets = [{ name: 'mock direct', port: mockPort }, ...servers];
    console.log(`\nA stream's first byte, one call at a time, ${FIRST_BYTE_ROUNDS} alternating rounds:`);
    console.log('| server | p50 ms | p90 ms | streams |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const row of await firstBytes(targets, FIRST_BYTE_ROUNDS, API_KEY)) {
      console.log(`| ${row.name} | ${row.p50.toFixed(3)} | ${row.p90.toFixed(3)} | ${row.count} |`);
    }
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const proc of processes) proc.kill('SIGTERM');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    setTimeout(() => process.exit(), 3_000).unref();
  });
