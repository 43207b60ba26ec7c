import { Logger } from '@nestjs/common';
import { throttleKeys } from '@synapse/gateway/cluster';
import type Redis from 'ioredis';
import { budgetPeriods, secondsUntil } from './budget-period';
import { hasBudget, type LimitScope } from './limit-scope';
import { RPM_THROTTLER } from './request-limit';
import {
  ALLOWED,
  budgetMicroUsd,
  secondsToNextWindow,
  UsageLimiter,
  WINDOW_MS,
  windowOf,
  type CallUsage,
  type LimitKind,
  type LimitVerdict,
  type Spend,
} from './usage-limiter';

/*
 * One round trip checks every scope of a call and counts it, atomically, so that replicas together
 * never admit more than a limit. Six KEYS per scope: tokens of this minute, in flight, spend of
 * this UTC day, of this UTC month, then the scope's requests-per-minute counter and block marker
 * (RedisThrottlerStorage's keys, counted as its script counts them). ARGV: estimated tokens, the
 * reserve in micro-USD, the day's and the month's counter expiry (ms since the epoch), the request
 * window in ms, then per scope tpm, concurrency, daily and monthly budget in micro-USD and rpm
 * (0 = no cap). Requests are counted first, in every scope, whatever the other limits say (a
 * refused call still used its request). A budget admits a call while what is spent plus the
 * reserve fits, and the reserve is counted at once. Returns { 0 } when admitted, else
 * { scope index * 10 + the limit hit (1 tokens, 2 concurrency, 3 day, 4 month, 5 requests), ms
 * until a request block ends }.
 */
const ADMIT = `
local estimate, reserve, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[5])
local scopes = #KEYS / 6
local refusedAt, refusedMs = -1, 0
for i = 0, scopes - 1 do
  local rpm = tonumber(ARGV[10 + i * 5])
  if rpm > 0 then
    local hitsKey, blockKey = KEYS[5 + i * 6], KEYS[6 + i * 6]
    local blocked = redis.call('PTTL', blockKey)
    local hits = tonumber(redis.call('GET', hitsKey) or '0')
    local ttl = redis.call('PTTL', hitsKey)
    if blocked <= 0 and hits < rpm then
      if redis.call('INCR', hitsKey) == 1 or ttl < 0 then redis.call('PEXPIRE', hitsKey, window) end
    else
      if blocked <= 0 then
        blocked = ttl > 0 and ttl or window
        redis.call('SET', blockKey, '1', 'PX', blocked)
      end
      if blocked > refusedMs then refusedAt, refusedMs = i, blocked end
    end
  end
end
if refusedAt >= 0 then return { refusedAt * 10 + 5, refusedMs } end
local function over(key, budget)
  if budget == 0 then return false end
  local spent = tonumber(redis.call('GET', key) or '0')
  return spent >= budget or spent + reserve > budget
end
for i = 0, scopes - 1 do
  local tpm, concurrency = tonumber(ARGV[6 + i * 5]), tonumber(ARGV[7 + i * 5])
  local daily, monthly = tonumber(ARGV[8 + i * 5]), tonumber(ARGV[9 + i * 5])
  if tpm > 0 and tonumber(redis.call('GET', KEYS[1 + i * 6]) or '0') + estimate > tpm then return { i * 10 + 1 } end
  if concurrency > 0 and tonumber(redis.call('GET', KEYS[2 + i * 6]) or '0') >= concurrency then return { i * 10 + 2 } end
  if over(KEYS[3 + i * 6], daily) then return { i * 10 + 3 } end
  if over(KEYS[4 + i * 6], monthly) then return { i * 10 + 4 } end
end
for i = 0, scopes - 1 do
  if tonumber(ARGV[7 + i * 5]) > 0 then
    redis.call('INCR', KEYS[2 + i * 6])
    redis.call('PEXPIRE', KEYS[2 + i * 6], 600000)
  end
  if reserve > 0 and (tonumber(ARGV[8 + i * 5]) > 0 or tonumber(ARGV[9 + i * 5]) > 0) then
    redis.call('INCRBY', KEYS[3 + i * 6], reserve)
    redis.call('PEXPIREAT', KEYS[3 + i * 6], ARGV[3])
    redis.call('INCRBY', KEYS[4 + i * 6], reserve)
    redis.call('PEXPIREAT', KEYS[4 + i * 6], ARGV[4])
  end
end
return { 0 }
`;

const KINDS: Record<number, LimitKind> = {
  1: 'tokens',
  2: 'concurrency',
  3: 'daily_budget',
  4: 'monthly_budget',
  5: 'requests',
};
/** Spend counters outlive their period by a week, for late reads; then Redis drops them. */
const SPEND_GRACE_MS = 7 * 86_400_000;

/** Limits shared by every replica through Redis. */
export class RedisUsageLimiter extends UsageLimiter {
  private readonly logger = new Logger('Limits');

  constructor(private readonly redis: Redis) {
    super();
    redis.defineCommand('synapseAdmitScopes', { lua: ADMIT });
  }

  override get countsRequests(): boolean {
    return true;
  }

