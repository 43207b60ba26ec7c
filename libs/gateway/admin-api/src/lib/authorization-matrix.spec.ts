import { GraphQLSchemaHost } from '@nestjs/graphql';
import { ROLES, type RoleName } from '@synapse/gateway/config';
import type { GraphQLObjectType } from 'graphql';
import { AdminApiModule } from './admin-api.module';
import { requestLogEntry } from './testing/request-log-entry.fixture';
import { startAdminApiTestApp, type AdminApiTestApp, type GqlResponse } from './testing/admin-api-test-app';

const ALL: readonly RoleName[] = ROLES;
const STAFF: readonly RoleName[] = ['owner', 'admin', 'operator', 'auditor'];
const OPERATORS: readonly RoleName[] = ['owner', 'admin', 'operator'];
/** Members manage their own keys (the service narrows to them); auditors only read. */
const KEY_HOLDERS: readonly RoleName[] = ['owner', 'admin', 'operator', 'member'];
const ADMINS: readonly RoleName[] = ['owner', 'admin'];
const READERS: readonly RoleName[] = ['owner', 'admin', 'auditor'];
const OWNERS: readonly RoleName[] = ['owner'];

interface Row {
  /** The roles that may call the operation; every other built-in role gets FORBIDDEN. */
  allowed: readonly RoleName[];
  /** A call that passes schema validation, so that it reaches the authorization check. It must change nothing. */
  query: string;
  variables?: Record<string, unknown>;
  /** A subscription: run over WebSocket; `entry` makes the request log tail send something. */
  subscription?: 'push' | 'entry';
}

/**
 * Who may call what. Every Query and Mutation field the admin API serves needs a row here: a new
 * operation fails this test until it is added, with its rule decided on purpose.
 */
