import type { TeamRepository } from '../../repositories';
import { T0, team } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

export function teamContract(store: ContractStore<{ teams: TeamRepository }>): void {
  let teams: TeamRepository;
  beforeEach(() => {
    teams = store.repos.teams;
  });

  it('stores teams with limits, refuses a duplicate name, and deletes a team with its memberships', async () => {
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

  it('lists teams by name', async () => {
    for (const name of ['charlie', 'alpha', 'bravo']) await teams.save(team({ name }));
    expect((await teams.findAll()).map((t) => t.name)).toEqual(['alpha', 'bravo', 'charlie']);
  });
}
