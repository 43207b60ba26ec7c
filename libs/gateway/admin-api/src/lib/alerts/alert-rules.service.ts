import { Injectable } from '@nestjs/common';
import { GqlErrors } from '@synapse/gateway/auth';
import { checkAlertRule, RESOURCE_NAME, type AlertRuleFields } from '@synapse/gateway/config';
import {
  AlertRuleRepository,
  AlertStateRepository,
  ChannelRepository,
  GatewayKeyRepository,
  NotificationChannelRepository,
  NotificationDeliveryRepository,
  TeamRepository,
  type AlertRule as StoredRule,
  type AlertScope,
} from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
import { Serial } from '../common/serial';
import { toAlertEventView, toAlertRuleView, toAlertStateView, toDeliveryView } from './alert-views';
import type { AlertEventsArgs, NotificationDeliveriesArgs } from './dto/alert-history.args';
import type { CreateAlertRuleInput } from './dto/create-alert-rule.input';
import type { UpdateAlertRuleInput } from './dto/update-alert-rule.input';
import type { AlertEventView } from './models/alert-event.model';
import type { AlertRule } from './models/alert-rule.model';
import type { AlertStateView } from './models/alert-state.model';
import type { NotificationDeliveryView } from './models/notification-delivery.model';

/** Alert rules at run time, checked like the config file; their states, history and deliveries. */
@Injectable()
export class AlertRulesService {
  private readonly serial = new Serial();

  constructor(
    private readonly rules: AlertRuleRepository,
    private readonly states: AlertStateRepository,
    private readonly deliveries: NotificationDeliveryRepository,
    private readonly notificationChannels: NotificationChannelRepository,
    private readonly channels: ChannelRepository,
    private readonly keys: GatewayKeyRepository,
    private readonly teams: TeamRepository,
  ) {}

  async list(): Promise<AlertRule[]> {
    return (await this.rules.findAll()).map(toAlertRuleView);
  }

  async get(id: string): Promise<AlertRule> {
    return toAlertRuleView(await this.find(id));
  }

  create(input: CreateAlertRuleInput): Promise<AlertRule> {
    return this.serial.run(async () => {
      const now = new Date();
      const rule = await this.checked({
        id: randomUUID(),
        name: input.name,
        description: input.description ?? null,
        enabled: input.enabled ?? true,
        kind: input.kind,
        scope: { kind: input.scope?.kind ?? 'all', value: input.scope?.value ?? null },
        windowSeconds: input.windowSeconds ?? 300,
        threshold: input.threshold ?? null,
        percentile: input.percentile ?? null,
        budgetPeriod: input.budgetPeriod ?? null,
        minRequests: input.minRequests ?? 1,
        forSeconds: input.forSeconds ?? 0,
        repeatIntervalSeconds: input.repeatIntervalSeconds ?? 14_400,
        notificationChannelIds: input.notificationChannelIds ?? [],
        createdAt: now,
        updatedAt: now,
      });
      await this.checkNameFree(rule.name);
      return toAlertRuleView(await this.rules.save(rule));
    });
  }

  update(id: string, input: UpdateAlertRuleInput): Promise<AlertRule> {
    return this.serial.run(async () => {
      const stored = await this.find(id);
      // A changed kind takes the new kind's fields: the old threshold or percentile may mean nothing now.
      const rekinded = input.kind != null && input.kind !== stored.kind;
      const keep = <K extends 'threshold' | 'percentile' | 'budgetPeriod'>(field: K) =>
        input[field] !== undefined ? (input[field] ?? null) : rekinded ? null : stored[field];
      const rule = await this.checked({
        ...stored,
        name: input.name ?? stored.name,
        description: input.description !== undefined ? input.description : stored.description,
        enabled: input.enabled ?? stored.enabled,
        kind: input.kind ?? stored.kind,
        scope: input.scope ? { kind: input.scope.kind, value: input.scope.value ?? null } : stored.scope,
        windowSeconds: input.windowSeconds ?? stored.windowSeconds,
        threshold: keep('threshold'),
        percentile: keep('percentile'),
        budgetPeriod: keep('budgetPeriod'),
        minRequests: input.minRequests ?? stored.minRequests,
        forSeconds: input.forSeconds ?? stored.forSeconds,
        repeatIntervalSeconds: input.repeatIntervalSeconds ?? stored.repeatIntervalSeconds,
        notificationChannelIds: input.notificationChannelIds ?? stored.notificationChannelIds,
        updatedAt: new Date(),
      });
      if (rule.name !== stored.name) await this.checkNameFree(rule.name);
      return toAlertRuleView(await this.rules.save(rule));
    });
  }

