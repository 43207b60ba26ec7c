import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { RequestLogRepository } from '@synapse/gateway/persistence';
import { toMicroUsd } from '../pricing/price-book';
import { dayStart, monthStart } from './budget-period';
import { UsageLimiter } from './usage-limiter';

/**
 * Budgets outlive restarts: at start, before the gateway listens, the spend counters of this UTC
 * day and month are set from the request log (with Redis, only those Redis does not have yet).
 * This is the one database read for limits, and it is off the hot path.
 */
@Injectable()
export class SpendSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Limits');

  constructor(
    private readonly logs: RequestLogRepository,
    private readonly limiter: UsageLimiter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seed(Date.now());
  }

  async seed(now: number): Promise<void> {
    const [month, day] = await Promise.all([
      this.logs.spendSince(monthStart(now)),
      this.logs.spendSince(dayStart(now)),
    ]);
    const today = new Map(day.map((s) => [`${s.scope}:${s.id}`, s.costUsd]));
    for (const spent of month) {
      const name = `${spent.scope}:${spent.id}`;
      await this.limiter.seed(
        name,
        { dayMicroUsd: toMicroUsd(today.get(name) ?? 0), monthMicroUsd: toMicroUsd(spent.costUsd) },
        now,
      );
    }
    if (month.length > 0)
      this.logger.log(`spend of ${month.length} keys and users this month read from the request log`);
  }
}
