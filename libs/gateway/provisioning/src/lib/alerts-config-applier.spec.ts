import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import { ConfigFileError, openNotificationSecrets, parseConfigFile } from '@synapse/gateway/config';
import {
  openStore,
  TypeOrmAlertRuleRepository,
  TypeOrmChannelRepository,
  TypeOrmGatewayKeyRepository,
  TypeOrmNotificationChannelRepository,
  TypeOrmRoleRepository,
  TypeOrmRouteRepository,
  TypeOrmTeamRepository,
  TypeOrmUserRepository,
  type Store,
} from '@synapse/gateway/persistence';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertsConfigApplier } from './alerts-config-applier';
import { ConfigApplier, ConfigReferenceError, type ApplyResult } from './config-applier';

const FILE = `
channels:
  - { name: openai, baseUrl: "https://api.openai.com/v1", models: [gpt-4o] }
teams:
  - { name: research, limits: { dailyBudgetUsd: 10 } }
notificationChannels:
  - name: ops-slack
    kind: slack
    webhookUrl: \${SLACK_URL}
  - name: ops-ding
    kind: dingtalk
    webhookUrl: "https://oapi.dingtalk.com/robot/send?access_token=abc"
    secret: \${DING_SECRET}
  - name: ops-mail
    kind: email
    smtp: { host: smtp.example.com, port: 465, secure: true, user: gw, password: "\${SMTP_PASSWORD}", from: gw@example.com, to: [ops@example.com] }
alerts:
  - { name: errors, kind: error_rate, threshold: 5, window: 5m, for: 2m, minRequests: 20, scope: { model: gpt-4o }, notify: [ops-slack] }
  - { name: slow, kind: latency, threshold: 2000, scope: { channel: openai }, notify: [ops-mail, ops-ding] }
  - { name: budget, kind: budget, threshold: 80, budgetPeriod: month, scope: { team: research } }
  - { name: quiet, kind: no_traffic, window: 1h, repeatInterval: 0 }
`;
const ENV = {
  SLACK_URL: 'https://hooks.slack.com/services/T0/B0/slack-token-1',
  DING_SECRET: 'SECding',
  SMTP_PASSWORD: 'smtp-pass-1',
};
const box = new SecretBox(deriveMasterKey('alerts-applier-spec-secret-0123456789'));

