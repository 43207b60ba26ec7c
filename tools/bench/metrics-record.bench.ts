/**
 * Micro-benchmark of what live monitoring adds to each proxied call: the in-flight counts at its
 * start and end, the live windows and the Prometheus series when its log entry is recorded.
 * Realistic spread: 20 models, 5 channels, 200 keys, 100 users, 10 teams. 5 rounds of 200k calls
 * after a warm-up; the median round is reported (robust to other processes on a shared machine).
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/metrics-record.bench.ts
 *
 * (decorators need the base tsconfig). Prints one JSON line: { nsPerCall, rounds }.
 */
import type { RequestLogEntry } from '../../libs/gateway/persistence/src/lib/models/request-log';
import { InFlightCalls } from '../../libs/gateway/proxy/src/lib/logging/in-flight-calls';
import { LlmMetrics } from '../../libs/gateway/monitoring/src/lib/prometheus/llm-metrics';
import { LiveWindow } from '../../libs/shared/metrics/src';

const ROUND = 200_000;

function entries(count: number): RequestLogEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `r${i}`,
    createdAt: new Date(),
    endpoint: 'chat.completions',
    keyId: `key-${i % 200}`,
    userId: `user-${i % 100}`,
    teamId: i % 3 === 0 ? `team-${i % 10}` : null,
    requestedModel: `model-${i % 20}`,
    routeName: `model-${i % 20}`,
    channelId: `channel-${i % 5}`,
    upstreamModel: `model-${i % 20}`,
    attempts: 1,
    stream: i % 2 === 0,
    status: i % 50 === 0 ? 502 : 200,
    latencyMs: 50 + ((i * 37) % 5_000),
    ttftMs: i % 2 === 0 ? 20 + ((i * 13) % 800) : null,
    promptTokens: 100,
    completionTokens: 200,
    totalTokens: 300,
    usageSource: 'upstream',
    costUsd: null,
    errorClass: null,
    errorMessage: null,
  }));
}

export interface MetricsRecordResult {
  /** Median over the rounds, per call. */
  nsPerCall: number;
  rounds: number[];
}

export function runMetricsRecordBenchmark(): MetricsRecordResult {
  const calls = entries(1_000);
  const window = new LiveWindow();
  const prometheus = new LlmMetrics(false);
  const inFlight = new InFlightCalls();
  const run = () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < ROUND; i++) {
      const entry = calls[i % calls.length];
      inFlight.start(entry.keyId as string, entry.userId, entry.teamId ?? null, entry.requestedModel as string);
      inFlight.end(entry.keyId as string, entry.userId, entry.teamId ?? null, entry.requestedModel as string);
      window.record(entry);
      prometheus.record(entry);
    }
    return Number(process.hrtime.bigint() - started) / ROUND;
  };
  run();
  const rounds = Array.from({ length: 5 }, run);
  const sorted = [...rounds].sort((a, b) => a - b);
  return { nsPerCall: sorted[2], rounds };
}

if (require.main === module) {
  console.log(JSON.stringify(runMetricsRecordBenchmark()));
}
