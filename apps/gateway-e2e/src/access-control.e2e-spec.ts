import {
  describeWithPostgres,
  POSTGRES_URL,
  redisAvailable,
  REDIS_URL,
  runPostgres,
  type MockUpstream,
} from '@synapse/testing';
import OpenAI from 'openai';
import { accessToken, graphql as gqlRequest, login, type GqlBody } from './support/admin-session';
import { eventually } from './support/eventually';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { apiError } from './support/openai-calls';
import { OWNER_EMAIL, OWNER_PASSWORD, startOwnedGateway, type OwnedGateway } from './support/owned-gateway';
import { sqliteRows } from './support/sqlite-rows';

/** Every account these tests create signs in with this; it must never reach the audit trail. */
const USER_PASSWORD = 'e2e-user-password-4711';

interface AuditRow {
  action: string;
  outcome: string;
  actorId: string | null;
  actorEmail: string | null;
  subject: string | null;
  subjectId: string | null;
  detail: string | null;
  changes: Record<string, unknown> | null;
}

const AUDIT_EVENTS = `query($action: String, $outcome: String, $actorId: ID) {
  auditEvents(action: $action, outcome: $outcome, actorId: $actorId, limit: 1000) {
    action outcome actorId actorEmail subject subjectId detail changes
  }
}`;
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email role } }`;
const UPDATE_USER = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id role } }`;
const DELETE_USER = `mutation($id: ID!) { deleteUser(id: $id) { id } }`;
const CREATE_ROLE = `mutation($input: CreateRoleInput!) { createRole(input: $input) { name } }`;
const UPDATE_ROLE = `mutation($name: String!, $input: UpdateRoleInput!) {
  updateRole(name: $name, input: $input) { name description rules { action subject } } }`;
const ROLES = '{ roles { name description rules { action subject } } }';
const CREATE_KEY = `mutation($input: CreateGatewayKeyInput!) { createGatewayKey(input: $input) { secret key { id name } } }`;
const KEYS = '{ gatewayKeys { id name revokedAt } }';

const codes = (body: GqlBody) => body.errors?.map((e) => e.extensions?.['code']);

/** The one error of a refused operation: its code and message, and no data. */
function refusal(body: GqlBody): { code: unknown; message: string } {
  expect(body.errors).toHaveLength(1);
  expect(body.data ?? null).toBeNull();
  const [error] = body.errors ?? [];
  return { code: error.extensions?.['code'], message: error.message };
}

/** Exactly these events, in any order: two events of the same millisecond come in either order. */
function expectEvents(events: AuditRow[], expected: unknown[]): void {
  expect(events).toEqual(expect.arrayContaining(expected));
  expect(events).toHaveLength(expected.length);
}

/** The payload of an access token with `claims` changed, the signature kept: a forgery. */
function forged(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const original = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const changed = Buffer.from(JSON.stringify({ ...original, ...claims })).toString('base64url');
  return [header, changed, signature].join('.');
}

/**
 * Authorization through the admin API of the built gateway: custom roles, no privilege escalation,
 * role changes at the next request, teams, and the audit trail of what was refused. One gateway
 * (SQLite) for the whole file; every test makes its own accounts.
 */
