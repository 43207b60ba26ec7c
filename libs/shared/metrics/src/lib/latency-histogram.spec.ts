import {
  LATENCY_BUCKETS_MS,
  LATENCY_BUCKET_COUNT,
  addBuckets,
  bucketIndex,
  decodeBuckets,
  emptyBuckets,
  encodeBuckets,
  quantile,
} from './latency-histogram';

describe('latency histogram', () => {
  it('puts a latency in the first bucket whose bound it does not exceed', () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(5)).toBe(0);
    expect(bucketIndex(5.1)).toBe(1);
    expect(bucketIndex(999)).toBe(LATENCY_BUCKETS_MS.indexOf(1_000));
    expect(bucketIndex(600_000)).toBe(LATENCY_BUCKETS_MS.length - 1);
    expect(bucketIndex(600_001)).toBe(LATENCY_BUCKET_COUNT - 1);
  });

  it('interpolates quantiles inside a bucket', () => {
    const counts = emptyBuckets();
    // 100 calls between 100 and 250 ms, evenly assumed.
    counts[bucketIndex(200)] = 100;
    expect(quantile(counts, 0.5)).toBeCloseTo(175, 6);
    expect(quantile(counts, 0.99)).toBeCloseTo(248.5, 6);
    expect(quantile(emptyBuckets(), 0.5)).toBeNull();
  });

  it('finds the right bucket across several', () => {
    const counts = emptyBuckets();
    counts[bucketIndex(8)] = 90; // 5–10 ms
    counts[bucketIndex(4_000)] = 10; // 3–5 s
    expect(quantile(counts, 0.5)).toBeGreaterThan(5);
    expect(quantile(counts, 0.5)).toBeLessThanOrEqual(10);
    expect(quantile(counts, 0.95)).toBeGreaterThan(3_000);
    expect(quantile(counts, 0.95)).toBeLessThanOrEqual(5_000);
  });

  it('reports the last bound for the open-ended bucket', () => {
    const counts = emptyBuckets();
    counts[LATENCY_BUCKET_COUNT - 1] = 3;
    expect(quantile(counts, 0.5)).toBe(600_000);
  });

  it('merges by addition and survives its text form', () => {
    const a = emptyBuckets();
    a[2] = 4;
    const b = emptyBuckets();
    b[2] = 1;
    b[20] = 7;
    const merged = addBuckets(a, b);
    expect(merged[2]).toBe(5);
    expect(encodeBuckets(merged)).toBe('2:5,20:7');
    expect(decodeBuckets('2:5,20:7')).toEqual(merged);
    expect(decodeBuckets('x,99:1,3:-1,')).toEqual(emptyBuckets());
  });
});
