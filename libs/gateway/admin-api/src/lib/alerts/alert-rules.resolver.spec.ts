import { startAdminApiTestApp, type AdminApiTestApp, type GqlResponse } from '../testing/admin-api-test-app';
import { AlertRulesResolver } from './alert-rules.resolver';

const VIEW =
  'id name description enabled kind scope { kind value } windowSeconds threshold percentile budgetPeriod minRequests forSeconds repeatIntervalSeconds notificationChannelIds';
const CREATE = `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { ${VIEW} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAlertRuleInput!) { updateAlertRule(id: $id, input: $input) { ${VIEW} } }`;

describe(AlertRulesResolver.name, () => {
  let t: AdminApiTestApp;
  let token: string;

  beforeAll(async () => {
    t = await startAdminApiTestApp();
    token = await t.tokenFor('operator');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    for (const rule of await t.alerts.rules.findAll()) await t.alerts.rules.delete(rule.id);
    t.channels.channels.clear();
  });

  const codes = (response: GqlResponse) => response.errors?.map((e) => e.extensions?.['code']);
  const create = (input: Record<string, unknown>) => t.graphql(CREATE, { token, variables: { input } });

  it('creates rules with the kind’s defaults and lists them by name', async () => {
    const latency = await create({
      name: 'slow',
      kind: 'LATENCY',
      threshold: 1500,
      scope: { kind: 'MODEL', value: 'gpt-4o' },
      forSeconds: 120,
    });
    expect(latency.errors).toBeUndefined();
    expect(latency.data?.['createAlertRule']).toEqual({
      id: expect.any(String),
      name: 'slow',
      description: null,
      enabled: true,
      kind: 'LATENCY',
      scope: { kind: 'MODEL', value: 'gpt-4o' },
      windowSeconds: 300,
      threshold: 1500,
      percentile: 95,
      budgetPeriod: null,
      minRequests: 1,
      forSeconds: 120,
      repeatIntervalSeconds: 14400,
      notificationChannelIds: [],
    });
    const budget = await create({ name: 'budget', kind: 'BUDGET', threshold: 80 });
    expect(budget.data?.['createAlertRule']).toMatchObject({
      budgetPeriod: 'DAY',
      scope: { kind: 'ALL', value: null },
    });
    const list = await t.graphql('{ alertRules { name } }', { token: await t.tokenFor('auditor') });
    expect(list.data?.['alertRules']).toEqual([{ name: 'budget' }, { name: 'slow' }]);
    const member = await t.graphql('{ alertRules { name } }', { token: await t.tokenFor('member') });
    expect(codes(member)).toEqual(['FORBIDDEN']);
  });

  it('refuses rules that cannot be evaluated, naming every problem', async () => {
    const bad = await create({
      name: 'bad',
      kind: 'ERROR_RATE',
      threshold: 150,
      percentile: 99,
      windowSeconds: 5,
      scope: { kind: 'CHANNEL', value: 'no-such-channel' },
      notificationChannelIds: ['no-such-notifier'],
    });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors?.[0].message).toBe(
      'threshold: is a percentage of calls: at most 100; percentile: is only for latency and ttft rules; ' +
        'windowSeconds: must be a whole number of seconds, at least 10; ' +
        "scope.value: no channel has the id 'no-such-channel'; notificationChannelIds: no notification channel has the id 'no-such-notifier'",
    );
    const budgetByModel = await create({
      name: 'b',
      kind: 'BUDGET',
      threshold: 50,
      scope: { kind: 'MODEL', value: 'x' },
    });
    expect(budgetByModel.errors?.[0].message).toBe('scope: budget rules take one of these scopes: all, key, team');
    const health = await create({ name: 'h', kind: 'CHANNEL_HEALTH', threshold: 1 });
    expect(health.errors?.[0].message).toBe('threshold: has no meaning for channel_health rules');
    expect(await t.alerts.rules.findAll()).toEqual([]);
  });

  it('updates a rule; a new kind drops the old kind’s fields', async () => {
    const created = await create({ name: 'errors', kind: 'ERROR_RATE', threshold: 5 });
    const id = (created.data?.['createAlertRule'] as { id: string }).id;
    const renamed = await t.graphql(UPDATE, {
      token,
      variables: { id, input: { name: 'errors-5m', minRequests: 20 } },
    });
    expect(renamed.data?.['updateAlertRule']).toMatchObject({ name: 'errors-5m', threshold: 5, minRequests: 20 });
    const rekinded = await t.graphql(UPDATE, { token, variables: { id, input: { kind: 'NO_TRAFFIC' } } });
    expect(rekinded.data?.['updateAlertRule']).toMatchObject({ kind: 'NO_TRAFFIC', threshold: null });
    const missing = await t.graphql(UPDATE, { token, variables: { id: 'nope', input: { enabled: false } } });
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    const deleted = await t.graphql('mutation($id: ID!) { deleteAlertRule(id: $id) }', { token, variables: { id } });
    expect(deleted.data?.['deleteAlertRule']).toBe(true);
  });

  it('shows states, history and deliveries to auditors', async () => {
    const created = await create({ name: 'quiet', kind: 'NO_TRAFFIC' });
    const id = (created.data?.['createAlertRule'] as { id: string }).id;
    const at = new Date('2030-01-01T00:00:00.000Z');
    await t.alerts.states.transition(
      0,
      {
        ruleId: id,
        status: 'firing',
        version: 1,
        since: at,
        firedAt: at,
        resolvedAt: null,
        lastNotifiedAt: at,
        value: 0,
        summary: 'no calls in the last 5m',
        evaluatedAt: at,
      },
      { id: 'e1', ruleId: id, ruleName: 'quiet', type: 'firing', at, value: 0, summary: 'no calls in the last 5m' },
    );
    await t.alerts.deliveries.insert({
      id: 'd1',
      alertEventId: 'e1',
      ruleId: id,
      channelId: 'n1',
      at,
      ok: false,
      attempts: 3,
      statusCode: 503,
      response: 'busy',
      error: 'the receiver answered HTTP 503',
    });
    const auditor = await t.tokenFor('auditor');
    const states = await t.graphql('{ alertStates { ruleName status firedAt summary } }', { token: auditor });
    expect(states.data?.['alertStates']).toEqual([
      { ruleName: 'quiet', status: 'FIRING', firedAt: at.toISOString(), summary: 'no calls in the last 5m' },
    ]);
    const events = await t.graphql('query($id: ID) { alertEvents(ruleId: $id) { type ruleName } }', {
      token: auditor,
      variables: { id },
    });
    expect(events.data?.['alertEvents']).toEqual([{ type: 'FIRING', ruleName: 'quiet' }]);
    const deliveries = await t.graphql(
      '{ notificationDeliveries(alertEventId: "e1") { ok attempts statusCode response error } }',
      { token: auditor },
    );
    expect(deliveries.data?.['notificationDeliveries']).toEqual([
      { ok: false, attempts: 3, statusCode: 503, response: 'busy', error: 'the receiver answered HTTP 503' },
    ]);
    const tooMany = await t.graphql('{ alertEvents(limit: 5000) { id } }', { token: auditor });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});
