import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  AlertRuleRepository,
  AlertStateRepository,
  ChannelRepository,
  GatewayKeyRepository,
  TeamRepository,
  type AlertEvent,
  type AlertRule,
} from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
import { isNotified, nextAlertState } from './evaluation/alert-state-machine';
import { EvaluationLock } from './evaluation-lock';
import { NotificationDispatcher } from './notification-dispatcher';
import { RuleSignals } from './signals/rule-signal';

export const ALERT_EVALUATION_OPTIONS = Symbol('ALERT_EVALUATION_OPTIONS');

export interface AlertEvaluationOptions {
  /** Between two rounds over every enabled rule; 0: no evaluation on this replica. */
  intervalMs: number;
}

/**
 * Evaluates every enabled rule on a timer, off the request path: measure, step the state machine,
 * write the step by compare-and-set, and notify only when this replica's write won.
 */
@Injectable()
export class AlertEvaluator implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Alerts');
  private round: Promise<void> | null = null;

  constructor(
    @Inject(ALERT_EVALUATION_OPTIONS) private readonly options: AlertEvaluationOptions,
    private readonly rules: AlertRuleRepository,
    private readonly states: AlertStateRepository,
    private readonly signals: RuleSignals,
    private readonly dispatcher: NotificationDispatcher,
    private readonly lock: EvaluationLock,
    private readonly scheduler: SchedulerRegistry,
    private readonly channels: ChannelRepository,
    private readonly keys: GatewayKeyRepository,
    private readonly teams: TeamRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.intervalMs <= 0) return;
    const timer = setInterval(() => void this.evaluateAll(), this.options.intervalMs);
    timer.unref();
    this.scheduler.addInterval('alert-evaluation', timer);
  }

  /** Lets a round in progress finish its notifications before the store closes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', 'alert-evaluation')) this.scheduler.deleteInterval('alert-evaluation');
    await this.round;
  }

  /** One round over every enabled rule; rounds never overlap on a replica. */
  evaluateAll(now = new Date()): Promise<void> {
    if (this.round) return this.round;
    this.round = this.runRound(now).finally(() => (this.round = null));
    return this.round;
  }

  private async runRound(now: Date): Promise<void> {
    try {
      // The lock lasts a little less than a round: one replica evaluates per interval.
      if (!(await this.lock.acquire(Math.floor(this.options.intervalMs * 0.9)))) return;
      const enabled = (await this.rules.findAll()).filter((rule) => rule.enabled);
      this.signals.retain(enabled);
      for (const rule of enabled) {
        try {
          await this.evaluate(rule, now);
        } catch (error) {
          this.logger.warn(`rule '${rule.name}' could not be evaluated: ${(error as Error).message}`);
        }
      }
    } catch (error) {
      this.logger.warn(`alert evaluation failed: ${(error as Error).message}`);
    }
  }

  async evaluate(rule: AlertRule, now: Date): Promise<void> {
    const current = await this.states.find(rule.id);
    // A round that began before the rule's last evaluation (a slow round, another replica's) read
    // a window that ends earlier: calls that evaluation counted may be missing from it, and it
    // would fire again a rule just resolved.
    if (current && current.evaluatedAt.getTime() > now.getTime()) return;
    const verdict = await this.signals.evaluate(rule, now);
    const step = nextAlertState(rule.id, current, verdict, rule, now);
    const event: AlertEvent | null = step.event && {
      id: randomUUID(),
      ruleId: rule.id,
      ruleName: rule.name,
      type: step.event,
      at: now,
      value: verdict.value,
      summary: verdict.summary,
    };
    // Another replica that changed the state first has notified (or will): this one stays quiet.
    if (!(await this.states.transition(current?.version ?? 0, step.next, event))) return;
    if (!event || !isNotified(event.type)) return;
    this.logger.log(`alert '${rule.name}' ${event.type}: ${verdict.summary}`);
    await this.dispatcher.notify(rule.notificationChannelIds, {
      event: event.type as 'firing' | 'repeat' | 'resolved',
      ruleId: rule.id,
      ruleName: rule.name,
      kind: rule.kind,
      scope: await this.describeScope(rule),
      value: verdict.value,
      summary: verdict.summary,
      at: now,
      eventId: event.id,
    });
  }

  /** `channel openai-main` rather than its id. */
  private async describeScope(rule: AlertRule): Promise<string> {
    const { kind, value } = rule.scope;
    if (kind === 'all' || !value) return 'all traffic';
    const named =
      kind === 'channel'
        ? await this.channels.findById(value)
        : kind === 'key'
          ? await this.keys.findById(value)
          : kind === 'team'
            ? await this.teams.findById(value)
            : null;
    return `${kind} ${named?.name ?? value}`;
  }
}
