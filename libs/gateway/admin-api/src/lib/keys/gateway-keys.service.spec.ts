import { hashApiKey } from '@synapse/crypto';
import type { AuthenticatedUser } from '@synapse/gateway/auth';
import { openAccessTestStore, type AccessTestStore } from '@synapse/gateway/auth/testing';
import { defineAbilityFor } from '@synapse/rbac';
import type { GraphQLError } from 'graphql';
import { FakeRoutingAdmin } from '../testing/fake-routing-admin';
import { InMemoryGatewayKeyRepository, InMemoryUserRepository } from '@synapse/gateway/persistence/testing';
import { GatewayKeysService } from './gateway-keys.service';
import { ENDPOINTS } from '@synapse/endpoints';

const operator: AuthenticatedUser = { id: 'u-op', email: 'op@example.com', role: 'operator' };
const member: AuthenticatedUser = { id: 'u-m', email: 'm@example.com', role: 'member' };
const other: AuthenticatedUser = { id: 'u-other', email: 'o@example.com', role: 'member' };
const abilityOf = (user: AuthenticatedUser) => defineAbilityFor(user);

describe(GatewayKeysService.name, () => {
  let keys: InMemoryGatewayKeyRepository;
  let bus: FakeRoutingAdmin;
  let service: GatewayKeysService;
  let access: AccessTestStore;

  beforeAll(async () => (access = await openAccessTestStore()));
  afterAll(() => access.close());

  beforeEach(() => {
    keys = new InMemoryGatewayKeyRepository();
    bus = new FakeRoutingAdmin();
    service = new GatewayKeysService(keys, new InMemoryUserRepository(), access.teams, bus);
  });

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: GraphQLError) => ({ code: error.extensions?.['code'], message: error.message }),
    );

  it('creates a key whose secret is returned once and stored only as a hash, and reloads the catalog', async () => {
    const { key, secret } = await service.create(
      { name: 'ci', endpoints: ['embeddings'], ipAllow: ['10.0.0.0/8'] },
      operator,
      abilityOf(operator),
    );
    const stored = await keys.findById(key.id);
    expect(secret).toMatch(/^sk-/);
    expect(stored).toMatchObject({ hash: hashApiKey(secret), models: ['*'], endpoints: ['embeddings'], userId: null });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(key).not.toHaveProperty('hash');
    expect(key.prefix).toBe(secret.slice(0, key.prefix.length));
    expect(bus.published).toEqual(['catalog']);
  });

  it('refuses bad input naming the field, and saves nothing', async () => {
    expect(
      await failure(
        service.create({ name: 'bad', ipAllow: ['10.0.0.0/8', '10.0.0.300/8'] }, operator, abilityOf(operator)),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', message: "ipAllow[1]: '10.0.0.300/8' is not a valid CIDR" });
    expect(
      await failure(service.create({ name: 'bad', endpoints: ['images'] }, operator, abilityOf(operator))),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      message: `endpoints[0]: 'images' is not one of: ${ENDPOINTS.join(', ')}`,
    });
    await service.create({ name: 'taken' }, operator, abilityOf(operator));
    expect(await failure(service.create({ name: 'taken' }, operator, abilityOf(operator)))).toEqual({
      code: 'BAD_USER_INPUT',
      message: "name: a key named 'taken' already exists",
    });
    expect(keys.keys.size).toBe(1);
    expect(bus.published).toEqual(['catalog']);
  });

  it('rotates: a new secret, the old hash kept for the grace period; 0 drops it at once', async () => {
    const { key, secret } = await service.create({ name: 'ci' }, operator, abilityOf(operator));
    const before = Date.now();
    const rotated = await service.rotate(key.id, 60, abilityOf(operator));
    const stored = await keys.findById(key.id);
    expect(rotated.secret).not.toBe(secret);
    expect(stored?.hash).toBe(hashApiKey(rotated.secret));
    expect(stored?.previousHash).toBe(hashApiKey(secret));
    expect(stored?.previousValidUntil?.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    expect(rotated.key.previousValidUntil).toEqual(stored?.previousValidUntil);
    await service.rotate(key.id, 0, abilityOf(operator));
    expect(await keys.findById(key.id)).toMatchObject({ previousHash: null, previousValidUntil: null });
    expect(await failure(service.rotate(key.id, 7 * 24 * 3600 + 1, abilityOf(operator)))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'graceSeconds: must be between 0 and 604800 (7 days)',
    });
    expect(bus.published).toHaveLength(3);
  });

  it('revokes once, keeps the first time, and refuses to rotate a revoked key', async () => {
    const { key } = await service.create({ name: 'ci' }, operator, abilityOf(operator));
    const revoked = await service.revoke(key.id, abilityOf(operator));
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect((await service.revoke(key.id, abilityOf(operator))).revokedAt).toEqual(revoked.revokedAt);
    expect((await failure(service.rotate(key.id, 60, abilityOf(operator)))).code).toBe('BAD_USER_INPUT');
  });

  it('updates the given fields, clears lists with null, and checks like create', async () => {
    const { key } = await service.create({ name: 'ci', ipAllow: ['10.0.0.0/8'] }, operator, abilityOf(operator));
    const updated = await service.update(
      key.id,
      { name: 'ci-2', endpoints: ['chat.completions'], ipAllow: null, enabled: false },
      abilityOf(operator),
    );
    expect(updated).toMatchObject({ name: 'ci-2', endpoints: ['chat.completions'], ipAllow: null, enabled: false });
    expect(updated.models).toEqual(['*']);
    expect(await failure(service.update(key.id, { ipAllow: ['::1/129'] }, abilityOf(operator)))).toEqual({
      code: 'BAD_USER_INPUT',
      message: "ipAllow[0]: '::1/129' is not a valid CIDR",
    });
    expect((await keys.findById(key.id))?.ipAllow).toBeNull();
    expect((await failure(service.update('nope', {}, abilityOf(operator)))).code).toBe('NOT_FOUND');
  });

  it("lets members create, see and change only their own keys; others' keys are not found", async () => {
    const mine = await service.create({ name: 'mine' }, member, abilityOf(member));
    const theirs = await service.create({ name: 'theirs' }, other, abilityOf(other));
    await service.create({ name: 'ops' }, operator, abilityOf(operator));
    expect(mine.key.userId).toBe(member.id);
    expect((await service.list(abilityOf(member))).map((k) => k.name)).toEqual(['mine']);
    expect((await service.list(abilityOf(operator))).map((k) => k.name)).toEqual(['mine', 'ops', 'theirs']);
    for (const attempt of [
      service.revoke(theirs.key.id, abilityOf(member)),
      service.rotate(theirs.key.id, 60, abilityOf(member)),
      service.update(theirs.key.id, { enabled: false }, abilityOf(member)),
    ]) {
      expect((await failure(attempt)).code).toBe('NOT_FOUND');
    }
    expect((await keys.findById(theirs.key.id))?.revokedAt).toBeNull();
    expect((await failure(service.create({ name: 'x', userId: other.id }, member, abilityOf(member)))).code).toBe(
      'FORBIDDEN',
    );
    expect((await service.revoke(mine.key.id, abilityOf(member))).revokedAt).toBeInstanceOf(Date);
  });

  it('lets members change their own keys but not the limits put on them', async () => {
    const { key } = await service.create({ name: 'mine' }, member, abilityOf(member));
    await service.update(key.id, { limits: { rpm: 5 } }, abilityOf(operator));
    expect(await service.update(key.id, { name: 'renamed' }, abilityOf(member))).toMatchObject({ name: 'renamed' });
    expect(await failure(service.update(key.id, { limits: null }, abilityOf(member)))).toEqual({
      code: 'FORBIDDEN',
      message: "You may not update limits of the key 'renamed': your role does not cover these fields.",
    });
    expect((await keys.findById(key.id))?.limits).toEqual({ rpm: 5 });
  });

  it('moves a key between a user, a team and nobody, as the ability allows', async () => {
    const now = new Date();
    const team = await access.teams.save({
      id: `team-${Date.now()}`,
      name: `moves-${Date.now()}`,
      description: null,
      limits: null,
      createdAt: now,
      updatedAt: now,
    });
    const { key } = await service.create({ name: 'movable' }, operator, abilityOf(operator));
    expect(await service.update(key.id, { teamId: team.id }, abilityOf(operator))).toMatchObject({
      teamId: team.id,
      userId: null,
    });
    expect(await service.update(key.id, { teamId: null }, abilityOf(operator))).toMatchObject({
      teamId: null,
      userId: null,
    });
    expect(await failure(service.update(key.id, { teamId: 'no-such-team' }, abilityOf(operator)))).toEqual({
      code: 'BAD_USER_INPUT',
      message: "teamId: no team 'no-such-team'",
    });
    expect(
      await failure(service.update(key.id, { teamId: team.id, userId: member.id }, abilityOf(operator))),
    ).toMatchObject({ code: 'BAD_USER_INPUT' });

    const { key: own } = await service.create({ name: 'members-own' }, member, abilityOf(member));
    expect(await failure(service.update(own.id, { teamId: team.id }, abilityOf(member)))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await keys.findById(own.id))?.teamId).toBeNull();
  });

  it('sets, changes and clears limits, checked like the config file', async () => {
    const { key } = await service.create(
      { name: 'capped', limits: { rpm: 60, tpm: null, concurrency: 2 } },
      operator,
      abilityOf(operator),
    );
    expect(key.limits).toEqual({
      rpm: 60,
      tpm: null,
      concurrency: 2,
      dailyBudgetUsd: null,
      monthlyBudgetUsd: null,
      maxTokensPerCall: null,
      maxChoicesPerCall: null,
    });
    expect((await keys.findById(key.id))?.limits).toEqual({ rpm: 60, concurrency: 2 });
    expect(await failure(service.update(key.id, { limits: { rpm: 0 } }, abilityOf(operator)))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'limits.rpm: must be positive',
    });
    expect((await keys.findById(key.id))?.limits).toEqual({ rpm: 60, concurrency: 2 });
    expect((await service.update(key.id, { limits: { tpm: 1000 } }, abilityOf(operator))).limits).toEqual({
      rpm: null,
      tpm: 1000,
      concurrency: null,
      dailyBudgetUsd: null,
      monthlyBudgetUsd: null,
      maxTokensPerCall: null,
      maxChoicesPerCall: null,
    });
    const budgeted = await service.update(key.id, { limits: { dailyBudgetUsd: 2.5 } }, abilityOf(operator));
    expect(budgeted.limits).toMatchObject({ dailyBudgetUsd: 2.5, monthlyBudgetUsd: null });
    expect(await failure(service.update(key.id, { limits: { monthlyBudgetUsd: -1 } }, abilityOf(operator)))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'limits.monthlyBudgetUsd: must be positive',
    });
    expect((await service.update(key.id, { limits: null }, abilityOf(operator))).limits).toBeNull();
    expect((await keys.findById(key.id))?.limits).toBeNull();
  });
});
