/**
 * Micro-benchmark of small per-call steps trimmed on 2026-12-04, each beside the way it was done
 * before, so that the figures in docs/benchmark.md can be checked again:
 *   - `sqliteDatetime` on time-ordered log rows (before: `toISOString` and two slices per row);
 *   - `newRequestId` (before: the UUID's dashes removed with a regex; then: a UUID cut with slices;
 *     now: a pool of random bytes);
 *   - `hashApiKey`, once per call (before: `createHash(...).update(...).digest(...)`);
 *   - `ensureBase64Embeddings` on a batch of 100 base64 vectors of 1,536 dimensions, 805 KB (before:
 *     a search of the whole body for a float array).
 * 5 rounds after a warm-up round; the median is reported, in ns per call.
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register -r tsconfig-paths/register tools/bench/trimmed-steps.bench.ts
 */
import { createHash, randomUUID } from 'node:crypto';
import { hashApiKey } from '../../libs/shared/crypto/src/lib/api-keys';
import { performance } from 'node:perf_hooks';
import { sqliteDatetime } from '../../libs/gateway/persistence/src/lib/typeorm/sqlite-datetime';
import { newRequestId } from '../../libs/gateway/proxy/src/lib/http/request-id';
import { ensureBase64Embeddings } from '../../libs/gateway/proxy/src/lib/pipeline/embeddings-encoding';

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function time(calls: number, work: (i: number) => unknown): number {
  const rounds: number[] = [];
  let sink = 0;
  for (let round = 0; round < 6; round++) {
    const started = performance.now();
    for (let i = 0; i < calls; i++) if (work(i)) sink++;
    if (round > 0) rounds.push(((performance.now() - started) * 1e6) / calls);
  }
  if (sink < 0) console.log(sink);
  return Math.round(median(rounds));
}

// About the request log's rate under load: 11 rows a millisecond.
const dates = Array.from({ length: 200_000 }, (_, i) => new Date(1.8e12 + i * 0.09));
const datetimeBefore = (date: Date) => {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
};
const idBefore = () => `req_${Date.now().toString(16).padStart(12, '0')}${randomUUID().replace(/-/g, '').slice(12)}`;
const idSliced = () => {
  const uuid = randomUUID();
  return `req_${Date.now().toString(16).padStart(12, '0')}${uuid.slice(14, 18)}${uuid.slice(19, 23)}${uuid.slice(24)}`;
};
const gatewayKey = 'sk-0123456789abcdefghijklmnopqrstuvwxyzABCD';
const hashBefore = (secret: string) => createHash('sha256').update(secret).digest('hex');

const vectors = Array.from({ length: 100 }, (_, index) => ({
  object: 'embedding',
  index,
  embedding: Buffer.from(new Float32Array(1536).map((_, i) => Math.sin(i + index)).buffer).toString('base64'),
}));
const batch = Buffer.from(JSON.stringify({ object: 'list', data: vectors, model: 'text-embedding-3-small' }));
const FLOATS = Buffer.from('"embedding":[');
const asked = { encoding_format: 'base64' };

console.log(
  JSON.stringify({
    sqliteDatetimeNs: time(dates.length, (i) => sqliteDatetime(dates[i])),
    sqliteDatetimeBeforeNs: time(dates.length, (i) => datetimeBefore(dates[i])),
    newRequestIdNs: time(200_000, newRequestId),
    newRequestIdBeforeNs: time(200_000, idBefore),
    newRequestIdSlicedNs: time(200_000, idSliced),
    hashApiKeyNs: time(200_000, () => hashApiKey(gatewayKey)),
    hashApiKeyBeforeNs: time(200_000, () => hashBefore(gatewayKey)),
    base64BatchCheckNs: time(2_000, () => ensureBase64Embeddings(asked, batch) === batch),
    base64BatchCheckBeforeNs: time(200, () => batch.includes(FLOATS)),
    batchBytes: batch.length,
  }),
);
