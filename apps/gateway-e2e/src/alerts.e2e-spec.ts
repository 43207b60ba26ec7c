import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { accessToken, graphql } from './support/admin-session';
import {
  startAlertReceiver,
  startSmtpReceiver,
  until,
  type AlertReceiver,
  type Delivered,
  type ReceiverKind,
  type SmtpReceiver,
} from './support/alert-receivers';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-alerts-e2e-0123456789abcdef01';
const SECRETS = {
  webhook: 'whsec-e2e-1',
  dingtalk: 'SECding-e2e',
  feishu: 'feishu-e2e-secret',
  wecom: 'wecom-key-e2e',
};

/** What a chat message or webhook body says happened: FIRING or RESOLVED, however the service shows it. */
export function eventOf(delivered: Delivered): string {
  const text = JSON.stringify(delivered.body);
  return /\[RESOLVED\]|"event":"resolved"/.test(text)
    ? 'resolved'
    : /\[FIRING\]|"event":"firing"/.test(text)
      ? 'firing'
      : 'other';
}

describe('alerts with notifications (one gateway on SQLite)', () => {
  const receivers = {} as Record<ReceiverKind, AlertReceiver>;
  let mail: SmtpReceiver;
  let refusingMail: SmtpReceiver;
  let upstream: MockUpstream;
  let flaky: MockUpstream;
  let gateway: GatewayProcess;
  let token: string;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    flaky = await startMockUpstream({ defaults: { status: 500 } });
    // The webhook answers 500 once: the gateway retries and it is delivered once.
    receivers.webhook = await startAlertReceiver('webhook', SECRETS.webhook, 1);
    receivers.slack = await startAlertReceiver('slack');
    receivers.dingtalk = await startAlertReceiver('dingtalk', SECRETS.dingtalk);
    receivers.feishu = await startAlertReceiver('feishu', SECRETS.feishu);
    receivers.wecom = await startAlertReceiver('wecom', SECRETS.wecom);
    mail = await startSmtpReceiver({ user: 'gw', password: 'smtp-pass-e2e' });
    refusingMail = await startSmtpReceiver({ user: 'gw', password: 'smtp-pass-e2e', refuseLogin: true });
    const config = `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini] }
  - { name: flaky, baseUrl: "${flaky.url}", models: [flaky-model] }
routes:
  - { name: flaky-model, retry: { attempts: 1 }, targets: [{ channel: flaky }] }
keys:
  - { name: alerts, key: ${KEY} }
notificationChannels:
  - { name: hook, kind: webhook, webhookUrl: "\${HOOK_URL}", secret: "\${HOOK_SECRET}" }
  - { name: slack, kind: slack, webhookUrl: "${receivers.slack.url}/services/T0/B0/x" }
  - { name: ding, kind: dingtalk, webhookUrl: "${receivers.dingtalk.url}/robot/send?access_token=t", secret: "\${DING_SECRET}" }
  - { name: lark, kind: feishu, webhookUrl: "${receivers.feishu.url}/open-apis/bot/v2/hook/x", secret: "\${FEISHU_SECRET}" }
  - { name: wecom, kind: wecom, webhookUrl: "${receivers.wecom.url}/cgi-bin/webhook/send?key=\${WECOM_KEY}" }
  - name: mail
    kind: email
    smtp: { host: 127.0.0.1, port: ${mail.port}, user: gw, password: "\${SMTP_PASSWORD}", from: gateway@example.com, to: [ops@example.com] }
  - name: refusing-mail
    kind: email
    smtp: { host: 127.0.0.1, port: ${refusingMail.port}, user: gw, password: "\${SMTP_PASSWORD}", from: gateway@example.com, to: [ops@example.com] }
alerts:
  - name: quiet-mini
    kind: no_traffic
    window: 1h
    scope: { model: gpt-4o-mini }
    notify: [hook, slack, ding, lark, wecom, mail, refusing-mail]
`;
    gateway = await startGateway({
      config,
      env: {
        ALERT_EVALUATION_INTERVAL_MS: '200',
        HEALTH_CHECK_INTERVAL_MS: '0',
        // Two failed calls open the flaky channel's circuit for a minute.
        ROUTING_FAILURE_THRESHOLD: '2',
        ROUTING_COOLDOWN_MS: '60000',
        HOOK_URL: `${receivers.webhook.url}/hooks/synapse`,
        HOOK_SECRET: SECRETS.webhook,
        DING_SECRET: SECRETS.dingtalk,
        FEISHU_SECRET: SECRETS.feishu,
        WECOM_KEY: SECRETS.wecom,
        SMTP_PASSWORD: 'smtp-pass-e2e',
      },
    });
    token = await accessToken(gateway.url, 'admin@synapsehub.local', 'e2e-admin-password');
  });

  afterAll(async () => {
    await gateway?.stop();
    if (gateway) removeDir(gateway.dataDir);
    await Promise.all([...Object.values(receivers), mail, refusingMail, upstream, flaky].map((r) => r?.close()));
  });

  const chats = () => Object.entries(receivers) as [ReceiverKind, AlertReceiver][];

  it('notifies a firing and its resolve exactly once on every kind of channel, signed as each service checks', async () => {
    await until(() => {
      for (const [, receiver] of chats()) expect(receiver.delivered.map(eventOf)).toEqual(['firing']);
      expect(mail.subjects).toEqual(['[FIRING] quiet-mini']);
    });
    for (const [kind, receiver] of chats()) expect([kind, receiver.delivered[0].accepted]).toEqual([kind, true]);

    const client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await until(() => {
      for (const [, receiver] of chats()) expect(receiver.delivered.map(eventOf)).toEqual(['firing', 'resolved']);
      expect(mail.subjects).toEqual(['[FIRING] quiet-mini', '[RESOLVED] quiet-mini']);
    });
    for (const [kind, receiver] of chats()) expect([kind, receiver.delivered[1].accepted]).toEqual([kind, true]);
    // Further rounds (200 ms apart) send nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const [, receiver] of chats()) expect(receiver.delivered).toHaveLength(2);
    expect(mail.subjects).toHaveLength(2);
  });

  it("records every delivery with the receiver's answer: the retried webhook, the refused SMTP login", async () => {
    const channels = await graphql(gateway.url, '{ notificationChannels { id name secretHint } }', token);
    const ids = Object.fromEntries(
      (channels.data?.['notificationChannels'] as { id: string; name: string }[]).map((c) => [c.name, c.id]),
    );
    expect(JSON.stringify(channels)).not.toContain(SECRETS.wecom);
    const deliveries = async (name: string) =>
      (
        await graphql(
          gateway.url,
          'query($id: ID) { notificationDeliveries(channelId: $id) { ok attempts statusCode response error alertEventId } }',
          token,
          { id: ids[name] },
        )
      ).data?.['notificationDeliveries'] as Record<string, unknown>[];
    const hook = await deliveries('hook');
    expect(hook).toHaveLength(2);
    expect(hook[1]).toMatchObject({ ok: true, attempts: 2, statusCode: 200, response: 'ok' });
    const refused = await deliveries('refusing-mail');
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({ ok: false, statusCode: 535 });
    expect(refused[0]['response']).toContain('Authentication credentials invalid');
    expect(await deliveries('mail')).toEqual([
      expect.objectContaining({ ok: true, statusCode: 250 }),
      expect.objectContaining({ ok: true, statusCode: 250 }),
    ]);

    const history = await graphql(
      gateway.url,
      '{ alertEvents { type ruleName } alertStates { ruleName status } }',
      token,
    );
    expect(history.data).toEqual({
      alertEvents: [
        { type: 'RESOLVED', ruleName: 'quiet-mini' },
        { type: 'FIRING', ruleName: 'quiet-mini' },
      ],
      alertStates: [{ ruleName: 'quiet-mini', status: 'RESOLVED' }],
    });
  });

  it('fires rules created through GraphQL on the error rate of a model and on an open circuit', async () => {
    const channel = await graphql(
      gateway.url,
      'mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { id } }',
      token,
      {
        input: {
          name: 'errors-hook',
          kind: 'WEBHOOK',
          webhookUrl: `${receivers.webhook.url}/errors`,
          secret: SECRETS.webhook,
        },
      },
    );
    expect(channel.errors).toBeUndefined();
    const { id } = channel.data?.['createNotificationChannel'] as { id: string };
    const upstreams = (await graphql(gateway.url, '{ channels { id name } }', token)).data?.['channels'] as {
      id: string;
      name: string;
    }[];
    const flakyId = upstreams.find((c) => c.name === 'flaky')?.id;
    const createRule = (input: Record<string, unknown>) =>
      graphql(gateway.url, 'mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }', token, {
        input: { ...input, notificationChannelIds: [id] },
      });
    const errors = await createRule({
      name: 'flaky-errors',
      kind: 'ERROR_RATE',
      threshold: 50,
      windowSeconds: 600,
      minRequests: 2,
      scope: { kind: 'MODEL', value: 'flaky-model' },
    });
    const health = await createRule({
      name: 'flaky-health',
      kind: 'CHANNEL_HEALTH',
      scope: { kind: 'CHANNEL', value: flakyId },
    });
    expect([errors.errors, health.errors]).toEqual([undefined, undefined]);
    const client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    for (let i = 0; i < 2; i++) {
      await expect(
        client.chat.completions.create({ model: 'flaky-model', messages: [{ role: 'user', content: 'hi' }] }),
      ).rejects.toMatchObject({ status: 502 });
    }
    const firings = (rule: string) =>
      receivers.webhook.delivered.filter((d) => (d.body['rule'] as { name: string }).name === rule);
    await until(() => {
      expect(firings('flaky-errors')).toEqual([
        expect.objectContaining({ accepted: true, body: expect.objectContaining({ event: 'firing', value: 100 }) }),
      ]);
      expect(firings('flaky-health')).toEqual([
        expect.objectContaining({
          accepted: true,
          body: expect.objectContaining({
            event: 'firing',
            summary: expect.stringContaining('flaky/flaky-model (circuit open)'),
          }),
        }),
      ]);
    });
  });

  it('refuses a notification URL that is not http(s) with BAD_USER_INPUT', async () => {
    const response = await graphql(
      gateway.url,
      'mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { id } }',
      token,
      { input: { name: 'gopher', kind: 'SLACK', webhookUrl: 'gopher://hooks.example.com/secret-token' } },
    );
    expect(response.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].message).toBe('webhookUrl: must be an http(s) URL');
  });
});
