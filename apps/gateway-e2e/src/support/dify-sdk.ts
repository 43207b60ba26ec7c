import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const SCRIPT = resolve(__dirname, 'dify-sdk.mjs');

export interface SdkResult<T = Record<string, unknown>> {
  status?: number;
  headers?: Record<string, string>;
  data?: T;
  /** A streamed answer, as the SDK's stream delivered it. */
  text?: string;
  error?: { status: number; data: Record<string, unknown> };
}

/**
 * Calls the official dify-client SDK in a child `node` process: the package is ESM-only and Jest
 * runs CommonJS here, so the SDK runs as its README shows, in a module of its own.
 */
export function difySdk<T = Record<string, unknown>>(
  target: { baseUrl: string; apiKey: string },
  client: 'ChatClient' | 'CompletionClient' | 'DifyClient',
  method: string,
  ...args: unknown[]
): Promise<SdkResult<T>> {
  const request = JSON.stringify({ ...target, client, method, args });
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [SCRIPT, request],
      { cwd: resolve(__dirname, '../../../..') },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`dify-client ${method} failed: ${stderr || error.message}`));
        resolvePromise(JSON.parse(stdout) as SdkResult<T>);
      },
    );
  });
}

/** The events of a Dify stream, checking Dify's framing: `data: {json}` blocks (pings aside). */
export function difyEvents(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((block) => block !== '' && block !== 'event: ping')
    .map((block) => {
      if (!/^data: \{.*\}$/s.test(block)) throw new Error(`not a Dify event block: ${JSON.stringify(block)}`);
      return JSON.parse(block.slice(6)) as Record<string, unknown>;
    });
}
