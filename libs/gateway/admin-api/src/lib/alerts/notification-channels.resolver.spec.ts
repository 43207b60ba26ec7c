import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAdminApiTestApp, type AdminApiTestApp, type GqlResponse } from '../testing/admin-api-test-app';
import { NotificationChannelsResolver } from './notification-channels.resolver';

const VIEW = 'id name kind enabled secretHint signed smtp { host port secure user from to }';
const CREATE = `mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { ${VIEW} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateNotificationChannelInput!) { updateNotificationChannel(id: $id, input: $input) { ${VIEW} } }`;
const TEST =
  'mutation($id: ID!) { testNotificationChannel(id: $id) { ok attempts statusCode response error alertEventId } }';
const DELIVERIES = 'query($channelId: ID) { notificationDeliveries(channelId: $channelId) { ok statusCode response } }';

/** A receiver for the test notification that checks the signature as docs/alerts.md tells receivers to. */
async function signedReceiver(secret: string): Promise<{ url: string; bodies: string[]; close: () => Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      const expected = `sha256=${createHmac('sha256', secret).update(`${req.headers['x-synapse-timestamp']}.${body}`).digest('hex')}`;
      const good = req.headers['x-synapse-signature'] === expected;
      res.writeHead(good ? 200 : 401).end(good ? 'signature ok' : 'bad signature');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/synapse`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe(NotificationChannelsResolver.name, () => {
  let t: AdminApiTestApp;
  let token: string;

  beforeAll(async () => {
    t = await startAdminApiTestApp();
    token = await t.tokenFor('operator');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    for (const rule of await t.alerts.rules.findAll()) await t.alerts.rules.delete(rule.id);
    for (const channel of await t.alerts.notificationChannels.findAll())
      await t.alerts.notificationChannels.delete(channel.id);
  });

  const codes = (response: GqlResponse) => response.errors?.map((e) => e.extensions?.['code']);
  const create = (input: Record<string, unknown>) => t.graphql(CREATE, { token, variables: { input } });
  const created = async (input: Record<string, unknown>) => {
    const response = await create(input);
    expect(response.errors).toBeUndefined();
    return (response.data as { createNotificationChannel: Record<string, unknown> & { id: string } })
      .createNotificationChannel;
  };

  it('keeps webhook URLs and secrets write-only: answers, lists, store and audit show only a hint', async () => {
    const url = 'https://hooks.slack.com/services/T000/B000/XXXXsecretTOKEN9z';
    const slack = await created({ name: 'ops-slack', kind: 'SLACK', webhookUrl: url });
    expect(slack).toEqual({
      id: expect.any(String),
      name: 'ops-slack',
      kind: 'SLACK',
      enabled: true,
      secretHint: 'hooks.slack.com …EN9z',
      signed: false,
      smtp: null,
    });
    const mail = await created({
      name: 'ops-mail',
      kind: 'EMAIL',
      smtp: {
        host: 'smtp.example.com',
        port: 465,
        secure: true,
        user: 'gw',
        password: 'smtp-password-123',
        from: 'gw@example.com',
        to: ['ops@example.com'],
      },
    });
    expect(mail.smtp).toEqual({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      user: 'gw',
      from: 'gw@example.com',
      to: ['ops@example.com'],
    });
    expect(mail.secretHint).toBe('…-123');

    const stored = JSON.stringify(await t.alerts.notificationChannels.findAll());
    const list = await t.graphql(`{ notificationChannels { ${VIEW} } }`, { token: await t.tokenFor('auditor') });
    const audit = await t.graphql('{ auditEvents(limit: 20) { changes } }', { token: await t.tokenFor('owner') });
    expect(list.errors).toBeUndefined();
    for (const text of [stored, JSON.stringify(list), JSON.stringify(audit)]) {
      expect(text).not.toContain('secretTOKEN');
      expect(text).not.toContain('smtp-password');
    }
    expect(JSON.stringify(audit)).toContain('[redacted]');
  });

  it('refuses what cannot work with BAD_USER_INPUT naming the field', async () => {
    const refused = async (input: Record<string, unknown>, message: RegExp) => {
      const response = await create(input);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0].message).toMatch(message);
      expect(JSON.stringify(response)).not.toContain('tok3n');
    };
    await refused(
      { name: 'ftp', kind: 'WEBHOOK', webhookUrl: 'ftp://files.example.com/tok3n' },
      /^webhookUrl: must be an http\(s\) URL/,
    );
    await refused({ name: 'nourl', kind: 'WECOM' }, /webhookUrl: is required for wecom channels/);
    await refused(
      { name: 'meta', kind: 'WEBHOOK', webhookUrl: 'http://169.254.169.254/tok3n' },
      /webhookUrl: the gateway does not connect/,
    );
    await refused(
      { name: 'slack-signed', kind: 'SLACK', webhookUrl: 'https://hooks.slack.com/x', secret: 's' },
      /secret: slack channels do not sign/,
    );
    await refused({ name: 'bad name!', kind: 'SLACK', webhookUrl: 'https://hooks.slack.com/x' }, /^name:/);
    await refused(
      { name: 'mail', kind: 'EMAIL', smtp: { host: 'smtp.example.com', from: 'not-an-email', to: [] } },
      /smtp.from: must be an email address; smtp.to: must list at least one address/,
    );
    expect(await t.alerts.notificationChannels.findAll()).toEqual([]);
  });

  it('sends a test notification and answers with the receiver’s answer, recorded as a delivery', async () => {
    const receiver = await signedReceiver('whsec-1');
    try {
      const hook = await created({ name: 'hook', kind: 'WEBHOOK', webhookUrl: receiver.url, secret: 'whsec-1' });
      expect(hook.signed).toBe(true);
      const tested = await t.graphql(TEST, { token, variables: { id: hook.id } });
      expect(tested.data?.['testNotificationChannel']).toEqual({
        ok: true,
        attempts: 1,
        statusCode: 200,
        response: 'signature ok',
        error: null,
        alertEventId: null,
      });
      expect(JSON.parse(receiver.bodies[0])).toMatchObject({ event: 'test', rule: { name: 'test of hook' } });

      // A new secret: the receiver still has the old one and says so, which the answer shows.
      await t.graphql(UPDATE, { token, variables: { id: hook.id, input: { secret: 'whsec-2' } } });
      const refused = await t.graphql(TEST, { token, variables: { id: hook.id } });
      expect(refused.data?.['testNotificationChannel']).toMatchObject({
        ok: false,
        attempts: 1,
        statusCode: 401,
        response: 'bad signature',
        error: 'the receiver answered HTTP 401',
      });
      const history = await t.graphql(DELIVERIES, {
        token: await t.tokenFor('auditor'),
        variables: { channelId: hook.id },
      });
      expect(history.data?.['notificationDeliveries']).toEqual([
        { ok: false, statusCode: 401, response: 'bad signature' },
        { ok: true, statusCode: 200, response: 'signature ok' },
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('asks for the signing secret again when the webhook moves to another origin, and keeps channels that rules notify', async () => {
    const hook = await created({
      name: 'hook',
      kind: 'WEBHOOK',
      webhookUrl: 'https://a.example.com/h',
      secret: 'whsec-1',
    });
    const moved = await t.graphql(UPDATE, {
      token,
      variables: { id: hook.id, input: { webhookUrl: 'https://b.example.com/h' } },
    });
    expect(codes(moved)).toEqual(['BAD_USER_INPUT']);
    expect(moved.errors?.[0].message).toMatch(/^secret: the webhook moves to another origin/);
    const renamed = await t.graphql(UPDATE, {
      token,
      variables: { id: hook.id, input: { name: 'hook-2', webhookUrl: 'https://a.example.com/other' } },
    });
    expect(renamed.data?.['updateNotificationChannel']).toMatchObject({
      name: 'hook-2',
      signed: true,
      secretHint: 'a.example.com …ther',
    });

    const rule = await t.graphql('mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }', {
      token,
      variables: { input: { name: 'quiet', kind: 'NO_TRAFFIC', notificationChannelIds: [hook.id] } },
    });
    expect(rule.errors).toBeUndefined();
    const deleted = await t.graphql('mutation($id: ID!) { deleteNotificationChannel(id: $id) }', {
      token,
      variables: { id: hook.id },
    });
    expect(codes(deleted)).toEqual(['CONFLICT']);
    expect(deleted.errors?.[0].message).toContain("'quiet'");
  });
});
