import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchGatewayEnv, METRICS_ON_ENV, writeBenchConfig } from './bench-gateway';
const [main, port, ...flags] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'synapse-gw-'));
mkdirSync(join(dir, 'data'));
const config = join(dir, 'synapse.yaml');
writeBenchConfig(config, 'http://127.0.0.1:44001');
const proc = spawn(process.execPath, [...flags, resolve(main)], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { PATH: process.env['PATH'], ...benchGatewayEnv(config, join(dir, 'data')), ...METRICS_ON_ENV, HOST: '127.0.0.1', PORT: port, ...(process.env.GW_EXTRA_ENV ? JSON.parse(process.env.GW_EXTRA_ENV) : {}) },
});
console.log('gateway pid', proc.pid);
process.on('SIGTERM', () => proc.kill('SIGTERM'));
proc.on('exit', () => process.exit(0));