  async begin(
    scopes: readonly LimitScope[],
    estimatedTokens: number,
    now: number,
    reserveMicroUsd = 0,
    countRequests = false,
  ): Promise<LimitVerdict> {
    if (scopes.length === 0) return ALLOWED;
    const window = windowOf(now);
    const periods = budgetPeriods(now);
    const keys: string[] = [];
    const args: number[] = [
      estimatedTokens,
      reserveMicroUsd,
      periods.dayEndsAt + SPEND_GRACE_MS,
      periods.monthEndsAt + SPEND_GRACE_MS,
      WINDOW_MS,
    ];
    for (const { name, limits } of scopes) {
      keys.push(
        tokensKey(name, window),
        inFlightKey(name),
        dayKey(name, periods.day),
        monthKey(name, periods.month),
        ...throttleKeys(RPM_THROTTLER, name),
      );
      args.push(
        limits.tpm ?? 0,
        limits.concurrency ?? 0,
        budgetMicroUsd(limits.dailyBudgetUsd),
        budgetMicroUsd(limits.monthlyBudgetUsd),
        countRequests ? (limits.rpm ?? 0) : 0,
      );
    }
    const admit = (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<number[]>>)[
      'synapseAdmitScopes'
    ];
    const [result, blockMs] = await admit.call(this.redis, keys.length, ...keys, ...args);
    if (result === 0) return ALLOWED;
    const scope = scopes[Math.floor(result / 10)];
    const kind = KINDS[result % 10];
    const { limits } = scope;
    switch (kind) {
      case 'requests':
        return {
          allowed: false,
          scope,
          kind,
          limit: limits.rpm ?? 0,
          retryAfterSeconds: Math.max(1, Math.ceil(blockMs / 1000)),
        };
      case 'tokens':
        return { allowed: false, scope, kind, limit: limits.tpm ?? 0, retryAfterSeconds: secondsToNextWindow(now) };
      case 'concurrency':
        return { allowed: false, scope, kind, limit: limits.concurrency ?? 0, retryAfterSeconds: 1 };
      case 'daily_budget':
        return {
          allowed: false,
          scope,
          kind,
          limit: limits.dailyBudgetUsd ?? 0,
          retryAfterSeconds: secondsUntil(periods.dayEndsAt, now),
        };
      default:
        return {
          allowed: false,
          scope,
          kind: 'monthly_budget',
          limit: limits.monthlyBudgetUsd ?? 0,
          retryAfterSeconds: secondsUntil(periods.monthEndsAt, now),
        };
    }
  }

  end(scopes: readonly LimitScope[]): void {
    const held = scopes.filter((scope) => scope.limits.concurrency !== undefined);
    if (held.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const scope of held) pipeline.decr(inFlightKey(scope.name));
    pipeline.exec().catch((e) => this.logger.warn(`in-flight release failed: ${e}`));
  }

  charge(scopes: readonly LimitScope[], usage: CallUsage, now: number, reservedMicroUsd = 0): void {
    const periods = budgetPeriods(now);
    const owed = (usage.costMicroUsd ?? 0) - reservedMicroUsd;
    const multi = this.redis.multi();
    let commands = 0;
    for (const { name, limits } of scopes) {
      if (limits.tpm !== undefined && usage.tokens > 0) {
        const key = tokensKey(name, windowOf(now));
        multi.incrby(key, usage.tokens).pexpire(key, WINDOW_MS * 2);
        commands++;
      }
      if (owed !== 0 && hasBudget(limits)) {
        const day = dayKey(name, periods.day);
        const month = monthKey(name, periods.month);
        multi.incrby(day, owed).pexpireat(day, periods.dayEndsAt + SPEND_GRACE_MS);
        multi.incrby(month, owed).pexpireat(month, periods.monthEndsAt + SPEND_GRACE_MS);
        commands++;
      }
    }
    if (commands === 0) {
      multi.discard();
      return;
    }
    multi.exec().catch((e) => this.logger.warn(`usage charge failed: ${e}`));
  }

  async spend(scopeName: string, now: number): Promise<Spend> {
    const periods = budgetPeriods(now);
    const [day, month] = await this.redis.mget(dayKey(scopeName, periods.day), monthKey(scopeName, periods.month));
    return { dayMicroUsd: Number(day ?? 0), monthMicroUsd: Number(month ?? 0) };
  }

  async seed(scopeName: string, spent: Spend, now: number): Promise<void> {
    const periods = budgetPeriods(now);
    // NX: counters already in Redis (another replica's, or from before a restart) are newer than the log.
    await this.redis
      .multi()
      .set(dayKey(scopeName, periods.day), spent.dayMicroUsd, 'PXAT', periods.dayEndsAt + SPEND_GRACE_MS, 'NX')
      .set(monthKey(scopeName, periods.month), spent.monthMicroUsd, 'PXAT', periods.monthEndsAt + SPEND_GRACE_MS, 'NX')
      .exec();
  }
}

const tokensKey = (scope: string, window: number) => `synapse:limit:${scope}:tok:${window}`;
const inFlightKey = (scope: string) => `synapse:limit:${scope}:inflight`;
const dayKey = (scope: string, day: string) => `synapse:spend:${scope}:day:${day}`;
const monthKey = (scope: string, month: string) => `synapse:spend:${scope}:month:${month}`;
