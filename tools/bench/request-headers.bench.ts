/**
 * Micro-benchmark of what logging request headers adds to each proxied call: on the request path
 * `captureRequestHeaders` (the allow-listed copy), and in the batch writer `redactHeaderValues`
 * and the JSON text of the column. Headers as the openai Python SDK sends them, with its key.
 * 5 rounds of 200k calls after a warm-up; the median round is reported.
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register -r tsconfig-paths/register tools/bench/request-headers.bench.ts
 *
 * Prints one JSON line: { captureNs, writerNs, storedBytes }.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { captureRequestHeaders, redactHeaderValues } from '../../libs/gateway/proxy/src/lib/logging/request-headers';

const ROUND = 200_000;

const SDK_HEADERS: IncomingHttpHeaders = {
  host: '127.0.0.1:3088',
  'accept-encoding': 'gzip, deflate',
  connection: 'keep-alive',
  accept: 'application/json',
  'content-type': 'application/json',
  'user-agent': 'OpenAI/Python 1.99.0',
  'x-stainless-lang': 'python',
  'x-stainless-package-version': '1.99.0',
  'x-stainless-os': 'Linux',
  'x-stainless-arch': 'x64',
  'x-stainless-runtime': 'CPython',
  'x-stainless-runtime-version': '3.12.3',
  authorization: 'Bearer sk-gw-0123456789abcdefghijklmnopqrstuvwxyz',
  'x-stainless-async': 'false',
  'x-stainless-retry-count': '0',
  'x-stainless-read-timeout': '600',
  'content-length': '97',
};

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function time(work: () => unknown): number {
  const rounds: number[] = [];
  let sink = 0;
  for (let round = 0; round < 6; round++) {
    const started = performance.now();
    for (let i = 0; i < ROUND; i++) if (work()) sink++;
    if (round > 0) rounds.push(((performance.now() - started) * 1e6) / ROUND);
  }
  if (sink < 0) console.log(sink);
  return Math.round(median(rounds));
}

const captured = captureRequestHeaders(SDK_HEADERS) ?? {};
console.log(
  JSON.stringify({
    captureNs: time(() => captureRequestHeaders(SDK_HEADERS)),
    writerNs: time(() => JSON.stringify(redactHeaderValues(captured))),
    storedBytes: Buffer.byteLength(JSON.stringify(captured)),
  }),
);
