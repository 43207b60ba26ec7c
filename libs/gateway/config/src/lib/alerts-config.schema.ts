import { z } from 'zod';

/*
 * Alert rules and notification channels: the kinds, the checks that the config file and the admin
 * API share, and the `alerts:` / `notificationChannels:` sections of the config file.
 */

export const ALERT_KINDS = [
  'error_rate',
  'latency',
  'ttft',
  'channel_health',
  'budget',
  'spend_change',
  'no_traffic',
] as const;
export type AlertKindName = (typeof ALERT_KINDS)[number];

export const ALERT_SCOPE_KINDS = ['all', 'model', 'channel', 'route', 'key', 'team'] as const;
export type AlertScopeKindName = (typeof ALERT_SCOPE_KINDS)[number];

export const NOTIFICATION_CHANNEL_KINDS = ['webhook', 'slack', 'dingtalk', 'feishu', 'wecom', 'email'] as const;
export type NotificationChannelKindName = (typeof NOTIFICATION_CHANNEL_KINDS)[number];

/** Kinds that sign their requests with a secret. */
export const SIGNED_NOTIFICATION_KINDS: readonly NotificationChannelKindName[] = ['webhook', 'dingtalk', 'feishu'];

/** Scopes that make sense per kind: spend is budgeted per key or team, health is per channel. */
const SCOPES_OF: Record<AlertKindName, readonly AlertScopeKindName[]> = {
  error_rate: ALERT_SCOPE_KINDS,
  latency: ALERT_SCOPE_KINDS,
  ttft: ALERT_SCOPE_KINDS,
  channel_health: ['all', 'channel', 'model', 'route'],
  budget: ['all', 'key', 'team'],
  spend_change: ALERT_SCOPE_KINDS,
  no_traffic: ALERT_SCOPE_KINDS,
};

export const DEFAULT_PERCENTILE = 95;
export const MIN_WINDOW_SECONDS = 10;
export const MAX_WINDOW_SECONDS = 31 * 86_400;

/** The fields of a rule whose meaning depends on its kind, as both the file and the API give them. */
export interface AlertRuleFields {
  kind: AlertKindName;
  scopeKind: AlertScopeKindName;
  windowSeconds: number;
  threshold: number | null;
  percentile: number | null;
  budgetPeriod: 'day' | 'month' | null;
  forSeconds: number;
  repeatIntervalSeconds: number;
}

/**
 * What is wrong with a rule's fields, each problem with the field it concerns, and the fields with
 * the kind's defaults filled in (percentile 95, budget period day) when there is nothing wrong.
 */
export function checkAlertRule(fields: AlertRuleFields): {
  problems: { field: string; message: string }[];
  normalized: AlertRuleFields;
} {
  const problems: { field: string; message: string }[] = [];
  const { kind } = fields;
  const problem = (field: string, message: string) => problems.push({ field, message });
  const needsThreshold = kind !== 'channel_health' && kind !== 'no_traffic';
  if (!needsThreshold && fields.threshold !== null) problem('threshold', `has no meaning for ${kind} rules`);
  if (needsThreshold && fields.threshold === null) problem('threshold', `is required for ${kind} rules`);
  if (fields.threshold !== null && !(fields.threshold > 0)) problem('threshold', 'must be positive');
  if (kind === 'error_rate' && fields.threshold !== null && fields.threshold > 100) {
    problem('threshold', 'is a percentage of calls: at most 100');
  }
  const percentiled = kind === 'latency' || kind === 'ttft';
  if (!percentiled && fields.percentile !== null) problem('percentile', 'is only for latency and ttft rules');
  if (fields.percentile !== null && !(fields.percentile >= 1 && fields.percentile <= 100)) {
    problem('percentile', 'must be between 1 and 100');
  }
  if (kind !== 'budget' && fields.budgetPeriod !== null) problem('budgetPeriod', 'is only for budget rules');
  if (!SCOPES_OF[kind].includes(fields.scopeKind)) {
    problem('scope', `${kind} rules take one of these scopes: ${SCOPES_OF[kind].join(', ')}`);
  }
  if (!Number.isInteger(fields.windowSeconds) || fields.windowSeconds < MIN_WINDOW_SECONDS) {
    problem('window', `must be a whole number of seconds, at least ${MIN_WINDOW_SECONDS}`);
  } else if (fields.windowSeconds > MAX_WINDOW_SECONDS) {
    problem('window', 'must be at most 31 days');
  }
  if (!Number.isInteger(fields.forSeconds) || fields.forSeconds < 0) problem('for', 'must be 0 or more seconds');
  if (!Number.isInteger(fields.repeatIntervalSeconds) || fields.repeatIntervalSeconds < 0) {
    problem('repeatInterval', 'must be 0 (never) or more seconds');
  }
  return {
    problems,
    normalized: {
      ...fields,
      percentile: percentiled ? (fields.percentile ?? DEFAULT_PERCENTILE) : null,
      budgetPeriod: kind === 'budget' ? (fields.budgetPeriod ?? 'day') : null,
    },
  };
}

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** `90`, `'90s'`, `'5m'`, `'2h'`, `'1d'` → seconds. */
export const durationSchema = z
  .union([z.number().int('must be a whole number of seconds').min(0, 'must not be negative'), z.string()], {
    error: "must be seconds or a duration such as '30s', '5m', '1h', '1d'",
  })
  .transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const match = DURATION.exec(value.trim());
    if (!match) {
      ctx.addIssue({ code: 'custom', message: "must be seconds or a duration such as '30s', '5m', '1h', '1d'" });
      return z.NEVER;
    }
    return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  });