describe(AlertsConfigApplier.name, () => {
  let dir: string;
  let store: Store;
  let rules: TypeOrmAlertRuleRepository;
  let notifiers: TypeOrmNotificationChannelRepository;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synapse-alerts-applier-'));
    store = await openStore({ dataDir: dir });
    rules = new TypeOrmAlertRuleRepository(store);
    notifiers = new TypeOrmNotificationChannelRepository(store);
  });
  afterEach(async () => {
    await store.dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function apply(text: string, env: Record<string, string> = ENV): Promise<ApplyResult> {
    const config = parseConfigFile(text, 'synapse.yaml', env);
    const deps = {
      channels: new TypeOrmChannelRepository(store),
      keys: new TypeOrmGatewayKeyRepository(store),
      teams: new TypeOrmTeamRepository(store),
      secrets: box,
    };
    const result = await new ConfigApplier({
      ...deps,
      users: new TypeOrmUserRepository(store),
      routes: new TypeOrmRouteRepository(store),
      roles: new TypeOrmRoleRepository(store),
    }).apply(config);
    await new AlertsConfigApplier({ ...deps, alertRules: rules, notificationChannels: notifiers }).apply(
      config,
      result,
    );
    return result;
  }

  it('creates notification channels with sealed secrets and rules with ids for names, then changes nothing', async () => {
    const first = await apply(FILE);
    expect(first.created).toEqual(
      expect.arrayContaining(['notification channel ops-slack', 'alert errors', 'alert quiet']),
    );
    const slack = await notifiers.findByName('ops-slack');
    expect(slack).toMatchObject({ kind: 'slack', settings: { signed: false }, secretHint: 'hooks.slack.com …en-1' });
    expect(slack?.secretsEncrypted).not.toContain('slack-token');
    expect(openNotificationSecrets(box, slack?.secretsEncrypted ?? null)).toEqual({ webhookUrl: ENV.SLACK_URL });
    const mail = await notifiers.findByName('ops-mail');
    expect(mail?.settings).toEqual({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      user: 'gw',
      from: 'gw@example.com',
      to: ['ops@example.com'],
    });
    expect(openNotificationSecrets(box, mail?.secretsEncrypted ?? null)).toEqual({ password: 'smtp-pass-1' });
    expect((await notifiers.findByName('ops-ding'))?.settings).toEqual({ signed: true });

    const channel = await new TypeOrmChannelRepository(store).findByName('openai');
    const team = await new TypeOrmTeamRepository(store).findByName('research');
    expect(await rules.findByName('errors')).toMatchObject({
      kind: 'error_rate',
      scope: { kind: 'model', value: 'gpt-4o' },
      windowSeconds: 300,
      forSeconds: 120,
      minRequests: 20,
      repeatIntervalSeconds: 14_400,
      notificationChannelIds: [slack?.id],
    });
    expect(await rules.findByName('slow')).toMatchObject({
      scope: { kind: 'channel', value: channel?.id },
      percentile: 95,
    });
    expect(await rules.findByName('budget')).toMatchObject({
      scope: { kind: 'team', value: team?.id },
      budgetPeriod: 'month',
    });
    expect(await rules.findByName('quiet')).toMatchObject({
      scope: { kind: 'all', value: null },
      windowSeconds: 3600,
      repeatIntervalSeconds: 0,
    });

    const sealed = slack?.secretsEncrypted;
    const again = await apply(FILE);
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect((await notifiers.findByName('ops-slack'))?.secretsEncrypted).toBe(sealed);
  });

  it('updates what changed, a secret included', async () => {
    await apply(FILE);
    const result = await apply(FILE.replace('threshold: 5,', 'threshold: 10,'), {
      ...ENV,
      SMTP_PASSWORD: 'rotated-pass',
    });
    expect(result.updated.sort()).toEqual(['alert errors', 'notification channel ops-mail']);
    expect(openNotificationSecrets(box, (await notifiers.findByName('ops-mail'))?.secretsEncrypted ?? null)).toEqual({
      password: 'rotated-pass',
    });
    expect((await rules.findByName('errors'))?.threshold).toBe(10);
  });

  it('names bad entries by their path', async () => {
    const problems = (text: string) => {
      try {
        parseConfigFile(text, 'synapse.yaml', ENV);
        return [];
      } catch (error) {
        return (error as ConfigFileError).problems;
      }
    };
    expect(
      problems(`
notificationChannels:
  - { name: hook, kind: webhook, webhookUrl: "ftp://x" }
  - { name: mail, kind: email }
alerts:
  - { name: a, kind: error_rate, window: 5x, notify: [nope] }
  - { name: b, kind: budget, threshold: 50, scope: { model: m } }
  - { name: c, kind: latency, threshold: 100, scope: { model: m, route: r } }
`),
    ).toEqual([
      'notificationChannels[0].webhookUrl: must be an http(s) URL',
      'notificationChannels[1].smtp: is required for email channels',
      "alerts[0].window: must be seconds or a duration such as '30s', '5m', '1h', '1d'",
      'alerts[1].scope: budget rules take one of these scopes: all, key, team',
      'alerts[2].scope: names one of model, channel, route, key or team (or nothing for all traffic)',
    ]);
    // References are checked once every entry is valid on its own.
    expect(problems('alerts:\n  - { name: a, kind: no_traffic, notify: [nope] }\n')).toEqual([
      "alerts[0].notify[0]: no notification channel 'nope' in notificationChannels",
    ]);
    await expect(apply('alerts:\n  - { name: s, kind: no_traffic, scope: { channel: missing } }\n')).rejects.toEqual(
      new ConfigReferenceError('alerts[0].scope.channel', "no channel 'missing'"),
    );
  });
});
