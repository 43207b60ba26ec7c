import type {
  AlertRule,
  GatewayKeyRepository,
  KeyLimits,
  TeamRepository,
  UserRepository,
} from '@synapse/gateway/persistence';
import { scopeName, type ScopeKind, type UsageLimiter } from '@synapse/gateway/proxy';
import type { Verdict } from '../evaluation/verdict';
import { budgetVerdict, type BudgetUse } from '../evaluation/verdicts';
import type { RuleSignal } from './rule-signal';

interface Budgeted {
  kind: ScopeKind;
  id: string;
  name: string;
  limits: KeyLimits | null | undefined;
}

/**
 * Budget used, in percent: the spend counters the budgets are enforced with (UsageLimiter, shared
 * by replicas through Redis) against the daily or monthly budget of each key, team (and, for all
 * traffic, user) in scope.
 */
export class BudgetSignal implements RuleSignal {
  readonly kinds = ['budget'] as const;

  constructor(
    private readonly keys: GatewayKeyRepository,
    private readonly teams: TeamRepository,
    private readonly users: UserRepository,
    private readonly limiter: UsageLimiter,
  ) {}

  async evaluate(rule: AlertRule, now: Date): Promise<Verdict> {
    const monthly = rule.budgetPeriod === 'month';
    const uses: BudgetUse[] = [];
    for (const scope of await this.inScope(rule)) {
      const budget = monthly ? scope.limits?.monthlyBudgetUsd : scope.limits?.dailyBudgetUsd;
      if (!budget) continue;
      const spent = await this.limiter.spend(scopeName(scope.kind, scope.id), now.getTime());
      const micro = monthly ? spent.monthMicroUsd : spent.dayMicroUsd;
      uses.push({ name: `${scope.kind} ${scope.name}`, spentUsd: micro / 1_000_000, budgetUsd: budget });
    }
    return budgetVerdict(rule, uses);
  }

  private async inScope(rule: AlertRule): Promise<Budgeted[]> {
    const { kind, value } = rule.scope;
    if (kind === 'key') {
      const key = value ? await this.keys.findById(value) : null;
      return key ? [{ kind: 'key', id: key.id, name: key.name, limits: key.limits }] : [];
    }
    if (kind === 'team') {
      const team = value ? await this.teams.findById(value) : null;
      return team ? [{ kind: 'team', id: team.id, name: team.name, limits: team.limits }] : [];
    }
    const [keys, teams, users] = await Promise.all([
      this.keys.findAll(),
      this.teams.findAll(),
      this.users.findWithLimits(),
    ]);
    return [
      ...keys
        .filter((k) => !k.revokedAt)
        .map((k): Budgeted => ({ kind: 'key', id: k.id, name: k.name, limits: k.limits })),
      ...teams.map((t): Budgeted => ({ kind: 'team', id: t.id, name: t.name, limits: t.limits })),
      ...users.map((u): Budgeted => ({ kind: 'user', id: u.id, name: u.email, limits: u.limits })),
    ];
  }
}
