/**
 * A stream's first byte one call at a time: what a caller waits at a low rate, where the server
 * sleeps between calls and its code runs cold (docs/benchmark.md). Used by `ab.ts` with
 * BENCH_AB_FIRST_BYTE_ROUNDS: rounds of PER_ROUND streams on each server in turn, the order
 * reversed every other round, 20 ms between calls.
 */
import { Pool } from 'undici';

const PER_ROUND = 25;
const PAUSE_MS = 20;
const BODY = JSON.stringify({
  model: 'bench-model',
  messages: [{ role: 'user', content: 'Say hello' }],
  stream: true,
  mock: { chunks: 3, chunkDelayMs: 5 },
});

export interface FirstByteTarget {
  name: string;
  port: number;
}

/** The p50 and p90 (ms) of each target's first byte over `rounds` alternating rounds. */
export async function firstBytes(
  targets: readonly FirstByteTarget[],
  rounds: number,
  apiKey: string,
): Promise<{ name: string; p50: number; p90: number; count: number }[]> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  const pools = targets.map((t) => new Pool(`http://127.0.0.1:${t.port}`, { connections: 1 }));
  const samples: number[][] = targets.map(() => []);
  const one = async (i: number): Promise<number> => {
    const started = performance.now();
    const res = await pools[i].request({ method: 'POST', path: '/v1/chat/completions', headers, body: BODY });
    let first = NaN;
    for await (const chunk of res.body) if (Number.isNaN(first) && chunk.length > 0) first = performance.now();
    if (res.statusCode !== 200) throw new Error(`${targets[i].name}: a stream answered HTTP ${res.statusCode}`);
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    return first - started;
  };
  try {
    for (let i = 0; i < targets.length; i++) for (let k = 0; k < 5; k++) await one(i);
    for (let round = 0; round < rounds; round++) {
      const order = targets.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const i of order) for (let k = 0; k < PER_ROUND; k++) samples[i].push(await one(i));
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
  const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return targets.map((t, i) => {
    const sorted = [...samples[i]].sort((a, b) => a - b);
    return { name: t.name, p50: at(sorted, 0.5), p90: at(sorted, 0.9), count: sorted.length };
  });
}
