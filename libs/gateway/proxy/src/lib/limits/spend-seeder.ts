import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { RedisReachability } from '@synapse/gateway/cluster';
import { GatewayKeyRepository, RequestLogRepository, type ScopeSpend } from '@synapse/gateway/persistence';
import { toMicroUsd } from '../pricing/price-book';
import { dayStart, monthStart } from './budget-period';
import { scopeName } from './limit-scope';
import { UsageLimiter } from './usage-limiter';

/**
 * Budgets outlive restarts: at start, before the gateway listens, the spend counters of this UTC
 * day and month are set from the request log (with Redis, only those Redis does not have yet).
 * This is the one database read for limits, and it is off the hot path.
 *
 * The log records the key and the user of a call, not the team: a team's spend is the sum of its
 * keys' spend, by the team each key belongs to now (a key moved to another team takes its
 * history along; keys never change owner through the admin API today).
 *
 * When Redis comes back after an outage it may have lost the counters (a restart keeps nothing):
 * they are seeded again, once the calls served meanwhile have reached the log.
 */
@Injectable()
export class SpendSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Limits');

  constructor(
    private readonly logs: RequestLogRepository,
    private readonly keys: GatewayKeyRepository,
    private readonly limiter: UsageLimiter,
    @Optional() @Inject(RedisReachability) reachability?: RedisReachability | null,
  ) {
    reachability?.onReturn(() => {
      setTimeout(() => {
        this.seed(Date.now()).catch((error: Error) => this.logger.warn(`reseeding spend failed: ${error.message}`));
      }, RESEED_DELAY_MS).unref();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.seed(Date.now());
  }

  async seed(now: number): Promise<void> {
    const [month, day, keys] = await Promise.all([
      this.logs.spendSince(monthStart(now)),
      this.logs.spendSince(dayStart(now)),
      this.keys.findAll(),
    ]);
    const teamOf = new Map(keys.filter((key) => key.teamId).map((key) => [key.id, key.teamId as string]));
    const monthly = byScope(month, teamOf);
    const today = byScope(day, teamOf);
    for (const [name, costUsd] of monthly) {
      await this.limiter.seed(
        name,
        { dayMicroUsd: toMicroUsd(today.get(name) ?? 0), monthMicroUsd: toMicroUsd(costUsd) },
        now,
      );
    }
    if (monthly.size > 0)
      this.logger.log(`spend of ${monthly.size} keys, users and teams this month read from the request log`);
  }
}

/** Longer than a request log flush interval, so that the calls served during the outage are counted. */
const RESEED_DELAY_MS = 2_000;

/** USD by scope name: the logged keys and users, and the teams their keys belong to. */
function byScope(spend: readonly ScopeSpend[], teamOf: ReadonlyMap<string, string>): Map<string, number> {
  const sums = new Map<string, number>();
  const add = (name: string, usd: number) => sums.set(name, (sums.get(name) ?? 0) + usd);
  for (const { scope, id, costUsd } of spend) {
    add(scopeName(scope, id), costUsd);
    const teamId = scope === 'key' ? teamOf.get(id) : undefined;
    if (teamId) add(scopeName('team', teamId), costUsd);
  }
  return sums;
}
