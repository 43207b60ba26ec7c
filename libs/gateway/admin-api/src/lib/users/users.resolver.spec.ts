import { hashPassword } from '@synapse/gateway/auth';
import { startAdminApiTestApp, TEST_PASSWORD, type AdminApiTestApp } from '../testing/admin-api-test-app';
import { UsersResolver } from './users.resolver';

const LIMITS = 'limits { rpm tpm concurrency dailyBudgetUsd monthlyBudgetUsd } spend { todayUsd monthUsd }';
const UPDATE = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id ${LIMITS} } }`;
const CREATE = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email ${LIMITS} } }`;
const NO_CAPS = { rpm: null, tpm: null, concurrency: null, dailyBudgetUsd: null, monthlyBudgetUsd: null };

/** Accounts' limits over GraphQL, as the gateway serves them, on an in-memory store. */
describe(UsersResolver.name, () => {
  let t: AdminApiTestApp;

  beforeAll(async () => {
    t = await startAdminApiTestApp();
  });

  afterAll(() => t.close());

  beforeEach(async () => {
    t.bus.published.length = 0;
    const member = await t.users.findById('id-member');
    if (member) await t.users.save({ ...member, name: null, limits: null });
  });

  it('sets, shows and clears a user’s limits, reloading the catalog each time', async () => {
    const token = await t.tokenFor('admin');
    const set = await t.graphql(UPDATE, {
      token,
      variables: { id: 'id-member', input: { limits: { rpm: 3, dailyBudgetUsd: 2.5 } } },
    });
    expect(set.errors).toBeUndefined();
    expect(set.data?.['updateUser']).toEqual({
      id: 'id-member',
      limits: { ...NO_CAPS, rpm: 3, dailyBudgetUsd: 2.5 },
      spend: { todayUsd: 0, monthUsd: 0 },
    });
    expect((await t.users.findById('id-member'))?.limits).toEqual({ rpm: 3, dailyBudgetUsd: 2.5 });
    expect(t.bus.published).toEqual(['catalog']);

    const cleared = await t.graphql(UPDATE, { token, variables: { id: 'id-member', input: { limits: null } } });
    expect(cleared.data?.['updateUser']).toEqual({ id: 'id-member', limits: null, spend: null });
    expect((await t.users.findById('id-member'))?.limits).toBeNull();
    expect(t.bus.published).toEqual(['catalog', 'catalog']);
  });

  it('leaves limits and the catalog alone when only the name changes', async () => {
    const token = await t.tokenFor('admin');
    await t.graphql(UPDATE, { token, variables: { id: 'id-member', input: { limits: { tpm: 1000 } } } });
    t.bus.published.length = 0;
    const renamed = await t.graphql(UPDATE, { token, variables: { id: 'id-member', input: { name: 'Max' } } });
    expect(renamed.data?.['updateUser']).toMatchObject({ limits: { ...NO_CAPS, tpm: 1000 } });
    expect(t.bus.published).toEqual([]);
  });

  it('shows spend from the limiter counters while a budget is set', async () => {
    const token = await t.tokenFor('admin');
    await t.graphql(UPDATE, { token, variables: { id: 'id-member', input: { limits: { monthlyBudgetUsd: 10 } } } });
    t.limiter.charge(
      [{ kind: 'user', name: 'user:id-member', limits: { monthlyBudgetUsd: 10 } }],
      { tokens: 0, costMicroUsd: 1_250_000 },
      Date.now(),
    );
    const listed = await t.graphql(`{ users { id ${LIMITS} } }`, { token });
    const users = listed.data?.['users'] as { id: string; spend: unknown }[];
    expect(users.find((u) => u.id === 'id-member')?.spend).toEqual({ todayUsd: 1.25, monthUsd: 1.25 });
    expect(users.find((u) => u.id === 'id-admin')?.spend).toBeNull();
  });

  it('creates an account with limits', async () => {
    const created = await t.graphql(CREATE, {
      token: await t.tokenFor('owner'),
      variables: { input: { email: 'capped@example.com', role: 'member', limits: { concurrency: 2 } } },
    });
    expect(created.data?.['createUser']).toMatchObject({
      email: 'capped@example.com',
      limits: { ...NO_CAPS, concurrency: 2 },
      spend: null,
    });
    expect(t.bus.published).toEqual(['catalog']);
  });

  it('answers bad limits with BAD_USER_INPUT naming the field, and saves nothing', async () => {
    const response = await t.graphql(UPDATE, {
      token: await t.tokenFor('admin'),
      variables: { id: 'id-member', input: { name: 'changed', limits: { rpm: 0, dailyBudgetUsd: -1 } } },
    });
    expect(response.errors?.[0].extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].message).toMatch(/^limits\.rpm: .*; limits\.dailyBudgetUsd: /);
    expect(await t.users.findById('id-member')).toMatchObject({ name: null, limits: null });
    expect(t.bus.published).toEqual([]);
  });

  it('keeps the rules of updateUser: an admin may not set an owner’s limits, a member no one’s', async () => {
    const byAdmin = await t.graphql(UPDATE, {
      token: await t.tokenFor('admin'),
      variables: { id: 'id-owner', input: { limits: { rpm: 1 } } },
    });
    expect(byAdmin.errors?.[0].extensions?.['code']).toBe('FORBIDDEN');
    const byMember = await t.graphql(UPDATE, {
      token: await t.tokenFor('member'),
      variables: { id: 'id-member', input: { limits: null } },
    });
    expect(byMember.errors?.[0].extensions?.['code']).toBe('FORBIDDEN');
    expect((await t.users.findById('id-owner'))?.limits).toBeNull();
    expect(t.bus.published).toEqual([]);
  });

  it('lets nobody lift their own limits through a right to edit only their own account', async () => {
    const role = await t.graphql(`mutation($input: CreateRoleInput!) { createRole(input: $input) { name } }`, {
      token: await t.tokenFor('owner'),
      variables: {
        input: {
          name: 'self-editor',
          rules: [{ action: ['read', 'update'], subject: ['User'], conditions: { id: '${user.id}' } }],
        },
      },
    });
    expect(role.errors).toBeUndefined();
    const now = new Date();
    await t.users.save({
      id: 'id-self-editor',
      email: 'self-editor@example.com',
      name: null,
      role: 'self-editor',
      passwordHash: await hashPassword(TEST_PASSWORD),
      limits: { rpm: 1 },
      createdAt: now,
      updatedAt: now,
    });
    const token = await t.tokenFor('self-editor');
    const renamed = await t.graphql(UPDATE, { token, variables: { id: 'id-self-editor', input: { name: 'Me' } } });
    expect(renamed.errors).toBeUndefined();
    const lifted = await t.graphql(UPDATE, { token, variables: { id: 'id-self-editor', input: { limits: null } } });
    expect(lifted.errors?.[0]).toMatchObject({
      message: 'You may not change the limits of your own account.',
      extensions: { code: 'FORBIDDEN' },
    });
    expect((await t.users.findById('id-self-editor'))?.limits).toEqual({ rpm: 1 });
  });

  it('holds a custom role to the fields its rules name: a name editor may rename, not change roles or limits', async () => {
    const owner = await t.tokenFor('owner');
    const role = await t.graphql(
      `mutation { createRole(input: { name: "name-editor", rules: [
        { action: ["read"], subject: ["User"] },
        { action: ["update"], subject: ["User"], fields: ["name"] }
      ] }) { name } }`,
      { token: owner },
    );
    expect(role.errors).toBeUndefined();
    const created = await t.graphql(CREATE, {
      token: owner,
      variables: { input: { email: 'name-editor@example.com', role: 'name-editor', password: TEST_PASSWORD } },
    });
    expect(created.errors).toBeUndefined();
    const editor = await t.tokenFor('name-editor');

    const renamed = await t.graphql(UPDATE, { token: editor, variables: { id: 'id-member', input: { name: 'Mo' } } });
    expect(renamed.errors).toBeUndefined();
    expect((await t.users.findById('id-member'))?.name).toBe('Mo');

    for (const input of [{ role: 'admin' }, { name: 'Max', limits: { rpm: 1 } }]) {
      const refused = await t.graphql(UPDATE, { token: editor, variables: { id: 'id-member', input } });
      expect(refused.errors?.map((e) => [e.extensions?.['code'], e.message])).toEqual([
        [
          'FORBIDDEN',
          `You may not update ${'role' in input ? 'role' : 'limits'} of 'member@example.com': your role does not cover these fields.`,
        ],
      ]);
    }
    const member = await t.users.findById('id-member');
    expect([member?.name, member?.role, member?.limits ?? null]).toEqual(['Mo', 'member', null]);
  });
});
