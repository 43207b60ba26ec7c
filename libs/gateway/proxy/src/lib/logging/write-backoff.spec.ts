import { WriteBackoff } from './write-backoff';

describe(WriteBackoff.name, () => {
  it('lets every write through until one fails, then waits twice as long after each failure, up to 10 s', () => {
    const backoff = new WriteBackoff(1_000);
    expect(backoff.due(0)).toBe(true);
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.failed(0))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(backoff.failing).toBe(6);
    expect(backoff.due(9_999)).toBe(false);
    expect(backoff.due(10_000)).toBe(true);
  });

  it('forgets the failures once a write goes through, and says how many it ended', () => {
    const backoff = new WriteBackoff(50);
    backoff.failed(0);
    backoff.failed(0);
    expect(backoff.succeeded()).toBe(2);
    expect(backoff.succeeded()).toBe(0);
    expect(backoff.due(0)).toBe(true);
    expect(backoff.failed(0)).toBe(50);
  });
});
