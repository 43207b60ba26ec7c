/**
 * Soak: the built gateway under a steady open-loop load for SOAK_MINUTES (10), streaming and
 * non-streaming calls mixed, against the mock upstream in a process of its own.
 *
 *   npm run soak                                    (builds first)
 *   node -r @swc-node/register tools/bench/soak.ts  (uses dist/apps/gateway/main.js)
 *
 * Every SOAK_SAMPLE_S (15) seconds it reads the gateway's own Prometheus metrics: resident memory,
 * heap used, event-loop delay p99 and max, active handles (sockets, timers) and requests. At the end it
 * prints the slope of memory and event-loop delay after the first minute (a leak shows as a steady
 * rise), the handles left once the load has stopped, and compares the request-log rows the gateway
 * wrote (SIGTERM, then read from its SQLite file) with the calls sent, and the live heap (after a
 * full collection, forced by a heap snapshot) before and after the load: the leak check, since heap
 * used between collections climbs with garbage alone. Writes dist/bench/soak.json.
 *
 * Environment: SOAK_MINUTES (10), SOAK_RATE (200 calls/s), SOAK_STREAM_SHARE (0.3), SOAK_SAMPLE_S (15).
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import { freePort } from '../../libs/testing/src/lib/free-port';
import { median } from './median';

const ROOT = resolve(__dirname, '../..');
const MINUTES = Number(process.env['SOAK_MINUTES'] ?? 10);
const RATE = Number(process.env['SOAK_RATE'] ?? 200);
const STREAM_SHARE = Number(process.env['SOAK_STREAM_SHARE'] ?? 0.3);
const SAMPLE_S = Number(process.env['SOAK_SAMPLE_S'] ?? 15);
const KEY = 'sk-soak-0123456789abcdefghijklm';
const METRICS_TOKEN = 'soak-metrics-token-0123456789';

interface Sample {
  atS: number;
  rssMb: number;
  heapUsedMb: number;
  eventLoopP99Ms: number;
  /** The longest event-loop delay since the sample before (prom-client resets its monitor at each scrape). */
  eventLoopMaxMs: number;
  handles: number;
  sent: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-soak-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const mockPort = await freePort();
  const mock = launch([
    '-r',
    require.resolve('@swc-node/register'),
    join(ROOT, 'tools/bench/mock-upstream-process.ts'),
    String(mockPort),
  ]);
  await waitFor(`http://127.0.0.1:${mockPort}/v1/models`, () => true);
  const config = join(dir, 'synapse.yaml');
  writeFileSync(
    config,
    `channels:\n  - { name: mock, baseUrl: "http://127.0.0.1:${mockPort}/v1", models: [gpt-4o-mini] }\n` +
      `keys:\n  - { name: soak, key: ${KEY}, limits: { rpm: 1000000, concurrency: 10000 } }\n`,
  );
  // The live heap of an idle gateway, in a process of its own: a snapshot's own buffers would
  // otherwise inflate the measured gateway's RSS for the rest of the run.
  const probe = await startGateway(dir, dataDir, config);
  const liveAtStart = await liveHeapMb(probe.child, dir, probe.origin);
  probe.child.kill('SIGTERM');
  await new Promise((r) => probe.child.once('exit', r));
  const { child: gateway, origin } = await startGateway(dir, dataDir, config);

  const pool = new Pool(origin, { connections: 128 });
  const counts = { sent: 0, ok: 0, failed: 0 };
  const started = Date.now();
  const samples: Sample[] = [];
  const call = async (stream: boolean) => {
    counts.sent++;
    try {
      const response = await pool.request({
        path: '/v1/chat/completions',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'soak' }],
          stream,
          ...(stream && { mock: { chunks: 5, chunkDelayMs: 10 } }),
        }),
      });
      await response.body.dump({ limit: 1 << 20 });
      if (response.statusCode === 200) counts.ok++;
      else counts.failed++;
    } catch {
      counts.failed++;
    }
  };
  // Open loop: a tick every 10 ms sends what the rate owes since the start, whatever is in flight.
  const ticker = setInterval(() => {
    const owed = Math.floor(((Date.now() - started) / 1000) * RATE) - counts.sent;
    for (let i = 0; i < owed; i++) void call(Math.random() < STREAM_SHARE);
  }, 10);
  const sampler = setInterval(() => {
    void sample(origin, (Date.now() - started) / 1000, counts.sent).then((s) => {
      samples.push(s);
      process.stdout.write(
        `${s.atS.toFixed(0).padStart(4)} s  rss ${s.rssMb.toFixed(1)} MB  heap ${s.heapUsedMb.toFixed(1)} MB  ` +
          `loop p99 ${s.eventLoopP99Ms.toFixed(1)} ms  max ${s.eventLoopMaxMs.toFixed(1)} ms  handles ${s.handles}  sent ${s.sent}\n`,
      );
    });
  }, SAMPLE_S * 1000);
  await new Promise((r) => setTimeout(r, MINUTES * 60_000));
  clearInterval(ticker);
  clearInterval(sampler);
  // Let the calls in flight finish and the load generator's connections close, then see what is left open.
  await new Promise((r) => setTimeout(r, 3_000));
  await pool.close();
  await new Promise((r) => setTimeout(r, 2_000));
  const idle = await sample(origin, (Date.now() - started) / 1000, counts.sent);
  const liveAtEnd = await liveHeapMb(gateway, dir, origin);
  const before = samples[0] ?? idle;
  gateway.kill('SIGTERM');
  await new Promise((r) => gateway.once('exit', r));
  mock.kill('SIGTERM');
  const db = new Database(join(dataDir, 'synapse.db'), { readonly: true });
  const rows = (db.prepare('SELECT COUNT(*) AS n FROM request_logs').get() as { n: number }).n;
  db.close();
  rmSync(dir, { recursive: true, force: true });

  const settled = samples.filter((s) => s.atS >= 60);
  const result = {
    minutes: MINUTES,
    rate: RATE,
    streamShare: STREAM_SHARE,
    sent: counts.sent,
    ok: counts.ok,
    failed: counts.failed,
    requestLogRows: rows,
    rssSlopeMbPerMin: slope(settled, (s) => s.rssMb),
    heapSlopeMbPerMin: slope(settled, (s) => s.heapUsedMb),
    heapFloorSlopeMbPerMin: slope(floors(settled), (s) => s.heapUsedMb),
    eventLoopP99SlopeMsPerMin: slope(settled, (s) => s.eventLoopP99Ms),
    // A job that holds the loop once a minute hides in a p99 but not in the max.
    eventLoopMaxMs: {
      median: median(settled.map((s) => s.eventLoopMaxMs)),
      highest: Math.max(...settled.map((s) => s.eventLoopMaxMs)),
    },
    rssMb: { first: before.rssMb, last: idle.rssMb, max: Math.max(...samples.map((s) => s.rssMb)) },
    handles: { duringLoad: before.handles, afterLoad: idle.handles },
    liveHeapMb: { start: liveAtStart, end: liveAtEnd },
    samples,
  };
  mkdirSync(join(ROOT, 'dist/bench'), { recursive: true });
  writeFileSync(join(ROOT, 'dist/bench/soak.json'), JSON.stringify(result, null, 2));
  process.stdout.write(
    [
      '',
      `| soak ${MINUTES} min at ${RATE} calls/s, ${STREAM_SHARE * 100} % streaming | value |`,
      '| --- | --- |',
      `| calls sent / 200 / failed | ${counts.sent} / ${counts.ok} / ${counts.failed} |`,
      `| request-log rows | ${rows} (${rows === counts.sent ? 'equal to calls sent' : `${counts.sent - rows} missing`}) |`,
      `| RSS first sample → after load (max) | ${before.rssMb.toFixed(1)} → ${idle.rssMb.toFixed(1)} MB (${result.rssMb.max.toFixed(1)}) |`,
      `| RSS slope after the first minute | ${result.rssSlopeMbPerMin.toFixed(2)} MB/min |`,
      `| heap used slope after the first minute | ${result.heapSlopeMbPerMin.toFixed(2)} MB/min |`,
      `| heap floor slope (lowest sample of each minute: what survives collections) | ${result.heapFloorSlopeMbPerMin.toFixed(2)} MB/min |`,
      `| event-loop delay p99 slope | ${result.eventLoopP99SlopeMsPerMin.toFixed(3)} ms/min |`,
      `| event-loop delay max per sample, median / highest | ${result.eventLoopMaxMs.median.toFixed(1)} / ${result.eventLoopMaxMs.highest.toFixed(1)} ms |`,
      `| live heap after a full collection, before → after the load | ${liveAtStart.toFixed(1)} → ${liveAtEnd.toFixed(1)} MB |`,
      `| active handles during load → after | ${before.handles} → ${idle.handles} |`,
      '',
    ].join('\n'),
  );
  process.exit(counts.failed === 0 && rows === counts.sent ? 0 : 1);
}

