import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '@synapse/testing';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The production build that `nx run gateway:build:production` writes. */
export const GATEWAY_MAIN = resolve(__dirname, '../../../../dist/apps/gateway/main.js');

export interface GatewayProcess {
  url: string;
  /** Base URL for OpenAI SDKs. */
  baseURL: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process printed so far, stdout and stderr. */
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface GatewayOptions {
  /** YAML text of the config file; written to the data folder. */
  config?: string;
  env?: Record<string, string>;
  dataDir?: string;
  /** Known before the start, for settings that name the gateway's own URL (PUBLIC_URL); free by default. */
  port?: number;
  /** Resolve once the process exits instead of waiting for readiness (for start-up failures). */
  expectExit?: boolean;
}

export { freePort };

export function tempDir(prefix = 'synapse-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts the production build of the gateway and waits until `/health/ready` answers 200. */
export async function startGateway(options: GatewayOptions = {}): Promise<GatewayProcess> {
  const dataDir = options.dataDir ?? tempDir();
  const port = options.port ?? (await freePort());
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/tmp',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SYNAPSE_SECRET: 'e2e-master-secret-0123456789abcdefghijklmnop',
    ADMIN_PASSWORD: 'e2e-admin-password',
    LOG_FLUSH_INTERVAL_MS: '50',
    ...options.env,
  };
  if (options.config !== undefined) {
    const file = join(dataDir, 'synapse.yaml');
    writeFileSync(file, options.config);
    env['SYNAPSE_CONFIG'] ??= file;
  }
  let output = '';
  const child = spawn(process.execPath, [GATEWAY_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = `http://127.0.0.1:${port}`;
  const gateway: GatewayProcess = {
    url,
    baseURL: `${url}/v1`,
    dataDir,
    child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  if (options.expectExit) {
    await exited;
    return gateway;
  }
  const deadline = Date.now() + 20_000;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode} during start:\n${output}`);
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.status === 200) return gateway;
      lastError = `ready answered ${response.status}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`gateway did not become ready (${lastError}):\n${output}`);
}

/** The config file of a gateway with one channel (`mock`, serving gpt-4o-mini at `upstreamUrl`) and one key. */
export function oneChannelConfig(upstreamUrl: string, key: string): string {
  return `
channels:
  - { name: mock, baseUrl: "${upstreamUrl}", models: [gpt-4o-mini] }
keys:
  - { name: caller, key: ${key} }
`;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
