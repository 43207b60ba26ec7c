import { InMemoryGatewayKeyRepository, InMemoryUserRepository } from '@synapse/gateway/persistence/testing';
import { openStore, TypeOrmTeamRepository, type AlertRule, type Store } from '@synapse/gateway/persistence';
import { InMemoryUsageLimiter } from '@synapse/gateway/proxy';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BudgetSignal } from './budget-signal';

const NOW = new Date('2030-06-15T12:00:00.000Z');
const T0 = new Date('2030-01-01T00:00:00.000Z');

function budgetRule(overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    id: 'r1',
    name: 'budget',
    description: null,
    enabled: true,
    kind: 'budget',
    scope: { kind: 'all', value: null },
    windowSeconds: 300,
    threshold: 80,
    percentile: null,
    budgetPeriod: 'day',
    minRequests: 1,
    forSeconds: 0,
    repeatIntervalSeconds: 0,
    notificationChannelIds: [],
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

describe(BudgetSignal.name, () => {
  let dir: string;
  let store: Store;
  let signal: BudgetSignal;
  const limiter = new InMemoryUsageLimiter();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synapse-budget-signal-'));
    store = await openStore({ dataDir: dir });
    const keys = new InMemoryGatewayKeyRepository();
    const teams = new TypeOrmTeamRepository(store);
    const users = new InMemoryUserRepository();
    const key = (id: string, limits: object | null, revokedAt: Date | null = null) =>
      keys.save({
        id,
        name: id,
        prefix: 'sk-x',
        hash: `hash-${id}`,
        models: ['*'],
        endpoints: null,
        ipAllow: null,
        limits,
        enabled: true,
        expiresAt: null,
        previousHash: null,
        previousValidUntil: null,
        revokedAt,
        userId: null,
        teamId: null,
        createdAt: T0,
        updatedAt: T0,
      });
    await key('ci', { dailyBudgetUsd: 10, monthlyBudgetUsd: 100 });
    await key('old', { dailyBudgetUsd: 1 }, T0);
    await teams.save({
      id: 'team-r',
      name: 'research',
      description: null,
      limits: { dailyBudgetUsd: 50 },
      createdAt: T0,
      updatedAt: T0,
    });
    await users.save({
      id: 'u1',
      email: 'ana@example.com',
      name: null,
      role: 'member',
      passwordHash: null,
      limits: { monthlyBudgetUsd: 20 },
      createdAt: T0,
      updatedAt: T0,
    });
    // Spend as the limiter counts it: 8.5 USD today on the key, 20 on the team, 19 this month for the user.
    await limiter.seed('key:ci', { dayMicroUsd: 8_500_000, monthMicroUsd: 30_000_000 }, NOW.getTime());
    await limiter.seed('key:old', { dayMicroUsd: 5_000_000, monthMicroUsd: 5_000_000 }, NOW.getTime());
    await limiter.seed('team:team-r', { dayMicroUsd: 20_000_000, monthMicroUsd: 20_000_000 }, NOW.getTime());
    await limiter.seed('user:u1', { dayMicroUsd: 1_000_000, monthMicroUsd: 19_000_000 }, NOW.getTime());
    signal = new BudgetSignal(keys, teams, users, limiter);
  });
  afterAll(async () => {
    await store.dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('compares the daily spend of every budgeted key and team with its budget (revoked keys left out)', async () => {
    const verdict = await signal.evaluate(budgetRule(), NOW);
    expect(verdict).toMatchObject({ breached: true, value: 85 });
    expect(verdict.summary).toContain('key ci 85%');
    expect(verdict.summary).not.toContain('old');
  });

  it('reads the monthly budgets for a monthly rule, users included', async () => {
    expect(await signal.evaluate(budgetRule({ budgetPeriod: 'month' }), NOW)).toMatchObject({
      breached: true,
      value: 95,
    });
  });

  it('narrows to one team or key', async () => {
    expect(await signal.evaluate(budgetRule({ scope: { kind: 'team', value: 'team-r' } }), NOW)).toMatchObject({
      breached: false,
      value: 40,
    });
    expect(await signal.evaluate(budgetRule({ scope: { kind: 'key', value: 'missing' } }), NOW)).toMatchObject({
      breached: false,
      value: null,
    });
  });
});
