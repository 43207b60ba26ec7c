import type { RoleRepository } from '../../repositories';
import { T0 } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

export function roleContract(store: ContractStore<{ roles: RoleRepository }>): void {
  let roles: RoleRepository;
  beforeEach(() => {
    roles = store.repos.roles;
  });

  it('stores custom roles with their rules as JSON, updates and deletes them by name', async () => {
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
    expect((await roles.findAll()).map((r) => [r.name, r.description, r.rules])).toEqual([
      ['key-steward', 'changed', []],
    ]);
    expect(await roles.delete('key-steward')).toBe(true);
    expect(await roles.delete('key-steward')).toBe(false);
    expect(await roles.findByName('key-steward')).toBeNull();
  });
}