const MATRIX: Record<string, Row> = {
  'Query.me': { allowed: ALL, query: '{ me { id } }' },
  // Members see themselves in the list: the service narrows to what their ability allows.
  'Query.users': { allowed: ALL, query: '{ users { id } }' },
  'Mutation.createUser': {
    allowed: ADMINS,
    // Refused by validation (not an email) when allowed: nothing is saved either way.
    query: 'mutation { createUser(input: { email: "not-an-email", role: "member" }) { id } }',
  },
  'Mutation.updateUser': {
    allowed: ADMINS,
    query: 'mutation { updateUser(id: "no-such-user", input: { name: "x" }) { id } }',
  },
  'Mutation.deleteUser': { allowed: ADMINS, query: 'mutation { deleteUser(id: "no-such-user") { id } }' },
  // Everybody reads their own role's rules (a console builds its menus from them); `roles` stays closed.
  'Query.myRole': { allowed: ALL, query: '{ myRole { name rules { action subject } } }' },
  'Query.roles': { allowed: READERS, query: '{ roles { name } }' },
  'Mutation.createRole': {
    allowed: OWNERS,
    query: 'mutation { createRole(input: { name: "Bad Name", rules: [] }) { name } }',
  },
  'Mutation.updateRole': {
    allowed: OWNERS,
    query: 'mutation { updateRole(name: "no-such-role", input: { description: "x" }) { name } }',
  },
  'Mutation.deleteRole': { allowed: OWNERS, query: 'mutation { deleteRole(name: "no-such-role") { name } }' },
  // Members see their own teams (none here): the service narrows.
  'Query.teams': { allowed: ALL, query: '{ teams { id } }' },
  'Mutation.createTeam': {
    allowed: ADMINS,
    query: 'mutation { createTeam(input: { name: "not a valid name!" }) { id } }',
  },
  'Mutation.updateTeam': {
    allowed: ADMINS,
    query: 'mutation { updateTeam(id: "no-such-team", input: { description: "x" }) { id } }',
  },
  'Mutation.deleteTeam': { allowed: ADMINS, query: 'mutation { deleteTeam(id: "no-such-team") { id } }' },
  'Mutation.addTeamMember': {
    allowed: ADMINS,
    query: 'mutation { addTeamMember(teamId: "no-such-team", userId: "id-member") { id } }',
  },
  'Mutation.removeTeamMember': {
    allowed: ADMINS,
    query: 'mutation { removeTeamMember(teamId: "no-such-team", userId: "id-member") { id } }',
  },
  // Members read their own usage: grouped by USER they see their own row (MODEL etc. is FORBIDDEN to them).
  'Query.liveMetrics': { allowed: ALL, query: '{ liveMetrics(window: ONE_MINUTE, groupBy: USER) { rows { value } } }' },
  'Subscription.liveMetrics': {
    allowed: ALL,
    query: 'subscription { liveMetrics(window: ONE_MINUTE, groupBy: USER) { rows { value } } }',
    subscription: 'push',
  },
  // Members get their own entries; the one recorded is the subscriber's.
  'Subscription.requestLogTail': {
    allowed: ALL,
    query: 'subscription { requestLogTail { id userId } }',
    subscription: 'entry',
  },
  'Query.auditEvents': { allowed: READERS, query: '{ auditEvents(limit: 1) { id } }' },
  // Members read their own calls: the service narrows the search to them.
  'Query.requestLogs': { allowed: ALL, query: '{ requestLogs(first: 1) { nodes { id } } }' },
  // Allowed roles get NOT_FOUND for an id that is not there (or not theirs).
  'Query.requestLog': { allowed: ALL, query: '{ requestLog(id: "req_none") { id } }' },
  // Members read usage too: the service narrows their queries to their own user.
  'Query.usageSeries': {
    allowed: ALL,
    query:
      '{ usageSeries(range: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }, granularity: HOUR) { requests } }',
  },
  'Query.usageTop': {
    allowed: ALL,
    query: '{ usageTop(range: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }, by: MODEL) { group } }',
  },
  'Query.modelPrices': { allowed: STAFF, query: '{ modelPrices { model } }' },
  'Query.modelPriceHistory': { allowed: STAFF, query: '{ modelPriceHistory(model: "gpt-4o") { id } }' },
  'Mutation.setModelPrice': {
    allowed: ADMINS,
    // Refused by validation (not a model name) when allowed: nothing is saved either way.
    query: 'mutation { setModelPrice(input: { model: "not a model!", input: 1, output: 2 }) { model } }',
  },
  'Mutation.deleteModelPrice': {
    allowed: ADMINS,
    query: 'mutation { deleteModelPrice(model: "no-such-model") { id } }',
  },
  'Query.routingTargets': { allowed: STAFF, query: '{ routingTargets { id } }' },
  'Query.routingEvents': { allowed: STAFF, query: '{ routingEvents(limit: 1) { targetId } }' },
  'Query.routes': { allowed: STAFF, query: '{ routes { name } }' },
  'Mutation.setRoutingTargetDisabled': {
    allowed: OPERATORS,
    query: 'mutation { setRoutingTargetDisabled(id: "no-such/target", disabled: true) { id } }',
  },
  'Mutation.upsertRoute': {
    allowed: OPERATORS,
    // Refused by the route checks (no such channel) when allowed: nothing is saved either way.
    query: 'mutation($input: RouteInput!) { upsertRoute(input: $input) { name } }',
    variables: { input: { name: 'matrix-route', targets: [{ channel: 'no-such-channel' }] } },
  },
  'Mutation.deleteRoute': {
    allowed: OPERATORS,
    query: 'mutation { deleteRoute(name: "no-such-route") }',
  },
  'Query.channels': { allowed: STAFF, query: '{ channels { id apiKeyHint } }' },
  'Query.channel': { allowed: STAFF, query: '{ channel(id: "no-such-channel") { id } }' },
  'Mutation.createChannel': {
    allowed: OPERATORS,
    // Refused by validation (not an http(s) URL) when allowed: nothing is saved either way.
    query: 'mutation($input: CreateChannelInput!) { createChannel(input: $input) { id } }',
    variables: { input: { name: 'matrix-channel', baseUrl: 'ftp://x', models: ['m'], apiKey: 'sk-matrix-0000' } },
  },
  'Mutation.updateChannel': {
    allowed: OPERATORS,
    query: 'mutation { updateChannel(id: "no-such-channel", input: { enabled: false }) { id } }',
  },
  'Mutation.deleteChannel': {
    allowed: OPERATORS,
    query: 'mutation { deleteChannel(id: "no-such-channel") }',
  },
  'Mutation.testChannel': {
    allowed: OPERATORS,
    query: 'mutation { testChannel(id: "no-such-channel") { ok } }',
  },
  'Query.gatewayKeys': { allowed: ALL, query: '{ gatewayKeys { id } }' },
  'Mutation.createGatewayKey': {
    allowed: KEY_HOLDERS,
    // Refused by validation (malformed CIDR) when allowed: nothing is saved either way.
    query: 'mutation($input: CreateGatewayKeyInput!) { createGatewayKey(input: $input) { secret } }',
    variables: { input: { name: 'matrix-key', ipAllow: ['10.0.0.300/8'] } },
  },
  'Mutation.rotateGatewayKey': {
    allowed: KEY_HOLDERS,
    query: 'mutation { rotateGatewayKey(id: "no-such-key") { secret } }',
  },
  'Mutation.revokeGatewayKey': {
    allowed: KEY_HOLDERS,
    query: 'mutation { revokeGatewayKey(id: "no-such-key") { id } }',
  },
  'Mutation.updateGatewayKey': {
    allowed: KEY_HOLDERS,
    query: 'mutation { updateGatewayKey(id: "no-such-key", input: { enabled: false }) { id } }',
  },
  // Alerting: operators manage rules and notification channels, auditors read them, members nothing.
  'Query.alertRules': { allowed: STAFF, query: '{ alertRules { id } }' },
  'Query.alertRule': { allowed: STAFF, query: '{ alertRule(id: "no-such-rule") { id } }' },
  'Query.alertStates': { allowed: STAFF, query: '{ alertStates { ruleId } }' },
  'Query.alertEvents': { allowed: STAFF, query: '{ alertEvents(limit: 1) { id } }' },
  'Query.notificationDeliveries': { allowed: STAFF, query: '{ notificationDeliveries(limit: 1) { id } }' },
  'Mutation.createAlertRule': {
    allowed: OPERATORS,
    // Refused by validation (no threshold) when allowed: nothing is saved either way.
    query: 'mutation { createAlertRule(input: { name: "matrix-rule", kind: ERROR_RATE }) { id } }',
  },
  'Mutation.updateAlertRule': {
    allowed: OPERATORS,
    query: 'mutation { updateAlertRule(id: "no-such-rule", input: { enabled: false }) { id } }',
  },
  'Mutation.deleteAlertRule': { allowed: OPERATORS, query: 'mutation { deleteAlertRule(id: "no-such-rule") }' },
  'Query.notificationChannels': { allowed: STAFF, query: '{ notificationChannels { id secretHint } }' },
  'Query.notificationChannel': { allowed: STAFF, query: '{ notificationChannel(id: "no-such-channel") { id } }' },
  'Mutation.createNotificationChannel': {
    allowed: OPERATORS,
    // Refused by validation (not an http(s) URL) when allowed: nothing is saved either way.
    query:
      'mutation { createNotificationChannel(input: { name: "matrix-hook", kind: WEBHOOK, webhookUrl: "ftp://x" }) { id } }',
  },
  'Mutation.updateNotificationChannel': {
    allowed: OPERATORS,
    query: 'mutation { updateNotificationChannel(id: "no-such-channel", input: { enabled: false }) { id } }',
  },
  'Mutation.deleteNotificationChannel': {
    allowed: OPERATORS,
    query: 'mutation { deleteNotificationChannel(id: "no-such-channel") }',
  },
  'Mutation.testNotificationChannel': {
    allowed: OPERATORS,
    query: 'mutation { testNotificationChannel(id: "no-such-channel") { ok } }',
  },
};

