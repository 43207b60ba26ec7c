import { Logger } from '@nestjs/common';
import type { KeyLimits } from '@synapse/gateway/persistence';
import type Redis from 'ioredis';
import { KeyLimiter, secondsToNextWindow, WINDOW_MS, windowOf, type LimitKind, type LimitVerdict } from './key-limiter';

/*
 * One round trip decides and counts atomically, so that replicas together never admit more than
 * the limit. KEYS: requests and tokens of this minute, in-flight. ARGV: rpm, tpm, concurrency (0 = no
 * cap), estimated tokens, window TTL in ms. Returns 0 when admitted, else 1/2/3 for the cap hit.
 */
const ADMIT = `
local requests = tonumber(redis.call('GET', KEYS[1]) or '0')
local tokens = tonumber(redis.call('GET', KEYS[2]) or '0')
local inflight = tonumber(redis.call('GET', KEYS[3]) or '0')
local rpm, tpm, concurrency = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if rpm > 0 and requests >= rpm then return 1 end
if tpm > 0 and tokens + tonumber(ARGV[4]) > tpm then return 2 end
if concurrency > 0 and inflight >= concurrency then return 3 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if concurrency > 0 then
  redis.call('INCR', KEYS[3])
  redis.call('PEXPIRE', KEYS[3], 600000)
end
return 0
`;

const KINDS: Record<number, LimitKind> = { 1: 'requests', 2: 'tokens', 3: 'concurrency' };

/** Limits shared by every replica through Redis. */
export class RedisKeyLimiter extends KeyLimiter {
  private readonly logger = new Logger('KeyLimits');

  constructor(private readonly redis: Redis) {
    super();
    redis.defineCommand('synapseAdmit', { numberOfKeys: 3, lua: ADMIT });
  }

  async begin(keyId: string, limits: KeyLimits, estimatedTokens: number, now: number): Promise<LimitVerdict> {
    const window = windowOf(now);
    const admit = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>)['synapseAdmit'];
    const result = await admit.call(
      this.redis,
      `synapse:limit:${keyId}:req:${window}`,
      `synapse:limit:${keyId}:tok:${window}`,
      `synapse:limit:${keyId}:inflight`,
      limits.rpm ?? 0,
      limits.tpm ?? 0,
      limits.concurrency ?? 0,
      estimatedTokens,
      WINDOW_MS * 2,
    );
    const kind = KINDS[result];
    if (!kind) return { allowed: true };
    const limit = (kind === 'requests' ? limits.rpm : kind === 'tokens' ? limits.tpm : limits.concurrency) ?? 0;
    return { allowed: false, kind, limit, retryAfterSeconds: kind === 'concurrency' ? 1 : secondsToNextWindow(now) };
  }

  end(keyId: string, limits: KeyLimits): void {
    if (limits.concurrency === undefined) return;
    this.redis.decr(`synapse:limit:${keyId}:inflight`).catch((e) => this.logger.warn(`in-flight release failed: ${e}`));
  }

  charge(keyId: string, limits: KeyLimits, tokens: number, now: number): void {
    if (limits.tpm === undefined || tokens <= 0) return;
    const key = `synapse:limit:${keyId}:tok:${windowOf(now)}`;
    this.redis
      .multi()
      .incrby(key, tokens)
      .pexpire(key, WINDOW_MS * 2)
      .exec()
      .catch((e) => this.logger.warn(`token charge failed: ${e}`));
  }
}