  delete(id: string): Promise<boolean> {
    return this.serial.run(async () => {
      if (!(await this.rules.delete(id))) throw notFound(id);
      return true;
    });
  }

  async currentStates(): Promise<AlertStateView[]> {
    const names = new Map((await this.rules.findAll()).map((rule) => [rule.id, rule.name]));
    return (await this.states.findAll())
      .filter((state) => names.has(state.ruleId))
      .map((state) => toAlertStateView(state, names.get(state.ruleId) as string));
  }

  async events(args: AlertEventsArgs): Promise<AlertEventView[]> {
    return (await this.states.events({ ruleId: args.ruleId ?? undefined, limit: checkedLimit(args.limit) })).map(
      toAlertEventView,
    );
  }

  async deliveryHistory(args: NotificationDeliveriesArgs): Promise<NotificationDeliveryView[]> {
    const deliveries = await this.deliveries.find({
      ruleId: args.ruleId ?? undefined,
      alertEventId: args.alertEventId ?? undefined,
      channelId: args.channelId ?? undefined,
      limit: checkedLimit(args.limit),
    });
    return deliveries.map(toDeliveryView);
  }

  /** The rule with the kind's defaults, or BAD_USER_INPUT naming every problem. */
  private async checked(rule: StoredRule): Promise<StoredRule> {
    const fields: AlertRuleFields = {
      kind: rule.kind,
      scopeKind: rule.scope.kind,
      windowSeconds: rule.windowSeconds,
      threshold: rule.threshold,
      percentile: rule.percentile,
      budgetPeriod: rule.budgetPeriod,
      forSeconds: rule.forSeconds,
      repeatIntervalSeconds: rule.repeatIntervalSeconds,
    };
    const { problems, normalized } = checkAlertRule(fields);
    const messages = problems.map(({ field, message }) => `${inputField(field)}: ${message}`);
    if (!RESOURCE_NAME.test(rule.name))
      messages.unshift('name: must be 1-64 letters, digits, dots, dashes or underscores');
    if (!Number.isInteger(rule.minRequests) || rule.minRequests < 0) messages.push('minRequests: must be 0 or more');
    messages.push(...(await this.scopeProblems(rule.scope)));
    for (const id of rule.notificationChannelIds) {
      if (!(await this.notificationChannels.findById(id)))
        messages.push(`notificationChannelIds: no notification channel has the id '${id}'`);
    }
    if (messages.length) throw GqlErrors.badUserInput(messages.join('; '));
    return {
      ...rule,
      percentile: normalized.percentile,
      budgetPeriod: normalized.budgetPeriod,
      notificationChannelIds: [...new Set(rule.notificationChannelIds)],
    };
  }

  private async scopeProblems(scope: AlertScope): Promise<string[]> {
    if (scope.kind === 'all') return scope.value === null ? [] : ['scope.value: must be left out for ALL'];
    if (!scope.value) return [`scope.value: is required for ${scope.kind.toUpperCase()}`];
    const lookups = {
      channel: () => this.channels.findById(scope.value as string),
      key: () => this.keys.findById(scope.value as string),
      team: () => this.teams.findById(scope.value as string),
    } as const;
    const lookup = lookups[scope.kind as keyof typeof lookups];
    if (lookup && !(await lookup())) return [`scope.value: no ${scope.kind} has the id '${scope.value}'`];
    return [];
  }

  private async find(id: string): Promise<StoredRule> {
    const rule = await this.rules.findById(id);
    if (!rule) throw notFound(id);
    return rule;
  }

  private async checkNameFree(name: string): Promise<void> {
    if (await this.rules.findByName(name))
      throw GqlErrors.badUserInput(`name: an alert rule named '${name}' already exists`);
  }
}

/** The config file's field names (`window`, `for`) as the API calls them. */
function inputField(field: string): string {
  return (
    ({ window: 'windowSeconds', for: 'forSeconds', repeatInterval: 'repeatIntervalSeconds' } as Record<string, string>)[
      field
    ] ?? field
  );
}

function checkedLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw GqlErrors.badUserInput('limit: must be 1-1000');
  return limit;
}

function notFound(id: string) {
  return GqlErrors.notFound(`No alert rule has the id '${id}'.`);
}