const codesOf = (response: GqlResponse) => (response.errors ?? []).map((e) => e.extensions?.['code']);

/** The authorization matrix of the admin API: every operation of the served schema × every built-in role. */
describe(`${AdminApiModule.name} authorization matrix`, () => {
  let t: AdminApiTestApp;

  beforeAll(async () => {
    t = await startAdminApiTestApp();
  });

  afterAll(() => t.close());

  it('has a row for every operation of the schema the gateway serves, and no row for anything else', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const root = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
      (type): type is GraphQLObjectType => !!type,
    );
    const operations = root.flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`));
    expect(operations.length).toBeGreaterThan(0);
    expect([...operations].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  const cells = Object.keys(MATRIX).flatMap((operation) => ROLES.map((role) => [operation, role] as const));

  it.each(cells)('%s as %s is allowed or FORBIDDEN as the matrix says', async (operation, role) => {
    const { allowed, query, variables, subscription } = MATRIX[operation];
    const token = await t.tokenFor(role);
    const response = subscription
      ? await t.subscribeFirst(query, {
          token,
          variables,
          trigger:
            subscription === 'entry' ? () => t.writer.record(requestLogEntry({ userId: `id-${role}` })) : undefined,
        })
      : await t.graphql(query, { token, variables });
    const codes = codesOf(response);
    // A call that fails validation or authentication never reached the check: the row would prove nothing.
    expect(codes).not.toContain('GRAPHQL_VALIDATION_FAILED');
    expect(codes).not.toContain('UNAUTHENTICATED');
    if (allowed.includes(role)) {
      expect(codes).not.toContain('FORBIDDEN');
    } else {
      expect(codes).toEqual(['FORBIDDEN']);
      // Either the roles that would do, or the reason of the rule that forbids it.
      expect(response.errors?.[0].message).toMatch(
        new RegExp(`^You may not .+(; you are ${role}|: only an owner may .+)\\.$`),
      );
      expect(response.data).toBeNull();
    }
  });

  it('changed nothing while going through the matrix', async () => {
    expect(await t.alerts.rules.findAll()).toEqual([]);
    expect(await t.alerts.notificationChannels.findAll()).toEqual([]);
    expect(await t.alerts.deliveries.find()).toEqual([]);
    expect(t.routes.routes.size).toBe(0);
    expect(t.keys.keys.size).toBe(0);
    expect(t.users.users.size).toBe(5);
    expect(t.channels.channels.size).toBe(0);
    expect(t.bus.published).toEqual([]);
    expect(t.routing.targetList.filter((target) => target.state === 'disabled')).toEqual([]);
  });
});