/** The built gateway, with heap snapshots on SIGUSR2 (each starts with a full collection). */
async function startGateway(
  dir: string,
  dataDir: string,
  config: string,
): Promise<{ child: ChildProcess; origin: string }> {
  const port = await freePort();
  const child = launch(
    ['--heapsnapshot-signal=SIGUSR2', join(ROOT, 'dist/apps/gateway/main.js')],
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      SYNAPSE_SECRET: 'soak-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      ADMIN_PASSWORD: 'soak-password-123',
      SYNAPSE_CONFIG: config,
      LOG_LEVEL: 'warn',
      METRICS_TOKEN,
      HEALTH_CHECK_INTERVAL_MS: '0',
    },
    dir,
  );
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`${origin}/health/ready`, (status) => status === 200);
  return { child, origin };
}

/**
 * The heap that survives a full collection: SIGUSR2 makes the gateway write a heap snapshot, which
 * collects first; the heap is read as soon as the file is complete, then the file is removed.
 */
async function liveHeapMb(gateway: ChildProcess, cwd: string, origin: string): Promise<number> {
  const before = new Set(readdirSync(cwd));
  gateway.kill('SIGUSR2');
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const written = readdirSync(cwd).find((name) => name.endsWith('.heapsnapshot') && !before.has(name));
    if (!written) continue;
    // The file appears when writing starts; its size stops changing when it is done.
    let size = -1;
    while (statSync(join(cwd, written)).size !== size) {
      size = statSync(join(cwd, written)).size;
      await new Promise((r) => setTimeout(r, 500));
    }
    const heap = (await sample(origin, 0, 0)).heapUsedMb;
    rmSync(join(cwd, written), { force: true });
    return heap;
  }
  throw new Error('no heap snapshot written within 60 s');
}

