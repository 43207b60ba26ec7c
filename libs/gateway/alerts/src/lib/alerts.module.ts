import { Logger, Module, type DynamicModule, type Type } from '@nestjs/common';
import { REDIS } from '@synapse/gateway/cluster';
import { EgressPolicy, type UpstreamProxies } from '@synapse/gateway/config';
import {
  GatewayKeyRepository,
  RequestLogSignalRepository,
  TeamRepository,
  UserRepository,
} from '@synapse/gateway/persistence';
import { HOST_RESOLVER, refusalOfBaseUrl } from '@synapse/gateway/providers';
import { RoutingAdmin, UsageLimiter } from '@synapse/gateway/proxy';
import type Redis from 'ioredis';
import { ALERT_EVALUATION_OPTIONS, AlertEvaluator } from './alert-evaluator';
import { EvaluationLock } from './evaluation-lock';
import { NotificationDispatcher } from './notification-dispatcher';
import { DingTalkNotifier } from './notifiers/dingtalk.notifier';
import { egressHttpPost } from './notifiers/egress-http-post';
import { EmailNotifier } from './notifiers/email.notifier';
import { FeishuNotifier } from './notifiers/feishu.notifier';
import { HttpDelivery, type RetryPolicy } from './notifiers/http-delivery';
import { NotifierRegistry } from './notifiers/notifier-registry';
import { SlackNotifier } from './notifiers/slack.notifier';
import { WebhookNotifier } from './notifiers/webhook.notifier';
import { WeComNotifier } from './notifiers/wecom.notifier';
import { BudgetSignal } from './signals/budget-signal';
import { ChannelHealthSignal } from './signals/channel-health-signal';
import { KeptMemory } from './signals/kept-memory';
import { PercentileSignal, TrafficSignal } from './signals/request-log-signals';
import { RuleSignals } from './signals/rule-signal';

export interface AlertsModuleOptions {
  /** The module that exports RoutingAdmin and UsageLimiter: ProxyModule in the gateway. */
  routing: DynamicModule | Type<unknown>;
  /** The policy upstream channels are held to; notification receivers are too. */
  egress: EgressPolicy;
  /** Forward proxies for webhooks (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
  proxies?: UpstreamProxies;
  evaluationIntervalMs: number;
  /** Memory for the minutes kept of percentile rules' windows (DEFAULT_KEPT_MINUTES_BYTES). */
  keptMinutesMaxBytes?: number;
  retry?: RetryPolicy;
}

/**
 * Alert rules evaluated on a timer and notifications sent to webhooks, chat robots and email
 * (docs/alerts.md). Needs the repositories (global persistence module), SecretBox (global
 * provisioning module) and REDIS (global cluster module).
 */
@Module({})
export class AlertsModule {
  static forRoot(options: AlertsModuleOptions): DynamicModule {
    const http = egressHttpPost(options.egress, options.proxies);
    return {
      module: AlertsModule,
      global: true,
      imports: [options.routing],
      providers: [
        { provide: ALERT_EVALUATION_OPTIONS, useValue: { intervalMs: options.evaluationIntervalMs } },
        {
          provide: NotifierRegistry,
          inject: [{ token: HOST_RESOLVER, optional: true }],
          useFactory: (resolve?: Parameters<typeof refusalOfBaseUrl>[2]) => {
            const delivery = new HttpDelivery(http.post, options.retry);
            return new NotifierRegistry([
              new WebhookNotifier(delivery),
              new SlackNotifier(delivery),
              new DingTalkNotifier(delivery),
              new FeishuNotifier(delivery),
              new WeComNotifier(delivery),
              new EmailNotifier((host) => refusalOfBaseUrl(options.egress, `smtp://${host}`, resolve)),
            ]);
          },
        },
        {
          provide: RuleSignals,
          inject: [
            RequestLogSignalRepository,
            GatewayKeyRepository,
            TeamRepository,
            UserRepository,
            UsageLimiter,
            RoutingAdmin,
          ],
          useFactory: (
            logs: RequestLogSignalRepository,
            keys: GatewayKeyRepository,
            teams: TeamRepository,
            users: UserRepository,
            limiter: UsageLimiter,
            routing: RoutingAdmin,
          ) =>
            new RuleSignals([
              new TrafficSignal(logs),
              new PercentileSignal(
                logs,
                new KeptMemory(options.keptMinutesMaxBytes, (message) => new Logger('Alerts').warn(message)),
              ),
              new BudgetSignal(keys, teams, users, limiter),
              new ChannelHealthSignal(routing),
            ]),
        },
        { provide: EvaluationLock, inject: [REDIS], useFactory: (redis: Redis | null) => new EvaluationLock(redis) },
        {
          provide: 'ALERTS_HTTP_CLOSER',
          useFactory: () => ({
            onApplicationShutdown: () => http.close().catch((error: Error) => new Logger('Alerts').warn(error.message)),
          }),
        },
        NotificationDispatcher,
        AlertEvaluator,
      ],
      exports: [NotificationDispatcher, AlertEvaluator],
    };
  }
}
