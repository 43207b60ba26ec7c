import { hashApiKey } from '@synapse/crypto';
import { startAdminApiTestApp, type AdminApiTestApp } from '../testing/admin-api-test-app';
import { GatewayKeysResolver } from './gateway-keys.resolver';

const FIELDS =
  'id name prefix models endpoints ipAllow enabled expiresAt revokedAt previousValidUntil userId createdAt';
const CREATE = `mutation($input: CreateGatewayKeyInput!) { createGatewayKey(input: $input) { secret key { ${FIELDS} } } }`;
const ROTATE =
  'mutation($id: ID!) { rotateGatewayKey(id: $id, graceSeconds: 30) { secret key { previousValidUntil } } }';
const REVOKE = 'mutation($id: ID!) { revokeGatewayKey(id: $id) { revokedAt } }';
const UPDATE =
  'mutation($id: ID!, $input: UpdateGatewayKeyInput!) { updateGatewayKey(id: $id, input: $input) { ipAllow } }';
const LIST = `{ gatewayKeys { ${FIELDS} } }`;

/** The gateway key operations over GraphQL, as the gateway serves them, on an in-memory store. */
describe(GatewayKeysResolver.name, () => {
  let t: AdminApiTestApp;

  beforeAll(async () => {
    t = await startAdminApiTestApp();
  });

  afterAll(() => t.close());

  beforeEach(() => {
    t.keys.keys.clear();
    t.bus.published.length = 0;
  });

  it('creates, lists, rotates, restricts and revokes a key, reloading the catalog after each change', async () => {
    const token = await t.tokenFor('operator');
    const created = await t.graphql(CREATE, {
      token,
      variables: { input: { name: 'ci', endpoints: ['embeddings'], expiresAt: '2031-01-01T00:00:00.000Z' } },
    });
    const { secret, key } = (created.data?.['createGatewayKey'] ?? {}) as { secret: string; key: { id: string } };
    expect(created.errors).toBeUndefined();
    expect(t.keys.keys.get(key.id)?.hash).toBe(hashApiKey(secret));
    const listed = await t.graphql(LIST, { token });
    expect(listed.data?.['gatewayKeys']).toEqual([
      expect.objectContaining({
        id: key.id,
        name: 'ci',
        models: ['*'],
        endpoints: ['embeddings'],
        ipAllow: null,
        enabled: true,
        expiresAt: '2031-01-01T00:00:00.000Z',
        revokedAt: null,
        userId: null,
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const rotated = await t.graphql(ROTATE, { token, variables: { id: key.id } });
    expect(rotated.data?.['rotateGatewayKey']).toMatchObject({ secret: expect.stringMatching(/^sk-/) });
    const restricted = await t.graphql(UPDATE, {
      token,
      variables: { id: key.id, input: { ipAllow: ['127.0.0.0/8'] } },
    });
    expect(restricted.data?.['updateGatewayKey']).toEqual({ ipAllow: ['127.0.0.0/8'] });
    const revoked = await t.graphql(REVOKE, { token, variables: { id: key.id } });
    expect(revoked.data?.['revokeGatewayKey']).toEqual({ revokedAt: expect.any(String) });
    expect(t.bus.published).toEqual(['catalog', 'catalog', 'catalog', 'catalog']);
  });

  it('answers bad input with BAD_USER_INPUT naming the field, unknown ids with NOT_FOUND, and changes nothing', async () => {
    const token = await t.tokenFor('admin');
    const bad = await t.graphql(CREATE, {
      token,
      variables: { input: { name: 'ci', ipAllow: ['10.0.0.0/8', '10.0.0.300/8'] } },
    });
    expect(bad.errors).toEqual([
      expect.objectContaining({
        message: "ipAllow[1]: '10.0.0.300/8' is not a valid CIDR",
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
    const unknown = await t.graphql(REVOKE, { token, variables: { id: 'no-such-key' } });
    expect(unknown.errors?.[0].extensions?.['code']).toBe('NOT_FOUND');
    expect(t.keys.keys.size).toBe(0);
    expect(t.bus.published).toEqual([]);
  });

  it('gives members their own keys only', async () => {
    await t.graphql(CREATE, { token: await t.tokenFor('operator'), variables: { input: { name: 'ops' } } });
    const member = await t.tokenFor('member');
    const created = await t.graphql(CREATE, { token: member, variables: { input: { name: 'mine' } } });
    expect(created.data?.['createGatewayKey']).toMatchObject({ key: { name: 'mine', userId: 'id-member' } });
    const listed = await t.graphql(LIST, { token: member });
    expect((listed.data?.['gatewayKeys'] as { name: string }[]).map((k) => k.name)).toEqual(['mine']);
  });

  it("shows a key's spend today and this month while it has a budget, null without one", async () => {
    const token = await t.tokenFor('operator');
    for (const input of [
      { name: 'budgeted', limits: { dailyBudgetUsd: 1 } },
      { name: 'free', limits: { rpm: 5 } },
    ]) {
      await t.graphql(CREATE, { token, variables: { input } });
    }
    const budgeted = [...t.keys.keys.values()].find((k) => k.name === 'budgeted');
    if (!budgeted) throw new Error('missing key');
    t.limiter.charge(
      [{ kind: 'key', name: `key:${budgeted.id}`, limits: { dailyBudgetUsd: 1 } }],
      { tokens: 0, costMicroUsd: 42 },
      Date.now(),
    );
    const listed = await t.graphql('{ gatewayKeys { name spend { todayUsd monthUsd } } }', { token });
    expect(listed.data?.['gatewayKeys']).toEqual([
      { name: 'budgeted', spend: { todayUsd: 0.000042, monthUsd: 0.000042 } },
      { name: 'free', spend: null },
    ]);
  });
});
