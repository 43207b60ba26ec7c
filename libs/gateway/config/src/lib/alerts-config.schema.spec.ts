import {
  checkAlertRule,
  durationSchema,
  notificationChannelProblems,
  notificationSecretHint,
} from './alerts-config.schema';

describe('alert rule and notification channel checks', () => {
  const rule = {
    kind: 'latency' as const,
    scopeKind: 'all' as const,
    windowSeconds: 300,
    threshold: 800,
    percentile: null,
    budgetPeriod: null,
    forSeconds: 0,
    repeatIntervalSeconds: 0,
  };

  it('fills the defaults of a kind and names every problem by field', () => {
    expect(checkAlertRule(rule)).toEqual({ problems: [], normalized: { ...rule, percentile: 95 } });
    expect(checkAlertRule({ ...rule, kind: 'budget', threshold: 80 }).normalized).toMatchObject({
      budgetPeriod: 'day',
      percentile: null,
    });
    expect(
      checkAlertRule({ ...rule, kind: 'no_traffic', threshold: 1, percentile: 120, windowSeconds: 3, forSeconds: -1 })
        .problems,
    ).toEqual([
      { field: 'threshold', message: 'has no meaning for no_traffic rules' },
      { field: 'percentile', message: 'is only for latency and ttft rules' },
      { field: 'percentile', message: 'must be between 1 and 100' },
      { field: 'window', message: 'must be a whole number of seconds, at least 10' },
      { field: 'for', message: 'must be 0 or more seconds' },
    ]);
  });

  it('reads durations in seconds or with a unit', () => {
    expect(['45s', '5m', '2h', '1d', 90].map((value) => durationSchema.parse(value))).toEqual([
      45, 300, 7200, 86_400, 90,
    ]);
    expect(durationSchema.safeParse('5 minutes').success).toBe(false);
    expect(durationSchema.safeParse(-1).success).toBe(false);
  });

  it('hints a webhook URL by its host and last four characters, never the token', () => {
    expect(notificationSecretHint({ webhookUrl: 'https://hooks.slack.com/services/T0/B0/abcdefWXYZ' })).toBe(
      'hooks.slack.com …WXYZ',
    );
    expect(notificationSecretHint({ webhookUrl: 'https://a.io/x' })).toBe('a.io …');
    expect(notificationSecretHint({ password: 'smtp-password-9876' })).toBe('…9876');
    expect(notificationSecretHint({})).toBeNull();
  });

  it('checks the fields each kind of channel needs', () => {
    expect(notificationChannelProblems({ kind: 'wecom', webhookUrl: 'file:///etc/passwd' })).toEqual([
      { field: 'webhookUrl', message: 'must be an http(s) URL' },
    ]);
    expect(notificationChannelProblems({ kind: 'email', webhookUrl: 'https://x.io', secret: 's' })).toEqual([
      { field: 'smtp', message: 'is required for email channels' },
      { field: 'webhookUrl', message: 'is not used by email channels' },
      { field: 'secret', message: 'email channels do not sign: leave it out' },
    ]);
    expect(
      notificationChannelProblems({ kind: 'feishu', webhookUrl: 'https://open.feishu.cn/x', secret: 's' }),
    ).toEqual([]);
  });
});
