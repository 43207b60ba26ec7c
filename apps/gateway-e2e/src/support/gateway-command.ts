import { spawn } from 'node:child_process';
import { GATEWAY_MAIN } from './gateway-process';

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node main.js <command> [arguments]` as an operator would, with only the given environment. */
export function runGatewayCommand(command: string | string[], env: Record<string, string>): Promise<CommandRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [GATEWAY_MAIN, ...[command].flat()], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}
