import { randomUUID } from 'node:crypto';
import type { AuditEvent } from './models/audit-event';
import type { Team } from './models/team';
import { SQL_STORES, type StoreHarness } from './testing/store-harnesses';
import type { Store } from './typeorm/data-source';
import {
  TypeOrmAuditEventRepository,
  TypeOrmRoleRepository,
  TypeOrmTeamRepository,
} from './typeorm/typeorm-access-repositories';
import { TypeOrmUserRepository } from './typeorm/typeorm-repositories';

const T0 = new Date('2026-05-01T10:00:00.000Z');

function team(overrides: Partial<Team> = {}): Team {
  return {
    id: randomUUID(),
    name: `team-${randomUUID().slice(0, 8)}`,
    description: null,
    limits: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: randomUUID(),
    at: T0,
    actorId: 'u1',
    actorEmail: 'ops@example.com',
    ip: '127.0.0.1',
    action: 'Mutation.createGatewayKey',
    subject: 'GatewayKey',
    subjectId: null,
    outcome: 'succeeded',
    detail: null,
    changes: null,
    requestId: null,
    ...overrides,
  };
}

describe.each(SQL_STORES)('teams, roles, users and audit contract on %s', (_name, makeHarness) => {
  let harness: StoreHarness;
  let store: Store;
  /** A second connection to the same store, as another replica would have. */
  let second: Store;

  beforeAll(async () => {
    harness = makeHarness();
    store = await harness.open();
    second = await harness.open();
  });

  afterAll(async () => {
    await second?.dataSource.destroy();
    await store?.dataSource.destroy();
    await harness?.cleanup();
  });

  it('stores teams with limits, refuses a duplicate name, and deletes a team with its memberships', async () => {
    const teams = new TypeOrmTeamRepository(store);
    const research = await teams.save(team({ name: 'research', limits: { rpm: 100 }, description: 'R&D' }));
    await expect(teams.save(team({ name: 'research' }))).rejects.toThrow();
    expect(await teams.findByName('research')).toMatchObject({
      id: research.id,
      limits: { rpm: 100 },
      description: 'R&D',
    });
    expect(await teams.findById(research.id)).toMatchObject({ name: 'research' });

    expect(await teams.addMember({ teamId: research.id, userId: 'u1', createdAt: T0 })).toBe(true);
    expect(await teams.addMember({ teamId: research.id, userId: 'u1', createdAt: T0 })).toBe(false);
    expect(await teams.addMember({ teamId: research.id, userId: 'u2', createdAt: T0 })).toBe(true);
    const other = await teams.save(team());
    await teams.addMember({ teamId: other.id, userId: 'u1', createdAt: T0 });
    expect((await teams.memberships()).filter((m) => m.teamId === research.id).map((m) => m.userId)).toEqual([
      'u1',
      'u2',
    ]);

    expect(await teams.removeMember(research.id, 'u2')).toBe(true);
    expect(await teams.removeMember(research.id, 'u2')).toBe(false);
    expect(await teams.removeUserEverywhere('u1')).toBe(2);

    await teams.addMember({ teamId: research.id, userId: 'u3', createdAt: T0 });
    expect(await teams.delete(research.id)).toBe(true);
    expect(await teams.delete(research.id)).toBe(false);
    expect((await teams.memberships()).some((m) => m.teamId === research.id)).toBe(false);
  });

  it('stores custom roles with their rules as JSON, updates and deletes them by name', async () => {
    const roles = new TypeOrmRoleRepository(store);
    const rules = [
      { action: ['read', 'update'], subject: 'GatewayKey', conditions: { teamId: { $in: '${user.teamIds}' } } },
      { action: 'read', subject: 'Usage', fields: ['tokens'] },
    ];
    await roles.save({
      name: 'key-steward',
      description: 'Keys of own teams',
      rules,
      createdAt: T0,
      updatedAt: T0,
    } as never);
    expect(await roles.findByName('key-steward')).toMatchObject({ rules });
    await roles.save({ name: 'key-steward', description: 'changed', rules: [], createdAt: T0, updatedAt: T0 });
    expect((await roles.findAll()).map((r) => [r.name, r.description, r.rules])).toContainEqual([
      'key-steward',
      'changed',
      [],
    ]);
    expect(await roles.delete('key-steward')).toBe(true);
    expect(await roles.delete('key-steward')).toBe(false);
  });

  it('lists users by email and deletes one by id', async () => {
    const users = new TypeOrmUserRepository(store);
    const base = { name: null, role: 'member', passwordHash: null, createdAt: T0, updatedAt: T0 } as const;
    await users.save({ ...base, id: randomUUID(), email: 'zed@example.com' });
    const amy = await users.save({ ...base, id: randomUUID(), email: 'Amy@Example.com' });
    const emails = (await users.findAll()).map((u) => u.email);
    expect(emails.indexOf('amy@example.com')).toBeLessThan(emails.indexOf('zed@example.com'));
    expect(await users.delete(amy.id)).toBe(true);
    expect(await users.delete(amy.id)).toBe(false);
    expect(await users.findByEmail('amy@example.com')).toBeNull();
  });

  it('finds an account by its single sign-on identity, and links an identity to one account only', async () => {
    const users = new TypeOrmUserRepository(store);
    const base = { name: null, role: 'member', passwordHash: null, createdAt: T0, updatedAt: T0 } as const;
    const issuer = 'https://id.example.com';
    const subject = randomUUID();
    const linked = await users.save({
      ...base,
      id: randomUUID(),
      email: `${subject}@example.com`,
      ssoIssuer: issuer,
      ssoSubject: subject,
    });
    await users.save({ ...base, id: randomUUID(), email: `unlinked-${subject}@example.com` });
    await users.save({ ...base, id: randomUUID(), email: `unlinked2-${subject}@example.com` });
    expect(await users.findBySsoIdentity(issuer, subject)).toMatchObject({ id: linked.id, ssoSubject: subject });
    expect(await users.findBySsoIdentity('https://other.example.com', subject)).toBeNull();
    await expect(
      users.save({
        ...base,
        id: randomUUID(),
        email: `twin-${subject}@example.com`,
        ssoIssuer: issuer,
        ssoSubject: subject,
      }),
    ).rejects.toThrow();
  });

  it('demotes or deletes an owner only while another owner remains, also when two changes race', async () => {
    const users = new TypeOrmUserRepository(store);
    const base = { name: null, passwordHash: null, createdAt: T0, updatedAt: T0 } as const;
    const existing = await users.findAll();
    for (const user of existing) await users.delete(user.id);
    const a = await users.save({ ...base, id: randomUUID(), email: 'owner-a@example.com', role: 'owner' });
    const b = await users.save({ ...base, id: randomUUID(), email: 'owner-b@example.com', role: 'owner' });

    // Both at once: each alone would leave one owner, together none. Exactly one goes through. (Two
    // replicas share a store only on PostgreSQL; one SQLite file has one gateway, one connection.)
    const demoteA = () => users.changeKeepingAnOwner({ save: { ...a, role: 'member' } });
    const demoteB = () => new TypeOrmUserRepository(second).changeKeepingAnOwner({ save: { ...b, role: 'member' } });
    const results =
      store.dataSource.options.type === 'postgres'
        ? await Promise.all([demoteA(), demoteB()])
        : [await demoteA(), await demoteB()];
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await users.count({ role: 'owner' })).toBe(1);

    const [survivor] = (await users.findAll()).filter((u) => u.role === 'owner');
    expect(await users.changeKeepingAnOwner({ delete: survivor.id })).toBe(false);
    expect(await users.changeKeepingAnOwner({ save: { ...survivor, name: 'Still owner' } })).toBe(true);
    const c = await users.save({ ...base, id: randomUUID(), email: 'owner-c@example.com', role: 'owner' });
    expect(await users.changeKeepingAnOwner({ delete: survivor.id })).toBe(true);
    expect((await users.findAll()).filter((u) => u.role === 'owner').map((u) => u.id)).toEqual([c.id]);
  });

  it('records audit events and finds them newest first by actor, action prefix, outcome and time', async () => {
    const audit = new TypeOrmAuditEventRepository(store);
    const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
    await audit.insertMany([
      auditEvent({ at: at(0), changes: { name: 'ci', apiKey: '[redacted]' } }),
      auditEvent({ at: at(1), action: 'auth.login', outcome: 'failed', actorId: null, detail: 'bad_password' }),
      auditEvent({ at: at(2), action: 'Mutation.deleteRoute', outcome: 'denied', actorId: 'u2', subject: 'Route' }),
    ]);
    expect((await audit.find()).map((e) => e.action)).toEqual([
      'Mutation.deleteRoute',
      'auth.login',
      'Mutation.createGatewayKey',
    ]);
    expect((await audit.find({ action: 'Mutation.*' })).map((e) => e.action)).toEqual([
      'Mutation.deleteRoute',
      'Mutation.createGatewayKey',
    ]);
    expect(await audit.find({ action: 'Mutation.%' })).toEqual([]);
    expect((await audit.find({ outcome: 'denied' })).map((e) => e.actorId)).toEqual(['u2']);
    expect((await audit.find({ actorId: 'u1' })).map((e) => e.at)).toEqual([at(0)]);
    expect(await audit.find({ since: at(1), until: at(1) })).toHaveLength(1);
    expect((await audit.find({ limit: 1 }))[0].action).toBe('Mutation.deleteRoute');
    expect((await audit.find({ actorId: 'u1' }))[0].changes).toEqual({ name: 'ci', apiKey: '[redacted]' });
  });
});
