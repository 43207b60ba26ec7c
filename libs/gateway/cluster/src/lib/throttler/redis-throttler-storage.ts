import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerRecord as ThrottlerStorageRecord } from './throttler-record';
import type Redis from 'ioredis';

/*
 * The same fixed windows as InMemoryThrottlerStorage, decided atomically in Redis so that every
 * replica counts into one window. KEYS: hits, block marker. ARGV: ttl ms, limit, block ms.
 * Returns { hits, ms until the window ends, blocked 0/1, ms until the block ends }.
 */
const INCREMENT = `
local blocked = redis.call('PTTL', KEYS[2])
local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if blocked <= 0 and hits < tonumber(ARGV[2]) then
  hits = redis.call('INCR', KEYS[1])
  if hits == 1 or ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  return { hits, ttl, 0, 0 }
end
if blocked <= 0 then
  blocked = tonumber(ARGV[3])
  if blocked <= 0 then blocked = ttl end
  redis.call('SET', KEYS[2], '1', 'PX', blocked)
end
return { hits + 1, ttl, 1, blocked }
`;

/**
 * The Redis keys of one throttler counter: its hits and its block marker. The proxy's limiter counts
 * requests per minute into the same keys inside its own script (one round trip per call).
 */
export function throttleKeys(throttlerName: string, key: string): [hits: string, blocked: string] {
  const base = `synapse:throttle:${throttlerName}:${key}`;
  return [base, `${base}:blocked`];
}

/** ThrottlerStorage shared by every replica through Redis: one round trip per increment. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly redis: Redis) {
    redis.defineCommand('synapseThrottle', { numberOfKeys: 2, lua: INCREMENT });
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const [hits, blocked] = throttleKeys(throttlerName, key);
    const throttle = (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<number[]>>)[
      'synapseThrottle'
    ];
    const [totalHits, windowMs, isBlocked, blockMs] = await throttle.call(
      this.redis,
      hits,
      blocked,
      ttl,
      limit,
      blockDuration,
    );
    return {
      totalHits,
      timeToExpire: seconds(windowMs),
      isBlocked: isBlocked === 1,
      timeToBlockExpire: isBlocked === 1 ? seconds(blockMs) : 0,
    };
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
