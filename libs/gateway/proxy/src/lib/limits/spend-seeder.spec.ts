import type { GatewayKeyRepository, RequestLogRepository, ScopeSpend } from '@synapse/gateway/persistence';
import { gatewayKey } from '../testing/gateway-key.fixture';
import { InMemoryUsageLimiter } from './in-memory-usage-limiter';
import { SpendSeeder } from './spend-seeder';

const NOW = Date.UTC(2031, 4, 15, 12);

describe(SpendSeeder.name, () => {
  it("seeds keys and users from the log, and a team with the sum of its keys' spend", async () => {
    const month: ScopeSpend[] = [
      { scope: 'key', id: 'k1', costUsd: 0.5 },
      { scope: 'key', id: 'k2', costUsd: 0.25 },
      { scope: 'key', id: 'k3', costUsd: 1 },
      { scope: 'user', id: 'u1', costUsd: 1 },
    ];
    const day: ScopeSpend[] = [
      { scope: 'key', id: 'k1', costUsd: 0.1 },
      { scope: 'key', id: 'k2', costUsd: 0.2 },
    ];
    const logs = {
      spendSince: async (since: Date) => (since.getTime() === Date.UTC(2031, 4, 1) ? month : day),
    } as unknown as RequestLogRepository;
    const keys = {
      findAll: async () => [
        gatewayKey({ id: 'k1', teamId: 't1' }),
        gatewayKey({ id: 'k2', teamId: 't1' }),
        gatewayKey({ id: 'k3', userId: 'u1' }),
      ],
    } as unknown as GatewayKeyRepository;
    const limiter = new InMemoryUsageLimiter();

    await new SpendSeeder(logs, keys, limiter).seed(NOW);

    expect(await limiter.spend('team:t1', NOW)).toEqual({ dayMicroUsd: 300_000, monthMicroUsd: 750_000 });
    expect(await limiter.spend('key:k1', NOW)).toEqual({ dayMicroUsd: 100_000, monthMicroUsd: 500_000 });
    expect(await limiter.spend('user:u1', NOW)).toEqual({ dayMicroUsd: 0, monthMicroUsd: 1_000_000 });
    expect(await limiter.spend('team:u1', NOW)).toEqual({ dayMicroUsd: 0, monthMicroUsd: 0 });
  });
});