describe('access control (login + GraphQL against the built gateway)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let dataDir: string;
  let owner: string;
  let ownerId: string;
  let setup: OwnedGateway;

  beforeAll(async () => {
    setup = await startOwnedGateway({ name: 'e2e-upstream', models: ['e2e-model'] });
    ({ gateway, upstream, dataDir, owner } = setup);
    ownerId = ((await graphql('{ me { id } }', owner)).data?.['me'] as { id: string }).id;
  });

  afterAll(() => setup?.stop());

  const graphql = (query: string, token?: string, variables?: Record<string, unknown>) =>
    gqlRequest(gateway.url, query, token, variables);
  const signIn = (email: string) => accessToken(gateway.url, email, USER_PASSWORD);

  /** Succeeds or fails the test with the errors. */
  async function ok<T = Record<string, unknown>>(query: string, token: string, variables?: Record<string, unknown>) {
    const body = await graphql(query, token, variables);
    expect(body.errors).toBeUndefined();
    return body.data as T;
  }

  async function createUser(email: string, role: string): Promise<string> {
    const data = await ok<{ createUser: { id: string } }>(CREATE_USER, owner, {
      input: { email, role, password: USER_PASSWORD },
    });
    return data.createUser.id;
  }

  async function createRole(name: string, rules: Record<string, unknown>[]): Promise<void> {
    await ok(CREATE_ROLE, owner, { input: { name, description: `${name} (e2e)`, rules } });
  }

  /** The audit trail as the owner reads it through the API. */
  async function auditEvents(filter: { action?: string; outcome?: string; actorId?: string }): Promise<AuditRow[]> {
    return (await ok<{ auditEvents: AuditRow[] }>(AUDIT_EVENTS, owner, filter)).auditEvents;
  }

  const emails = async () => (await ok<{ users: { email: string }[] }>('{ users { email } }', owner)).users;
  const roles = async () =>
    (await ok<{ roles: { name: string; description: string; rules: unknown[] }[] }>(ROLES, owner)).roles;
  const keyNames = async (token: string) =>
    (await ok<{ gatewayKeys: { name: string }[] }>(KEYS, token)).gatewayKeys.map((k) => k.name);

  it('lets a custom role do what its rules grant, and refuses the rest with FORBIDDEN and the reason', async () => {
    await createRole('key-auditor', [{ action: ['read'], subject: ['GatewayKey', 'AuditEvent'] }]);
    const auditorId = await createUser('key-auditor@example.com', 'key-auditor');
    const token = await signIn('key-auditor@example.com');

    expect((await graphql('{ gatewayKeys { id name } }', token)).errors).toBeUndefined();
    expect((await graphql('{ auditEvents(limit: 5) { action } }', token)).errors).toBeUndefined();

    const routes = refusal(await graphql('{ routes { name } }', token));
    expect(routes).toEqual({
      code: 'FORBIDDEN',
      message:
        'You may not read Route: that needs one of the roles owner, admin, operator, auditor; you are key-auditor.',
    });
    const create = refusal(await graphql(CREATE_KEY, token, { input: { name: 'auditor-made' } }));
    expect(create).toEqual({
      code: 'FORBIDDEN',
      message:
        'You may not create GatewayKey: that needs one of the roles owner, admin, operator, member; you are key-auditor.',
    });
    expect(await keyNames(owner)).not.toContain('auditor-made');

    // Refused by the authorization guard: recorded as denied, with the message the caller got.
    const denied = await auditEvents({ outcome: 'denied', actorId: auditorId });
    expectEvents(denied, [
      expect.objectContaining({
        action: 'Mutation.createGatewayKey',
        actorEmail: 'key-auditor@example.com',
        subject: 'GatewayKey',
        detail: create.message,
        changes: null,
      }),
      expect.objectContaining({ action: 'Query.routes', subject: 'Route', detail: routes.message }),
    ]);
  });

  it("gives every account its own role's rules through myRole, while roles stays closed to them", async () => {
    const rules = [{ action: ['read'], subject: ['Channel', 'Route'] }];
    await createRole('route-viewer', rules);
    await createUser('route-viewer@example.com', 'route-viewer');
    await createUser('my-role-member@example.com', 'member');
    const MY_ROLE = '{ myRole { name builtIn rules { action subject conditions inverted } } }';

    const viewer = await signIn('route-viewer@example.com');
    expect((await ok<{ myRole: unknown }>(MY_ROLE, viewer)).myRole).toEqual({
      name: 'route-viewer',
      builtIn: false,
      rules: [{ action: ['read'], subject: ['Channel', 'Route'], conditions: null, inverted: false }],
    });
    expect(refusal(await graphql(ROLES, viewer)).code).toBe('FORBIDDEN');

    const member = await signIn('my-role-member@example.com');
    const mine = (
      await ok<{ myRole: { name: string; builtIn: boolean; rules: { subject: string[] }[] } }>(MY_ROLE, member)
    ).myRole;
    expect(mine).toMatchObject({ name: 'member', builtIn: true });
    expect(mine.rules.flatMap((rule) => rule.subject)).toContain('GatewayKey');
    expect(refusal(await graphql(ROLES, member)).code).toBe('FORBIDDEN');
  });

  it('refuses an admin any escalation with FORBIDDEN, changes nothing and records each refusal', async () => {
    await createRole('role-editor', [{ action: ['update'], subject: ['Role'] }]);
    await createRole('superuser', [{ action: ['manage'], subject: ['all'] }]);
    const adminId = await createUser('escalating-admin@example.com', 'admin');
    const memberId = await createUser('plain-member@example.com', 'member');
    const admin = await signIn('escalating-admin@example.com');
    const rolesBefore = await roles();

    // A new owner: refused by the record check (the admin role's inverted rule on owner accounts).
    const asOwner = refusal(
      await graphql(CREATE_USER, admin, {
        input: { email: 'would-be-owner@example.com', role: 'owner', password: USER_PASSWORD },
      }),
    );
    expect(asOwner).toEqual({
      code: 'FORBIDDEN',
      message:
        "You may not give the role 'owner': Only an owner may create, change or delete an owner account, or make someone owner.",
    });
    // A custom role that would lift an exception the admin is held to: refused by escalationProblems.
    const asRoleEditor = refusal(
      await graphql(CREATE_USER, admin, {
        input: { email: 'would-be-editor@example.com', role: 'role-editor', password: USER_PASSWORD },
      }),
    );
    expect(asRoleEditor).toEqual({
      code: 'FORBIDDEN',
      message:
        "You may not give the role 'role-editor': it grants more than your role admin holds " +
        '(update Role: it would lift an exception you are held to (may not update Role)).',
    });
    const toSuperuser = refusal(await graphql(UPDATE_USER, admin, { id: memberId, input: { role: 'superuser' } }));
    expect(toSuperuser.code).toBe('FORBIDDEN');
    expect(toSuperuser.message).toMatch(
      /^You may not give the role 'superuser': it grants more than your role admin holds \(manage all: it would lift an exception you are held to \(may not create Role\); /,
    );
    for (const exception of ['update Role', 'delete Role', 'update User where {"role":"owner"}']) {
      expect(toSuperuser.message).toContain(`(may not ${exception})`);
    }
    // Roles are the owner's alone: refused by the authorization guard before anything is read.
    const editRole = refusal(
      await graphql(UPDATE_ROLE, admin, { name: 'role-editor', input: { description: 'changed by an admin' } }),
    );
    expect(editRole).toEqual({
      code: 'FORBIDDEN',
      message: 'You may not update Role: only an owner may create, change or delete roles.',
    });
    const newRole = refusal(
      await graphql(CREATE_ROLE, admin, {
        input: { name: 'admin-made', rules: [{ action: ['read'], subject: ['Team'] }] },
      }),
    );
    expect(newRole).toEqual({
      code: 'FORBIDDEN',
      message: 'You may not create Role: only an owner may create, change or delete roles.',
    });

    // Nothing changed.
    const users = (
      await ok<{ users: { id: string; email: string; role: string }[] }>('{ users { id email role } }', owner)
    ).users;
    expect(users.filter((u) => u.email.startsWith('would-be-'))).toEqual([]);
    expect(users.find((u) => u.id === memberId)?.role).toBe('member');
    expect(await roles()).toEqual(rolesBefore);

    // Grants refused inside the mutation are failed Mutation.* events with the code and message,
    // and the input with the password redacted; refusals by the guard are denied events.
    const failed = await auditEvents({ action: 'Mutation.*', outcome: 'failed', actorId: adminId });
    expectEvents(failed, [
      expect.objectContaining({
        action: 'Mutation.updateUser',
        subject: 'User',
        subjectId: memberId,
        detail: `FORBIDDEN: ${toSuperuser.message}`,
        changes: { id: memberId, input: { role: 'superuser' } },
      }),
      expect.objectContaining({
        action: 'Mutation.createUser',
        subject: 'User',
        detail: `FORBIDDEN: ${asRoleEditor.message}`,
        changes: { input: { email: 'would-be-editor@example.com', role: 'role-editor', password: '[redacted]' } },
      }),
      expect.objectContaining({
        action: 'Mutation.createUser',
        detail: `FORBIDDEN: ${asOwner.message}`,
        changes: { input: { email: 'would-be-owner@example.com', role: 'owner', password: '[redacted]' } },
      }),
    ]);
    const denied = await auditEvents({ outcome: 'denied', actorId: adminId });
    expectEvents(denied, [
      expect.objectContaining({ action: 'Mutation.createRole', subject: 'Role', detail: newRole.message }),
      expect.objectContaining({ action: 'Mutation.updateRole', subject: 'Role', detail: editRole.message }),
    ]);

    // The owner may change a custom role, and that is recorded too.
    const changed = await ok<{ updateRole: unknown }>(UPDATE_ROLE, owner, {
      name: 'role-editor',
      input: { description: 'Reads roles only.', rules: [{ action: ['read'], subject: ['Role'] }] },
    });
    expect(changed.updateRole).toEqual({
      name: 'role-editor',
      description: 'Reads roles only.',
      rules: [{ action: ['read'], subject: ['Role'] }],
    });
    expect(await auditEvents({ action: 'Mutation.updateRole', outcome: 'succeeded', actorId: ownerId })).toEqual([
      expect.objectContaining({ subject: 'Role', subjectId: 'role-editor', actorEmail: OWNER_EMAIL }),
    ]);
  });

  it('refuses bad input with BAD_USER_INPUT naming the problem, saves nothing and records the failure', async () => {
    const cidr = refusal(
      await graphql(CREATE_KEY, owner, { input: { name: 'bad-cidr', ipAllow: ['10.0.0.0/8', '10.0.0.300/8'] } }),
    );
    expect(cidr).toEqual({ code: 'BAD_USER_INPUT', message: "ipAllow[1]: '10.0.0.300/8' is not a valid CIDR" });
    expect(await keyNames(owner)).not.toContain('bad-cidr');

    const badRole = refusal(
      await graphql(CREATE_ROLE, owner, {
        input: {
          name: 'nonsense',
          rules: [
            { action: ['fly'], subject: ['GatewayKey'] },
            { action: ['read'], subject: ['Spaceship'] },
            { action: ['read'], subject: ['GatewayKey'], conditions: { userId: '${user.email}' } },
          ],
        },
      }),
    );
    expect(badRole.code).toBe('BAD_USER_INPUT');
    expect(badRole.message).toMatch(/^Role 'nonsense' has invalid rules: /);
    expect(badRole.message).toContain("rules[0].action: unknown 'fly' (one of manage, create, read, update, delete)");
    expect(badRole.message).toContain("rules[1].subject: unknown 'Spaceship'");
    expect(badRole.message).toContain(
      "rules[2].conditions: unknown placeholder in '${user.email}' (known: ${user.id}, ${user.teamIds})",
    );
    expect((await roles()).map((r) => r.name)).not.toContain('nonsense');

    const failed = await auditEvents({ outcome: 'failed', actorId: ownerId });
    expect(failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'Mutation.createGatewayKey',
          subject: 'GatewayKey',
          subjectId: 'bad-cidr',
          detail: `BAD_USER_INPUT: ${cidr.message}`,
        }),
        expect.objectContaining({
          action: 'Mutation.createRole',
          subject: 'Role',
          subjectId: 'nonsense',
          detail: `BAD_USER_INPUT: ${badRole.message}`,
        }),
      ]),
    );
  });

  it('records a wrong password and a forged token as failed auth.* events, without either secret', async () => {
    const wrongPassword = 'e2e-wrong-password-0815';
    const response = await login(gateway.url, OWNER_EMAIL, wrongPassword);
    expect(response.status).toBe(401);

    await createUser('forger@example.com', 'member');
    const genuine = await signIn('forger@example.com');
    const forgery = forged(genuine, { role: 'owner' });
    const body = await graphql('{ users { email } }', forgery);
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    expect(body.data).toBeNull();

    const auth = await auditEvents({ action: 'auth.*', outcome: 'failed' });
    expect(auth).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'auth.login', actorEmail: OWNER_EMAIL, detail: 'bad_password' }),
        expect.objectContaining({ action: 'auth.accessToken', actorId: null, detail: 'POST /graphql: invalid_token' }),
      ]),
    );

    // Straight from the store: no column of any event holds a password or a token.
    const rows = sqliteRows<{ action: string; subject_id: string | null; changes: string | null }>(
      dataDir,
      'SELECT * FROM audit_events',
    );
    const forgerCreated = rows.find((r) => r.action === 'Mutation.createUser' && r.changes?.includes('forger@'));
    expect(JSON.parse(forgerCreated?.changes ?? 'null')).toEqual({
      input: { email: 'forger@example.com', role: 'member', password: '[redacted]' },
    });
    const stored = JSON.stringify(rows);
    expect(stored).toContain('auth.login');
    for (const secret of [wrongPassword, OWNER_PASSWORD, USER_PASSWORD, forgery, genuine, ...genuine.split('.')]) {
      expect(stored).not.toContain(secret);
    }
  });

  it("keeps a channel's write-only API key and header values out of the audit trail", async () => {
    const apiKey = 'sk-upstream-audit-0123456789';
    const headerValue = 'hdr-audit-secret-0123456789';
    const newHeaderValue = 'hdr-audit-secret-rotated-987';
    const created = await ok<{ createChannel: { id: string } }>(
      'mutation($input: CreateChannelInput!) { createChannel(input: $input) { id } }',
      owner,
      {
        input: {
          name: 'audited-channel',
          baseUrl: upstream.url,
          models: ['audited-model'],
          apiKey,
          headers: [{ name: 'x-upstream-token-2', value: headerValue }],
        },
      },
    );
    await ok(
      'mutation($id: ID!, $input: UpdateChannelInput!) { updateChannel(id: $id, input: $input) { id } }',
      owner,
      {
        id: created.createChannel.id,
        input: { headers: [{ name: 'x-team', value: newHeaderValue }] },
      },
    );

    const events = await auditEvents({ action: 'Mutation.*', outcome: 'succeeded', actorId: ownerId });
    expect(events.find((e) => e.action === 'Mutation.createChannel')?.changes).toEqual({
      input: expect.objectContaining({
        name: 'audited-channel',
        apiKey: '[redacted]',
        headers: [{ name: 'x-upstream-token-2', value: '[redacted]' }],
      }),
    });
    expect(events.find((e) => e.action === 'Mutation.updateChannel')?.changes).toEqual({
      id: created.createChannel.id,
      input: { headers: [{ name: 'x-team', value: '[redacted]' }] },
    });
    const stored = JSON.stringify(sqliteRows(dataDir, 'SELECT * FROM audit_events'));
    for (const secret of [apiKey, headerValue, newHeaderValue]) expect(stored).not.toContain(secret);
  });

  it('applies a role change at the next request, and a deleted account loses its token and its keys', async () => {
    const id = await createUser('demoted@example.com', 'admin');
    const token = await signIn('demoted@example.com');
    expect((await graphql('{ auditEvents(limit: 1) { action } }', token)).errors).toBeUndefined();

    await ok(UPDATE_USER, owner, { id, input: { role: 'member' } });
    // The same access token (it still says admin): the role as stored now decides.
    expect(refusal(await graphql('{ auditEvents(limit: 1) { action } }', token))).toEqual({
      code: 'FORBIDDEN',
      message: 'You may not read AuditEvent: that needs one of the roles owner, admin, auditor; you are member.',
    });
    expect((await ok<{ me: { role: string } }>('{ me { role } }', token)).me.role).toBe('member');

    const { secret } = (
      await ok<{ createGatewayKey: { secret: string } }>(CREATE_KEY, token, {
        input: { name: 'demoted-own-key' },
      })
    ).createGatewayKey;
    const client = new OpenAI({ apiKey: secret, baseURL: gateway.baseURL, maxRetries: 0 });
    const ask = () =>
      client.chat.completions.create({ model: 'e2e-model', messages: [{ role: 'user', content: 'hi' }] });
    expect((await ask()).choices[0].message.content).toBeTruthy();

    await ok(DELETE_USER, owner, { id });
    expect(refusal(await graphql('{ me { id } }', token))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Your account no longer exists.',
    });
    expect(await apiError(ask())).toMatchObject({ status: 401, code: 'revoked_api_key' });
    expectEvents(await auditEvents({ outcome: 'denied', actorId: id }), [
      expect.objectContaining({ action: 'Query.me', detail: 'account no longer exists' }),
      expect.objectContaining({ action: 'Query.auditEvents', subject: 'AuditEvent' }),
    ]);
  });

  it('ends the access token of a session at sign-out, and every session at a password change', async () => {
    await createUser('sessions@example.com', 'auditor');
    const signInPair = async () =>
      (await (await login(gateway.url, 'sessions@example.com', USER_PASSWORD)).json()) as {
        accessToken: string;
        refreshToken: string;
      };
    const [laptop, phone] = [await signInPair(), await signInPair()];
    const me = '{ me { email } }';
    expect((await graphql(me, laptop.accessToken)).errors).toBeUndefined();

    const logout = await fetch(`${gateway.url}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: laptop.refreshToken }),
    });
    expect(logout.status).toBeLessThan(300);
    expect(refusal(await graphql(me, laptop.accessToken))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'The access token was revoked (signed out): sign in again (POST /api/auth/login).',
    });
    expect((await graphql(me, phone.accessToken)).errors).toBeUndefined();

    const change = await fetch(`${gateway.url}/api/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${phone.accessToken}` },
      body: JSON.stringify({ currentPassword: USER_PASSWORD, newPassword: `${USER_PASSWORD}-new` }),
    });
    expect(change.status).toBeLessThan(300);
    expect(codes(await graphql(me, phone.accessToken))).toEqual(['UNAUTHENTICATED']);
    const fresh = await accessToken(gateway.url, 'sessions@example.com', `${USER_PASSWORD}-new`);
    expect((await graphql(me, fresh)).errors).toBeUndefined();
    const refused = await auditEvents({ action: 'auth.accessToken', outcome: 'failed' });
    expect(refused.map((e) => e.detail)).toContain('POST /graphql: revoked_token');
  });

  it("shows a team's keys to its members, read only, and to nobody else", async () => {
    const memberId = await createUser('team-member@example.com', 'member');
    await createUser('loner@example.com', 'member');
    // Signed in before joining: membership counts at the next request, like a role.
    const member = await signIn('team-member@example.com');
    const loner = await signIn('loner@example.com');

    const team = (
      await ok<{ createTeam: { id: string } }>('mutation { createTeam(input: { name: "ml-team" }) { id } }', owner)
    ).createTeam;
    const added = await ok<{ addTeamMember: { members: { email: string }[] } }>(
      'mutation($teamId: ID!, $userId: ID!) { addTeamMember(teamId: $teamId, userId: $userId) { members { email } } }',
      owner,
      { teamId: team.id, userId: memberId },
    );
    expect(added.addTeamMember.members).toEqual([{ email: 'team-member@example.com' }]);
    const { key } = (
      await ok<{ createGatewayKey: { key: { id: string } } }>(CREATE_KEY, owner, {
        input: { name: 'ml-team-key', teamId: team.id },
      })
    ).createGatewayKey;

    expect(await keyNames(member)).toEqual(['ml-team-key']);
    expect(await ok('{ teams { name members { email } } }', member)).toEqual({
      teams: [{ name: 'ml-team', members: [{ email: 'team-member@example.com' }] }],
    });
    expect(await ok('{ me { teamIds } }', member)).toEqual({ me: { teamIds: [team.id] } });

    const revoke = refusal(
      await graphql('mutation($id: ID!) { revokeGatewayKey(id: $id) { id } }', member, { id: key.id }),
    );
    expect(revoke).toEqual({ code: 'FORBIDDEN', message: "You may not delete the key 'ml-team-key'." });
    const stillActive = (await ok<{ gatewayKeys: { id: string; revokedAt: string | null }[] }>(KEYS, owner))
      .gatewayKeys;
    expect(stillActive.find((k) => k.id === key.id)?.revokedAt).toBeNull();

    expect(await keyNames(loner)).toEqual([]);
    expect(await ok('{ teams { name } }', loner)).toEqual({ teams: [] });
  });

  it('keeps the last owner: neither demoted nor deleted (BAD_USER_INPUT)', async () => {
    // A custom role with every permission may touch owner accounts, so only the last-owner rule stops it.
    await createRole('almighty', [{ action: ['manage'], subject: ['all'] }]);
    await createUser('almighty@example.com', 'almighty');
    const almighty = await signIn('almighty@example.com');
    const lastOwner = `it is the last owner account.`;

    expect(refusal(await graphql(UPDATE_USER, owner, { id: ownerId, input: { role: 'admin' } }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: `You may not demote '${OWNER_EMAIL}': ${lastOwner}`,
    });
    expect(refusal(await graphql(UPDATE_USER, almighty, { id: ownerId, input: { role: 'member' } }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: `You may not demote '${OWNER_EMAIL}': ${lastOwner}`,
    });
    expect(refusal(await graphql(DELETE_USER, almighty, { id: ownerId }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: `You may not delete '${OWNER_EMAIL}': ${lastOwner}`,
    });
    expect(refusal(await graphql(DELETE_USER, owner, { id: ownerId }))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'You may not delete your own account.',
    });
    expect(await ok('{ me { email role } }', owner)).toEqual({ me: { email: OWNER_EMAIL, role: 'owner' } });
    expect((await emails()).map((u) => u.email)).toContain(OWNER_EMAIL);
  });
});

describeWithPostgres('access control on two replicas (PostgreSQL + Redis)', () => {
  const database = `synapse_access_e2e_${process.pid}`;
  const databaseUrl = POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`);
  const replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    if (!redisAvailable) throw new Error('this suite needs Redis as well');
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
    await runPostgres(`CREATE DATABASE ${database}`);
    // Redis may be shared with other suites: no admin rate limit counted there across them.
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      HEALTH_CHECK_INTERVAL_MS: '0',
      ADMIN_RATE_LIMIT_PER_MINUTE: '0',
    };
    replicas.push(await startGateway({ env }));
    replicas.push(await startGateway({ env }));
  });

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.stop();
      removeDir(replica.dataDir);
    }
    await runPostgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('enforces a role change made through one replica on the other within a second', async () => {
    const [a, b] = replicas;
    const owner = await accessToken(a.url, 'admin@synapsehub.local', 'e2e-admin-password');
    const created = await gqlRequest(a.url, CREATE_USER, owner, {
      input: { email: 'replicated-admin@example.com', role: 'admin', password: USER_PASSWORD },
    });
    expect(created.errors).toBeUndefined();
    const { id } = created.data?.['createUser'] as { id: string };
    const token = await accessToken(a.url, 'replicated-admin@example.com', USER_PASSWORD);
    const readAudit = () => gqlRequest(b.url, '{ auditEvents(limit: 1) { action } }', token);
    // B knows the account as an admin (and has cached that) before the change.
    await eventually(async () => expect((await readAudit()).errors).toBeUndefined());

    const demoted = await gqlRequest(a.url, UPDATE_USER, owner, { id, input: { role: 'member' } });
    expect(demoted.errors).toBeUndefined();
    const started = Date.now();
    await eventually(async () => expect(codes(await readAudit())).toEqual(['FORBIDDEN']));
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
