import { valueNestsDeeperThan } from './value-depth';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { inner: value };
  return value;
}

describe(valueNestsDeeperThan.name, () => {
  it('counts objects and arrays alike, up to the bound and past it', () => {
    expect(valueNestsDeeperThan(nested(8), 8)).toBe(false);
    expect(valueNestsDeeperThan(nested(9), 8)).toBe(true);
    expect(valueNestsDeeperThan({ wide: Array.from({ length: 1000 }, () => ({ a: [1] })) }, 8)).toBe(false);
    expect(valueNestsDeeperThan('text', 0)).toBe(false);
  });

  it('walks a value nested far past the stack’s reach without overflowing it', () => {
    expect(valueNestsDeeperThan(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)), 128)).toBe(true);
  });
});