/** Names of rules and notification channels, as of channels and keys. */
export const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const name = z
  .string({ error: 'is required' })
  .regex(RESOURCE_NAME, 'must be 1-64 letters, digits, dots, dashes or underscores');

/** Whether a notification URL may be used: http(s) only. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** SMTP settings of an email channel; the password is sealed, the rest is stored in clear. */
export const smtpSettingsSchema = z.strictObject({
  host: z.string().min(1, 'must not be empty'),
  port: z.number().int().min(1).max(65_535).default(587),
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  user: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  from: z.email('must be an email address'),
  to: z.array(z.email('must be an email address')).min(1, 'must list at least one address'),
});
export type SmtpSettings = z.infer<typeof smtpSettingsSchema>;

/** What is wrong with a notification channel's shape for its kind (shared by the file and the API). */
export function notificationChannelProblems(channel: {
  kind: NotificationChannelKindName;
  webhookUrl?: string | null;
  secret?: string | null;
  smtp?: unknown;
}): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (channel.kind === 'email') {
    if (!channel.smtp) problems.push({ field: 'smtp', message: 'is required for email channels' });
    if (channel.webhookUrl) problems.push({ field: 'webhookUrl', message: 'is not used by email channels' });
  } else {
    if (!channel.webhookUrl)
      problems.push({ field: 'webhookUrl', message: `is required for ${channel.kind} channels` });
    else if (!isHttpUrl(channel.webhookUrl)) problems.push({ field: 'webhookUrl', message: 'must be an http(s) URL' });
    if (channel.smtp) problems.push({ field: 'smtp', message: 'is only for email channels' });
  }
  if (channel.secret && !SIGNED_NOTIFICATION_KINDS.includes(channel.kind)) {
    problems.push({ field: 'secret', message: `${channel.kind} channels do not sign: leave it out` });
  }
  return problems;
}

/**
 * What the admin API shows of a channel's secrets: the webhook URL's host and last four characters
 * (Slack, DingTalk and WeCom URLs carry the token), or the SMTP password's last four.
 */
export function notificationSecretHint(secrets: { webhookUrl?: string; password?: string }): string | null {
  if (secrets.webhookUrl) {
    const host = new URL(secrets.webhookUrl).host;
    return secrets.webhookUrl.length < 24 ? `${host} …` : `${host} …${secrets.webhookUrl.slice(-4)}`;
  }
  if (secrets.password) return secrets.password.length < 12 ? '…' : `…${secrets.password.slice(-4)}`;
  return null;
}

export const notificationChannelSchema = z
  .strictObject({
    name,
    kind: z.enum(NOTIFICATION_CHANNEL_KINDS, { error: `must be one of: ${NOTIFICATION_CHANNEL_KINDS.join(', ')}` }),
    enabled: z.boolean().default(true),
    webhookUrl: z.string().optional(),
    secret: z.string().min(1, 'must not be empty').optional(),
    smtp: smtpSettingsSchema.optional(),
  })
  .superRefine((channel, ctx) => {
    for (const { field, message } of notificationChannelProblems(channel)) {
      ctx.addIssue({ code: 'custom', path: [field], message });
    }
  });

const scopeSchema = z
  .strictObject({
    model: z.string().min(1).optional(),
    channel: name.optional(),
    route: z.string().min(1).optional(),
    key: name.optional(),
    team: name.optional(),
  })
  .refine(
    (scope) => Object.keys(scope).length <= 1,
    'names one of model, channel, route, key or team (or nothing for all traffic)',
  );

export const alertRuleSchema = z
  .strictObject({
    name,
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    kind: z.enum(ALERT_KINDS, { error: `must be one of: ${ALERT_KINDS.join(', ')}` }),
    /** Left out: all traffic. Channels, keys and teams by name, as declared in this file or stored. */
    scope: scopeSchema.default({}),
    window: durationSchema.default(300),
    threshold: z.number({ error: 'must be a number' }).optional(),
    percentile: z.number({ error: 'must be a number' }).optional(),
    budgetPeriod: z.enum(['day', 'month'], { error: 'must be day or month' }).optional(),
    minRequests: z.number().int('must be a whole number').min(0, 'must not be negative').default(1),
    for: durationSchema.default(0),
    repeatInterval: durationSchema.default(4 * 3_600),
    /** Names of notification channels. */
    notify: z.array(name).default([]),
  })
  .superRefine((rule, ctx) => {
    const { problems } = checkAlertRule(alertRuleFieldsOf(rule));
    for (const { field, message } of problems) ctx.addIssue({ code: 'custom', path: [field], message });
  });

export type AlertRuleConfig = z.infer<typeof alertRuleSchema>;
export type NotificationChannelConfig = z.infer<typeof notificationChannelSchema>;

/** The scope of a rule in the file: its kind and the name it gives. */
export function alertScopeOf(rule: Pick<AlertRuleConfig, 'scope'>): { kind: AlertScopeKindName; name: string | null } {
  const [entry] = Object.entries(rule.scope).filter(([, value]) => value !== undefined);
  return entry ? { kind: entry[0] as AlertScopeKindName, name: entry[1] as string } : { kind: 'all', name: null };
}

export function alertRuleFieldsOf(
  rule: Omit<AlertRuleConfig, 'window' | 'for' | 'repeatInterval'> & {
    window: number;
    for: number;
    repeatInterval: number;
  },
): AlertRuleFields {
  return {
    kind: rule.kind,
    scopeKind: alertScopeOf(rule).kind,
    windowSeconds: rule.window,
    threshold: rule.threshold ?? null,
    percentile: rule.percentile ?? null,
    budgetPeriod: rule.budgetPeriod ?? null,
    forSeconds: rule.for,
    repeatIntervalSeconds: rule.repeatInterval,
  };
}
