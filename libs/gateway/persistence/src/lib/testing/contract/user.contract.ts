import { randomUUID } from 'node:crypto';
import type { User } from '../../models/user';
import type { UserRepository } from '../../repositories';
import { user } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

export function userContract(store: ContractStore<{ users: UserRepository }>): void {
  let users: UserRepository;
  beforeEach(() => {
    users = store.repos.users;
  });

  it('finds users by id and by email case-insensitively, and counts them', async () => {
    expect(await users.count()).toBe(0);
    const id = randomUUID();
    await users.save(user({ id, email: 'Admin@Example.com', role: 'owner', passwordHash: '$argon2id$stub' }));
    expect(await users.findByEmail('admin@example.COM')).toMatchObject({ email: 'admin@example.com', role: 'owner' });
    expect(await users.findById(id)).toMatchObject({ id, email: 'admin@example.com' });
    expect(await users.findById(randomUUID())).toBeNull();
    expect(await users.findByEmail('nobody@example.com')).toBeNull();
    expect(await users.count()).toBe(1);
    expect(await users.count({ role: 'owner' })).toBe(1);
    expect(await users.count({ role: 'member' })).toBe(0);
  });

  it('rejects a second account with the same email, whatever its case', async () => {
    const first = await users.save(user({ email: 'ops@example.com', name: 'First' }));
    await expect(users.save(user({ email: 'OPS@example.com', name: 'Second' }))).rejects.toThrow();
    expect((await users.findAll()).map((u) => [u.id, u.name])).toEqual([[first.id, 'First']]);
  });

  it('changes the email of an account saved again under its id', async () => {
    const saved = await users.save(user({ email: 'old@example.com' }));
    await users.save({ ...saved, email: 'new@example.com' });
    expect(await users.findByEmail('old@example.com')).toBeNull();
    expect(await users.findByEmail('new@example.com')).toMatchObject({ id: saved.id });
    expect(await users.count()).toBe(1);
  });

  it('finds an account by its single sign-on identity, and links an identity to one account only', async () => {
    const issuer = 'https://id.example.com';
    const subject = randomUUID();
    const linked = await users.save(user({ email: 'linked@example.com', ssoIssuer: issuer, ssoSubject: subject }));
    await users.save(user({ email: 'unlinked@example.com' }));
    await users.save(user({ email: 'unlinked2@example.com' }));
    expect(await users.findBySsoIdentity(issuer, subject)).toMatchObject({ id: linked.id, ssoSubject: subject });
    expect(await users.findBySsoIdentity('https://other.example.com', subject)).toBeNull();
    await expect(
      users.save(user({ email: 'twin@example.com', ssoIssuer: issuer, ssoSubject: subject })),
    ).rejects.toThrow();
  });

  it('keeps user limits and finds the users that have them', async () => {
    const id = randomUUID();
    await users.save(user({ id, email: 'capped@example.com', limits: { rpm: 5, dailyBudgetUsd: 1.5 } }));
    await users.save(user({ email: 'free@example.com', limits: null }));
    const unset = await users.save(user({ email: 'unset@example.com' }));
    expect(await users.findById(id)).toMatchObject({ limits: { rpm: 5, dailyBudgetUsd: 1.5 } });
    expect((await users.findById(unset.id))?.limits).toBeNull();
    expect((await users.findWithLimits()).map((u) => u.id)).toEqual([id]);
  });

  it('lists users by email and deletes one by id', async () => {
    await users.save(user({ email: 'zed@example.com' }));
    const amy = await users.save(user({ email: 'Amy@Example.com' }));
    expect((await users.findAll()).map((u) => u.email)).toEqual(['amy@example.com', 'zed@example.com']);
    expect(await users.delete(amy.id)).toBe(true);
    expect(await users.delete(amy.id)).toBe(false);
    expect(await users.findByEmail('amy@example.com')).toBeNull();
    expect((await users.findAll()).map((u) => u.email)).toEqual(['zed@example.com']);
  });

  it('demotes or deletes an owner only while another owner remains, also when two changes race', async () => {
    const a = await users.save(user({ email: 'owner-a@example.com', role: 'owner' }));
    const b = await users.save(user({ email: 'owner-b@example.com', role: 'owner' }));

    // Both at once: each alone would leave one owner, together none. Exactly one goes through. (Two
    // replicas share a store only on PostgreSQL; one SQLite file has one gateway, one connection.)
    const other = (await store.replica()).users;
    const demoteA = () => users.changeKeepingAnOwner({ save: { ...a, role: 'member' } });
    const demoteB = () => other.changeKeepingAnOwner({ save: { ...b, role: 'member' } });
    const results = store.concurrentReplicas
      ? await Promise.all([demoteA(), demoteB()])
      : [await demoteA(), await demoteB()];
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await users.count({ role: 'owner' })).toBe(1);

    const [survivor] = (await users.findAll()).filter((u) => u.role === 'owner');
    expect(await users.changeKeepingAnOwner({ delete: survivor.id })).toBe(false);
    expect(await users.changeKeepingAnOwner({ save: { ...survivor, name: 'Still owner' } })).toBe(true);
    expect(await users.findById(survivor.id)).toMatchObject({ name: 'Still owner', role: 'owner' });
    const c = await users.save(user({ email: 'owner-c@example.com', role: 'owner' }));
    expect(await users.changeKeepingAnOwner({ delete: survivor.id })).toBe(true);
    expect((await users.findAll()).filter((u) => u.role === 'owner').map((u) => u.id)).toEqual([c.id]);
  });

  it('keeps what it stores apart from the objects its callers hold', async () => {
    const saved = user({ limits: { rpm: 5 } });
    await users.save(saved);
    (saved.limits as NonNullable<User['limits']>).rpm = 1;
    saved.name = 'changed-after-save';
    const found = (await users.findById(saved.id)) as User;
    found.role = 'owner';
    expect(await users.findById(saved.id)).toMatchObject({ name: null, role: 'member', limits: { rpm: 5 } });
    expect(await users.count({ role: 'owner' })).toBe(0);
  });
}
