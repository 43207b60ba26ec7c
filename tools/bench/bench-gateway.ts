/**
 * The gateway every benchmark measures, set up alike: one channel to the mock upstream, one key
 * allowed every model, production mode and quiet logs (live metrics are each caller's choice). Used by `run.ts` (one
 * gateway and the multi-replica rows) and `ab.ts` (builds side by side), which start the processes
 * their own way.
 */
import { writeFileSync } from 'node:fs';

export const BENCH_API_KEY = 'sk-bench-0123456789abcdefghij';
export const BENCH_UPSTREAM_API_KEY = 'sk-upstream-bench-0000';
export const BENCH_MODEL = 'bench-model';

/** Live metrics and Prometheus collection (METRICS_TOKEN set: /metrics enabled), as the default gateway runs. */
export const METRICS_ON_ENV = { METRICS_ENABLED: 'true', METRICS_TOKEN: 'bench-metrics-token-0123456789' };
export const METRICS_OFF_ENV = { METRICS_ENABLED: 'false' };

/** Writes the gateway's config file: the mock upstream (`http://host:port`) as its only channel, and the bench key. */
export function writeBenchConfig(path: string, mockOrigin: string): void {
  writeFileSync(
    path,
    [
      'channels:',
      `  - { name: mock, type: openai, baseUrl: "${mockOrigin}/v1", apiKey: ${BENCH_UPSTREAM_API_KEY}, models: [${BENCH_MODEL}] }`,
      'keys:',
      `  - { name: bench, key: ${BENCH_API_KEY}, models: ["*"] }`,
      '',
    ].join('\n'),
  );
}

/** The gateway's own settings in a benchmark, to lay over the environment the caller passes on (metrics: the caller's choice). */
export function benchGatewayEnv(configPath: string, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    SYNAPSE_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    ADMIN_PASSWORD: 'bench-password-123',
    LOG_LEVEL: 'warn',
    SYNAPSE_CONFIG: configPath,
  };
}