async function sample(origin: string, atS: number, sent: number): Promise<Sample> {
  const text = await (
    await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  const value = (name: string) => {
    let total = 0;
    for (const line of text.split('\n')) if (line.startsWith(name)) total += Number(line.split(' ').at(-1));
    return total;
  };
  return {
    atS,
    rssMb: value('process_resident_memory_bytes') / 1048576,
    heapUsedMb: value('nodejs_heap_size_used_bytes') / 1048576,
    eventLoopP99Ms: value('nodejs_eventloop_lag_p99_seconds') * 1000,
    eventLoopMaxMs: value('nodejs_eventloop_lag_max_seconds') * 1000,
    handles: value('nodejs_active_handles_total'),
    sent,
  };
}

/**
 * The lowest heap sample of each minute. Heap used climbs between full collections (garbage
 * promoted to the old generation) and falls at each: a leak shows as rising floors, not peaks.
 */
function floors(samples: readonly Sample[]): Sample[] {
  const byMinute = new Map<number, Sample>();
  for (const s of samples) {
    const minute = Math.floor(s.atS / 60);
    const low = byMinute.get(minute);
    if (!low || s.heapUsedMb < low.heapUsedMb) byMinute.set(minute, s);
  }
  return [...byMinute.values()];
}

/** Least-squares slope per minute. */
function slope(samples: readonly Sample[], y: (s: Sample) => number): number {
  if (samples.length < 2) return 0;
  const xs = samples.map((s) => s.atS / 60);
  const ys = samples.map(y);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function launch(args: string[], env: Record<string, string> = {}, cwd?: string): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return child;
}

async function waitFor(url: string, ok: (status: number) => boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status && ok(status)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

void main().catch((error: Error) => {
  process.stderr.write(`soak failed: ${error.stack}\n`);
  process.exit(1);
});
