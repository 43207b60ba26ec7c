import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InMemoryUsageRollupRepository } from '@synapse/gateway/persistence/testing';
import { syntheticLogs } from '../testing/synthetic-logs';
import { UsageRollupJob } from './usage-rollup.job';

const DAY = 86_400_000;
const T0 = new Date('2026-04-01T00:00:00.000Z');

// The job's debug line per run is for operators, not for the test output.
beforeAll(() => Logger.overrideLogger(['error', 'warn', 'log']));

describe(UsageRollupJob.name, () => {
  it('catches up over an old log a span per run, then follows the clock', async () => {
    const repo = new InMemoryUsageRollupRepository();
    repo.sourceLog.push(
      ...syntheticLogs(300, T0, 3 * DAY, 5).map((e) => ({
        ...e,
        teamId: e.teamId ?? null,
        cachedTokens: e.cachedTokens ?? null,
      })),
    );
    const job = new UsageRollupJob({ intervalMs: 0, lagMs: 60_000, maxSpanMs: DAY }, repo, new SchedulerRegistry());
    const now = new Date(T0.getTime() + 3 * DAY + 30_000);

    const oldest = (await repo.earliestSource())?.getTime() ?? 0;
    const first = await job.runOnce(now);
    // The first run starts at the oldest row (less the lag) and covers one span.
    expect(first?.from.getTime()).toBe(Math.floor((oldest - 60_000) / 60_000) * 60_000);
    expect(first?.to.getTime()).toBe((first?.from.getTime() ?? 0) + DAY);
    const runs = [first];
    for (let i = 0; i < 5; i++) runs.push(await job.runOnce(now));
    const total = async () =>
      (await repo.totals({ granularity: 'day', dimension: 'all', from: new Date(0), to: now, groupBy: 'none' }))[0]
        ?.requests;
    expect(await total()).toBe(300);
    // Caught up: the last runs cover only the lag and the current minute.
    expect(runs.at(-1)?.to.getTime()).toBe(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
    expect(await repo.watermark()).toEqual(new Date(Math.floor(now.getTime() / 60_000) * 60_000));
  });

  it('skips its turn while another replica holds the lease', async () => {
    const repo = new InMemoryUsageRollupRepository();
    await repo.acquireLease('other-replica', new Date(), 60_000);
    const job = new UsageRollupJob({ intervalMs: 0, lagMs: 0 }, repo, new SchedulerRegistry());
    expect(await job.runOnce()).toBeNull();
    await repo.releaseLease('other-replica');
    expect(await job.runOnce()).not.toBeNull();
  });
});
